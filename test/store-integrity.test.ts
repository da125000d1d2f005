// A DuckDB store opened after a crash that left an import stored in part rolls that import back and serves the
// values from before it. The torn states are built directly with DuckDB, as its write-ahead-log replay leaves them
// (`npm run bench:wal-kill` produces the first one with real SIGKILLs): appended rows of the commit first, its
// deletes after them, its last update (the data version) never.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import type { IndicatorValue } from '../src/store/index.js';
import { tempDir } from './helpers.js';

const IND = 'waiting-time-planned-surgery';
const cell = (unit: string, value: number): IndicatorValue => ({
  indicator: IND,
  unit,
  period: '2024',
  breakdown: 'total',
  numerator: null,
  denominator: null,
  value,
  suppressed: false,
});
const meta = (fileName: string, rows: number) => ({ actor: 'test', fileName, sha256: fileName, rowsInFile: rows });

let file: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  file = path.join(dir.dir, 'store.duckdb');
  // The first import, complete: four cells 101, 147, 151, 153 valued 1 to 4.
  const store = await DuckDBStore.open(file);
  await store.applyImport(meta('first.csv', 4), [cell('101', 1), cell('147', 2), cell('151', 3), cell('153', 4)]);
  await store.close();
});
afterEach(() => cleanup());

/**
 * Runs statements on the store file with DuckDB alone (no Pejling); returns the rows of the last. `crash`: leave
 * the writes in the write-ahead log, as a killed process does, for the next open to replay.
 */
async function raw(statements: readonly string[], crash = false): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    if (crash) await connection.run('PRAGMA disable_checkpoint_on_shutdown');
    let rows: Record<string, unknown>[] = [];
    for (const statement of statements) rows = (await connection.runAndReadAll(statement)).getRowObjectsJS();
    return rows;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const STORED = `SELECT unit_code AS unit, value FROM indicator_values ORDER BY unit_code, value`;
const BEFORE = [
  { unit: '101', value: 1 },
  { unit: '147', value: 2 },
  { unit: '151', value: 3 },
  { unit: '153', value: 4 },
];
const counts = async () =>
  (
    await raw([
      `SELECT (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM value_history) AS revisions,
        (SELECT count(*) FROM audit_log WHERE action = 'store.repair') AS repairs`,
    ])
  ).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])))[0];

/** Opens the store through Pejling (which checks it) and returns what it serves and what it warned. */
async function openAndRead(): Promise<{ served: { unit: string; value: number | null }[]; warnings: string }> {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const store = await DuckDBStore.open(file);
    try {
      const served = (await store.queryValues({ indicator: IND })).map((v) => ({ unit: v.unit, value: v.value }));
      served.sort((a, b) => a.unit.localeCompare(b.unit));
      return { served, warnings: stderr.mock.calls.map((c) => String(c[0])).join('') };
    } finally {
      await store.close();
    }
  } finally {
    stderr.mockRestore();
  }
}

describe('an import stored in part by a crash', () => {
  it('values without their import record (as DuckDB replays a torn log) are rolled back on open', async () => {
    // The second import changed 147 and 151 and added 161: its values reached the disk, nothing else did.
    await raw(
      [
        `INSERT INTO indicator_values VALUES
        ('${IND}', '147', '2024', 'total', NULL, NULL, 20, false, 'import', current_timestamp),
        ('${IND}', '151', '2024', 'total', NULL, NULL, 30, false, 'import', current_timestamp),
        ('${IND}', '161', '2024', 'total', NULL, NULL, 5, false, 'import', current_timestamp)`,
      ],
      true,
    );
    expect(existsSync(`${file}.wal`)).toBe(true);

    const { served, warnings } = await openAndRead();
    expect(served).toEqual(BEFORE);
    expect(await raw([STORED])).toEqual(BEFORE);
    expect(warnings).toMatch(/import record never reached the disk.*3 values and 0 revisions removed/s);
    expect(await counts()).toEqual({ imports: 1, revisions: 4, repairs: 1 });
  });

  it('an import record with its revisions but only some of its deletes is rolled back and the deleted values restored', async () => {
    await raw(
      [
        'BEGIN',
        `INSERT INTO imports VALUES (2, current_timestamp, 'test', 'second.csv', 'x', NULL, 3, 1, 2, 0)`,
        `INSERT INTO value_history VALUES
        ('${IND}', '147', '2024', 'total', NULL, NULL, 20, false, 2, current_timestamp),
        ('${IND}', '151', '2024', 'total', NULL, NULL, 30, false, 2, current_timestamp),
        ('${IND}', '161', '2024', 'total', NULL, NULL, 5, false, 2, current_timestamp)`,
        `INSERT INTO indicator_values VALUES
        ('${IND}', '147', '2024', 'total', NULL, NULL, 20, false, 'import', current_timestamp),
        ('${IND}', '151', '2024', 'total', NULL, NULL, 30, false, 'import', current_timestamp),
        ('${IND}', '161', '2024', 'total', NULL, NULL, 5, false, 'import', current_timestamp)`,
        // Of the two deletes of the values it replaced, only the first reached the disk.
        `DELETE FROM indicator_values WHERE unit_code = '147' AND value = 2`,
        'COMMIT',
      ],
      true,
    );

    const { served, warnings } = await openAndRead();
    expect(served).toEqual(BEFORE);
    expect(warnings).toMatch(/import 2 \(second\.csv.*1 cells stored both before and after/s);
    expect(warnings).toMatch(/3 values and 3 revisions removed, 1 earlier values restored\. Import/);
    expect(await counts()).toEqual({ imports: 1, revisions: 4, repairs: 1 });
  });

  it('an import record whose revisions fall short of its counts is rolled back', async () => {
    await raw(
      [
        'BEGIN',
        `INSERT INTO imports VALUES (2, current_timestamp, 'test', 'second.csv', 'x', NULL, 2, 2, 0, 0)`,
        `INSERT INTO indicator_values VALUES
        ('${IND}', '161', '2024', 'total', NULL, NULL, 5, false, 'import', current_timestamp),
        ('${IND}', '165', '2024', 'total', NULL, NULL, 6, false, 'import', current_timestamp)`,
        `INSERT INTO value_history VALUES ('${IND}', '161', '2024', 'total', NULL, NULL, 5, false, 2, current_timestamp)`,
        'COMMIT',
      ],
      true,
    );
    const { served, warnings } = await openAndRead();
    expect(served).toEqual(BEFORE);
    expect(warnings).toMatch(/1 revisions stored of the 2 the import record counts/);
    expect(await counts()).toEqual({ imports: 1, revisions: 4, repairs: 1 });
  });

  it('leaves whole imports alone, including one that changed values and one whose values were replaced since', async () => {
    const store = await DuckDBStore.open(file);
    await store.applyImport(meta('second.csv', 3), [cell('147', 20), cell('151', 30), cell('161', 5)]);
    await store.applyImport(meta('third.csv', 1), [cell('161', 6)]);
    const version = await store.dataVersion();
    await store.close();
    // A later write left in the log, so that the open replays it and runs the whole check.
    await raw([`INSERT INTO region_rights VALUES ('1081', 'test', '2026-01-01')`], true);
    expect(existsSync(`${file}.wal`)).toBe(true);
    const { served, warnings } = await openAndRead();
    expect(served).toEqual([
      { unit: '101', value: 1 },
      { unit: '147', value: 20 },
      { unit: '151', value: 30 },
      { unit: '153', value: 4 },
      { unit: '161', value: 6 },
    ]);
    expect(warnings).toBe('');
    expect(await counts()).toEqual({ imports: 3, revisions: 8, repairs: 0 });
    const reopened = await DuckDBStore.open(file);
    expect(await reopened.dataVersion()).toBe(version);
    await reopened.close();
  });

  it('leaves whole imports alone when the clock was set back between them', async () => {
    // The first import's rows a day later than the clock now reads: the second import is stamped before them.
    await raw([
      `UPDATE imports SET imported_at = imported_at + INTERVAL 1 DAY`,
      `UPDATE indicator_values SET updated_at = updated_at + INTERVAL 1 DAY`,
      `UPDATE value_history SET recorded_at = recorded_at + INTERVAL 1 DAY`,
    ]);
    const store = await DuckDBStore.open(file);
    await store.applyImport(meta('second.csv', 1), [cell('161', 5)]);
    await store.close();
    await raw([`INSERT INTO region_rights VALUES ('1081', 'test', '2026-01-01')`], true);
    const { served, warnings } = await openAndRead();
    expect(served).toEqual([...BEFORE, { unit: '161', value: 5 }]);
    expect(warnings).toBe('');
    expect(await counts()).toEqual({ imports: 2, revisions: 5, repairs: 0 });
  });

  it('says so when a value the import had deleted came from outside any import and cannot be restored', async () => {
    // Cell 165 holds a value from the register engine (no revision); the torn import changed it and 147.
    await raw([
      `INSERT INTO indicator_values VALUES
        ('${IND}', '165', '2024', 'total', NULL, NULL, 9, false, 'register', TIMESTAMP '2020-01-01 00:00:00')`,
    ]);
    await raw(
      [
        'BEGIN',
        `INSERT INTO imports VALUES (2, current_timestamp, 'test', 'second.csv', 'x', NULL, 2, 0, 2, 0)`,
        `INSERT INTO value_history VALUES
          ('${IND}', '147', '2024', 'total', NULL, NULL, 20, false, 2, current_timestamp),
          ('${IND}', '165', '2024', 'total', NULL, NULL, 90, false, 2, current_timestamp)`,
        `INSERT INTO indicator_values VALUES
          ('${IND}', '147', '2024', 'total', NULL, NULL, 20, false, 'import', current_timestamp),
          ('${IND}', '165', '2024', 'total', NULL, NULL, 90, false, 'import', current_timestamp)`,
        // Only the delete of 165's old value reached the disk, not that of 147's.
        `DELETE FROM indicator_values WHERE unit_code = '165' AND value = 9`,
        'COMMIT',
      ],
      true,
    );
    const { served, warnings } = await openAndRead();
    expect(served).toEqual(BEFORE);
    // 165's value 9 is gone for good and the warning says so (the engine run that computed it gives it back).
    expect(warnings).toMatch(/2 values and 2 revisions removed, 1 earlier values not restorable/);
    expect(await counts()).toEqual({ imports: 1, revisions: 4, repairs: 1 });
  });
});
