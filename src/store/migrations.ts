// Versioned schema migrations, in portable SQL (DuckDB and PostgreSQL both run them unchanged).

export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
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
    description: 'units keep their whole definition; groupings (dated memberships), from the catalogue or imported',
    statements: [
      `ALTER TABLE org_units ADD COLUMN definition TEXT`,
      `ALTER TABLE org_units ADD COLUMN origin VARCHAR DEFAULT 'catalogue'`,
      `CREATE TABLE org_unit_groupings (id VARCHAR PRIMARY KEY, group_type VARCHAR NOT NULL,
        partitions_persons BOOLEAN NOT NULL, origin VARCHAR NOT NULL, definition TEXT NOT NULL, position INTEGER NOT NULL)`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
