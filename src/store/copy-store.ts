// Moves a whole store between locations of either kind (DuckDB file ⇄ PostgreSQL database), table by table as
// the migrations made them, and proves the copy: row counts and an order-free checksum per table must match,
// else nothing is written.
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../domain/errors.js';
import { openDuckDBTables } from './duckdb/duckdb-tables.js';
import { openStore, storeKindOf } from './open-store.js';
import { openPostgresTables } from './postgres/postgres-tables.js';
import type { Cell, TableAccess, TableShape } from './table-access.js';
import { TableChecksum } from './table-checksum.js';

/** Rows gathered before one insert into the target. */
const WRITE_BATCH = 10_000;

export interface CopyOptions {
  from: string;
  to: string;
  /** Replace a target that already holds data. */
  force?: boolean;
  onProgress?: (message: string) => void;
}

export interface CopiedTable {
  name: string;
  rows: number;
  checksum: string;
}

export interface CopyReport {
  from: string;
  to: string;
  schemaVersion: number;
  tables: CopiedTable[];
  seconds: number;
}

function openTables(location: string): Promise<TableAccess> {
  return storeKindOf(location) === 'postgres' ? openPostgresTables(location) : openDuckDBTables(location);
}

/** Opens a store once through the Store interface, which creates or migrates its schema. */
async function migrate(location: string): Promise<void> {
  const store = await openStore(location);
  await store.close();
}

async function rowsIn(access: TableAccess): Promise<{ rows: number; tables: number }> {
  let rows = 0;
  let tables = 0;
  for (const table of await access.tables()) {
    const n = await access.countRows(table);
    rows += n;
    if (n > 0) tables++;
  }
  return { rows, tables };
}

/**
 * Copies every table of the store at `from` into the store at `to` in one transaction, and verifies it.
 * A DuckDB target is written as a new file and moved into place only when verified.
 * @example await copyStore({ from: './data/pejling.duckdb', to: 'postgres://pejling@db:5432/pejling' })
 */
export async function copyStore(options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const { from, to } = options;
  const same = (a: string, b: string) =>
    storeKindOf(a) === 'postgres' ? a === b : storeKindOf(b) === 'duckdb' && path.resolve(a) === path.resolve(b);
  if (same(from, to)) throw new UserError('--from and --to are the same store', { hint: 'Copy to another location.' });
  if (storeKindOf(from) === 'duckdb' && !existsSync(from)) {
    throw new UserError(`There is no store at ${from}`, { hint: 'Check --from (a DuckDB file or a postgres:// URL).' });
  }
  await migrate(from);
  const toDuckDB = storeKindOf(to) === 'duckdb';
  if (!toDuckDB || existsSync(to)) {
    await migrate(to);
    const existing = await openTables(to);
    const held = await rowsIn(existing).finally(() => existing.close());
    if (held.rows > 0 && !options.force) {
      throw new UserError(
        `The target ${existing.location} already holds data (${held.rows} rows in ${held.tables} tables)`,
        {
          hint: 'Copy to an empty store, or add --force to replace everything in it.',
        },
      );
    }
  }
  // A DuckDB target is built beside the old file and replaces it only when complete and verified.
  const writeTo = toDuckDB ? `${to}.copy-${process.pid}` : to;
  if (toDuckDB) {
    await removeDuckDBFile(writeTo);
    await migrate(writeTo);
  }
  const source = await openTables(from);
  let target: TableAccess | undefined;
  try {
    target = await openTables(writeTo);
    const report = await copyTables(source, target, progress);
    const written = target;
    target = undefined;
    await written.close();
    if (toDuckDB) {
      await rm(`${to}.wal`, { force: true });
      await rename(writeTo, to);
    }
    return {
      from: source.location,
      to: toDuckDB ? to : written.location,
      ...report,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await target?.close().catch(() => {});
    await source.close();
    if (toDuckDB) await removeDuckDBFile(writeTo);
  }
}

async function removeDuckDBFile(file: string): Promise<void> {
  await rm(file, { force: true });
  await rm(`${file}.wal`, { force: true });
}

async function copyTables(
  source: TableAccess,
  target: TableAccess,
  progress: (message: string) => void,
): Promise<{ schemaVersion: number; tables: CopiedTable[] }> {
  const [fromVersion, toVersion] = [await source.schemaVersion(), await target.schemaVersion()];
  if (fromVersion !== toVersion) {
    throw new UserError(
      `The source store has schema version ${fromVersion} and the target ${toVersion}; they must be the same`,
      { hint: 'Run both with the same Pejling version (a newer one migrates an older store when it opens it).' },
    );
  }
  const tables = await source.tables();
  const targetTables = await target.tables();
  assertSameShapes(tables, targetTables);
  // Each side reads and writes with its own column types.
  const targetShape = (table: TableShape) => targetTables.find((t) => t.name === table.name) as TableShape;
  const copied: CopiedTable[] = [];
  await source.transaction('read', () =>
    target.transaction('write', async () => {
      for (const table of [...tables].reverse()) await target.deleteRows(targetShape(table));
      for (const table of tables) {
        const sum = new TableChecksum();
        let pending: Cell[][] = [];
        await source.readRows(table, async (rows) => {
          sum.add(rows);
          pending.push(...rows);
          if (pending.length >= WRITE_BATCH) {
            await target.insertRows(targetShape(table), pending);
            pending = [];
          }
        });
        await target.insertRows(targetShape(table), pending);
        copied.push({ name: table.name, rows: sum.rows, checksum: sum.hex });
        progress(`${table.name}: ${sum.rows} rows`);
      }
      for (const [i, table] of tables.entries()) {
        const expected = copied[i] as CopiedTable;
        const count = await target.countRows(targetShape(table));
        const check = new TableChecksum();
        await target.readRows(targetShape(table), (rows) => check.add(rows));
        if (count !== expected.rows || check.hex !== expected.checksum) {
          throw new Error(
            `The copy of ${table.name} does not match its source: ${count} rows (checksum ${check.hex}) against ` +
              `${expected.rows} (checksum ${expected.checksum}); nothing was written`,
          );
        }
      }
      await target.bumpDataVersion();
    }),
  );
  return { schemaVersion: fromVersion, tables: copied };
}

function assertSameShapes(source: readonly TableShape[], target: readonly TableShape[]): void {
  const describe = (t: TableShape) => `${t.name}(${t.columns.map((c) => c.name).join(', ')})`;
  const targetByName = new Map(target.map((t) => [t.name, describe(t)]));
  for (const table of source) {
    if (targetByName.get(table.name) !== describe(table)) {
      throw new UserError(
        `The target's table ${table.name} does not match the source's: ${targetByName.get(table.name) ?? 'missing'} against ${describe(table)}`,
        { hint: 'Both stores must come from the same Pejling version; a table added by hand is not copied.' },
      );
    }
  }
  const extra = target.filter((t) => !source.some((s) => s.name === t.name)).map((t) => t.name);
  if (extra.length) {
    throw new UserError(`The target has tables the source lacks: ${extra.join(', ')}`, {
      hint: 'Both stores must come from the same Pejling version.',
    });
  }
}
