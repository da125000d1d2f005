import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactlyDetermined, intervalAttack, type PublishedRow, relationsOf } from '../../test/attacker.js';
import type { DisclosureCell } from './cell.js';
import { protectTable } from './protect-table.js';

const parents = [
  { code: 'DK', parent: null },
  { code: 'R1', parent: 'DK' },
  { code: 'A', parent: 'R1' },
  { code: 'B', parent: 'R1' },
  { code: 'C', parent: 'R1' },
];
const parentOf = new Map(parents.map((p) => [p.code, p.parent]));

/** A full table over units DK > R1 > {A, B, C}, a year with its quarters and a sex breakdown, from leaf counts. */
function table(leaves: readonly number[], quarters: boolean): DisclosureCell[] {
  const periods = quarters ? ['2024Q1', '2024Q2', '2024Q3', '2024Q4'] : ['2024'];
  const sexes = ['sex:M', 'sex:F'];
  const leaf = new Map<string, number>();
  let k = 0;
  for (const u of ['A', 'B', 'C'])
    for (const p of periods) for (const s of sexes) leaf.set(`${u}|${p}|${s}`, leaves[k++ % leaves.length] as number);
  const sum = (units: string[], ps: string[], ss: string[]) => {
    let t = 0;
    for (const u of units) for (const p of ps) for (const s of ss) t += leaf.get(`${u}|${p}|${s}`) ?? 0;
    return t;
  };
  const cells: DisclosureCell[] = [];
  const unitsOf: Record<string, string[]> = { DK: ['A', 'B', 'C'], R1: ['A', 'B', 'C'], A: ['A'], B: ['B'], C: ['C'] };
  const allPeriods = quarters ? ['2024', ...periods] : periods;
  for (const u of Object.keys(unitsOf))
    for (const p of allPeriods)
      for (const b of ['total', ...sexes]) {
        const n = sum(unitsOf[u] as string[], p === '2024' ? periods : [p], b === 'total' ? sexes : [b]);
        cells.push({ unit: u, period: p, breakdown: b, numerator: n, denominator: null });
      }
  return cells;
}

const publish = (cells: DisclosureCell[], suppressed: boolean[]): PublishedRow[] =>
  cells.map((c, i) => ({ ...c, numerator: suppressed[i] ? null : c.numerator, suppressed: suppressed[i] as boolean }));

describe('protectTable', () => {
  it('hides the women 3/40 under a total of 20/100 together with another cell of the same relation', () => {
    const cells: DisclosureCell[] = [
      { unit: 'A', period: '2023', breakdown: 'total', numerator: 20, denominator: 100 },
      { unit: 'A', period: '2023', breakdown: 'sex:F', numerator: 3, denominator: 40 },
      { unit: 'A', period: '2023', breakdown: 'sex:M', numerator: 17, denominator: 60 },
    ];
    const result = protectTable(cells, { countFields: ['numerator', 'denominator'], parents: [] });
    // total = F + M: F needs a partner in that relation; the men (17) cost less than the total (20), and F can
    // then be anything from 0 to 3 + 17.
    expect(result.suppressed).toEqual([false, true, true]);
    expect(result).toMatchObject({ primary: 1, secondary: 1, unprotected: 0, narrow: 0 });
  });

  it('never hides Denmark when a municipality can cover a small count', () => {
    const cells = table([10, 3, 20, 30, 12, 40], false);
    const result = protectTable(cells, { countFields: ['numerator'], parents });
    const hidden = cells.filter((_, i) => result.suppressed[i]).map((c) => c.unit);
    expect(hidden).not.toContain('DK');
    expect(hidden.length).toBeGreaterThanOrEqual(4); // a small cell needs a 2 × 2 pattern
  });

  it('leaves no small count to differencing, interval bounds or linear algebra, on random tables', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 5, max: 60 })), {
          minLength: 6,
          maxLength: 24,
        }),
        fc.boolean(),
        (leaves, quarters) => {
          const cells = table(leaves, quarters);
          const result = protectTable(cells, { countFields: ['numerator'], parents });
          const rows = publish(cells, result.suppressed);
          const relations = relationsOf(rows, parentOf);
          const bounds = intervalAttack(rows, relations, 'numerator');
          const solved = exactlyDetermined(rows, relations, 'numerator');
          for (const [i, c] of cells.entries()) {
            const n = c.numerator as number;
            if (n >= 1 && n <= 4) expect(result.suppressed[i]).toBe(true);
            if (!result.suppressed[i] || n < 1 || n > 4) continue;
            expect(solved.has(i), `${c.unit} ${c.period} ${c.breakdown} = ${n} solved`).toBe(false);
            const b = bounds[i];
            expect(b && b.low === b.high, `${c.unit} ${c.period} ${c.breakdown} = ${n} bounded`).toBe(false);
            if (result.unprotected === 0 && result.narrow === 0) expect(b?.high).toBeGreaterThanOrEqual(5);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
