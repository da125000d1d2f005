// The additive relations of an indicator's table, derived from the data: periods, breakdowns and geography.
import { parsePeriod } from '../domain/period.js';
import { type Dimension, dimension } from './dimension.js';

/** A unit and the unit it is part of (municipality → region → nation). */
export interface UnitParent {
  code: string;
  parent: string | null;
}

/** A grouping of units whose members together count exactly the persons of `total` (a partition of it). */
export interface UnitPartition {
  total: string;
  members: readonly string[];
}

/**
 * Period relations: a year is the sum of its quarters (or of its months where no quarter is present), and a
 * quarter the sum of its months. ISO weeks do not nest in years and form no relation.
 * @example periodDimension(['2024', '2024Q1', '2024Q2'])
 */
export function periodDimension(periods: readonly string[]): Dimension {
  const parsed = periods.map((p) => ({ code: p, period: parsePeriod(p) }));
  const relations: { total: string; parts: string[] }[] = [];
  const of = (type: string, year: number, pick: (index: number) => boolean) =>
    parsed.filter((p) => p.period?.type === type && p.period.year === year && pick(p.period.index)).map((p) => p.code);
  for (const { code, period } of parsed) {
    if (!period) continue;
    if (period.type === 'year') {
      const quarters = of('quarter', period.year, () => true);
      const parts = quarters.length ? quarters : of('month', period.year, () => true);
      if (parts.length) relations.push({ total: code, parts });
    } else if (period.type === 'quarter') {
      const months = of('month', period.year, (m) => Math.ceil(m / 3) === period.index);
      if (months.length) relations.push({ total: code, parts: months });
    }
  }
  return dimension('period', periods, relations);
}

/**
 * Breakdown relations: `total` is the sum of the categories of each dimension, found from the code's prefix
 * (`sex:`, `age_group:`, `education:`, or any later one such as `income:`).
 * @example breakdownDimension(['total', 'sex:M', 'sex:F'])
 */
export function breakdownDimension(breakdowns: readonly string[]): Dimension {
  const byPrefix = new Map<string, string[]>();
  for (const b of breakdowns) {
    const colon = b.indexOf(':');
    if (colon <= 0) continue;
    const prefix = b.slice(0, colon);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), b]);
  }
  return dimension(
    'breakdown',
    breakdowns,
    [...byPrefix.values()].map((parts) => ({ total: 'total', parts })),
  );
}

/**
 * Geography relations: every unit is the sum of the units whose parent it is, and every partition's total
 * the sum of its members.
 * @example unitDimension(['DK', '1081', '851'], [{ code: '851', parent: '1081' }, { code: '1081', parent: 'DK' }], [])
 */
export function unitDimension(
  units: readonly string[],
  parents: readonly UnitParent[],
  partitions: readonly UnitPartition[],
): Dimension {
  const children = new Map<string, string[]>();
  for (const u of parents) {
    if (u.parent) children.set(u.parent, [...(children.get(u.parent) ?? []), u.code]);
  }
  return dimension('unit', units, [
    ...[...children].map(([total, parts]) => ({ total, parts })),
    ...partitions.map((p) => ({ total: p.total, parts: p.members })),
  ]);
}
