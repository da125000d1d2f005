// Applies the shared migration list to a PostgreSQL database, holding an advisory lock so that servers starting
// at the same moment migrate one after the other instead of racing each other's DDL.
import type pg from 'pg';
import { MIGRATIONS } from '../migrations.js';
import { queryRows } from './postgres-connection.js';

/** The advisory lock key that serialises migrations of one database ("pejling" + 1). */
export const MIGRATION_LOCK_KEY = 7_365_736_901;

/** Brings the schema up to date; returns the version reached. Each migration is one transaction. */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
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
          for (const statement of migration.statements) await client.query(statement);
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
      return current;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
