// The import memory budget: sizes read as DuckDB writes them; a store compares and writes packed values within
// the budget, runs an import that does not fit again without it, and puts DuckDB's own limit back afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackedRows, packValues } from '../packed-values.js';
import type { IndicatorValue } from '../store.js';
import { DuckDBStore } from './duckdb-store.js';
import { bytes } from './import-memory.js';

describe('bytes', () => {
  it('reads the sizes DuckDB and PEJLING_DUCKDB_MEMORY write', () => {
    expect(bytes('128MB')).toBe(128_000_000);
    expect(bytes('512.0 MiB')).toBe(512 * 1024 * 1024);
    expect(bytes('18.8 GiB')).toBe(18.8 * 1024 ** 3);
    expect(bytes('2GB')).toBe(2e9);
    expect(bytes('lots')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('imports within the memory budget', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pejling-import-memory-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const value = (unit: string, period: string, v: number | null, numerator: number | null = null): IndicatorValue => ({
    indicator: 'waiting-time-planned-surgery',
    unit,
    period,
    breakdown: 'total',
    numerator,
    denominator: numerator === null ? null : 100,
    value: v,
    suppressed: false,
  });
  const meta = (fileName: string) => ({ actor: 'tester', fileName, sha256: `sha-${fileName}`, rowsInFile: 3 });
  const limit = async (store: DuckDBStore) =>
    bytes(String((await store.duckdb.runAndReadAll("SELECT current_setting('memory_limit')")).getRows()[0]?.[0]));

  for (const budget of ['128MB', '512KB', '1KB']) {
    it(`compares packed values with the stored ones by their codes (budget ${budget}) and restores the limit`, async () => {
      // 512KB is too little for the comparison, which runs again without it; 1KB cannot even be set.
      const store = await DuckDBStore.open(path.join(dir, 'store.duckdb'), { importMemory: budget });
      try {
        const before = await limit(store);
        expect(before).toBeGreaterThan(bytes('128MB'));
        const first = [value('101', '2023', 10), value('147', '2023', 20), value('101', '2024', null, 7)];
        expect(await store.applyImport(meta('a.csv'), new PackedRows(packValues(first)))).toMatchObject({
          inserted: 3,
          changed: 0,
          unchanged: 0,
        });
        // One value the same, one changed, one number added where there was none, one new; and a group value
        // given as an object beside the columns (as group units are) that repeats nothing.
        const second = [value('101', '2023', 10), value('147', '2023', 25), value('101', '2024', 7, 7)];
        const extra = [value('1084', '2023', 30)];
        const rows = new PackedRows(packValues([...second, value('851', '2023', 40)]), extra);
        expect(await store.diffImport(rows)).toEqual({
          inserted: 2,
          changed: 2,
          unchanged: 1,
          examples: [
            {
              indicator: 'waiting-time-planned-surgery',
              unit: '101',
              period: '2024',
              breakdown: 'total',
              before: null,
              after: 7,
            },
            {
              indicator: 'waiting-time-planned-surgery',
              unit: '147',
              period: '2023',
              breakdown: 'total',
              before: 20,
              after: 25,
            },
          ],
        });
        const written = await store.applyImport(meta('b.csv'), rows);
        expect(written).toMatchObject({ inserted: 2, changed: 2, unchanged: 1 });
        const stored = await store.queryValues({ indicator: 'waiting-time-planned-surgery' });
        expect(stored.map((v) => [v.unit, v.period, v.value]).sort()).toEqual([
          ['101', '2023', 10],
          ['101', '2024', 7],
          ['1084', '2023', 30],
          ['147', '2023', 25],
          ['851', '2023', 40],
        ]);
        // DuckDB shows the limit rounded to a tenth of its unit, and reads it back a little lower.
        expect(Math.abs((await limit(store)) - before)).toBeLessThan(before * 0.02);
      } finally {
        await store.close();
      }
    });
  }
});
