// Opening a DuckDB database file and running parameterised SQL, with values converted to plain JS in one place.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, JSDuckDBValueConverter } from '@duckdb/node-api';
import { UserError } from '../../domain/errors.js';

export type Row = Record<string, unknown>;

/**
 * The memory limit of the store's DuckDB from `PEJLING_DUCKDB_MEMORY` (e.g. `256MB`, `2GB`), or undefined for
 * DuckDB's own default (80 % of the machine's memory, much of it a cache of the file's blocks).
 */
export function storeMemoryLimit(value = process.env.PEJLING_DUCKDB_MEMORY): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i.test(value.trim()))
    throw new UserError(`PEJLING_DUCKDB_MEMORY must be a size like 256MB or 2GB; got '${value}'`);
  return value.trim();
}

/** Opens (creating if needed) a DuckDB file, or `:memory:`; a lock held by another process becomes a UserError. */
export async function openDuckDB(
  location: string,
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  if (location !== ':memory:') await mkdir(path.dirname(path.resolve(location)), { recursive: true });
  const memoryLimit = storeMemoryLimit();
  try {
    const instance = await DuckDBInstance.create(location, memoryLimit ? { memory_limit: memoryLimit } : undefined);
    const connection = await instance.connect();
    return { instance, connection };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      const pid = /PID (\d+)/.exec(message)?.[1];
      throw new UserError(`The store ${location} is in use by another Pejling process${pid ? ` (PID ${pid})` : ''}`, {
        status: 409,
        hint:
          'Wait for that command to finish, or use another --store. Commands work through a running `pejling serve`; ' +
          '`restore` and `store copy` need the server stopped.',
      });
    }
    if (/not a valid DuckDB database|database file.*(corrupt|invalid)|Unable to open|Cannot open/i.test(message)) {
      throw new UserError(`The store ${location} cannot be opened: ${message.split('\n')[0]}`, {
        hint: 'Point --store (or PEJLING_STORE) at a Pejling store, or at a new path to create one.',
      });
    }
    throw error;
  }
}

/** Runs a query and returns its rows as plain objects: BIGINT → number, DATE → 'YYYY-MM-DD'. */
export async function queryRows(
  connection: DuckDBConnection,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  // Rows are made one chunk (2,048 rows) at a time as DuckDB hands the chunks over, so a large answer (all units'
  // values of an indicator) does not hold a server's event loop for the whole of its conversion.
  const result = await connection.run(sql, params as DuckDBValue[]);
  const names = result.deduplicatedColumnNames();
  const rows: Row[] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const columns = chunk.convertColumns(JSDuckDBValueConverter);
    for (let i = 0; i < chunk.rowCount; i++) {
      const row: Row = {};
      for (const [c, name] of names.entries()) row[name] = toPlain(columns[c]?.[i] ?? null);
      rows.push(row);
    }
  }
  return rows;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
}
