// The data version: one row counting every committed write, so readers can key prepared answers and ETags on it.
// Portable SQL: both the DuckDB and the PostgreSQL store run these statements unchanged.

/** Creates the one-row table (idempotent); run after the migrations. */
export const DATA_VERSION_SETUP: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS data_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)',
  'INSERT INTO data_version (id, version) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM data_version)',
];

/** Run inside every write transaction, as its last statement; returns the new version. */
export const BUMP_DATA_VERSION = 'UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version';

/** Moves the version past `floor` (after a restore, so no earlier version number is reused); returns it. */
export const ADVANCE_DATA_VERSION =
  'UPDATE data_version SET version = CASE WHEN version > ? THEN version ELSE ? END + 1 WHERE id = 1 RETURNING version';

export const READ_DATA_VERSION = 'SELECT version FROM data_version WHERE id = 1';
