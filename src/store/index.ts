// Public face of the store.

export type {
  AccountStore,
  AuditEntry,
  AuditRecord,
  RegionRight,
  Role,
  StoredSession,
  StoredToken,
  StoredUser,
} from './accounts.js';
export { channelPathFor } from './channel/channel-path.js';
export { serveStoreChannel } from './channel/serve-channel.js';
export { classifyCompliance, complianceKey } from './compliance-diff.js';
export { type CopyReport, copyStore } from './copy-store.js';
export { type Topics, touches } from './data-change.js';
export { DuckDBStore } from './duckdb/duckdb-store.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';
export { DEFAULT_STORE_PATH, openStore, openStoreOrServer, resolveStorePath, storeKindOf } from './open-store.js';
export { isPostgresLocation, redactLocation } from './postgres/postgres-connection.js';
export { PostgresStore } from './postgres/postgres-store.js';
export * from './quality-plan-store.js';
export { ReadMemo } from './read-memo.js';
export { readsInto, recordingReads, recordReads } from './read-topics.js';
export { atDataVersion, pinnedVersion, withReferenceCache } from './reference-cache.js';
export type {
  ImportDiff,
  ImportMeta,
  ImportRecord,
  IndicatorValue,
  OrgUnitQuery,
  Store,
  StoredTarget,
  StoredValueCounts,
  StoreInfo,
  ValueQuery,
  ValueRevision,
  ValueScope,
} from './store.js';
