// Imported municipal aggregates re-aggregated to Region Østdanmark and the health clusters: sums where every
// member has a numerator and a denominator, not available where one does not, nothing for value-only indicators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
let east: string;
// The 46 municipalities of Region Hovedstaden and Region Sjælland (reference municipalities.csv).
let eastMunicipalities: string[];

beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  const units = await store.listOrgUnits({ at: '2026-12-31', type: 'municipality' });
  eastMunicipalities = units.filter((u) => u.parent === '1084' || u.parent === '1085').map((u) => u.code);
  east = (await store.listOrgUnits({ at: '2027-01-01', type: 'region' })).find((u) => u.name === 'Region Østdanmark')
    ?.code as string;
});
afterAll(() => cleanup());

const bytes = (text: string) => new TextEncoder().encode(text);
const value = async (unit: string, period: string) =>
  (await store.queryValues({ indicator: 'updated-medication-records', unit, period, breakdown: 'total' }))[0];

describe('imported aggregates for group units', () => {
  it('sums numerators and denominators of the 46 municipalities into Region Østdanmark', async () => {
    // Municipality i (0-based) has numerator 100 + i of denominator 200 + 2i: sums 46·100 + 1035 and 46·200 + 2070.
    const lines = eastMunicipalities.map(
      (code, i) => `updated-medication-records,${code},2022,${100 + i},${200 + 2 * i}`,
    );
    expect(lines).toHaveLength(46);
    const report = await importAggregates(
      store,
      'fmk.csv',
      bytes(`indicator,unit,period,numerator,denominator\n${lines.join('\n')}\n`),
    );
    expect(report.problems).toEqual([]);
    expect(report.values).toBe(46);
    const row = await value(east, '2022');
    expect(row).toMatchObject({ numerator: 5635, denominator: 11270, suppressed: false });
    expect(row?.value).toBeCloseTo(50, 10);
    // Bornholm's cluster is Bornholm alone: numerator and denominator of 400.
    const bornholm = eastMunicipalities.indexOf('400');
    expect(await value('HC8405', '2022')).toMatchObject({ numerator: 100 + bornholm, denominator: 200 + 2 * bornholm });
    // Clusters of other regions have no members in the file: no row at all.
    expect(await value('HC8201', '2022')).toBeUndefined();
  });

  it('marks Region Østdanmark not available when a member lacks its numbers, and updates it when they come', async () => {
    const withoutNumbers = eastMunicipalities
      .map((code, i) => (i === 0 ? `${code},2023,,,55` : `${code},2023,${100 + i},${200 + 2 * i},`))
      .join('\n');
    await importAggregates(
      store,
      'fmk-2023.csv',
      bytes(`unit,period,numerator,denominator,value\n${withoutNumbers}\n`),
      { indicator: 'updated-medication-records' },
    );
    expect(await value(east, '2023')).toMatchObject({ numerator: null, denominator: null, value: null });
    // A correction for the one municipality alone completes the sum, with the others taken from the store.
    const first = eastMunicipalities[0] as string;
    const report = await importAggregates(
      store,
      'fmk-2023-fix.csv',
      bytes(`unit,period,numerator,denominator\n${first},2023,100,200\n`),
      { indicator: 'updated-medication-records' },
    );
    expect(report.groupValues?.aggregated).toBeGreaterThan(0);
    expect(await value(east, '2023')).toMatchObject({ numerator: 5635, denominator: 11270 });
  });

  it('gives group units nothing for an indicator imported as values only', async () => {
    await importAggregates(
      store,
      'rehab.csv',
      bytes('indicator,unit,period,value\nrehabilitation-waiting-time,101,2022,12\n'),
    );
    const rows = await store.queryValues({ indicator: 'rehabilitation-waiting-time', unit: [east, 'HC8401'] });
    expect(rows).toEqual([]);
  });
});
