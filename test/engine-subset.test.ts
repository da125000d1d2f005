// Recomputing a subset: `years` (and `indicators`) replace only those values, in one transaction, and give the
// values a full computation gives, cohort lookbacks and readmissions across the year's end included.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/index.js';
import { computeRegisterIndicators, writeSyntheticRegistry } from '../src/engine/index.js';
import { type IndicatorValue, openStore, type Store } from '../src/store/index.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const stores: Store[] = [];
const registry = (seed: number) => path.join(dir, `registry-${seed}`);

async function fullStore(name: string, seed: number): Promise<Store> {
  const store = await openStore(path.join(dir, `${name}.duckdb`));
  stores.push(store);
  await store.replaceCatalogue(await loadCatalogue());
  await computeRegisterIndicators({ store, dataDir: registry(seed), catalogueDir: DEFAULT_CATALOGUE_DIR });
  return store;
}

const inYear = (year: string) => (v: IndicatorValue) => v.period.startsWith(year);
const notInYear = (year: string) => (v: IndicatorValue) => !v.period.startsWith(year);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  for (const seed of [1, 2]) {
    await writeSyntheticRegistry({
      outDir: registry(seed),
      persons: 3000,
      fromYear: 2016,
      toYear: 2023,
      seed,
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      format: 'parquet',
    });
  }
}, 120_000);
afterAll(async () => {
  for (const store of stores) await store.close();
  await cleanup();
});

describe('recomputing only some years and indicators', () => {
  it('replaces exactly those values with what a full computation gives', async () => {
    const before = await fullStore('before', 1);
    const after = await fullStore('after', 2);
    const subset = await fullStore('subset', 1);
    const chosen = ['chronic-activity-copd-t2d', 'acute-readmission-somatic-30d', 'hospital-courses-per-citizen'];
    const summary = await computeRegisterIndicators({
      store: subset,
      dataDir: registry(2),
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      indicators: chosen,
      years: { from: 2022, to: 2022 },
    });
    expect(summary.indicators.map((i) => i.id).sort()).toEqual([...chosen].sort());
    for (const indicator of chosen) {
      const got = await subset.queryValues({ indicator });
      const fresh = (await after.queryValues({ indicator })).filter(inYear('2022'));
      // 2022 (year and quarters) as a full computation on the new data: the cohort's five-year lookback and
      // the persons' latest courses before 2022 count.
      expect(fresh.length).toBeGreaterThan(50);
      expect(got.filter(inYear('2022'))).toEqual(fresh);
      // Every other year as before.
      expect(got.filter(notInYear('2022'))).toEqual(
        (await before.queryValues({ indicator })).filter(notInYear('2022')),
      );
    }
    // Other indicators untouched.
    expect(await subset.queryValues({ indicator: 'virtual-course-share' })).toEqual(
      await before.queryValues({ indicator: 'virtual-course-share' }),
    );
  }, 300_000);

  it('rejects years that run backwards', async () => {
    await expect(
      computeRegisterIndicators({
        store: stores[0] as Store,
        dataDir: registry(1),
        catalogueDir: DEFAULT_CATALOGUE_DIR,
        years: { from: 2023, to: 2021 },
      }),
    ).rejects.toThrow('--years must run from an earlier to a later year; got 2023-2021');
  });
});
