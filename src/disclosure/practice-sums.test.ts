import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactlyDetermined, intervalAttack, type PublishedRow, relationsOf } from '../../test/attacker.js';
import type { DisclosureCell } from './cell.js';
import { closePracticeSums } from './practice-sums.js';
import { protectTable } from './protect-table.js';
import type { UnitParent, UnitPartition } from './relations.js';

const cell = (unit: string, period: string, numerator: number): DisclosureCell => ({
  unit,
  period,
  breakdown: 'total',
  numerator,
  denominator: null,
});

/** A small health system: practices' yearly counts, and each municipality's as Σ its practices + `rest`. */
interface System {
  /** municipality → region */
  regionOf: Map<string, string>;
  /** municipality → its practices' counts per year (0: no cell) */
  practices: Map<string, number[][]>;
  /** municipality → persons not counted at its practices, per year */
  rest: Map<string, readonly number[]>;
  years: string[];
}

function tableOf(system: System): {
  cells: DisclosureCell[];
  parents: UnitParent[];
  providerSums: UnitPartition[];
  practiceSums: UnitPartition[];
} {
  const cells: DisclosureCell[] = [];
  const parents: UnitParent[] = [{ code: 'DK', parent: null }];
  const practiceSums: UnitPartition[] = [];
  const regions = new Map<string, number[]>();
  const nation = system.years.map(() => 0);
  for (const [m, practices] of system.practices) {
    const region = system.regionOf.get(m) as string;
    if (!regions.has(region)) {
      regions.set(
        region,
        system.years.map(() => 0),
      );
      parents.push({ code: region, parent: 'DK' });
    }
    parents.push({ code: m, parent: region });
    const members = practices.map((_, k) => `${m}-GP${k}`);
    practiceSums.push({ total: m, members });
    for (const [y, year] of system.years.entries()) {
      let total = system.rest.get(m)?.[y] ?? 0;
      for (const [k, counts] of practices.entries()) {
        const n = counts[y] ?? 0;
        if (n > 0) cells.push(cell(members[k] as string, year, n));
        total += n;
      }
      if (total > 0) cells.push(cell(m, year, total));
      const sums = regions.get(region) as number[];
      sums[y] = (sums[y] as number) + total;
      nation[y] = (nation[y] as number) + total;
    }
  }
  for (const [region, totals] of regions)
    for (const [y, year] of system.years.entries())
      if ((totals[y] as number) > 0) cells.push(cell(region, year, totals[y] as number));
  for (const [y, year] of system.years.entries())
    if ((nation[y] as number) > 0) cells.push(cell('DK', year, nation[y] as number));
  const providerSums = [{ total: 'DK', members: practiceSums.flatMap((s) => s.members) }];
  return { cells, parents, providerSums, practiceSums };
}

/**
 * What an outsider recovers from the published cells: every geography relation, Denmark = Σ practices and each
 * municipality = Σ its practices where they hold exactly in the full table (hidden counts found by exact
 * elimination or pinned by interval bounds).
 */
function attack(
  cells: readonly DisclosureCell[],
  suppressed: readonly boolean[],
  parents: readonly UnitParent[],
  sums: readonly UnitPartition[],
): Set<number> {
  const rows: PublishedRow[] = cells.map((c, i) => ({
    unit: c.unit,
    period: c.period,
    breakdown: c.breakdown,
    numerator: suppressed[i] ? null : c.numerator,
    denominator: null,
    suppressed: suppressed[i] as boolean,
  }));
  const parentOf = new Map(parents.map((p) => [p.code, p.parent]));
  const full = new Map(cells.map((c) => [`${c.unit}|${c.period}`, c.numerator ?? 0]));
  const years = [...new Set(cells.map((c) => c.period))];
  // A sum is known to the outsider in the years it holds exactly (an absent cell counts 0).
  const exact = sums.filter((s) =>
    years.every(
      (y) => (full.get(`${s.total}|${y}`) ?? 0) === s.members.reduce((n, m) => n + (full.get(`${m}|${y}`) ?? 0), 0),
    ),
  );
  const relations = relationsOf(rows, parentOf, exact);
  const recovered = new Set(exactlyDetermined(rows, relations, 'numerator').keys());
  for (const [i, b] of intervalAttack(rows, relations, 'numerator').entries())
    if (rows[i]?.suppressed && b.low === b.high) recovered.add(i);
  return new Set([...recovered].filter((i) => (cells[i]?.numerator ?? 0) >= 1 && (cells[i]?.numerator ?? 0) <= 4));
}

describe('closePracticeSums', () => {
  // Municipality M1 = its practices P0 (1 admission) + P1 (29) exactly; the patterns pair P0 with another
  // municipality's small practice over Denmark = Σ practices, so M1 − P1 gives P0 away unless the sum is closed.
  const system: System = {
    regionOf: new Map([
      ['M1', 'R1'],
      ['M2', 'R1'],
      ['M3', 'R2'],
      ['M4', 'R2'],
    ]),
    practices: new Map([
      ['M1', [[1], [29]]],
      ['M2', [[20], [25]]],
      ['M3', [[2], [31]]],
      ['M4', [[40], [41]]],
    ]),
    rest: new Map([['M3', [6]]]),
    years: ['2024'],
  };
  const { cells, parents, providerSums, practiceSums } = tableOf(system);
  const index = (unit: string) => cells.findIndex((c) => c.unit === unit);

  it('hides a second practice of a municipality whose sum holds exactly, so the first is not recovered', () => {
    const without = protectTable(cells, { countFields: ['numerator'], parents, providerSums });
    expect([...attack(cells, without.suppressed, parents, [...providerSums, ...practiceSums])]).toEqual([
      index('M1-GP0'),
    ]);
    const closed = protectTable(cells, { countFields: ['numerator'], parents, providerSums, practiceSums });
    expect(attack(cells, closed.suppressed, parents, [...providerSums, ...practiceSums]).size).toBe(0);
    expect(closed.suppressed[index('M1-GP1')]).toBe(true);
    expect(closed.secondary).toBe(without.secondary + 1);
    // M3's sum has 6 persons listed elsewhere: it is no exact sum, and its practices are left as they were.
    expect(closed.suppressed[index('M3-GP1')]).toBe(without.suppressed[index('M3-GP1')]);
  });

  it('hides members until a hidden total can move: a hidden municipality needs hidden practices holding 5', () => {
    const table = [cell('M', '2024', 30), cell('A', '2024', 2), cell('B', '2024', 3), cell('C', '2024', 25)];
    const suppressed = [true, false, false, false];
    // The smallest practice that covers 5 alone is C (25); A and B together would be two cells.
    expect(closePracticeSums(table, suppressed, [{ total: 'M', members: ['A', 'B', 'C'] }], ['numerator'])).toEqual([
      3,
    ]);
    // A hidden small practice with a published total: its partners must hold 5 − its count.
    const second = [false, true, false, false];
    expect(closePracticeSums(table, second, [{ total: 'M', members: ['A', 'B', 'C'] }], ['numerator'])).toEqual([2]);
  });

  it('lets no small count be recovered from random systems of municipalities and their practices', () => {
    const counts = fc.array(
      fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 40 })), {
        minLength: 2,
        maxLength: 2,
      }),
      { minLength: 1, maxLength: 3 },
    );
    const municipality = fc.record({
      practices: counts,
      rest: fc.oneof(
        fc.constant([0, 0] as number[]),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 }),
      ),
    });
    fc.assert(
      fc.property(fc.array(municipality, { minLength: 3, maxLength: 6 }), (drawn) => {
        const system: System = { regionOf: new Map(), practices: new Map(), rest: new Map(), years: ['2023', '2024'] };
        for (const [k, m] of drawn.entries()) {
          system.regionOf.set(`M${k}`, `R${k % 2}`);
          system.practices.set(`M${k}`, m.practices);
          system.rest.set(`M${k}`, m.rest);
        }
        const { cells, parents, providerSums, practiceSums } = tableOf(system);
        const { suppressed } = protectTable(cells, { countFields: ['numerator'], parents, providerSums, practiceSums });
        expect(
          [...attack(cells, suppressed, parents, [...providerSums, ...practiceSums])].map((i) => cells[i]),
        ).toEqual([]);
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });
});

describe('closePracticeSums with kvalitetsklynger', () => {
  // M1 = P1 + P2 + P5 and K1 = P1 + P2: each sum has two or more hidden practices with room, yet M1 − K1 = P5.
  const table = [
    cell('M1', '2024', 15),
    cell('M2', '2024', 11),
    cell('K1', '2024', 12),
    cell('K2', '2024', 14),
    cell('P1', '2024', 2),
    cell('P2', '2024', 10),
    cell('P3', '2024', 1),
    cell('P4', '2024', 10),
    cell('P5', '2024', 3),
  ];
  const sums = [
    { total: 'M1', members: ['P1', 'P2', 'P5'] },
    { total: 'M2', members: ['P3', 'P4'] },
    { total: 'K1', members: ['P1', 'P2'], wholeOnly: true },
    { total: 'K2', members: ['P3', 'P4', 'P5'], wholeOnly: true },
  ];
  const at = (unit: string) => table.findIndex((c) => c.unit === unit);
  const hiddenPractices = () => table.map((c) => c.unit.startsWith('P'));

  it('hides a kvalitetsklynge with a hidden practice, so sums closed one by one cannot pin the practice linking them', () => {
    const suppressed = hiddenPractices();
    const relations = sums.map((s) => ({ total: s.total, members: s.members }));
    const parents = table.map((c) => ({ code: c.unit, parent: null }));
    // Each sum alone is closed: nothing to add there. Together they give P5 away.
    expect(attack(table, suppressed, parents, relations)).toEqual(new Set([at('P5')]));
    const added = closePracticeSums(table, suppressed, sums, ['numerator']);
    // A kvalitetsklynge with a hidden practice is hidden itself: K1 and K2, and no municipality.
    expect(added).toEqual([at('K1'), at('K2')]);
    expect(attack(table, suppressed, parents, relations).size).toBe(0);
  });

  it('hides a further member where the sums still determine a hidden cell and no member has room', () => {
    // M = A (7, hidden) + Z (0, published): no member can hold anything, yet M − Z gives A away.
    const cells = [cell('M', '2024', 7), cell('A', '2024', 7), cell('Z', '2024', 0)];
    const suppressed = [false, true, false];
    expect(closePracticeSums(cells, suppressed, [{ total: 'M', members: ['A', 'Z'] }], ['numerator'])).toEqual([2]);
  });

  it('counts a practice in a kvalitetsklynge only until its membership ends', () => {
    // P2 left K1 at the end of 2023: K1's 2024 = P1 alone, which must not be left as the only hidden member.
    const cells = [
      cell('K1', '2023', 12),
      cell('K1', '2024', 2),
      cell('P1', '2023', 2),
      cell('P1', '2024', 2),
      cell('P2', '2023', 10),
      cell('P2', '2024', 9),
    ];
    const suppressed = [false, true, true, true, true, false];
    const until = new Map([['P2', '2023-12-31']]);
    closePracticeSums(cells, suppressed, [{ total: 'K1', members: ['P1', 'P2'], until }], ['numerator']);
    // 2024: K1 (hidden, 2) = P1 (hidden, 2): closed with the total hidden; P2's 2024 cell is no member and stays.
    expect(suppressed).toEqual([false, true, true, true, true, false]);
    // Without the end date the 2024 sum does not hold (2 ≠ 2 + 9) and is no relation at all.
    const open = [false, false, true, true, true, false];
    closePracticeSums(cells, open, [{ total: 'K1', members: ['P1', 'P2'], until }], ['numerator']);
    // K1 2024 published with P1 hidden alone in it: K1 itself (the only other cell of the sum) cannot be a member,
    // so the smallest published total is hidden.
    expect(open[1]).toBe(true);
  });

  it('lets no small count be recovered from random systems of municipalities, practices and kvalitetsklynger', () => {
    const counts = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 40 })), {
      minLength: 2,
      maxLength: 4,
    });
    fc.assert(
      fc.property(
        fc.array(counts, { minLength: 3, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 24, maxLength: 24 }),
        (drawn, clusterDraws) => {
          const system: System = { regionOf: new Map(), practices: new Map(), rest: new Map(), years: ['2024'] };
          for (const [k, practices] of drawn.entries()) {
            system.regionOf.set(`M${k}`, `R${k % 2}`);
            system.practices.set(
              `M${k}`,
              practices.map((n) => [n]),
            );
          }
          const { cells, parents, providerSums, practiceSums } = tableOf(system);
          // Each practice in one of three kvalitetsklynger across municipalities (K0–K2), its count added to it.
          const clusters = new Map<string, string[]>();
          for (const [k, member] of practiceSums.flatMap((s) => s.members).entries()) {
            const cluster = `K${clusterDraws[k % clusterDraws.length]}`;
            clusters.set(cluster, [...(clusters.get(cluster) ?? []), member]);
          }
          const full = new Map(cells.map((c) => [c.unit, c.numerator ?? 0]));
          const clusterSums = [...clusters].map(([total, members]) => ({ total, members, wholeOnly: true }));
          for (const s of clusterSums) {
            const n = s.members.reduce((sum, m) => sum + (full.get(m) ?? 0), 0);
            if (n > 0) cells.push(cell(s.total, '2024', n));
          }
          const { suppressed } = protectTable(cells, {
            countFields: ['numerator'],
            parents,
            providerSums,
            practiceSums: [...practiceSums, ...clusterSums],
          });
          expect(
            [...attack(cells, suppressed, parents, [...providerSums, ...practiceSums, ...clusterSums])].map(
              (i) => cells[i],
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
  });
});
