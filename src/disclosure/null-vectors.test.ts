import { describe, expect, it } from 'vitest';
import { exactlyDetermined, intervalAttack, type PublishedRow, relationsOf } from '../../test/attacker.js';
import type { DisclosureCell } from './cell.js';
import { axisVectors, MAX_STEPS } from './null-vectors.js';
import { protectTable } from './protect-table.js';
import { unitDimension } from './relations.js';

/**
 * A geography shaped like Denmark's: five regions of 11, 19, 22, 29 and 17 municipalities, health clusters of
 * five municipalities within each region, and a merged region over the last two regions' municipalities.
 * Groupings that overlap like this leave most partial null vectors impossible to complete.
 */
function overlappingGeography() {
  const parents: { code: string; parent: string | null }[] = [{ code: 'DK', parent: null }];
  const partitions: { total: string; members: string[] }[] = [];
  const merged: string[] = [];
  for (const [r, size] of [11, 19, 22, 29, 17].entries()) {
    const region = `R${r + 1}`;
    parents.push({ code: region, parent: 'DK' });
    for (let m = 0; m < size; m++) {
      const code = `${region}M${m}`;
      parents.push({ code, parent: region });
      if (r >= 3) merged.push(code);
      const cluster = `${region}C${Math.floor(m / 5)}`;
      const group = partitions.find((p) => p.total === cluster);
      if (group) group.members.push(code);
      else partitions.push({ total: cluster, members: [code] });
    }
  }
  partitions.push({ total: 'MERGED', members: merged });
  const units = [...parents.map((p) => p.code), ...partitions.map((p) => p.total)];
  return { parents, partitions, units };
}

describe('axisVectors on overlapping groupings', () => {
  const { parents, partitions, units } = overlappingGeography();
  const dim = unitDimension(units, parents, partitions);
  const balanced = (vector: readonly (readonly [number, number])[]) => {
    const sign = new Map(vector);
    return dim.relations.every((r) => r.parts.reduce((s, p) => s + (sign.get(p) ?? 0), 0) === (sign.get(r.total) ?? 0));
  };

  it('finds a region its sibling change (both regions, a municipality and its cluster each) in a bounded search', () => {
    let looked = 0;
    const vectors = axisVectors(dim, units.indexOf('R4'), 40, () => {
      looked++;
      return true;
    });
    // Every vector keeps every sum; one of them leaves Denmark and the merged region alone.
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) expect(balanced(v), JSON.stringify(v)).toBe(true);
    const name = (v: readonly (readonly [number, number])[]) => v.map(([c]) => units[c]);
    expect(
      vectors.some((v) => !name(v).includes('DK') && name(v).some((u) => /^R\d$/.test(u as string) && u !== 'R4')),
    ).toBe(true);
    // The unbounded search looked at millions of coordinates here (over three million before it found ten vectors).
    expect(looked).toBeLessThanOrEqual(3 * MAX_STEPS * 29);
  });

  it('gives up within its bound where nearly no neighbour is usable', () => {
    let looked = 0;
    const usable = new Set(['R4', 'R5', 'DK', 'R4M0', 'R5M0', 'R5M1', 'MERGED']);
    const vectors = axisVectors(dim, units.indexOf('R4'), 40, (c) => {
      looked++;
      return usable.has(units[c] as string);
    });
    for (const v of vectors) {
      expect(balanced(v)).toBe(true);
      for (const [c] of v) expect(usable.has(units[c] as string)).toBe(true);
    }
    expect(looked).toBeLessThanOrEqual(3 * MAX_STEPS * 29);
  });
});

describe('protectTable on overlapping groupings with sparse municipalities', () => {
  it('protects every small count (or lists it) with no count recoverable by an attacker who knows every grouping', () => {
    const { parents, partitions } = overlappingGeography();
    // One year and its quarters; only a few municipalities have events (absent cells are empty), all of them small.
    const leaves = new Map<string, number>();
    const municipalities = parents.filter((p) => p.parent?.startsWith('R')).map((p) => p.code);
    for (const [k, m] of municipalities.entries())
      if (k % 7 === 0)
        for (const q of [1, 2, 3, 4]) if ((k + q) % 3 !== 0) leaves.set(`${m}|2024Q${q}`, 1 + ((k + q) % 4));
    const membersOf = new Map<string, string[]>([['DK', municipalities]]);
    for (const p of parents)
      if (p.parent?.startsWith('R')) membersOf.set(p.parent, [...(membersOf.get(p.parent) ?? []), p.code]);
    for (const p of partitions) membersOf.set(p.total, p.members);
    for (const m of municipalities) membersOf.set(m, [m]);
    const cells: DisclosureCell[] = [];
    for (const [unit, members] of membersOf)
      for (const period of ['2024', '2024Q1', '2024Q2', '2024Q3', '2024Q4']) {
        let n = 0;
        let present = false;
        for (const m of members)
          for (const q of [1, 2, 3, 4])
            if (period === '2024' || period === `2024Q${q}`) {
              const v = leaves.get(`${m}|2024Q${q}`);
              if (v !== undefined) {
                n += v;
                present = true;
              }
            }
        if (present) cells.push({ unit, period, breakdown: 'total', numerator: n, denominator: null });
      }
    const result = protectTable(cells, { countFields: ['numerator'], parents, partitions });
    const rows: PublishedRow[] = cells.map((c, i) => ({
      ...c,
      numerator: result.suppressed[i] ? null : c.numerator,
      suppressed: result.suppressed[i] as boolean,
    }));
    const relations = relationsOf(rows, new Map(parents.map((p) => [p.code, p.parent])), partitions);
    const bounds = intervalAttack(rows, relations, 'numerator');
    const solved = exactlyDetermined(rows, relations, 'numerator');
    let small = 0;
    for (const [i, c] of cells.entries()) {
      const n = c.numerator as number;
      if (n < 1 || n > 4) continue;
      small++;
      expect(result.suppressed[i]).toBe(true);
      if (result.unprotectedCells.includes(i)) continue;
      expect(solved.has(i), `${c.unit} ${c.period} = ${n} solved`).toBe(false);
      const b = bounds[i];
      expect(b && b.low === b.high, `${c.unit} ${c.period} = ${n} bounded`).toBe(false);
    }
    expect(small).toBeGreaterThan(20);
  });
});
