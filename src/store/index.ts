// Public face of the store.

export { classifyCompliance, complianceKey } from './compliance-diff.js';
export { DuckDBStore } from './duckdb/duckdb-store.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
export { DEFAULT_STORE_PATH, openStore, resolveStorePath } from './open-store.js';
export * from './quality-plan-store.js';
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
