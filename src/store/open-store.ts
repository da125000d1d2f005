// Resolves where the store lives and opens it.
import { DuckDBStore } from './duckdb/duckdb-store.js';
import type { Store } from './store.js';

export const DEFAULT_STORE_PATH = './data/pejling.duckdb';

/** The store path from an option, `PEJLING_STORE`, or the default. */
export function resolveStorePath(option?: string): string {
  return option ?? process.env.PEJLING_STORE ?? DEFAULT_STORE_PATH;
}

/**
 * Opens the store at `location` (a DuckDB file, created if missing, or `:memory:`).
 * @example const store = await openStore('./data/pejling.duckdb');
 */
export async function openStore(location: string): Promise<Store> {
  return DuckDBStore.open(location);
}
