// Whole-table access to a PostgreSQL store (see table-access.ts): one connection, reads through a cursor in a
// repeatable-read snapshot, writes as batches of text arrays cast into place, under the store's write lock.
import pg from 'pg';
import {
  type Cell,
  type ColumnKind,
  canonicalCell,
  quoteIdentifier,
  REFERENCES_SQL,
  selectCanonical,
  shapesOf,
  type TableAccess,
} from '../table-access.js';
import { openPostgresPool, redactLocation } from './postgres-connection.js';
import { WRITE_LOCK_KEY } from './postgres-store.js';

/** Rows per cursor fetch. */
const FETCH_SIZE = 10_000;

function kindOf(type: string): ColumnKind {
  if (type === 'float8' || type === 'float4') return 'float';
  if (type === 'int2' || type === 'int4' || type === 'int8') return 'integer';
  if (type === 'bool') return 'boolean';
  if (type === 'timestamp' || type === 'timestamptz') return 'timestamp';
  return 'text';
}

/** Opens one connection to a PostgreSQL store for whole-table reads and writes. */
export async function openPostgresTables(location: string): Promise<TableAccess> {
  // The pool answers connection problems with a clear message; the copy then uses one client of it.
  const pool = await openPostgresPool(location, 1);
  const client = await pool.connect();
  // Plain pg parsing here: integers stay exact text (int8), floats numbers; dates and times are read as text.
  const query = (sql: string, params: unknown[] = []) =>
    client.query({ text: sql, values: params, types: pg.types }).then((r) => r.rows as Record<string, unknown>[]);
  await query("SET DateStyle = 'ISO, YMD'");
  await query("SET TimeZone = 'UTC'");
  let cursors = 0;
  return {
    location: redactLocation(location),
    async schemaVersion() {
      const [row] = await query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
      return Number(row?.v ?? 0);
    },
    async tables() {
      const columns = await query(`SELECT table_name, column_name, udt_name AS data_type FROM information_schema.columns
        WHERE table_schema = current_schema()
          AND table_name IN (SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')`);
      return shapesOf(columns, await query(REFERENCES_SQL), kindOf);
    },
    async countRows(table) {
      const [row] = await query(`SELECT count(*) AS n FROM ${quoteIdentifier(table.name)}`);
      return Number(row?.n ?? 0);
    },
    async readRows(table, onBatch) {
      const cursor = `copy_cursor_${++cursors}`;
      await query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${selectCanonical(table)}`);
      try {
        for (;;) {
          const result = await client.query({
            text: `FETCH ${FETCH_SIZE} FROM ${cursor}`,
            rowMode: 'array',
            types: pg.types,
          });
          if (result.rows.length === 0) break;
          await onBatch(
            (result.rows as unknown[][]).map((row) =>
              row.map((v, i) => canonicalCell(v, table.columns[i]?.kind ?? 'text')),
            ),
          );
        }
      } finally {
        await query(`CLOSE ${cursor}`);
      }
    },
    async transaction(mode, work) {
      await query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      try {
        // Writes wait for the servers' own writes to finish, and hold theirs back until the copy commits.
        if (mode === 'write') await query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
        const result = await work();
        await query('COMMIT');
        return result;
      } catch (error) {
        await query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    async deleteRows(table) {
      await query(`DELETE FROM ${quoteIdentifier(table.name)}`);
    },
    async insertRows(table, batch) {
      if (batch.length === 0) return;
      const names = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
      const casts = table.columns.map((c, i) => `CAST(u.c${i} AS ${c.type})`).join(', ');
      const arrays = table.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
      const aliases = table.columns.map((_, i) => `c${i}`).join(', ');
      const columns: Cell[][] = table.columns.map((_, i) => batch.map((row) => row[i] ?? null));
      await query(
        `INSERT INTO ${quoteIdentifier(table.name)} (${names}) SELECT ${casts} FROM unnest(${arrays}) AS u(${aliases})`,
        columns,
      );
    },
    async bumpDataVersion() {
      await query('UPDATE data_version SET version = version + 1');
    },
    async close() {
      client.release();
      await pool.end();
    },
  };
}
