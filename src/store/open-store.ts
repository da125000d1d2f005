// Resolves where the store lives and opens it: a PostgreSQL URL is server mode, anything else a DuckDB file.
import { UserError } from '../domain/errors.js';
import { connectStoreChannel } from './channel/channel-store.js';
import { DuckDBStore } from './duckdb/duckdb-store.js';
import { isPostgresLocation } from './postgres/postgres-connection.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Store } from './store.js';

export const DEFAULT_STORE_PATH = './data/pejling.duckdb';

/** The store location from an option, `PEJLING_STORE`, or the default. */
export function resolveStorePath(option?: string): string {
  return option ?? process.env.PEJLING_STORE ?? DEFAULT_STORE_PATH;
}

/** Which port of the Store interface serves a location. */
export function storeKindOf(location: string): 'duckdb' | 'postgres' {
  return isPostgresLocation(location) ? 'postgres' : 'duckdb';
}

/**
 * Opens the store at `location` and brings its schema up to date: `postgres://USER:PASSWORD@HOST:PORT/DB` (or
 * `postgresql://…`) for a PostgreSQL database, else a DuckDB file (created if missing) or `:memory:`.
 * @example const store = await openStore('./data/pejling.duckdb');
 * @example const shared = await openStore('postgres://pejling:secret@db.example:5432/pejling');
 */
export async function openStore(location: string): Promise<Store> {
  return storeKindOf(location) === 'postgres' ? PostgresStore.open(location) : DuckDBStore.open(location);
}

/**
 * Opens the store like `openStore`; when a running `pejling serve` holds the DuckDB file (DuckDB lets one
 * process open it), returns the store through that server instead, so commands work alongside it. The second
 * value says which happened. Without a server answering, the lock error stands.
 * @example const { store, throughServer } = await openStoreOrServer('./data/pejling.duckdb');
 */
export async function openStoreOrServer(location: string): Promise<{ store: Store; throughServer: boolean }> {
  try {
    return { store: await openStore(location), throughServer: false };
  } catch (error) {
    if (!(error instanceof UserError) || error.status !== 409 || storeKindOf(location) !== 'duckdb') throw error;
    const store = await connectStoreChannel(location);
    if (!store) throw error;
    return { store, throughServer: true };
  }
}
