// Small-number suppression: counts of 1-4 persons are hidden, and so is a second cell wherever a hidden cell
// could otherwise be recovered from a visible total and its visible siblings.

export const SMALL_COUNT_MIN = 1;
export const SMALL_COUNT_MAX = 4;

export interface SuppressibleRow {
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
}

export interface SuppressionOptions {
  /** Which fields count persons or events (and so are checked against 1-4). */
  countFields: readonly ('numerator' | 'denominator')[];
  /** Parent of each unit (municipality → region → nation), for sibling groups across geography. */
  parentOf: ReadonlyMap<string, string | null>;
}

const isSmall = (n: number | null) => n !== null && n >= SMALL_COUNT_MIN && n <= SMALL_COUNT_MAX;

/**
 * Marks rows `suppressed` in place (primary: a count field of 1-4; secondary: the smallest visible sibling
 * wherever exactly one sibling under a visible total is hidden), and returns how many were suppressed.
 * Sibling groups: the categories of one breakdown dimension under the unit's total, and the units under one
 * parent unit for the same period and breakdown.
 * @example suppressSmallCounts(rows, { countFields: ['numerator'], parentOf })
 */
export function suppressSmallCounts(rows: SuppressibleRow[], options: SuppressionOptions): number {
  const key = (unit: string, period: string, breakdown: string) => `${unit}\u0000${period}\u0000${breakdown}`;
  const byKey = new Map<string, SuppressibleRow>();
  for (const row of rows) byKey.set(key(row.unit, row.period, row.breakdown), row);

  let count = 0;
  for (const row of rows) {
    if (options.countFields.some((f) => isSmall(row[f]))) {
      row.suppressed = true;
      count++;
    }
  }
  if (count === 0) return 0;

  // Sibling groups with their parent (total) row.
  const groups = new Map<string, { parent: SuppressibleRow; members: SuppressibleRow[] }>();
  const addTo = (groupKey: string, parent: SuppressibleRow | undefined, member: SuppressibleRow) => {
    if (!parent) return;
    let group = groups.get(groupKey);
    if (!group) {
      group = { parent, members: [] };
      groups.set(groupKey, group);
    }
    group.members.push(member);
  };
  for (const row of rows) {
    const colon = row.breakdown.indexOf(':');
    if (colon > 0) {
      const dimension = row.breakdown.slice(0, colon);
      addTo(
        `b\u0000${row.unit}\u0000${row.period}\u0000${dimension}`,
        byKey.get(key(row.unit, row.period, 'total')),
        row,
      );
    }
    const parent = options.parentOf.get(row.unit);
    if (parent)
      addTo(
        `g\u0000${parent}\u0000${row.period}\u0000${row.breakdown}`,
        byKey.get(key(parent, row.period, row.breakdown)),
        row,
      );
  }

  const size = (r: SuppressibleRow) => r.numerator ?? r.denominator ?? 0;
  let changed = true;
  while (changed) {
    changed = false;
    for (const { parent, members } of groups.values()) {
      if (parent.suppressed) continue;
      const hidden = members.filter((m) => m.suppressed).length;
      if (hidden !== 1) continue;
      const visible = members.filter((m) => !m.suppressed);
      if (visible.length === 0) continue;
      const pick = visible.reduce((best, m) => {
        const a = size(m);
        const b = size(best);
        if (a > 0 && (b === 0 || a < b)) return m;
        return best;
      });
      pick.suppressed = true;
      count++;
      changed = true;
    }
  }
  return count;
}
