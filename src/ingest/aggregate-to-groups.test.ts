// Group sums from municipal values, worked by hand: a hidden member counts in a group that disclosure control
// protects as a partition, and makes any other group not available.
import { describe, expect, it } from 'vitest';
import type { IndicatorValue } from '../store/index.js';
import { aggregateToGroups } from './aggregate-to-groups.js';

const row = (unit: string, numerator: number, denominator: number, suppressed = false): IndicatorValue => ({
  indicator: 'share',
  unit,
  period: '2024',
  breakdown: 'total',
  numerator,
  denominator,
  value: (numerator / denominator) * 100,
  suppressed,
});
const indicator = { id: 'share', multiplier: 100 };
// A (3 of 10, hidden: a count of 1-4) and B (20 of 40) in group G.
const rows = [row('A', 3, 10, true), row('B', 20, 40)];
const members = new Map([
  [
    'G',
    [
      { member: 'A', until: null },
      { member: 'B', until: null },
    ],
  ],
]);

describe('aggregateToGroups', () => {
  it('sums a protected group over a hidden member: 23 of 50 is 46 %', () => {
    const [g] = aggregateToGroups(rows, indicator, members, { protectedGroups: new Set(['G']) });
    expect(g).toMatchObject({ unit: 'G', numerator: 23, denominator: 50, value: 46, suppressed: false });
  });

  it('marks a group without that protection not available when a member is hidden', () => {
    const [g] = aggregateToGroups(rows, indicator, members);
    expect(g).toMatchObject({ unit: 'G', numerator: null, denominator: null, value: null });
  });

  it('derives nothing for a group named in the file', () => {
    expect(aggregateToGroups(rows, indicator, members, { skip: new Set(['G']) })).toEqual([]);
  });
});
