import { describe, expect, it } from 'vitest';
import { type SuppressibleRow, suppressSmallCounts } from './suppression.js';

const row = (unit: string, breakdown: string, numerator: number, denominator = 1000): SuppressibleRow => ({
  unit,
  period: '2024',
  breakdown,
  numerator,
  denominator,
  suppressed: false,
});
const parentOf = new Map<string, string | null>([
  ['DK', null],
  ['R1', 'DK'],
  ['A', 'R1'],
  ['B', 'R1'],
  ['C', 'R1'],
]);
const hidden = (rows: SuppressibleRow[]) =>
  rows
    .filter((r) => r.suppressed)
    .map((r) => `${r.unit}/${r.breakdown}`)
    .sort();

describe('small-number suppression', () => {
  it('hides counts of 1-4, not 0 or 5', () => {
    const rows = [0, 1, 4, 5].map((n, i) => row(`U${i}`, 'total', n));
    expect(suppressSmallCounts(rows, { countFields: ['numerator'], parentOf: new Map() })).toBe(2);
    expect(rows.map((r) => r.suppressed)).toEqual([false, true, true, false]);
  });

  it('hides a second sibling so a hidden sex category cannot be recovered from the total', () => {
    // total 30 = M 3 + F 27: M is hidden; F would reveal it, so F is hidden too.
    const rows = [row('A', 'total', 30), row('A', 'sex:M', 3), row('A', 'sex:F', 27)];
    suppressSmallCounts(rows, { countFields: ['numerator'], parentOf: new Map() });
    expect(hidden(rows)).toEqual(['A/sex:F', 'A/sex:M']);
  });

  it('hides the smallest other municipality when one municipality of a region is hidden', () => {
    // Region R1 = A 2 + B 40 + C 9: A is hidden, then C (the smallest visible) as well.
    const rows = [row('R1', 'total', 51), row('A', 'total', 2), row('B', 'total', 40), row('C', 'total', 9)];
    suppressSmallCounts(rows, { countFields: ['numerator'], parentOf });
    expect(hidden(rows)).toEqual(['A/total', 'C/total']);
  });

  it('follows a chain of sibling groups until nothing can be recovered', () => {
    // A's F is small → A's M hidden too. Across units, B's M then becomes the only other visible M under R1's M
    // together with C's M; the lone hidden A/sex:M forces the smaller of them (C/sex:M) to be hidden.
    const rows = [
      row('R1', 'total', 100),
      row('R1', 'sex:M', 60),
      row('R1', 'sex:F', 40),
      row('A', 'total', 20),
      row('A', 'sex:M', 18),
      row('A', 'sex:F', 2),
      row('B', 'total', 50),
      row('B', 'sex:M', 30),
      row('B', 'sex:F', 20),
      row('C', 'total', 30),
      row('C', 'sex:M', 12),
      row('C', 'sex:F', 18),
    ];
    suppressSmallCounts(rows, { countFields: ['numerator'], parentOf });
    const result = hidden(rows);
    expect(result).toContain('A/sex:F');
    expect(result).toContain('A/sex:M');
    // No sibling group under a visible total has exactly one hidden member.
    const groups = new Map<string, SuppressibleRow[]>();
    for (const r of rows) {
      if (r.breakdown !== 'total') groups.set(`${r.unit}/sex`, [...(groups.get(`${r.unit}/sex`) ?? []), r]);
      if (r.unit !== 'R1') groups.set(`R1/${r.breakdown}`, [...(groups.get(`R1/${r.breakdown}`) ?? []), r]);
    }
    for (const [key, members] of groups) {
      expect(members.filter((m) => m.suppressed).length, key).not.toBe(1);
    }
  });
});
