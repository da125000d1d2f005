// Versioned schema migrations, in portable SQL (DuckDB and PostgreSQL both run them unchanged).

export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
  /** Run only by this store kind; the other kind records the version as applied with nothing to do. */
  only?: 'duckdb';
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'catalogue tables and indicator values',
    statements: [
      `CREATE TABLE org_units (
        code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, name_en VARCHAR, type VARCHAR NOT NULL,
        parent VARCHAR, iso VARCHAR, valid_from DATE NOT NULL, valid_to DATE, position INTEGER NOT NULL)`,
      `CREATE TABLE org_unit_groups (id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, definition TEXT NOT NULL)`,
      `CREATE TABLE org_unit_group_members (group_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL,
        PRIMARY KEY (group_id, unit_code))`,
      `CREATE TABLE indicators (id VARCHAR PRIMARY KEY, origin VARCHAR NOT NULL, polarity VARCHAR NOT NULL,
        definition TEXT NOT NULL, position INTEGER NOT NULL)`,
      `CREATE TABLE goal_sets (id VARCHAR PRIMARY KEY, level VARCHAR NOT NULL, unit_code VARCHAR NOT NULL,
        definition TEXT NOT NULL, position INTEGER NOT NULL)`,
      `CREATE TABLE targets (id VARCHAR PRIMARY KEY, goal_set_id VARCHAR NOT NULL, goal_id VARCHAR NOT NULL,
        indicator_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, definition TEXT NOT NULL, position INTEGER NOT NULL)`,
      `CREATE TABLE goal_links (from_goal VARCHAR NOT NULL, to_goal VARCHAR NOT NULL, theme VARCHAR NOT NULL,
        definition TEXT NOT NULL, position INTEGER NOT NULL)`,
      `CREATE TABLE indicator_values (
        indicator_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
        breakdown VARCHAR NOT NULL, numerator DOUBLE PRECISION, denominator DOUBLE PRECISION,
        value DOUBLE PRECISION, suppressed BOOLEAN NOT NULL, origin VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL)`,
      `CREATE INDEX indicator_values_lookup ON indicator_values (indicator_id, unit_code, period, breakdown)`,
    ],
  },
  {
    version: 2,
    description: 'imports with revisions, and local goal sets beside the catalogue',
    statements: [
      `ALTER TABLE goal_sets ADD COLUMN origin VARCHAR DEFAULT 'catalogue'`,
      `ALTER TABLE targets ADD COLUMN origin VARCHAR DEFAULT 'catalogue'`,
      `ALTER TABLE goal_links ADD COLUMN origin VARCHAR DEFAULT 'catalogue'`,
      `CREATE TABLE imports (
        id INTEGER PRIMARY KEY, imported_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL, note VARCHAR, rows_in_file INTEGER NOT NULL, inserted INTEGER NOT NULL,
        changed INTEGER NOT NULL, unchanged INTEGER NOT NULL)`,
      `CREATE TABLE value_history (
        indicator_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, period VARCHAR NOT NULL, breakdown VARCHAR NOT NULL,
        numerator DOUBLE PRECISION, denominator DOUBLE PRECISION, value DOUBLE PRECISION, suppressed BOOLEAN NOT NULL,
        import_id INTEGER NOT NULL, recorded_at TIMESTAMP NOT NULL)`,
      `CREATE INDEX value_history_lookup ON value_history (indicator_id, unit_code, period, breakdown)`,
    ],
  },
  {
    version: 3,
    description: 'a data version, bumped by every write transaction, that keys caches across servers',
    statements: [
      'CREATE TABLE data_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)',
      'INSERT INTO data_version (id, version) VALUES (1, 0)',
    ],
  },
  {
    version: 4,
    description: 'quality standards and compliance records with revisions',
    statements: [
      `CREATE TABLE quality_standards (id VARCHAR PRIMARY KEY, definition TEXT NOT NULL, position INTEGER NOT NULL)`,
      `CREATE TABLE compliance_imports (
        id INTEGER PRIMARY KEY, imported_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL, note VARCHAR, synthetic BOOLEAN NOT NULL, rows_in_file INTEGER NOT NULL,
        inserted INTEGER NOT NULL, changed INTEGER NOT NULL, unchanged INTEGER NOT NULL)`,
      `CREATE TABLE compliance_records (
        standard_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, requirement INTEGER NOT NULL, year INTEGER NOT NULL,
        standard_version VARCHAR NOT NULL, status VARCHAR NOT NULL, assessed_on DATE, basis VARCHAR, note VARCHAR,
        recorded_by VARCHAR NOT NULL, import_id INTEGER NOT NULL, recorded_at TIMESTAMP NOT NULL)`,
      `CREATE INDEX compliance_records_lookup ON compliance_records (standard_id, unit_code, requirement, year)`,
      `CREATE TABLE compliance_history (
        standard_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, requirement INTEGER NOT NULL, year INTEGER NOT NULL,
        standard_version VARCHAR NOT NULL, status VARCHAR NOT NULL, assessed_on DATE, basis VARCHAR, note VARCHAR,
        recorded_by VARCHAR NOT NULL, import_id INTEGER NOT NULL, recorded_at TIMESTAMP NOT NULL)`,
      `CREATE INDEX compliance_history_lookup ON compliance_history (standard_id, unit_code, requirement, year)`,
    ],
  },
  {
    version: 5,
    description: 'accounts: users, API tokens, sessions, region rights and the audit trail',
    // Times are ISO 8601 UTC text written by the application, so both engines store and compare them alike.
    statements: [
      'CREATE SEQUENCE users_id START 1',
      'CREATE SEQUENCE api_tokens_id START 1',
      'CREATE SEQUENCE audit_log_id START 1',
      `CREATE TABLE users (
        id INTEGER PRIMARY KEY DEFAULT nextval('users_id'), name VARCHAR NOT NULL UNIQUE, unit_code VARCHAR NOT NULL, role VARCHAR NOT NULL,
        password_hash VARCHAR, disabled BOOLEAN NOT NULL, created_at VARCHAR NOT NULL)`,
      `CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY DEFAULT nextval('api_tokens_id'), user_id INTEGER NOT NULL, token_hash VARCHAR NOT NULL UNIQUE, label VARCHAR,
        created_at VARCHAR NOT NULL, expires_at VARCHAR, revoked_at VARCHAR, last_used_at VARCHAR)`,
      `CREATE TABLE sessions (
        id_hash VARCHAR PRIMARY KEY, user_id INTEGER NOT NULL, csrf_token VARCHAR NOT NULL, via VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL, expires_at VARCHAR NOT NULL)`,
      `CREATE TABLE region_rights (
        region_code VARCHAR PRIMARY KEY, granted_by VARCHAR NOT NULL, granted_at VARCHAR NOT NULL)`,
      `CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY DEFAULT nextval('audit_log_id'), recorded_at VARCHAR NOT NULL, actor VARCHAR NOT NULL, actor_unit VARCHAR, via VARCHAR,
        address VARCHAR, action VARCHAR NOT NULL, subject VARCHAR, outcome VARCHAR NOT NULL, details TEXT NOT NULL,
        request_id VARCHAR)`,
      `CREATE INDEX audit_log_recorded_at ON audit_log (recorded_at)`,
    ],
  },
  {
    version: 6,
    description: 'units keep their whole definition; groupings (dated memberships), from the catalogue or imported',
    statements: [
      `ALTER TABLE org_units ADD COLUMN definition TEXT`,
      `ALTER TABLE org_units ADD COLUMN origin VARCHAR DEFAULT 'catalogue'`,
      `CREATE TABLE org_unit_groupings (id VARCHAR PRIMARY KEY, group_type VARCHAR NOT NULL,
        partitions_persons BOOLEAN NOT NULL, origin VARCHAR NOT NULL, definition TEXT NOT NULL, position INTEGER NOT NULL)`,
    ],
  },
  {
    // DuckDB reads these tables by column scans and zone maps; its index sped up no read, yet every import kept
    // it up to date row by row (about a second per million rows and table). PostgreSQL keeps its B-trees.
    version: 7,
    description: 'DuckDB: values and their revisions without the lookup indexes that only slowed imports',
    only: 'duckdb',
    statements: ['DROP INDEX IF EXISTS indicator_values_lookup', 'DROP INDEX IF EXISTS value_history_lookup'],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
