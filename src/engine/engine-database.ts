// The engine's scratch DuckDB database: in memory, bounded by a memory limit, spilling to a temporary folder
// beyond it, so a registry larger than memory completes (slower) instead of failing.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { UserError } from '../domain/errors.js';
import { queryRows } from '../store/duckdb/duckdb-connection.js';

/**
 * Share of the machine's memory the engine may use when no limit is given: a quarter. The process needs a
 * little more than DuckDB's limit (Node, the store, DuckDB's allocations outside its buffers), and the
 * server and the store share the machine; on a 24 GB machine a quarter keeps a computation of 50 million
 * courses under 7 GB (spilling about 3 GB), where 60 % let it grow past 8 GB (see docs/performance.md).
 */
export const DEFAULT_MEMORY_SHARE = 0.25;

export interface EngineDatabaseOptions {
  /** DuckDB memory limit, e.g. `6GB` or `512MiB` (default: a quarter of the machine's memory). */
  memoryLimit?: string;
  /** Folder for the spill files; a fresh subfolder is made in it and removed afterwards (default: the OS's). */
  tempDir?: string;
  /** Worker threads (default: DuckDB's, one per core). */
  threads?: number;
}

export interface EngineDatabase {
  conn: DuckDBConnection;
  memoryLimit: string;
  /** Bytes currently written to spill files. */
  spilledBytes(): Promise<number>;
  close(): Promise<void>;
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i;

/** Checks a memory size such as `6GB` and returns it as DuckDB writes it; a UserError otherwise. */
export function parseMemoryLimit(text: string): string {
  const match = SIZE.exec(text);
  if (!match || Number(match[1]) <= 0) {
    throw new UserError(`--memory-limit must be a size such as 6GB, 800MB or 4GiB; got '${text}'`);
  }
  return `${match[1]}${match[2]}`;
}

/** A quarter of the machine's memory (DEFAULT_MEMORY_SHARE), in MiB. */
export function defaultMemoryLimit(): string {
  return `${Math.floor((totalmem() * DEFAULT_MEMORY_SHARE) / 2 ** 20)}MiB`;
}

/**
 * Opens the scratch database with a memory limit and a spill folder.
 * @example const db = await openEngineDatabase({ memoryLimit: '6GB', tempDir: 'data' }); … await db.close();
 */
export async function openEngineDatabase(options: EngineDatabaseOptions = {}): Promise<EngineDatabase> {
  const memoryLimit = options.memoryLimit ? parseMemoryLimit(options.memoryLimit) : defaultMemoryLimit();
  const parent = options.tempDir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const spill = await mkdtemp(path.join(parent, 'pejling-engine-'));
  const config: Record<string, string> = {
    memory_limit: memoryLimit,
    temp_directory: spill,
    // Rows need no particular order in the engine's tables; dropping it lets DuckDB stream and spill freely.
    preserve_insertion_order: 'false',
  };
  if (options.threads) config.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(':memory:', config);
  } catch (error) {
    await rm(spill, { recursive: true, force: true });
    throw new UserError(`The engine's database cannot start: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Check --memory-limit, --temp-dir and --threads.',
    });
  }
  const conn = await instance.connect();
  return {
    conn,
    memoryLimit,
    async spilledBytes() {
      const [row] = await queryRows(conn, 'SELECT coalesce(sum(size), 0) AS bytes FROM duckdb_temporary_files()');
      return Number(row?.bytes ?? 0);
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
      await rm(spill, { recursive: true, force: true });
    },
  };
}

/** The default spill folder: beside a file store, else the OS's temporary folder. */
export function defaultTempDir(storeLocation: string): string {
  if (storeLocation === ':memory:' || storeLocation.includes('://')) return tmpdir();
  return path.dirname(path.resolve(storeLocation));
}
