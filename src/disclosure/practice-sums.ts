// A municipality's yearly count = Σ the yearly counts of the general practices grouped under it, where nobody in
// it is listed elsewhere and nobody listed there lives elsewhere. Where that sum holds exactly, an outsider can
// difference a practice's hidden count from the municipality's and its other practices' published ones. The
// patterns of protectTable do not use these sums (docs/disclosure.md, "Municipality = Σ its practices"), so after
// they are chosen every such sum is closed here: more practices are hidden until no hidden cell of it is alone or
// without room to move.
import { type CountField, type DisclosureCell, isSmallCount, PROTECTION_UPPER } from './cell.js';
import type { UnitPartition } from './relations.js';
import { positionKind } from './remainders.js';

/**
 * Hides further member cells of the sums `total` = Σ members (a municipality over its practices) wherever a sum
 * holds exactly for a count field, so that at every such position:
 * - with the total published, every hidden member can move against other hidden members: they hold at least
 *   PROTECTION_UPPER − its count (a small count can reach PROTECTION_UPPER) and at least 1 (nothing is alone);
 * - with the total hidden, the hidden members hold at least min(total, PROTECTION_UPPER), so that whatever pattern
 *   moves the total, its members can follow.
 * Each further cell is the smallest visible member that covers what is missing (or else the largest, and again).
 * Members only ever become hidden, so no earlier pattern is undone. Returns the indexes of the cells it hid.
 * @example closePracticeSums(cells, suppressed, [{ total: '727', members: ['GP1261', 'GP1264'] }], ['numerator'])
 */
export function closePracticeSums(
  cells: readonly DisclosureCell[],
  suppressed: boolean[],
  sums: readonly UnitPartition[],
  countFields: readonly CountField[],
): number[] {
  const added: number[] = [];
  if (sums.length === 0) return added;
  const byUnit = new Map<string, number[]>();
  for (const [i, c] of cells.entries()) {
    const list = byUnit.get(c.unit);
    if (list) list.push(i);
    else byUnit.set(c.unit, [i]);
  }
  const position = (c: DisclosureCell) => `${c.period}\u0000${c.breakdown}`;
  for (const sum of sums) {
    const totals = byUnit.get(sum.total);
    if (!totals) continue;
    // The members' cells by position, and the kinds of position they are published at.
    const membersAt = new Map<string, number[]>();
    const kinds = new Set<string>();
    for (const member of sum.members)
      for (const i of byUnit.get(member) ?? []) {
        const c = cells[i] as DisclosureCell;
        kinds.add(positionKind(c));
        const key = position(c);
        const list = membersAt.get(key);
        if (list) list.push(i);
        else membersAt.set(key, [i]);
      }
    for (const t of totals) {
      const total = cells[t] as DisclosureCell;
      if (!kinds.has(positionKind(total))) continue;
      const members = membersAt.get(position(total)) ?? [];
      for (const field of countFields) {
        const count = (i: number) => (cells[i] as DisclosureCell)[field] ?? 0;
        const whole = total[field];
        if (whole === null || whole === undefined) continue;
        if (members.reduce((s, i) => s + count(i), 0) !== whole) continue;
        for (const i of closeRow(t, members, suppressed, count)) {
          suppressed[i] = true;
          added.push(i);
        }
      }
    }
  }
  return added;
}

/** The members to hide so that one exact sum `total` = Σ members is closed (see closePracticeSums). */
function closeRow(
  total: number,
  members: readonly number[],
  suppressed: readonly boolean[],
  count: (i: number) => number,
): number[] {
  const hidden = members.filter((i) => suppressed[i]);
  const visible = members.filter((i) => !suppressed[i] && count(i) > 0).sort((a, b) => count(a) - count(b));
  const chosen: number[] = [];
  for (let missing = missingIn(total, hidden, suppressed, count); missing > 0 && visible.length > 0; ) {
    const k = visible.findIndex((i) => count(i) >= missing);
    const [i] = visible.splice(k >= 0 ? k : visible.length - 1, 1) as [number];
    chosen.push(i);
    hidden.push(i);
    missing = missingIn(total, hidden, suppressed, count);
  }
  return chosen;
}

/** How much more the hidden members of one exact sum must hold (see closePracticeSums); 0 when closed. */
function missingIn(
  total: number,
  hidden: readonly number[],
  suppressed: readonly boolean[],
  count: (i: number) => number,
): number {
  const held = hidden.reduce((s, i) => s + count(i), 0);
  if (suppressed[total]) return Math.min(count(total), PROTECTION_UPPER) - held;
  let missing = 0;
  for (const i of hidden) {
    const wanted = isSmallCount(count(i)) ? PROTECTION_UPPER - count(i) : 1;
    missing = Math.max(missing, wanted - (held - count(i)));
  }
  return missing;
}
