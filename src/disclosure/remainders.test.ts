import { describe, expect, it } from 'vitest';
import { exactlyDetermined, intervalAttack, type PublishedRow, relationsOf } from '../../test/attacker.js';
import type { DisclosureCell } from './cell.js';
import { protectTable } from './protect-table.js';
import { providerSumsOf } from './provider-sums.js';
import { remainderUnit, withRemainders } from './remainders.js';

const cell = (unit: string, period: string, breakdown: string, numerator: number): DisclosureCell => ({
  unit,
  period,
  breakdown,
  numerator,
  denominator: null,
});

describe('providerSumsOf', () => {
  const units = [
    { code: 'DK', type: 'nation' },
    { code: '101', type: 'municipality' },
    { code: 'H1', type: 'hospital' },
    { code: 'H2', type: 'hospital' },
    { code: 'GP1', type: 'gp-practice' },
    { code: 'GP2', type: 'gp-practice' },
  ];
  const groupings = [
    {
      groupType: 'municipality',
      memberTypes: ['gp-practice'],
      memberships: [
        { group: '101', member: 'GP1' },
        { group: '101', member: 'GP2' },
      ],
    },
  ];
  it('gives Denmark over its hospitals by default, and over practices and each municipality over its practices when asked', () => {
    expect(providerSumsOf(units, groupings)).toEqual([{ total: 'DK', members: ['H1', 'H2'] }]);
    expect(providerSumsOf(units, groupings, ['hospital', 'gp-practice'])).toEqual([
      { total: 'DK', members: ['H1', 'H2'] },
      { total: 'DK', members: ['GP1', 'GP2'] },
      { total: '101', members: ['GP1', 'GP2'] },
    ]);
  });
});

describe('withRemainders', () => {
  it('adds DK − Σ hospitals as a remainder cell where it is not 0, and keeps the sum', () => {
    // 2024: DK 30 = H1 20 + H2 7 + 3 at no hospital; 2025: DK 12 = H1 12 exactly (H2 has no cell).
    const cells = [
      cell('DK', '2024', 'total', 30),
      cell('H1', '2024', 'total', 20),
      cell('H2', '2024', 'total', 7),
      cell('DK', '2025', 'total', 12),
      cell('H1', '2025', 'total', 12),
    ];
    const out = withRemainders(cells, [{ total: 'DK', members: ['H1', 'H2', 'H3'] }], ['numerator']);
    expect(out.dropped).toEqual([]);
    expect(out.cells.slice(5)).toEqual([cell(remainderUnit('DK', 0), '2024', 'total', 3)]);
    expect(out.partitions).toEqual([{ total: 'DK', members: ['H1', 'H2', remainderUnit('DK', 0)] }]);
  });

  it('leaves out a sum whose members count more than the total somewhere', () => {
    // A person counted at a practice of 101 while the event counts in another municipality: 101 has 5, its practices 6.
    const cells = [cell('101', '2024', 'total', 5), cell('GP1', '2024', 'total', 4), cell('GP2', '2024', 'total', 2)];
    const out = withRemainders(cells, [{ total: '101', members: ['GP1', 'GP2'] }], ['numerator']);
    expect(out).toMatchObject({ dropped: ['101'], partitions: [] });
    expect(out.cells).toHaveLength(3);
  });
});

describe('protectTable with Denmark = Σ hospitals', () => {
  it('hides a hospital count of 1-4 so that it does not follow from Denmark minus the other hospitals', () => {
    // Denmark by region (R1 = A + B) and by hospital (H1 + H2 + H3, every event at a hospital).
    const parents = [
      { code: 'DK', parent: null },
      { code: 'R1', parent: 'DK' },
      { code: 'A', parent: 'R1' },
      { code: 'B', parent: 'R1' },
    ];
    const leaves: Record<string, [number, number]> = {
      A: [40, 35],
      B: [20, 28],
      H1: [30, 31],
      H2: [27, 12],
      H3: [3, 20],
    };
    const cells: DisclosureCell[] = [];
    for (const [unit, [q1, q2]] of Object.entries(leaves)) {
      cells.push(
        cell(unit, '2024Q1', 'total', q1),
        cell(unit, '2024Q2', 'total', q2),
        cell(unit, '2024', 'total', q1 + q2),
      );
    }
    for (const unit of ['R1', 'DK'])
      cells.push(
        cell(unit, '2024Q1', 'total', 60),
        cell(unit, '2024Q2', 'total', 63),
        cell(unit, '2024', 'total', 123),
      );
    const hospitals = { total: 'DK', members: ['H1', 'H2', 'H3'] };
    const result = protectTable(cells, { countFields: ['numerator'], parents, providerSums: [hospitals] });
    const rows: PublishedRow[] = cells.map((c, i) => ({
      ...c,
      numerator: result.suppressed[i] ? null : c.numerator,
      suppressed: result.suppressed[i] as boolean,
    }));
    // Hidden within H3 alone (its quarters), H3's 3 would follow from Denmark's quarter minus H1 and H2.
    const all = rows;
    const relations = relationsOf(all, new Map(parents.map((p) => [p.code, p.parent])), [hospitals]);
    const bounds = intervalAttack(all, relations, 'numerator');
    const solved = exactlyDetermined(all, relations, 'numerator');
    const small = cells.flatMap((c, i) => ((c.numerator as number) >= 1 && (c.numerator as number) <= 4 ? [i] : []));
    expect(small.map((i) => `${cells[i]?.unit} ${cells[i]?.period}`)).toEqual(['H3 2024Q1']);
    expect(result.unprotected).toBe(0);
    for (const i of small) {
      expect(result.suppressed[i]).toBe(true);
      expect(solved.has(i)).toBe(false);
      expect(bounds[i]?.low === bounds[i]?.high).toBe(false);
    }
  });
});
