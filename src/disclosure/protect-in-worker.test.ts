// Disclosure control in a worker thread gives the same hidden cells as in the calling thread.
import { describe, expect, it } from 'vitest';
import type { DisclosureCell } from './cell.js';
import { startDisclosureWorker } from './protect-in-worker.js';
import { protectTableFully } from './protect-table.js';

const parents = [
  { code: 'DK', parent: null },
  { code: 'R1', parent: 'DK' },
  { code: 'M1', parent: 'R1' },
  { code: 'M2', parent: 'R1' },
  { code: 'M3', parent: 'R1' },
];

describe('startDisclosureWorker', () => {
  it('hides the same cells as protectTableFully, in the rows and in the result', async () => {
    // Region R1 = M1 + M2 + M3 with the sexes: M1's women (3) are small.
    const counts: [string, string, number][] = [
      ['M1', 'total', 10],
      ['M1', 'sex:F', 3],
      ['M1', 'sex:M', 7],
      ['M2', 'total', 20],
      ['M2', 'sex:F', 9],
      ['M2', 'sex:M', 11],
      ['M3', 'total', 30],
      ['M3', 'sex:F', 14],
      ['M3', 'sex:M', 16],
      ['R1', 'total', 60],
      ['R1', 'sex:F', 26],
      ['R1', 'sex:M', 34],
      ['DK', 'total', 60],
      ['DK', 'sex:F', 26],
      ['DK', 'sex:M', 34],
    ];
    const rows = (): (DisclosureCell & { suppressed: boolean })[] =>
      counts.map(([unit, breakdown, n]) => ({
        unit,
        period: '2024',
        breakdown,
        numerator: n,
        denominator: null,
        suppressed: false,
      }));
    const options = { countFields: ['numerator'] as const, parents };
    const expected = await protectTableFully(rows(), options);
    // M1's women, and three more cells around them (M1's men, and one other municipality's women and men).
    expect(expected.hidden).toBe(4);
    const worker = startDisclosureWorker();
    try {
      const values = rows();
      const result = await worker.suppress(values, options);
      expect(result.suppressed).toEqual(expected.suppressed);
      expect(values.map((v) => v.suppressed)).toEqual(expected.suppressed);
      expect(result.hidden).toBe(4);
      // A second table through the same worker.
      const again = rows();
      expect((await worker.suppress(again, options)).suppressed).toEqual(expected.suppressed);
    } finally {
      await worker.close();
    }
  });

  it('spreads tables sent at once over its threads, each with the result of protectTable', async () => {
    // Three tables: M1's, M2's and M3's women small in turn; each hides its own small count's pattern.
    // Region R1 = M1 + M2 + M3 (Denmark the same); one municipality has 2 women, the others 12; 20 men each.
    const table = (small: string): (DisclosureCell & { suppressed: boolean })[] =>
      ['M1', 'M2', 'M3', 'R1', 'DK'].flatMap((unit) => {
        const women = unit === small ? 2 : unit.startsWith('M') ? 12 : 26;
        const men = unit.startsWith('M') ? 20 : 60;
        return [
          { unit, period: '2024', breakdown: 'total', numerator: women + men, denominator: null, suppressed: false },
          { unit, period: '2024', breakdown: 'sex:F', numerator: women, denominator: null, suppressed: false },
          { unit, period: '2024', breakdown: 'sex:M', numerator: men, denominator: null, suppressed: false },
        ];
      });
    const options = { countFields: ['numerator'] as const, parents };
    const worker = startDisclosureWorker(2);
    try {
      const tables = ['M1', 'M2', 'M3'].map(table);
      const results = await Promise.all(tables.map((t) => worker.suppress(t, options)));
      for (const [k, small] of ['M1', 'M2', 'M3'].entries()) {
        const expected = await protectTableFully(table(small), options);
        expect(results[k]?.suppressed).toEqual(expected.suppressed);
        expect(tables[k]?.map((v) => v.suppressed)).toEqual(expected.suppressed);
        // The small count and the three cells that keep its sums: its unit's men, another unit's women and men.
        expect(expected.hidden).toBe(4);
        expect(results[k]?.suppressed[3 * k + 1]).toBe(true);
      }
    } finally {
      await worker.close();
    }
  });
});
