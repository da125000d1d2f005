// The store under concurrent readers and writers: writes take turns, readers see whole imports, and the data
// version counts every committed write.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../src/catalogue/index.js';
import { BusyError } from '../src/domain/index.js';
import { DuckDBStore, type IndicatorValue, type Store } from '../src/store/index.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: Store;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  store = await DuckDBStore.open(path.join(dir, 'store.duckdb'));
  await store.replaceCatalogue(await loadCatalogue());
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

const meta = (fileName: string) => ({ actor: 'test', fileName, sha256: fileName, rowsInFile: 1 });
const units = Array.from({ length: 98 }, (_, i) => String(101 + i));
/** Every unit's 2023 value of hospital-productivity set to `value`. */
const rowsAll = (value: number): IndicatorValue[] =>
  units.map((unit) => ({
    indicator: 'hospital-productivity',
    unit,
    period: '2023',
    breakdown: 'total',
    numerator: null,
    denominator: null,
    value,
    suppressed: false,
  }));

describe('DuckDB store under concurrency', () => {
  it('lets two imports started at once both succeed, one after the other', async () => {
    const before = await store.dataVersion();
    const [a, b] = await Promise.all([
      store.applyImport(meta('a.csv'), rowsAll(90)),
      store.applyImport(meta('b.csv'), rowsAll(110)),
    ]);
    expect([a.importId, b.importId]).toEqual([1, 2]);
    expect(a).toMatchObject({ inserted: 98, changed: 0 });
    expect(b).toMatchObject({ inserted: 0, changed: 98 });
    expect(await store.dataVersion()).toBe(before + 2);
    const stored = await store.queryValues({ indicator: 'hospital-productivity', period: '2023' });
    expect(new Set(stored.map((r) => r.value))).toEqual(new Set([110]));
  });

  it('shows readers the values before or after an import, never a mix', async () => {
    const seen: number[][] = [];
    const reads = async () => {
      for (let i = 0; i < 40; i++) {
        const rows = await store.queryValues({ indicator: 'hospital-productivity', period: '2023' });
        seen.push([...new Set(rows.map((r) => r.value as number))]);
      }
    };
    const writes = async () => {
      for (const value of [120, 130, 140, 150]) await store.applyImport(meta(`${value}.csv`), rowsAll(value));
    };
    await Promise.all([reads(), reads(), reads(), writes()]);
    expect(seen.length).toBe(120);
    for (const values of seen) expect(values).toHaveLength(1);
  });

  it('refuses a write with a retryable BusyError when the queue is full', async () => {
    const small = await DuckDBStore.open(path.join(dir, 'small-queue.duckdb'), { queuedWrites: 1 });
    try {
      await small.replaceCatalogue(await loadCatalogue());
      const outcomes = await Promise.allSettled([
        small.applyImport(meta('1.csv'), rowsAll(1)),
        small.applyImport(meta('2.csv'), rowsAll(2)),
        small.applyImport(meta('3.csv'), rowsAll(3)),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      const refused = (outcomes[2] as PromiseRejectedResult).reason;
      expect(refused).toBeInstanceOf(BusyError);
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBeGreaterThan(0);
      expect((await small.listImports()).map((i) => i.fileName)).toEqual(['1.csv', '2.csv']);
    } finally {
      await small.close();
    }
  });

  it('bumps the data version on every write and not on reads or no-op imports', async () => {
    const v0 = await store.dataVersion();
    await store.queryValues({ indicator: 'hospital-productivity' });
    await store.applyImport(meta('same.csv'), rowsAll(150)); // the values stored last: nothing changes
    expect(await store.dataVersion()).toBe(v0);
    await store.replaceValues(['virtual-course-share'], [], 'register');
    expect(await store.dataVersion()).toBe(v0 + 1);
    await store.replaceCatalogue(await loadCatalogue());
    expect(await store.dataVersion()).toBe(v0 + 2);
    await store.advanceDataVersion(v0 + 10);
    expect(await store.dataVersion()).toBe(v0 + 11);
  });

  it('keeps the data version across reopening', async () => {
    const file = path.join(dir, 'reopen.duckdb');
    const first = await DuckDBStore.open(file);
    await first.replaceCatalogue(await loadCatalogue());
    await first.replaceCatalogue(await loadCatalogue());
    await first.close();
    const again = await DuckDBStore.open(file);
    expect(await again.dataVersion()).toBe(2);
    await again.close();
  });
});
