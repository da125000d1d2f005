// Public face of the store.

export { DuckDBStore } from './duckdb/duckdb-store.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
export { DEFAULT_STORE_PATH, openStore, resolveStorePath } from './open-store.js';
export { withReferenceCache } from './reference-cache.js';
export type {
  ImportDiff,
  ImportMeta,
  ImportRecord,
  IndicatorValue,
  OrgUnitQuery,
  Store,
  StoredTarget,
  StoreInfo,
  ValueQuery,
  ValueRevision,
} from './store.js';
