// Primary and secondary suppression of one indicator's table, with a certificate of protection per small count.
import { parsePeriod } from '../domain/period.js';
import { type CountField, type DisclosureCell, isSmallCount, PROTECTION_UPPER } from './cell.js';
import type { Dimension } from './dimension.js';
import { type AxisVector, axisVectors } from './null-vectors.js';
import {
  breakdownDimension,
  periodDimension,
  type UnitParent,
  type UnitPartition,
  unitDimension,
} from './relations.js';

export interface ProtectOptions {
  /** The fields that count persons and are checked against the 1-4 rule. */
  countFields: readonly CountField[];
  /** Every unit with its parent (the geography relations). */
  parents: readonly UnitParent[];
  /** Further groupings whose members partition a unit's persons (catalogue groups with a `totalUnit`). */
  partitions?: readonly UnitPartition[];
}

export interface ProtectResult {
  /** One flag per input cell: hidden in the published view. */
  suppressed: boolean[];
  cells: number;
  /** Cells with a count of 1-4. */
  primary: number;
  /** Cells hidden only to protect primary ones. */
  secondary: number;
  /** All hidden cells (primary + secondary). */
  hidden: number;
  /** Primary cells for which no protecting pattern was found (should be 0; see docs/disclosure.md). */
  unprotected: number;
  /** Primary cells protected against exact recovery, but with a guaranteed interval narrower than PROTECTION_UPPER. */
  narrow: number;
}

/** Cells to hide together, each with its sign in the null vector they form. */
interface Pattern {
  cells: number[];
  signs: number[];
  cost: number;
}

/** Candidates kept per axis for one small count, before trying their combinations. */
const CANDIDATES_PER_AXIS = 4;
/** Cost factor for hiding a cell whose publication matters most (Denmark, a region's yearly total). */
const KEEP_VISIBLE = 1e6;
/** Candidates per axis for a small count that no cheap pattern protects. */
const LAST_RESORT = 12;
/** Combinations tried per small count once some pattern has been found. */
const ENOUGH_TRIES = 12;
/** Ranking penalty for a candidate that needs a cell the table does not have. */
const ABSENT = 1e4;
/** Ranking penalty for a candidate that cannot protect widely enough on its own axis. */
const TOO_NARROW = 1e12;

/**
 * Marks the cells to hide so that no count of 1-4 can be recovered from the visible cells, exactly or to an
 * interval narrower than PROTECTION_UPPER, by any combination of the table's additive relations.
 *
 * Each small count gets a protecting pattern: a product of one null vector per axis (a "hypercube"), all of
 * whose cells are hidden. Adding the pattern's ±1 signs, times any t the values allow, changes no visible
 * cell and keeps every sum, so the small count is not determined by the visible cells (no linear combination
 * of the relations yields it) and can lie anywhere in [x − min of the + cells, x + min of the − cells]; that
 * range must be at least PROTECTION_UPPER wide. Patterns are chosen to hide as little as possible: cells
 * already hidden cost nothing, small cells little, Denmark and regions' yearly totals almost never.
 * @example protectTable(cells, { countFields: ['numerator'], parents }).suppressed
 */
export function protectTable(cells: readonly DisclosureCell[], options: ProtectOptions): ProtectResult {
  const units = unique(cells.map((c) => c.unit));
  const periods = unique(cells.map((c) => c.period));
  const breakdowns = unique(cells.map((c) => c.breakdown));
  const dims: [Dimension, Dimension, Dimension] = [
    unitDimension(units, options.parents, options.partitions ?? []),
    periodDimension(periods),
    breakdownDimension(breakdowns),
  ];
  const [U, P, B] = [units.length, periods.length, breakdowns.length];
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const periodIndex = new Map(periods.map((p, i) => [p, i]));
  const breakdownIndex = new Map(breakdowns.map((b, i) => [b, i]));
  const at = new Int32Array(U * P * B).fill(-1);
  const coordsOf: [number, number, number][] = [];
  for (const [i, c] of cells.entries()) {
    const u = unitIndex.get(c.unit) as number;
    const p = periodIndex.get(c.period) as number;
    const b = breakdownIndex.get(c.breakdown) as number;
    at[(u * P + p) * B + b] = i;
    coordsOf.push([u, p, b]);
  }

  const suppressed = cells.map((c) => options.countFields.some((f) => isSmallCount(c[f])));
  const primary = suppressed.filter(Boolean).length;
  const groupTotals = new Set((options.partitions ?? []).map((p) => p.total));
  const cost = costs(cells, options.countFields, dims, coordsOf, groupTotals);

  const vectorCache: Map<number, AxisVector[]>[] = [new Map(), new Map(), new Map()];
  const vectorsOf = (axis: 0 | 1 | 2, coord: number): AxisVector[] => {
    let v = vectorCache[axis]?.get(coord);
    if (!v) {
      // The cell alone on this axis is a candidate too: valid wherever no relation of the axis is present.
      v = [[[coord, 1]] as AxisVector, ...axisVectors(dims[axis], coord).filter((x) => x.length > 1)];
      vectorCache[axis]?.set(coord, v);
    }
    return v;
  };

  // For each axis and coordinate: the relations it belongs to (global id, and +1 as a part or -1 as the total).
  const memberships: { id: number; sign: number; total: number; parts: number[] }[][][] = [];
  let relationCount = 0;
  for (const dim of dims) {
    const byCoord: { id: number; sign: number; total: number; parts: number[] }[][] = dim.coords.map(() => []);
    for (const rel of dim.relations) {
      const id = relationCount++;
      byCoord[rel.total]?.push({ id, sign: -1, total: rel.total, parts: rel.parts });
      for (const part of rel.parts) byCoord[part]?.push({ id, sign: 1, total: rel.total, parts: rel.parts });
    }
    memberships.push(byCoord);
  }
  const otherSize = Math.max(P * B, U * B, U * P);
  const balance = new Map<number, number>();
  /** True when some part of a relation whose total is at `total` exists at those other coordinates. */
  const anyPart = (parts: readonly number[], cellOf: (coord: number) => number) => parts.some((c) => cellOf(c) >= 0);
  /** True when changing the cells by their signs keeps every present relation (total and a part exist) balanced. */
  const keepsEverySum = (support: readonly number[], signs: readonly number[]): boolean => {
    balance.clear();
    for (const [k, j] of support.entries()) {
      const [u, p, b] = coordsOf[j] as [number, number, number];
      const s = signs[k] as number;
      for (const m of memberships[0]?.[u] ?? []) {
        if ((at[(m.total * P + p) * B + b] as number) < 0) continue;
        if (m.sign < 0 && !anyPart(m.parts, (c) => at[(c * P + p) * B + b] as number)) continue;
        const key = m.id * otherSize + p * B + b;
        balance.set(key, (balance.get(key) ?? 0) + s * m.sign);
      }
      for (const m of memberships[1]?.[p] ?? []) {
        if ((at[(u * P + m.total) * B + b] as number) < 0) continue;
        if (m.sign < 0 && !anyPart(m.parts, (c) => at[(u * P + c) * B + b] as number)) continue;
        const key = m.id * otherSize + u * B + b;
        balance.set(key, (balance.get(key) ?? 0) + s * m.sign);
      }
      for (const m of memberships[2]?.[b] ?? []) {
        if ((at[(u * P + p) * B + m.total] as number) < 0) continue;
        if (m.sign < 0 && !anyPart(m.parts, (c) => at[(u * P + p) * B + c] as number)) continue;
        const key = m.id * otherSize + u * P + p;
        balance.set(key, (balance.get(key) ?? 0) + s * m.sign);
      }
    }
    for (const v of balance.values()) if (v !== 0) return false;
    return true;
  };

  let unprotected = 0;
  let narrow = 0;
  /** Small counts already protected widely by a pattern chosen for another one. */
  const covered = new Uint8Array(cells.length);
  /** A pattern protects every small count in it whose opposite-signed cells leave it room enough. */
  const coverOthers = (pattern: Pattern) => {
    for (const [k, j] of pattern.cells.entries()) {
      if (covered[j]) continue;
      const cell = cells[j] as DisclosureCell;
      const fields = options.countFields.filter((f) => isSmallCount(cell[f]));
      if (fields.length === 0) continue;
      const sign = pattern.signs[k] as number;
      let wide = true;
      for (const f of fields) {
        let room = Number.POSITIVE_INFINITY;
        for (const [m, other] of pattern.cells.entries())
          if ((pattern.signs[m] as number) !== sign) room = Math.min(room, (cells[other] as DisclosureCell)[f] ?? 0);
        if ((cell[f] ?? 0) + room < PROTECTION_UPPER) wide = false;
      }
      if (wide) covered[j] = 1;
    }
  };
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as DisclosureCell;
    const fields = options.countFields.filter((f) => isSmallCount(cell[f]));
    if (fields.length === 0 || covered[i]) continue;
    let found = findPattern(i, fields, CANDIDATES_PER_AXIS, true);
    const dear = (p: Pattern | undefined) => !p || p.cost >= KEEP_VISIBLE;
    if (dear(found.wide) && dear(found.narrow)) {
      const plain = findPattern(i, fields, CANDIDATES_PER_AXIS, false);
      found = { wide: cheaper(found.wide, plain.wide), narrow: cheaper(found.narrow, plain.narrow) };
    }
    if (dear(found.wide) && dear(found.narrow)) {
      // Candidates built only from cells present next to this one: slower, for the counts left.
      const near = findPattern(i, fields, LAST_RESORT, false, true);
      found = { wide: cheaper(found.wide, near.wide), narrow: cheaper(found.narrow, near.narrow) };
    }
    // Denmark and regions' yearly totals stay visible even at the price of a narrower interval.
    const pattern =
      found.wide && (found.wide.cost < KEEP_VISIBLE || !found.narrow || found.narrow.cost >= KEEP_VISIBLE)
        ? found.wide
        : found.narrow;
    if (!pattern) unprotected++;
    else {
      if (pattern !== found.wide) narrow++;
      for (const j of pattern.cells) suppressed[j] = true;
      coverOthers(pattern);
    }
  }

  return {
    suppressed,
    cells: cells.length,
    primary,
    secondary: suppressed.filter(Boolean).length - primary,
    hidden: suppressed.filter(Boolean).length,
    unprotected,
    narrow,
  };

  /**
   * The cheapest pattern through cell i that protects it widely enough (`wide`), and the cheapest of those that
   * at least keep it from being determined (`narrow`), as the cells to hide.
   */
  function findPattern(
    i: number,
    fields: readonly CountField[],
    keep: number,
    rankByRoom: boolean,
    presentOnly = false,
  ): { wide: Pattern | undefined; narrow: Pattern | undefined } {
    const [u, p, b] = coordsOf[i] as [number, number, number];
    const cell = cells[i] as DisclosureCell;
    const cellAt = (cu: number, cp: number, cb: number) => at[(cu * P + cp) * B + cb] as number;
    const edgeCost = (axis: 0 | 1 | 2, v: AxisVector): number => {
      let sum = 0;
      for (let k = 1; k < v.length; k++) {
        const coord = (v[k] as readonly [number, number])[0];
        const j = axis === 0 ? cellAt(coord, p, b) : axis === 1 ? cellAt(u, coord, b) : cellAt(u, p, coord);
        if (j < 0) {
          // An absent cell may be fine where its relation is absent too; the full check below decides.
          sum += ABSENT;
          continue;
        }
        if (!suppressed[j]) sum += cost[j] as number;
        // A cell that would go down but has too little room makes the pattern too narrow: try it last.
        if (rankByRoom && (v[k] as readonly [number, number])[1] < 0) {
          const other = cells[j] as DisclosureCell;
          for (const f of fields) if ((other[f] ?? 0) + (cell[f] ?? 0) < PROTECTION_UPPER) sum += TOO_NARROW;
        }
      }
      return sum;
    };
    // Periods are left unfiltered: a year's quarters often exist for the total only, which the pattern may need.
    const present = [(c: number) => cellAt(c, p, b) >= 0, () => true, (c: number) => cellAt(u, p, c) >= 0] as const;
    const ranked = ([0, 1, 2] as const).map((axis) =>
      (presentOnly
        ? [
            [[[u, p, b][axis] as number, 1]] as AxisVector,
            ...axisVectors(dims[axis], [u, p, b][axis] as number, 40, present[axis]),
          ]
        : vectorsOf(axis, [u, p, b][axis] as number)
      )
        .map((v) => ({ v, edge: edgeCost(axis, v) }))
        .filter((x) => Number.isFinite(x.edge))
        .sort((a, b2) => a.edge - b2.edge)
        .slice(0, keep),
    );
    const [ru, rp, rb] = ranked as [(typeof ranked)[0], (typeof ranked)[0], (typeof ranked)[0]];
    const combos: { a: number; b: number; c: number; bound: number }[] = [];
    for (let a = 0; a < ru.length; a++)
      for (let bb = 0; bb < rp.length; bb++)
        for (let c = 0; c < rb.length; c++)
          combos.push({
            a,
            b: bb,
            c,
            bound: (ru[a]?.edge ?? 0) + (rp[bb]?.edge ?? 0) + (rb[c]?.edge ?? 0),
          });
    combos.sort((x, y) => x.bound - y.bound);
    let best: Pattern | undefined;
    let bestCost = Number.POSITIVE_INFINITY;
    let cheapestNarrow: Pattern | undefined;
    let narrowCost = Number.POSITIVE_INFINITY;
    const support: number[] = [];
    const signs: number[] = [];
    let tried = 0;
    for (const combo of combos) {
      if (combo.bound >= bestCost) break;
      // Past the first few, a pattern that is at least valid is good enough for a hopeless small count.
      if (++tried > ENOUGH_TRIES && (best || cheapestNarrow)) break;
      const vu = (ru[combo.a] as { v: AxisVector }).v;
      const vp = (rp[combo.b] as { v: AxisVector }).v;
      const vb = (rb[combo.c] as { v: AxisVector }).v;
      support.length = 0;
      signs.length = 0;
      let total = 0;
      let ok = true;
      const high = fields.map(() => Number.POSITIVE_INFINITY);
      outer: for (const [cu, su] of vu)
        for (const [cp, sp] of vp)
          for (const [cb, sb] of vb) {
            const j = cellAt(cu, cp, cb);
            if (j < 0) continue; // an absent cell: the relations checked below must not need it
            if (!suppressed[j]) {
              total += cost[j] as number;
              if (total >= bestCost) {
                ok = false;
                break outer;
              }
            }
            support.push(j);
            signs.push(su * sp * sb);
            const other = cells[j] as DisclosureCell;
            for (const [k, f] of fields.entries()) {
              const room = other[f] ?? 0;
              if (su * sp * sb < 0) high[k] = Math.min(high[k] as number, room);
            }
          }
      if (!ok) continue;
      // How far up an outsider must allow the count to go: x + the room of the cells that would go down.
      let width = Number.POSITIVE_INFINITY;
      for (const [k, f] of fields.entries()) width = Math.min(width, (cell[f] ?? 0) + (high[k] as number));
      if (width < PROTECTION_UPPER && total >= narrowCost) continue;
      if (!keepsEverySum(support, signs)) continue;
      if (width < PROTECTION_UPPER) {
        cheapestNarrow = { cells: [...support], signs: [...signs], cost: total };
        narrowCost = total;
        continue;
      }
      best = { cells: [...support], signs: [...signs], cost: total };
      bestCost = total;
    }
    return { wide: best, narrow: cheapestNarrow };
  }
}

/**
 * The cost of hiding each cell: its count (small cells cost little), and very much for Denmark and for the yearly
 * totals of regions and of groups (Region Østdanmark, health clusters). A group's quarters and breakdowns cost
 * what their counts say, like a region's.
 */
function costs(
  cells: readonly DisclosureCell[],
  countFields: readonly CountField[],
  dims: readonly [Dimension, Dimension, Dimension],
  coordsOf: readonly [number, number, number][],
  groupTotals: ReadonlySet<string>,
): Float64Array {
  const [unitDim, periodDim, breakdownDim] = dims;
  const isPart = new Set(unitDim.relations.flatMap((r) => r.parts));
  const isTotal = new Set(unitDim.relations.map((r) => r.total));
  const years = new Set(periodDim.coords.flatMap((p, i) => (parsePeriod(p)?.type === 'year' ? [i] : [])));
  const totalBreakdown = breakdownDim.coords.indexOf('total');
  const cost = new Float64Array(cells.length);
  for (const [i, c] of cells.entries()) {
    const [u, p, b] = coordsOf[i] as [number, number, number];
    let size = 0;
    for (const f of countFields) size = Math.max(size, c[f] ?? 0);
    const group = groupTotals.has(c.unit);
    const nation = isTotal.has(u) && !isPart.has(u) && !group;
    const regionYear = isTotal.has(u) && (isPart.has(u) || group) && years.has(p) && b === totalBreakdown;
    cost[i] = (1 + size) * (nation || regionYear ? KEEP_VISIBLE : 1);
  }
  return cost;
}

function cheaper(a: Pattern | undefined, b: Pattern | undefined): Pattern | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.cost < a.cost ? b : a;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
