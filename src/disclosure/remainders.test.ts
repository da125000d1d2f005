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
  it('gives Denmark over its hospitals and over its practices, and each municipality over its practices when asked', () => {
    expect(providerSumsOf(units, groupings)).toEqual([
      { total: 'DK', members: ['H1', 'H2'] },
      { total: 'DK', members: ['GP1', 'GP2'] },
    ]);
    expect(providerSumsOf(units, groupings, undefined, true)).toEqual([
      { total: 'DK', members: ['H1', 'H2'] },
      { total: 'DK', members: ['GP1', 'GP2'] },
      { total: '101', members: ['GP1', 'GP2'] },
    ]);
    expect(providerSumsOf(units, groupings, ['hospital'])).toEqual([{ total: 'DK', members: ['H1', 'H2'] }]);
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

  it('holds only at the kinds of position the members are published at (practices: yearly totals)', () => {
    // DK has quarters and categories; the practices only yearly totals: DK 2024 = 9 = GP1 4 + GP2 3 + 2 listed
    // nowhere. DK's quarters and categories are no sum over practices, so they get no remainder.
    const cells = [
      cell('DK', '2024', 'total', 9),
      cell('DK', '2024Q1', 'total', 5),
      cell('DK', '2024Q2', 'total', 4),
      cell('DK', '2024', 'sex:F', 6),
      cell('DK', '2024', 'sex:M', 3),
      cell('GP1', '2024', 'total', 4),
      cell('GP2', '2024', 'total', 3),
    ];
    const out = withRemainders(cells, [{ total: 'DK', members: ['GP1', 'GP2'] }], ['numerator']);
    expect(out.cells.slice(7)).toEqual([cell(remainderUnit('DK', 0), '2024', 'total', 2)]);
    expect(out.partitions).toEqual([{ total: 'DK', members: ['GP1', 'GP2', remainderUnit('DK', 0)] }]);
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

describe('protectTable with Denmark = Σ practices and a municipality = Σ its practices', () => {
  // Practices publish yearly totals only. Denmark 40 = A 18 + B 22; A's practices GP1 15 + GP2 3, B's GP3 12 +
  // GP4 10, every person listed; Denmark, A and B have quarters too (22 + 18, 10 + 8, 12 + 10).
  const parents = [
    { code: 'DK', parent: null },
    { code: 'A', parent: 'DK' },
    { code: 'B', parent: 'DK' },
  ];
  const units = [
    { code: 'DK', type: 'nation' },
    { code: 'A', type: 'municipality' },
    { code: 'B', type: 'municipality' },
    ...['GP1', 'GP2', 'GP3', 'GP4'].map((code) => ({ code, type: 'gp-practice' })),
  ];
  const groupings = [
    {
      groupType: 'municipality',
      memberTypes: ['gp-practice'],
      memberships: [
        { group: 'A', member: 'GP1' },
        { group: 'A', member: 'GP2' },
        { group: 'B', member: 'GP3' },
        { group: 'B', member: 'GP4' },
      ],
    },
  ];
  const cells: DisclosureCell[] = [
    ...(
      [
        ['DK', 40, 22, 18],
        ['A', 18, 10, 8],
        ['B', 22, 12, 10],
      ] as const
    ).flatMap(([unit, year, q1, q2]) => [
      cell(unit, '2024', 'total', year),
      cell(unit, '2024Q1', 'total', q1),
      cell(unit, '2024Q2', 'total', q2),
    ]),
    cell('GP1', '2024', 'total', 15),
    cell('GP2', '2024', 'total', 3),
    cell('GP3', '2024', 'total', 12),
    cell('GP4', '2024', 'total', 10),
  ];
  /** The hidden counts of 1-4 an outsider recovers from the published cells with the sums over practices. */
  const recovered = (suppressed: readonly boolean[]): string[] => {
    const rows: PublishedRow[] = cells.map((c, i) => ({
      ...c,
      numerator: suppressed[i] ? null : c.numerator,
      suppressed: suppressed[i] as boolean,
    }));
    const relations = relationsOf(rows, new Map(parents.map((p) => [p.code, p.parent])), [
      { total: 'DK', members: ['GP1', 'GP2', 'GP3', 'GP4'] },
      { total: 'A', members: ['GP1', 'GP2'] },
      { total: 'B', members: ['GP3', 'GP4'] },
    ]);
    const bounds = intervalAttack(rows, relations, 'numerator');
    const solved = exactlyDetermined(rows, relations, 'numerator');
    return cells.flatMap((c, i) => {
      const n = c.numerator as number;
      if (!suppressed[i] || n < 1 || n > 4) return [];
      const b = bounds[i];
      return (b && b.low === b.high) || solved.has(i) ? [`${c.unit} ${c.period}`] : [];
    });
  };

  it('would give GP2 away if the sums over practices were ignored', () => {
    // Only GP2's 3 is hidden; A − GP1 = 18 − 15 = 3, and Denmark − GP1 − GP3 − GP4 = 40 − 37 = 3.
    const ignored = protectTable(cells, { countFields: ['numerator'], parents, providerSums: [] });
    expect(cells.filter((_, i) => ignored.suppressed[i]).map((c) => c.unit)).toEqual(['GP2']);
    expect(recovered(ignored.suppressed)).toEqual(['GP2 2024']);
  });

  it('hides GP2 with its twin GP1 under the sums, and nothing else', () => {
    const providerSums = providerSumsOf(units, groupings, undefined, true);
    const result = protectTable(cells, { countFields: ['numerator'], parents, providerSums });
    // {GP2 +1, GP1 −1} keeps A = Σ its practices and Denmark = Σ practices; GP2 can be anything from 0 to 18.
    expect(result.droppedProviderSums).toEqual([]);
    expect(result.unprotected).toBe(0);
    expect(result.narrow).toBe(0);
    expect(cells.filter((_, i) => result.suppressed[i]).map((c) => c.unit)).toEqual(['GP1', 'GP2']);
    expect(recovered(result.suppressed)).toEqual([]);
  });
});
