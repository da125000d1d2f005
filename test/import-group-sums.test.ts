// An import for one municipality re-aggregates only what it touches: the group units (health clusters, Region
// Østdanmark) of that municipality, for that indicator and period, get new sums equal to their members' values
// summed independently; every other group row stays as it was, with no new revision.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAggregates } from '../src/ingest/index.js';
import type { IndicatorValue, Store } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const REFERENCE = path.join(import.meta.dirname, 'fixtures/reference');
const INDICATORS = ['updated-medication-records', 'patient-satisfaction'];
const PERIODS = ['2022', '2023', '2024'];
const locations = storeLocations();

let store: Store;
let cleanup: () => Promise<void>;
/** The test's own numbers for every municipality, indicator and period: `${indicator}|${unit}|${period}`. */
const counts = new Map<string, { numerator: number; denominator: number }>();
let municipalities: string[];
/** Each group unit's members, from the reference files (not from Pejling's catalogue). */
const membersOf = new Map<string, string[]>();
let groupUnits: string[];
let east: string;

const bytes = (text: string) => new TextEncoder().encode(text);
async function referenceRows(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path.join(REFERENCE, file), 'utf8'), { columns: true });
}

/** Every stored row of the group units (full numbers), and the number of revisions each has. */
async function groupState(): Promise<
  Map<string, { row: IndicatorValue; published: IndicatorValue; revisions: number }>
> {
  const out = new Map<string, { row: IndicatorValue; published: IndicatorValue; revisions: number }>();
  for (const indicator of INDICATORS) {
    const full = await store.queryValues({ indicator, unit: groupUnits, full: true });
    const published = await store.queryValues({ indicator, unit: groupUnits });
    for (const row of full) {
      const key = `${indicator}|${row.unit}|${row.period}|${row.breakdown}`;
      const shown = published.find(
        (p) => p.unit === row.unit && p.period === row.period && p.breakdown === row.breakdown,
      );
      const revisions = (await store.valueHistory({ indicator, unit: row.unit, period: row.period })).length;
      out.set(key, { row, published: shown as IndicatorValue, revisions });
    }
  }
  return out;
}

describe.each(STORE_KINDS)('re-aggregation after an import for one municipality on the %s store', (kind) => {
  beforeAll(async () => {
    ({ store, cleanup } = await catalogueStore(await locations.newLocation(kind, 'groupsums')));
    counts.clear();
    membersOf.clear();
    const reference = await referenceRows('municipalities.csv');
    municipalities = reference.map((m) => m.code as string);
    expect(municipalities).toHaveLength(98);
    east = (await store.listOrgUnits({ at: '2027-01-01', type: 'region' })).find((u) => u.name === 'Region Østdanmark')
      ?.code as string;
    membersOf.set(
      east,
      reference.filter((m) => m.region_code === '1084' || m.region_code === '1085').map((m) => m.code as string),
    );
    // The clusters in the catalogue, matched to the reference rows by their acute hospital's name.
    const clusters = await store.listOrgUnits({ type: 'health-cluster' });
    for (const row of await referenceRows('health-clusters-2019-proposal.csv')) {
      const cluster = clusters.find((c) => c.name === `Sundhedsklynge ${row.cluster_acute_hospital}`);
      if (cluster) membersOf.set(cluster.code, (row.municipality_codes ?? '').split(' '));
    }
    expect(membersOf.size).toBeGreaterThanOrEqual(19);
    groupUnits = [...membersOf.keys()];

    // Every municipality, both indicators, three years. Every seventh municipality has a count of 3 (disclosure
    // control hides it, and cells around it), in other clusters as well as in København's.
    const lines: string[] = [];
    for (const [k, indicator] of INDICATORS.entries())
      for (const [p, period] of PERIODS.entries())
        for (const [i, unit] of municipalities.entries()) {
          const numerator = i % 7 === 3 ? 3 : 100 + i + 10 * p + k;
          const denominator = 300 + 2 * i + 5 * p + k;
          counts.set(`${indicator}|${unit}|${period}`, { numerator, denominator });
          lines.push(`${indicator},${unit},${period},${numerator},${denominator}`);
        }
    const report = await importAggregates(
      store,
      'all.csv',
      bytes(`indicator,unit,period,numerator,denominator\n${lines.join('\n')}\n`),
    );
    expect(report.problems).toEqual([]);
    expect(report.values).toBe(2 * 3 * 98);
  }, 120_000);
  afterAll(() => cleanup());

  it('stores sums for the group units equal to their members summed independently', async () => {
    for (const indicator of INDICATORS)
      for (const period of PERIODS)
        for (const [group, members] of membersOf) {
          const [row] = await store.queryValues({ indicator, unit: group, period, breakdown: 'total', full: true });
          const sum = (f: 'numerator' | 'denominator') =>
            members.reduce((n, m) => n + (counts.get(`${indicator}|${m}|${period}`)?.[f] ?? Number.NaN), 0);
          expect(row, `${indicator} ${group} ${period}`).toMatchObject({
            numerator: sum('numerator'),
            denominator: sum('denominator'),
          });
        }
  });

  it('changes only the cluster and Region Østdanmark of København, for the indicator and year imported', async () => {
    const before = await groupState();
    expect(before.size).toBe(2 * 3 * groupUnits.length);
    const key = `updated-medication-records|101|2024`;
    const old = counts.get(key) as { numerator: number; denominator: number };
    counts.set(key, { numerator: old.numerator + 50, denominator: old.denominator + 60 });
    const report = await importAggregates(
      store,
      'copenhagen.csv',
      bytes(
        `indicator,unit,period,numerator,denominator\nupdated-medication-records,101,2024,${old.numerator + 50},${old.denominator + 60}\n`,
      ),
    );
    expect(report.problems).toEqual([]);
    const after = await groupState();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());

    const copenhagenCluster = [...membersOf].find(
      ([unit, members]) => unit !== east && members.includes('101'),
    )?.[0] as string;
    expect(copenhagenCluster).toMatch(/^HC84/);
    const touched = new Set([copenhagenCluster, east].map((unit) => `updated-medication-records|${unit}|2024|total`));
    for (const [k, was] of before) {
      if (touched.has(k)) continue;
      expect(after.get(k), k).toEqual(was);
    }
    for (const k of touched) {
      const unit = k.split('|')[1] as string;
      const members = membersOf.get(unit) as string[];
      const sum = (f: 'numerator' | 'denominator') =>
        members.reduce((n, m) => n + (counts.get(`updated-medication-records|${m}|2024`)?.[f] ?? Number.NaN), 0);
      expect(after.get(k)?.row, k).toMatchObject({ numerator: sum('numerator'), denominator: sum('denominator') });
      expect(after.get(k)?.revisions, k).toBe((before.get(k)?.revisions ?? 0) + 1);
    }
  });

  it('gives a grouping loaded after the values its sums at the next import, leaving the other groups as they were', async () => {
    await store.saveGrouping(
      {
        id: 'councils-test',
        name: { da: 'Sundhedsråd (test)', en: 'Health councils (test)' },
        groupType: 'health-cluster',
        memberTypes: ['municipality'],
        partitionsPersons: true,
        parentOfMembers: false,
        memberships: ['101', '147'].map((member) => ({
          group: 'SRT01',
          member,
          validFrom: '2027-01-01',
          validTo: null,
          confidence: 'probable' as const,
        })),
      },
      [
        {
          code: 'SRT01',
          name: 'Sundhedsråd København (test)',
          type: 'health-cluster',
          parent: '1084',
          validFrom: '2027-01-01',
          validTo: null,
        },
      ],
    );
    const before = await groupState();
    // An import for Aarhus (not a member): the new group gets its sums for every year of the indicator imported.
    const key = 'patient-satisfaction|751|2023';
    const old = counts.get(key) as { numerator: number; denominator: number };
    counts.set(key, { numerator: old.numerator + 1, denominator: old.denominator });
    await importAggregates(
      store,
      'aarhus.csv',
      bytes(
        `indicator,unit,period,numerator,denominator\npatient-satisfaction,751,2023,${old.numerator + 1},${old.denominator}\n`,
      ),
    );
    for (const period of PERIODS) {
      const [row] = await store.queryValues({ indicator: 'patient-satisfaction', unit: 'SRT01', period, full: true });
      const sum = (f: 'numerator' | 'denominator') =>
        ['101', '147'].reduce((n, m) => n + (counts.get(`patient-satisfaction|${m}|${period}`)?.[f] ?? Number.NaN), 0);
      expect(row, period).toMatchObject({ numerator: sum('numerator'), denominator: sum('denominator') });
    }
    expect(await store.queryValues({ indicator: 'updated-medication-records', unit: 'SRT01' })).toEqual([]);
    const after = await groupState();
    const aarhus = [...membersOf].find(([unit, members]) => unit !== east && members.includes('751'))?.[0] as string;
    // The new group is a new additive relation for disclosure control, which may hide or show other cells anew
    // (a flag, without a revision); their numbers stay and get no revision.
    const numbers = ({ suppressed: _, ...rest }: IndicatorValue) => rest;
    for (const [k, was] of before) {
      if (k === `patient-satisfaction|${aarhus}|2023|total`) continue;
      const now = after.get(k);
      expect(now && numbers(now.row), k).toEqual(numbers(was.row));
      expect(now?.revisions, k).toBe(was.revisions);
    }
  });

  it('sums a protected cluster over a member hidden by the import, and leaves an unprotected group not available', async () => {
    // A peer group that does not partition persons: disclosure control has no relation for its sum.
    await store.saveGrouping(
      {
        id: 'peers-test',
        name: { da: 'Sammenlignelige kommuner (test)', en: 'Peer municipalities (test)' },
        groupType: 'health-cluster',
        memberTypes: ['municipality'],
        partitionsPersons: false,
        parentOfMembers: false,
        memberships: ['101', '751'].map((member) => ({
          group: 'PEER01',
          member,
          validFrom: '2022-01-01',
          validTo: null,
          confidence: 'probable' as const,
        })),
      },
      [
        {
          code: 'PEER01',
          name: 'Storbyer (test)',
          type: 'health-cluster',
          parent: null,
          validFrom: '2022-01-01',
          validTo: null,
        },
      ],
    );
    // København 3 of 10 (a count of 1-4: hidden), Frederiksberg 40 of 80, Aarhus 50 of 100, all in 2025.
    await importAggregates(
      store,
      'small.csv',
      bytes(
        'indicator,unit,period,numerator,denominator\n' +
          'updated-medication-records,101,2025,3,10\nupdated-medication-records,147,2025,40,80\n' +
          'updated-medication-records,751,2025,50,100\n',
      ),
    );
    const at = async (unit: string) =>
      (
        await store.queryValues({
          indicator: 'updated-medication-records',
          unit,
          period: '2025',
          breakdown: 'total',
          full: true,
        })
      )[0];
    expect(await at('101')).toMatchObject({ suppressed: true });
    // Bispebjerg's cluster is København and Frederiksberg: 43 of 90, whatever disclosure control then shows.
    const cluster = [...membersOf].find(([unit, members]) => unit !== east && members.includes('101'))?.[0] as string;
    expect(await at(cluster)).toMatchObject({ numerator: 43, denominator: 90 });
    // 53 of 110 published next to Aarhus's 50 of 100 would give København's 3 of 10 away.
    expect(await at('PEER01')).toMatchObject({ numerator: null, denominator: null, value: null });
  });
});
