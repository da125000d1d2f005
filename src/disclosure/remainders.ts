// Sums over providers (Denmark = Σ hospitals, a municipality = Σ its practices) hold only up to the events no
// member counts (a course at a hospital that is not a unit, a person listed with no practice): that remainder is
// an unpublished cell of its own, so the relation is exact and disclosure control protects the remainder too.
import { parsePeriod } from '../domain/period.js';
import type { CountField, DisclosureCell } from './cell.js';
import type { UnitPartition } from './relations.js';

/** The cells with one remainder cell per provider sum and position where it is not 0, and those sums as exact partitions. */
export interface WithRemainders {
  /** The input cells, then the remainder cells (never published). */
  cells: DisclosureCell[];
  /** The provider sums that hold, each with its remainder unit among the members. */
  partitions: UnitPartition[];
  /** The provider sums left out because their members count more than the total somewhere (not a sum). */
  dropped: string[];
}

/** The unit code of the remainder of provider sum k over `total` (never a real unit code). */
export const remainderUnit = (total: string, k: number): string => `${total}~remainder${k}`;

/**
 * The kind of position a cell is at: its period type and breakdown dimension ('year|total', 'quarter|total',
 * 'year|sex'). A provider sum holds only at the kinds its members are published at: practices' yearly totals
 * make Denmark's yearly total a sum over practices, not its quarters or its categories.
 */
export const positionKind = (c: DisclosureCell): string =>
  `${parsePeriod(c.period)?.type ?? c.period}|${c.breakdown.includes(':') ? c.breakdown.slice(0, c.breakdown.indexOf(':')) : c.breakdown}`;

/**
 * For each provider sum, the remainder total − Σ members at every period and breakdown of the kinds the members
 * have cells at (see positionKind), per count field. Where it is never negative the sum holds with the remainder as one more member: a remainder cell is added where it
 * is not 0 (where it is 0 the sum is taken as exact, which can only make protection stricter). Where the
 * members count more than the total somewhere (a person counted at a practice in another municipality than the
 * one the event counts in), the sum is no relation and is left out.
 * @example withRemainders(cells, [{ total: 'DK', members: ['H1', 'H2'] }], ['numerator'])
 */
export function withRemainders(
  input: readonly DisclosureCell[],
  sums: readonly UnitPartition[],
  countFields: readonly CountField[],
): WithRemainders {
  const cells = [...input];
  const partitions: UnitPartition[] = [];
  const dropped: string[] = [];
  if (sums.length === 0) return { cells, partitions, dropped };
  const byUnit = new Map<string, DisclosureCell[]>();
  for (const c of input) {
    const list = byUnit.get(c.unit);
    if (list) list.push(c);
    else byUnit.set(c.unit, [c]);
  }
  const position = (c: DisclosureCell) => `${c.period}\u0000${c.breakdown}`;
  for (const [k, sum] of sums.entries()) {
    // Members with cells at most positions first: they are the siblings a pattern can use most often.
    const members = sum.members
      .filter((m) => byUnit.has(m))
      .sort((a, b) => (byUnit.get(b)?.length ?? 0) - (byUnit.get(a)?.length ?? 0));
    const totals = byUnit.get(sum.total);
    if (members.length === 0 || !totals) continue;
    // Σ members per position and count field, and the kinds of position they are published at.
    const summed = new Map<string, { period: string; breakdown: string; counts: number[] }>();
    const kinds = new Set<string>();
    for (const m of members)
      for (const c of byUnit.get(m) as DisclosureCell[]) {
        kinds.add(positionKind(c));
        const key = position(c);
        let entry = summed.get(key);
        if (!entry) {
          entry = { period: c.period, breakdown: c.breakdown, counts: countFields.map(() => 0) };
          summed.set(key, entry);
        }
        for (const [f, field] of countFields.entries()) entry.counts[f] = (entry.counts[f] as number) + (c[field] ?? 0);
      }
    const unit = remainderUnit(sum.total, k);
    const rest: DisclosureCell[] = [];
    let holds = true;
    const seen = new Set<string>();
    for (const t of totals) {
      if (!kinds.has(positionKind(t))) continue;
      const key = position(t);
      seen.add(key);
      const counts = summed.get(key)?.counts ?? countFields.map(() => 0);
      const remainder = countFields.map((field, f) => (t[field] ?? 0) - (counts[f] as number));
      if (remainder.some((r) => r < 0)) {
        holds = false;
        break;
      }
      if (remainder.every((r) => r === 0)) continue;
      const cell: DisclosureCell = {
        unit,
        period: t.period,
        breakdown: t.breakdown,
        numerator: null,
        denominator: null,
      };
      for (const [f, field] of countFields.entries()) cell[field] = remainder[f] as number;
      rest.push(cell);
    }
    // Members counting something where the total has no cell: more than the total.
    for (const [key, entry] of summed) if (!seen.has(key) && entry.counts.some((n) => n > 0)) holds = false;
    if (!holds) {
      dropped.push(sum.total);
      continue;
    }
    cells.push(...rest);
    partitions.push({ total: sum.total, members: [...members, unit] });
  }
  return { cells, partitions, dropped };
}
