// An import of a large table with counts, whose long steps leave the server's event loop free: the sums of group
// units made in slices (aggregateToGroupsInTurns) are those made in one piece, and the import writes group sums
// that add up its municipalities and hides every count of 1-4 (disclosure control in a worker thread for a table
// this large).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateToGroups, aggregateToGroupsInTurns, groupMembers } from '../src/ingest/aggregate-to-groups.js';
import { importAggregates } from '../src/ingest/index.js';
import type { IndicatorValue, Store } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';

const INDICATOR = 'cancer-pathways-on-time';
const YEARS = Array.from({ length: 40 }, (_, i) => String(1990 + i));

/** A small deterministic generator of counts (some of them 1-4). */
function counts(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % 9 === 0 ? 1 + (state % 4) : 5 + (state % 200);
  };
}

describe('an import of a large table with counts', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let municipalities: string[];
  beforeAll(async () => {
    ({ store, cleanup } = await catalogueStore());
    municipalities = (await store.listOrgUnits({ type: 'municipality' })).map((u) => u.code);
  });
  afterAll(async () => cleanup());

  /** Municipal cells over the years, with their regions and Denmark as sums of them. */
  async function table(): Promise<IndicatorValue[]> {
    const units = await store.listOrgUnits();
    const regionOf = new Map(units.map((u) => [u.code, u.parent]));
    const next = counts(7);
    const rows: IndicatorValue[] = [];
    for (const period of YEARS) {
      const sums = new Map<string, { numerator: number; denominator: number }>();
      for (const unit of municipalities) {
        const numerator = next();
        const denominator = numerator + next();
        rows.push(cell(unit, period, numerator, denominator));
        for (const total of [regionOf.get(unit) ?? 'DK', 'DK']) {
          const sum = sums.get(total) ?? { numerator: 0, denominator: 0 };
          sum.numerator += numerator;
          sum.denominator += denominator;
          sums.set(total, sum);
        }
      }
      for (const [unit, sum] of sums) rows.push(cell(unit, period, sum.numerator, sum.denominator));
    }
    return rows;
  }

  const cell = (unit: string, period: string, numerator: number, denominator: number): IndicatorValue => ({
    indicator: INDICATOR,
    unit,
    period,
    breakdown: 'total',
    numerator,
    denominator,
    value: (numerator / denominator) * 100,
    suppressed: false,
  });

  it('sums group units in slices as in one piece', async () => {
    const rows = (await table()).filter((r) => municipalities.includes(r.unit));
    expect(rows.length).toBeGreaterThan(2_000);
    const members = groupMembers(await store.listOrgUnits(), await store.listGroupings());
    expect(members.size).toBeGreaterThan(0);
    rows[0] = { ...(rows[0] as IndicatorValue), suppressed: true };
    const indicator = { id: INDICATOR, multiplier: 100 };
    const here = aggregateToGroups(rows, indicator, members, {});
    expect(here.length).toBeGreaterThan(0);
    expect(await aggregateToGroupsInTurns(rows, indicator, members, {})).toEqual(here);
  });

  it('writes group sums that add up its municipalities and hides every count of 1-4', async () => {
    const rows = (await table()).filter((r) => municipalities.includes(r.unit));
    const lines = rows.map((r) => `${r.unit};${r.period};${r.numerator};${r.denominator}`);
    const file = new TextEncoder().encode(`unit;period;numerator;denominator\n${lines.join('\n')}\n`);
    const report = await importAggregates(store, 'large.csv', file, { indicator: INDICATOR });
    expect(report.problems).toEqual([]);
    expect(report.written).toBe(true);
    expect(report.groupValues?.aggregated ?? 0).toBeGreaterThan(0);
    // Every group sum stored for a period is the sum of its counting members' numerators in the file.
    const members = groupMembers(await store.listOrgUnits(), await store.listGroupings());
    const stored = await store.queryValues({ indicator: INDICATOR, full: true });
    const byCell = new Map(rows.map((r) => [`${r.unit}|${r.period}`, r]));
    let checked = 0;
    for (const group of stored.filter((v) => members.has(v.unit) && v.numerator !== null)) {
      const year = Number(group.period);
      const counting = (members.get(group.unit) ?? []).filter((m) => m.until === null || m.until >= `${year}-01-01`);
      const sum = counting.reduce((n, m) => n + (byCell.get(`${m.member}|${group.period}`)?.numerator ?? 0), 0);
      expect(group.numerator, `${group.unit} ${group.period}`).toBe(sum);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    // Disclosure control ran over the whole table: no count of 1-4 is published.
    const small = stored.filter((v) => v.numerator !== null && v.numerator >= 1 && v.numerator <= 4);
    expect(small.length).toBeGreaterThan(0);
    expect(small.filter((v) => !v.suppressed)).toEqual([]);
    const published = await store.queryValues({ indicator: INDICATOR });
    expect(published.filter((v) => v.numerator !== null && v.numerator >= 1 && v.numerator <= 4)).toEqual([]);
  });
});
