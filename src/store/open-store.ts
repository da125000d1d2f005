// Resolves where the store lives and opens it: a PostgreSQL URL is server mode, anything else a DuckDB file.
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
