import { describe, expect, it } from 'vitest';
import type { DisclosureCell } from './cell.js';
import { protectTable } from './protect-table.js';

// Denmark > R1 > {A, B, C}, one year, a breakdown with three categories. Counts worked out by hand:
//
//            M    F    X   total
//   A        0    0    5      5
//   B        5    2    1      8
//   C        3    0    0      3
//   R1, DK   8    2    6     16
//
// B's F (2) is small. A product pattern through it is {B, C} × {F, X}: B F +1, B X −1, C F −1, C X +1. It keeps
// every sum, but C F = 0 goes down as the count goes up, and C X = 0 goes down as it goes down: there is no second
// table of whole counts, so its range is empty and it protects nothing. The search used to take it (as `narrow`).
const ages = ['sex:M', 'sex:F', 'sex:X'];
const leaves: Record<string, number[]> = { A: [0, 0, 5], B: [5, 2, 1], C: [3, 0, 0] };
const parents = [
  { code: 'DK', parent: null },
  { code: 'R1', parent: 'DK' },
  { code: 'A', parent: 'R1' },
  { code: 'B', parent: 'R1' },
  { code: 'C', parent: 'R1' },
];
const membersOf: Record<string, string[]> = { DK: ['A', 'B', 'C'], R1: ['A', 'B', 'C'], A: ['A'], B: ['B'], C: ['C'] };
/** Which leaves (unit, age index) a cell sums. */
const leavesOf = (unit: string, breakdown: string): [string, number][] =>
  (membersOf[unit] as string[]).flatMap((u) =>
    ages.flatMap((a, k) => (breakdown === 'total' || breakdown === a ? [[u, k] as [string, number]] : [])),
  );
const cells: DisclosureCell[] = Object.keys(membersOf).flatMap((unit) =>
  ['total', ...ages].map((breakdown) => ({
    unit,
    period: '2024',
    breakdown,
    numerator: leavesOf(unit, breakdown).reduce((s, [u, k]) => s + (leaves[u]?.[k] as number), 0),
    denominator: null,
  })),
);

describe('the whole-step rule for product patterns', () => {
  const result = protectTable(cells, { countFields: ['numerator'], parents, certify: true });
  const target = cells.findIndex((c) => c.unit === 'B' && c.breakdown === 'sex:F');

  it('does not take a pattern with a cell of 0 on each side of the count', () => {
    expect(cells[target]?.numerator).toBe(2);
    const certificate = result.certificates?.find((c) => c.cell === target);
    expect(certificate).toBeDefined();
    const { cells: support, weights } = certificate as { cells: number[]; weights: number[] };
    const w = weights[support.indexOf(target)] as number;
    const countOf = (j: number) => cells[j]?.numerator as number;
    // One step up: every cell of the opposite sign ≥ 1; one step down: every cell of the same sign ≥ 1.
    const up = Math.min(...support.filter((_, k) => (weights[k] as number) * w < 0).map(countOf));
    const down = Math.min(...support.filter((_, k) => (weights[k] as number) * w > 0).map(countOf));
    expect(Math.max(up, down)).toBeGreaterThanOrEqual(1);
  });

  it('leaves the count more than one value in the whole-number tables consistent with what is published', () => {
    // Brute force over the nine leaves: every non-negative integer table that reproduces each published cell.
    const published = cells.flatMap((c, i) =>
      result.suppressed[i] ? [] : [{ parts: leavesOf(c.unit, c.breakdown), value: c.numerator as number }],
    );
    const order = ['A', 'B', 'C'].flatMap((u) => ages.map((_, k) => [u, k] as [string, number]));
    const limit = 28; // no leaf exceeds Denmark's total (the walk finds a subset of the tables if that is hidden)
    const seen = new Set<number>();
    const current = new Map<string, number>();
    const walk = (depth: number) => {
      for (const p of published) {
        let sum = 0;
        let complete = true;
        for (const [u, k] of p.parts) {
          const v = current.get(`${u}${k}`);
          if (v === undefined) complete = false;
          else sum += v;
        }
        if (sum > p.value || (complete && sum !== p.value)) return;
      }
      if (depth === order.length) {
        seen.add(current.get('B1') as number);
        return;
      }
      const [u, k] = order[depth] as [string, number];
      for (let v = 0; v <= limit; v++) {
        current.set(`${u}${k}`, v);
        walk(depth + 1);
      }
      current.delete(`${u}${k}`);
    };
    walk(0);
    expect(seen.has(2)).toBe(true); // the true table is among them
    expect(seen.size).toBeGreaterThan(1);
  });
});
