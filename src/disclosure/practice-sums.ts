// A municipality's yearly count = Σ the yearly counts of the general practices grouped under it, where nobody in
// it is listed elsewhere and nobody listed there lives elsewhere; a kvalitetsklynge's = Σ its practices' always.
// Where such a sum holds exactly, an outsider can difference a practice's hidden count from the total and the other
// practices' published ones, and chain sums that share practices. The patterns of protectTable do not use these
// sums (docs/disclosure.md, "Closing municipality = Σ its practices" and "Kvalitetsklynger"), so after they are
// chosen every such sum is closed here: more practices are hidden until no hidden cell of a sum is alone or without
// room to move, and until the sums together determine no hidden cell.
import { parsePeriod, periodBounds } from '../domain/period.js';
import { type CountField, type DisclosureCell, isSmallCount, PROTECTION_UPPER } from './cell.js';
import { compressedRows, nullVectorThrough, reducedSystem, type SparseRow } from './null-space.js';
import type { UnitPartition } from './relations.js';
import { positionKind } from './remainders.js';

/**
 * A sum over practices: `total` = Σ members, a member counted in the periods starting on or before its `until`
 * date (its membership's end; absent: no end), as the engine counts a practice in its kvalitetsklynge.
 * `wholeOnly`: the total is published only where none of its members is hidden (a kvalitetsklynge).
 */
export interface PracticeSum extends UnitPartition {
  until?: ReadonlyMap<string, string>;
  wholeOnly?: boolean;
}

/**
 * Hides further member cells of the sums `total` = Σ members (a municipality or a kvalitetsklynge over its
 * practices) wherever a sum holds exactly for a count field, so that at every such position:
 * - with the total published, every hidden member can move against other hidden members: they hold at least
 *   PROTECTION_UPPER − its count (a small count can reach PROTECTION_UPPER) and at least 1 (nothing is alone);
 * - with the total hidden, the hidden members hold at least min(total, PROTECTION_UPPER), so that whatever pattern
 *   moves the total, its members can follow;
 * - a total that is `wholeOnly` (a kvalitetsklynge's) is hidden wherever a member is: published, it is a sum of
 *   published cells and tells nothing; hidden, it is in no other relation, so its sum is no relation for the other
 *   cells either. Practices are then in one exact sum each (their municipality's) besides the ones of hidden
 *   totals, and the patterns' protection of municipalities and practices is what it is without kvalitetsklynger;
 * - the exact sums together determine no hidden cell (a small hidden kvalitetsklynge is the sum of its hidden
 *   practices, which a municipality's sum and its published practices can give away).
 * Each further cell is the smallest visible member that covers what is missing (or else the largest, and again).
 * Members only ever become hidden, so no earlier pattern is undone, and the rounds end. Returns the indexes of the
 * cells it hid.
 * @example closePracticeSums(cells, suppressed, [{ total: '727', members: ['GP1261', 'GP1264'] }], ['numerator'])
 */
export function closePracticeSums(
  cells: readonly DisclosureCell[],
  suppressed: boolean[],
  sums: readonly PracticeSum[],
  countFields: readonly CountField[],
): number[] {
  const added: number[] = [];
  if (sums.length === 0) return added;
  const exact = exactSums(cells, sums, countFields);
  const hide = (i: number) => {
    suppressed[i] = true;
    added.push(i);
  };
  for (;;) {
    let changed = false;
    for (const sum of exact) {
      if (sum.wholeOnly && !suppressed[sum.total] && sum.members.some((i) => suppressed[i])) {
        hide(sum.total);
        changed = true;
      }
      const count = (i: number) => (cells[i] as DisclosureCell)[sum.field] ?? 0;
      for (const i of closeRow(sum.total, sum.members, suppressed, count)) {
        hide(i);
        changed = true;
      }
    }
    if (changed) continue;
    const more = linkingCells(cells, suppressed, exact);
    if (more.length === 0) return added;
    for (const i of more) hide(i);
  }
}

/** One sum that holds exactly at one position for one count field: the total's and the members' cell indexes. */
interface ExactSum {
  total: number;
  wholeOnly: boolean;
  members: number[];
  field: CountField;
  /** The position (period, breakdown), which sums of one system share. */
  position: string;
}

/** The sums that hold exactly, per position and count field, with the members that count there. */
function exactSums(
  cells: readonly DisclosureCell[],
  sums: readonly PracticeSum[],
  countFields: readonly CountField[],
): ExactSum[] {
  const byUnit = new Map<string, number[]>();
  for (const [i, c] of cells.entries()) {
    const list = byUnit.get(c.unit);
    if (list) list.push(i);
    else byUnit.set(c.unit, [i]);
  }
  const position = (c: DisclosureCell) => `${c.period}\u0000${c.breakdown}`;
  const startOf = new Map<string, string | null>();
  const start = (period: string) => {
    let known = startOf.get(period);
    if (known === undefined) {
      const parsed = parsePeriod(period);
      known = parsed ? periodBounds(parsed).start : null;
      startOf.set(period, known);
    }
    return known;
  };
  const out: ExactSum[] = [];
  for (const sum of sums) {
    const totals = byUnit.get(sum.total);
    if (!totals) continue;
    // The members' cells by position, and the kinds of position they are published at.
    const membersAt = new Map<string, number[]>();
    const kinds = new Set<string>();
    for (const member of sum.members) {
      const until = sum.until?.get(member);
      for (const i of byUnit.get(member) ?? []) {
        const c = cells[i] as DisclosureCell;
        const from = until === undefined ? null : start(c.period);
        if (until !== undefined && (from === null || from > until)) continue;
        kinds.add(positionKind(c));
        const key = position(c);
        const list = membersAt.get(key);
        if (list) list.push(i);
        else membersAt.set(key, [i]);
      }
    }
    for (const t of totals) {
      const total = cells[t] as DisclosureCell;
      if (!kinds.has(positionKind(total))) continue;
      const members = membersAt.get(position(total)) ?? [];
      for (const field of countFields) {
        const whole = total[field];
        if (whole === null || whole === undefined) continue;
        if (members.reduce((s, i) => s + ((cells[i] as DisclosureCell)[field] ?? 0), 0) !== whole) continue;
        out.push({
          total: t,
          wholeOnly: sum.wholeOnly === true,
          members,
          field,
          position: `${field}\u0000${position(total)}`,
        });
      }
    }
  }
  return out;
}

/**
 * Cells to hide so that the exact sums of a position no longer determine a hidden cell. The sums of one position
 * and count field are linear relations over its hidden cells (the published cells are known numbers); a hidden
 * cell they determine is found by exact elimination (reducedSystem), and for each such cell the smallest visible
 * member (count above 0 first) of a sum it is in is hidden, or with none the smallest published total of those sums;
 * one cell per position, as it may free the other cells that were determined with the first.
 */
function linkingCells(
  cells: readonly DisclosureCell[],
  suppressed: readonly boolean[],
  exact: readonly ExactSum[],
): number[] {
  const byPosition = new Map<string, ExactSum[]>();
  for (const sum of exact) {
    const list = byPosition.get(sum.position);
    if (list) list.push(sum);
    else byPosition.set(sum.position, [sum]);
  }
  const chosen = new Set<number>();
  for (const group of byPosition.values()) {
    const variable = new Map<number, number>();
    const cellOf: number[] = [];
    const rows: SparseRow[] = [];
    const rowSums: ExactSum[] = [];
    for (const sum of group) {
      const row = new Map<number, number>();
      const add = (i: number, coefficient: number) => {
        if (!suppressed[i]) return;
        let v = variable.get(i);
        if (v === undefined) {
          v = cellOf.length;
          variable.set(i, v);
          cellOf.push(i);
        }
        row.set(v, (row.get(v) ?? 0) + coefficient);
      };
      for (const i of sum.members) add(i, 1);
      add(sum.total, -1);
      if (row.size > 0) {
        rows.push(row);
        rowSums.push(sum);
      }
    }
    if (cellOf.length === 0) continue;
    const order = cellOf.map((_, v) => v);
    const reduced = reducedSystem(compressedRows(rows, cellOf.length), order);
    const field = (group[0] as ExactSum).field;
    const count = (i: number) => (cells[i] as DisclosureCell)[field] ?? 0;
    for (const [v, i] of cellOf.entries()) {
      // A vector through v from the shared elimination shows v free; none (it only looks past v in the order)
      // is checked with v last, where it is a pivot only if the sums determine it.
      if (reduced.through(v) !== undefined || nullVectorThrough(rows, v, order) !== undefined) continue;
      const around = rowSums.filter((_, r) => (rows[r] as SparseRow).has(v));
      const visible = around
        .flatMap((s) => s.members)
        .filter((m) => !suppressed[m] && !chosen.has(m))
        .sort((a, b) => Number(count(a) === 0) - Number(count(b) === 0) || count(a) - count(b));
      const totals = around
        .map((s) => s.total)
        .filter((t) => !suppressed[t] && !chosen.has(t))
        .sort((a, b) => count(a) - count(b));
      const pick = visible[0] ?? totals[0];
      // One cell per position a round: it may free the other cells the sums determined with this one.
      if (pick !== undefined && pick !== i) {
        chosen.add(pick);
        break;
      }
    }
  }
  return [...chosen];
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
