// Applies the shared migration list to a PostgreSQL database, holding an advisory lock so that servers starting
// at the same moment migrate one after the other instead of racing each other's DDL.
import type pg from 'pg';
import { UserError } from '../../domain/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../migrations.js';
import { DATA_CHANGES_SETUP } from './postgres-changes.js';
import { queryRows } from './postgres-connection.js';

/** The advisory lock key that serialises migrations of one database ("pejling" + 1). */
export const MIGRATION_LOCK_KEY = 7_365_736_901;

/** Brings the schema up to date; returns the version reached. Each migration is one transaction. */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const [standby] = await queryRows(pool, 'SELECT pg_is_in_recovery() AS standby');
  if (standby?.standby) return replicaVersion(pool);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
      const [row] = await queryRows(client, 'SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
      let current = Number(row?.version ?? 0);
      for (const migration of MIGRATIONS) {
        if (migration.version <= current) continue;
        await client.query('BEGIN');
        try {
          if (migration.only !== 'duckdb') for (const statement of migration.statements) await client.query(statement);
          await queryRows(client, 'INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)', [
            migration.version,
            migration.description,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        current = migration.version;
      }
      await client.query(DATA_CHANGES_SETUP);
      return current;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** A read replica cannot migrate: it must already be at this version (its primary migrated first). */
async function replicaVersion(pool: pg.Pool): Promise<number> {
  const [exists] = await queryRows(pool, "SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  const [row] = exists?.present
    ? await queryRows(pool, 'SELECT coalesce(max(version), 0) AS version FROM schema_migrations')
    : [{ version: 0 }];
  const version = Number(row?.version ?? 0);
  if (version < LATEST_SCHEMA_VERSION) {
    throw new UserError(
      `This PostgreSQL server is a read replica with schema version ${version}; this Pejling needs ${LATEST_SCHEMA_VERSION}`,
      { hint: 'Migrate the primary first (`pejling init` or one server with --store pointing at the primary).' },
    );
  }
  return version;
}
