// Whole-table access to a DuckDB store file (see table-access.ts): reads chunk by chunk, writes through an
// appender into a text staging table and casts into place.
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  type Cell,
  type ColumnKind,
  canonicalCell,
  quoteIdentifier,
  REFERENCES_SQL,
  selectCanonical,
  shapesOf,
  type TableAccess,
  type TableShape,
} from '../table-access.js';
import { openDuckDB, queryRows } from './duckdb-connection.js';

function kindOf(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/^(DOUBLE|FLOAT|REAL)$/.test(t)) return 'float';
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return 'integer';
  if (t === 'BOOLEAN') return 'boolean';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'text';
}

/** Opens a DuckDB store file for whole-table reads and writes (it must not be open elsewhere). */
export async function openDuckDBTables(location: string): Promise<TableAccess> {
  const { instance, connection } = await openDuckDB(location);
  const rows = (sql: string, params: readonly unknown[] = []) => queryRows(connection, sql, params);
  return {
    location,
    async schemaVersion() {
      const [row] = await rows('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
      return Number(row?.v ?? 0);
    },
    async tables() {
      const columns = await rows(`SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_catalog = current_database() AND table_schema = current_schema()
          AND table_name IN (SELECT table_name FROM information_schema.tables
            WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_type = 'BASE TABLE')`);
      return shapesOf(columns, await rows(REFERENCES_SQL), kindOf);
    },
    async countRows(table) {
      const [row] = await rows(`SELECT count(*) AS n FROM ${quoteIdentifier(table.name)}`);
      return Number(row?.n ?? 0);
    },
    async readRows(table, onBatch) {
      const result = await connection.stream(selectCanonical(table));
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const batch = chunk
          .getRows()
          .map((row) => row.map((v, i) => canonicalCell(v, table.columns[i]?.kind ?? 'text')));
        await onBatch(batch);
      }
    },
    async transaction(_mode, work) {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await work();
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK');
        throw error;
      }
    },
    async deleteRows(table) {
      await connection.run(`DELETE FROM ${quoteIdentifier(table.name)}`);
    },
    async insertRows(table, batch) {
      await appendStaged(connection, table, batch);
    },
    async bumpDataVersion() {
      await connection.run('UPDATE data_version SET version = version + 1');
    },
    async close() {
      await connection.run('CHECKPOINT');
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function appendStaged(connection: DuckDBConnection, table: TableShape, batch: readonly Cell[][]): Promise<void> {
  if (batch.length === 0) return;
  const staging = 'copy_staging';
  const staged = table.columns.map((_, i) => `c${i} VARCHAR`).join(', ');
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${staging} (${staged})`);
  const appender = await connection.createAppender(staging, 'main', 'temp');
  for (const row of batch) {
    for (const cell of row) {
      if (cell === null) appender.appendNull();
      else appender.appendVarchar(cell);
    }
    appender.endRow();
  }
  appender.closeSync();
  const names = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  const casts = table.columns.map((c, i) => `CAST(c${i} AS ${c.type})`).join(', ');
  await connection.run(`INSERT INTO ${quoteIdentifier(table.name)} (${names}) SELECT ${casts} FROM ${staging}`);
  await connection.run(`DROP TABLE ${staging}`);
}
