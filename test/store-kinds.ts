// Store locations of either kind for parameterised suites: `describe.each(STORE_KINDS)` runs one suite against
// the embedded DuckDB file and against a real PostgreSQL database (one throw-away cluster per test file).
import path from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './helpers.js';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.js';

export const STORE_KINDS = ['duckdb', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface StoreLocations {
  /** A new, empty store location of that kind: a DuckDB file in a temp folder, or a new PostgreSQL database. */
  newLocation(kind: StoreKind, name?: string): Promise<string>;
  /** This file's cluster, started on first use. */
  cluster(): Promise<PostgresCluster>;
}

/** Call once at the top of a test file; removes the temp folders and stops the cluster after the file's tests. */
export function storeLocations(): StoreLocations {
  let cluster: Promise<PostgresCluster> | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    if (cluster) await (await cluster).stop();
    for (const cleanup of cleanups) await cleanup();
  });
  const getCluster = () => {
    cluster ??= startPostgresCluster();
    return cluster;
  };
  let files = 0;
  return {
    cluster: getCluster,
    async newLocation(kind, name = 'pejling') {
      if (kind === 'postgres') return (await getCluster()).createDatabase(name);
      const { dir, cleanup } = await tempDir();
      cleanups.push(cleanup);
      return path.join(dir, `${name}-${++files}.duckdb`);
    },
  };
}
