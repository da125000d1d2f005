// Connecting to PostgreSQL through a pool and running parameterised SQL, with values converted to plain JS in one
// place: BIGINT and NUMERIC → number, DATE → 'YYYY-MM-DD', TIMESTAMP → its text ('YYYY-MM-DD HH:MM:SS.ffffff').
import pg from 'pg';
import { UserError } from '../../domain/errors.js';

export type Row = Record<string, unknown>;

/** Anything that runs a query: the pool or one checked-out client (inside a transaction). */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Connections per server process when PEJLING_PG_POOL is not set. */
export const DEFAULT_POOL_SIZE = 10;

const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/** The type parsers of this pool only (pg's global parsers stay untouched). */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    switch (oid) {
      case OID.int8:
      case OID.numeric:
        return (text: string) => Number(text);
      case OID.date:
      case OID.timestamp:
      case OID.timestamptz:
        return (text: string) => text;
      default:
        return pg.types.getTypeParser(oid, format);
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** True for a PostgreSQL connection URL (`postgres://…` or `postgresql://…`). */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The location with its password hidden, for messages and `Store.location`. */
export function redactLocation(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return location.replace(/:[^:@/]*@/, ':***@');
  }
}

/** The pool size from PEJLING_PG_POOL (a whole number ≥ 1), else the default. */
export function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PEJLING_PG_POOL;
  if (text === undefined || text === '') return DEFAULT_POOL_SIZE;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1) {
    throw new UserError(`PEJLING_PG_POOL must be a whole number of connections (1 or more); got '${text}'`);
  }
  return size;
}

/** Opens a pool on `location` and checks that the server answers; connection problems become UserErrors. */
export async function openPostgresPool(location: string, size = poolSize()): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: location,
    max: size,
    types: TYPES,
    application_name: 'pejling',
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server (a restart, a failover) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw connectionError(location, error);
  }
  return pool;
}

function connectionError(location: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const where = redactLocation(location);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new UserError(`No PostgreSQL server answers at ${where}: ${message}`, {
      hint: 'Check the host and port in --store (or PEJLING_STORE), and that the server is running.',
    });
  }
  if (code === '3D000') {
    return new UserError(`The database in ${where} does not exist`, {
      hint: 'Create it first (`createdb NAME`, or CREATE DATABASE as an administrator); see docs/deployment.md.',
    });
  }
  if (code === '28P01' || code === '28000') {
    return new UserError(`PostgreSQL refused the login at ${where}: ${message}`, {
      hint: 'Check the user and password in the store URL, and pg_hba.conf on the server.',
    });
  }
  return new UserError(`Cannot connect to the PostgreSQL store at ${where}: ${message}`, {
    hint: 'Check the store URL: postgres://USER:PASSWORD@HOST:5432/DATABASE',
  });
}

/**
 * Turns `?` placeholders into PostgreSQL's `$1, $2, …` (outside quoted strings and identifiers), so that the
 * store's SQL reads the same as the DuckDB store's.
 * @example toNumberedParameters('SELECT * FROM t WHERE a = ? AND b = ?') // 'SELECT * FROM t WHERE a = $1 AND b = $2'
 */
export function toNumberedParameters(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Runs a query (with `?` placeholders) and returns its rows as plain objects. */
export async function queryRows(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  const result = await db.query(toNumberedParameters(sql), params as unknown[]);
  return result.rows as Row[];
}
