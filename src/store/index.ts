// Public face of the store.
export type { IndicatorValue, OrgUnitQuery, Store, StoredTarget, StoreInfo, ValueQuery } from './store.js';
export { DEFAULT_STORE_PATH, openStore, resolveStorePath } from './open-store.js';
export { DuckDBStore } from './duckdb/duckdb-store.js';
export { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations.js';
