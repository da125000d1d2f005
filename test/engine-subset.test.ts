// Recomputing a subset: `years` (and `indicators`) replace only those values, in one transaction, and give the
// values a full computation gives, cohort lookbacks and readmissions across the year's end included.
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR, geographyOf, loadCatalogue } from '../src/catalogue/index.js';
import { practiceSumsOf, providerSumsOf, suppressValues } from '../src/disclosure/index.js';
import { computeRegisterIndicators, writeSyntheticRegistry } from '../src/engine/index.js';
import { type IndicatorValue, openStore, type Store } from '../src/store/index.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const stores: Store[] = [];
const registry = (seed: number) => path.join(dir, `registry-${seed}`);

/** The indicators recomputed for one year below, and one that is left alone. */
const chosen = ['chronic-activity-copd-t2d', 'acute-readmission-somatic-30d', 'hospital-courses-per-citizen'];
const untouched = 'population';

/**
 * A store with every year of the chosen indicators and the untouched one computed from a registry, without
 * disclosure control: these are the reference numbers, and the recomputation below re-checks the hidden cells of
 * each chosen indicator's whole table (compared with suppressValues over the same table).
 */
async function fullStore(name: string, seed: number): Promise<Store> {
  const store = await openStore(path.join(dir, `${name}.duckdb`));
  stores.push(store);
  await store.replaceCatalogue(await loadCatalogue());
  await computeRegisterIndicators({
    store,
    dataDir: registry(seed),
    catalogueDir: DEFAULT_CATALOGUE_DIR,
    indicators: [...chosen, untouched],
    keepSmallCounts: true,
  });
  return store;
}

/**
 * The store saved as `name` and a copy of it saved as `copy`, both open: the same full computation without running
 * it twice (the store is closed, its file copied, and both opened).
 */
async function copied(store: Store, name: string, copy: string): Promise<[Store, Store]> {
  await store.close();
  stores.splice(stores.indexOf(store), 1);
  const file = (n: string) => path.join(dir, `${n}.duckdb`);
  await copyFile(file(name), file(copy));
  if (existsSync(`${file(name)}.wal`)) await copyFile(`${file(name)}.wal`, `${file(copy)}.wal`);
  const pair: [Store, Store] = [await openStore(file(name)), await openStore(file(copy))];
  stores.push(...pair);
  return pair;
}

/** A value's numbers without its disclosure flag. */
const numbers = ({ suppressed: _suppressed, synthetic: _synthetic, ...v }: IndicatorValue) => v;
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
    const [before, subset] = await copied(await fullStore('before', 1), 'before', 'subset');
    const after = await fullStore('after', 2);
    const summary = await computeRegisterIndicators({
      store: subset,
      dataDir: registry(2),
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      indicators: chosen,
      years: { from: 2022, to: 2022 },
    });
    expect(summary.indicators.map((i) => i.id).sort()).toEqual([...chosen].sort());
    // The count fields disclosure control checks for each chosen indicator's template (docs/disclosure.md).
    const countFields = {
      'chronic-activity-copd-t2d': ['numerator', 'denominator'],
      'acute-readmission-somatic-30d': ['numerator', 'denominator'],
      'hospital-courses-per-citizen': ['numerator'],
    } as const;
    const units = await subset.listOrgUnits();
    const groupings = await subset.listGroupings();
    const { parents, partitions } = geographyOf(units, await subset.listGroups(), groupings);
    const providerSums = providerSumsOf(units, groupings);
    const practiceSums = practiceSumsOf(groupings);
    for (const indicator of chosen) {
      const got = await subset.queryValues({ indicator, full: true });
      const fresh = (await after.queryValues({ indicator, full: true })).filter(inYear('2022'));
      const kept = (await before.queryValues({ indicator, full: true })).filter(notInYear('2022'));
      // 2022 (year and quarters) as a full computation on the new data: the cohort's five-year lookback and
      // the persons' latest courses before 2022 count.
      expect(fresh.length).toBeGreaterThan(50);
      expect(got.filter(inYear('2022')).map(numbers)).toEqual(fresh.map(numbers));
      // Every other year as before.
      expect(got.filter(notInYear('2022')).map(numbers)).toEqual(kept.map(numbers));
      // Disclosure control over the indicator's whole table: the kept years beside the new one.
      const table = [...kept, ...fresh].map((v) => ({ ...numbers(v), suppressed: false }));
      await suppressValues(table, {
        countFields: [...countFields[indicator as keyof typeof countFields]],
        parents,
        partitions,
        providerSums,
        practiceSums,
      });
      const flags = (values: readonly IndicatorValue[]) =>
        new Map(values.map((v) => [`${v.unit}|${v.period}|${v.breakdown}`, v.suppressed]));
      expect(flags(got)).toEqual(flags(table));
      expect(table.some((v) => v.suppressed)).toBe(true);
    }
    // Other indicators untouched.
    expect(await subset.queryValues({ indicator: untouched })).toEqual(
      await before.queryValues({ indicator: untouched }),
    );
  }, 1_200_000);

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
