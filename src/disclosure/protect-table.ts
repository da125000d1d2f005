// Primary and secondary suppression of one indicator's table, with a certificate of protection per small count.
import { parsePeriod } from '../domain/period.js';
import { type CountField, type DisclosureCell, isSmallCount, PROTECTION_UPPER } from './cell.js';
import type { Dimension } from './dimension.js';
import { cheapestStep, loadSolver, solverLoaded } from './lp-pattern.js';
import { type ReducedSystem, reducedSystem, type SparseSystem } from './null-space.js';
import { type AxisVector, axisVectors } from './null-vectors.js';
import { closePracticeSums, type PracticeSum } from './practice-sums.js';
import {
  breakdownDimension,
  periodDimension,
  type UnitParent,
  type UnitPartition,
  unitDimension,
} from './relations.js';
import { withRemainders } from './remainders.js';
import { repairedVectors } from './repaired-vectors.js';
import { dimensionMemo, sharedDimension } from './shared-dimensions.js';

export interface ProtectOptions {
  /** The fields that count persons and are checked against the 1-4 rule. */
  countFields: readonly CountField[];
  /** Every unit with its parent (the geography relations). */
  parents: readonly UnitParent[];
  /** Further groupings whose members partition a unit's persons (catalogue groups with a `totalUnit`). */
  partitions?: readonly UnitPartition[];
  /**
   * Sums over providers that hold up to the events no member counts: Denmark = Σ hospitals, Denmark = Σ
   * practices, a municipality = Σ its practices. Each holds with an unpublished remainder (see withRemainders).
   */
  providerSums?: readonly UnitPartition[];
  /**
   * A municipality or a kvalitetsklynge = Σ its practices: not used by the patterns, but closed after them wherever
   * it holds exactly (closePracticeSums), by hiding further practices.
   */
  practiceSums?: readonly PracticeSum[];
  /** Also return each small count's certificate (the pattern that protects it), for checking; default false. */
  certify?: boolean;
  /**
   * protectTableFully loads the cheapest-step solver before the search (about 20 MB per thread, 60 ms) instead of
   * once a table has left a count without a pattern, which then costs a second search of the whole table. Register
   * computations set it: on small registries several tables a run need the solver. Default false.
   */
  solverFirst?: boolean;
}

/**
 * The certificate of one small count: the hidden cells of its pattern with their integer weights. Adding t times
 * the weights changes no published cell and keeps every relation, so the count is not determined by what is
 * published. Cells are input indexes; -1 stands for a remainder of a provider sum (never published).
 */
export interface Certificate {
  cell: number;
  cells: number[];
  weights: number[];
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
  /** Primary cells (and remainders of provider sums) for which no protecting pattern was found (see docs/disclosure.md). */
  unprotected: number;
  /** The indexes of those cells. */
  unprotectedCells: number[];
  /** Primary cells protected against exact recovery, but with a guaranteed interval narrower than PROTECTION_UPPER. */
  narrow: number;
  /** Primary cells protected by a general pattern (no product of axis vectors was found for them). */
  general: number;
  /** With `certify`: one certificate per primary cell, in input order of the cells. */
  certificates?: Certificate[];
  /** Provider sums that are no relation of this table (their members count more than the total somewhere). */
  droppedProviderSums: string[];
}

/** Cells to hide together, each with its weight in the null vector they form (±1 in product patterns). */
interface Pattern {
  cells: number[];
  signs: number[];
  cost: number;
}

/** Candidates kept per axis for one small count, before trying their combinations. */
const CANDIDATES_PER_AXIS = 4;
/** Cost factor for hiding a cell whose publication matters most (Denmark, a region's yearly total). */
const KEEP_VISIBLE = 1e6;
/** Unit vectors learnt from general patterns kept per unit (see learn). */
const MAX_LEARNT = 8;
/** Candidates per axis for a small count that no cheap pattern protects. */
const LAST_RESORT = 12;
/** Combinations tried per small count once some pattern has been found. */
const ENOUGH_TRIES = 12;
/** Twins looked at per period and breakdown candidate when pairing a unit with a twin. */
const MAX_TWINS_SCANNED = 400;
/** Ranking penalty for a candidate that needs a cell the table does not have. */
const ABSENT = 1e4;
/** Neighbourhoods of general patterns kept for the next counts (counts of one unit and year share theirs). */
const KEPT_NEIGHBOURHOODS = 64;
/** Largest neighbourhood (cells) a general pattern is sought in. */
const MAX_GENERAL_CELLS = 6000;
/**
 * The time all cheapest steps (the mixed-integer last resort) of one table may take together, in seconds: a table
 * built so that many counts need one (a hostile import) is then left with those counts reported without a
 * pattern instead of holding the writer for hours.
 */
const STEPS_SECONDS_PER_TABLE = 60;
/** Ranking penalty for a candidate that cannot protect widely enough on its own axis. */
const TOO_NARROW = 1e12;
/**
 * Added to a candidate whose cell going up with the count is 0: the pattern then has no whole step down, and with
 * a cell of 0 going down as well none at all. Below TOO_NARROW, so that room upwards is still sought first.
 */
const NO_STEP_DOWN = 1e11;

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
export function protectTable(given: readonly DisclosureCell[], options: ProtectOptions): ProtectResult {
  // The same cells in any order (DuckDB streams rows in no fixed order) give the same hidden cells: they are
  // taken in the order of unit, period and breakdown.
  const canonical = canonicalOrder(given);
  const result = protectSorted(
    canonical.map((i) => given[i] as DisclosureCell),
    options,
  );
  const suppressed = new Array<boolean>(given.length);
  for (const [k, i] of canonical.entries()) suppressed[i] = result.suppressed[k] as boolean;
  const closed = closePracticeSums(given, suppressed, options.practiceSums ?? [], options.countFields).length;
  const input = (k: number): number => (k < given.length ? (canonical[k] as number) : -1);
  return {
    ...result,
    suppressed,
    secondary: result.secondary + closed,
    hidden: result.hidden + closed,
    unprotectedCells: result.unprotectedCells.map(input),
    ...(result.certificates
      ? {
          certificates: result.certificates
            .map((c) => ({ cell: input(c.cell), cells: c.cells.map(input), weights: c.weights }))
            .sort((a, b) => a.cell - b.cell),
        }
      : {}),
  };
}

/**
 * The cells' indexes sorted by unit, then period, then breakdown (each compared as a string), ties in input order:
 * each code is replaced by its rank among the distinct codes, and the ranks with the index packed into one number.
 */
function canonicalOrder(cells: readonly DisclosureCell[]): number[] {
  const rankOf = (codes: string[]): Map<string, number> => {
    const distinct = [...new Set(codes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new Map(distinct.map((c, k) => [c, k]));
  };
  const units = rankOf(cells.map((c) => c.unit));
  const periods = rankOf(cells.map((c) => c.period));
  const breakdowns = rankOf(cells.map((c) => c.breakdown));
  const n = cells.length;
  const positions = units.size * periods.size * breakdowns.size;
  if (positions * n >= Number.MAX_SAFE_INTEGER) {
    const key = (c: DisclosureCell) => `${c.unit}\u0000${c.period}\u0000${c.breakdown}`;
    const keys = cells.map(key);
    return cells
      .map((_, i) => i)
      .sort((a, b) =>
        (keys[a] as string) < (keys[b] as string) ? -1 : (keys[a] as string) > (keys[b] as string) ? 1 : 0,
      );
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = cells[i] as DisclosureCell;
    const position =
      ((units.get(c.unit) as number) * periods.size + (periods.get(c.period) as number)) * breakdowns.size +
      (breakdowns.get(c.breakdown) as number);
    packed[i] = position * n + i;
  }
  packed.sort();
  return Array.from(packed, (x) => x % n);
}

function protectSorted(input: readonly DisclosureCell[], options: ProtectOptions): ProtectResult {
  const inputs = input.length;
  const inputSmall = input.map((c) => options.countFields.some((f) => isSmallCount(c[f])));
  const primary = inputSmall.filter(Boolean).length;
  const remainders = withRemainders(input, options.providerSums ?? [], options.countFields);
  const cells = remainders.cells;
  const n = cells.length;
  // Remainders of provider sums are never published.
  const suppressed = cells.map((_, i) => i >= inputs || (inputSmall[i] as boolean));
  const droppedProviderSums = remainders.dropped;
  // A table without small counts has nothing to protect.
  if (primary === 0 && !cells.some((c, i) => i >= inputs && options.countFields.some((f) => isSmallCount(c[f]))))
    return {
      suppressed: inputSmall,
      cells: inputs,
      primary,
      secondary: 0,
      hidden: 0,
      unprotected: 0,
      unprotectedCells: [],
      narrow: 0,
      general: 0,
      ...(options.certify ? { certificates: [] } : {}),
      droppedProviderSums,
    };

  const units = unique(cells.map((c) => c.unit));
  const periods = unique(cells.map((c) => c.period));
  const breakdowns = unique(cells.map((c) => c.breakdown));
  // Tables with the same axes share them, and with them the axes' null vectors.
  const geography = sharedDimension(unitDimension(units, options.parents, options.partitions ?? []));
  const dims: [Dimension, Dimension, Dimension] = [
    remainders.partitions.length
      ? sharedDimension(
          unitDimension(units, options.parents, [...(options.partitions ?? []), ...remainders.partitions]),
        )
      : geography,
    sharedDimension(periodDimension(periods)),
    sharedDimension(breakdownDimension(breakdowns)),
  ];
  const [U, P, B] = [units.length, periods.length, breakdowns.length];
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const periodIndex = new Map(periods.map((p, i) => [p, i]));
  const breakdownIndex = new Map(breakdowns.map((b, i) => [b, i]));
  const at = new Int32Array(U * P * B).fill(-1);
  const cu = new Int32Array(n);
  const cp = new Int32Array(n);
  const cb = new Int32Array(n);
  const coordsOf: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const c = cells[i] as DisclosureCell;
    const u = unitIndex.get(c.unit) as number;
    const p = periodIndex.get(c.period) as number;
    const b = breakdownIndex.get(c.breakdown) as number;
    at[(u * P + p) * B + b] = i;
    cu[i] = u;
    cp[i] = p;
    cb[i] = b;
    coordsOf.push([u, p, b]);
  }
  const cellAt = (u: number, p: number, b: number): number => at[(u * P + p) * B + b] as number;
  // The count fields as numbers (empty = 0), and per cell which of them is a small count (bit f).
  const fieldCount = options.countFields.length;
  const value = options.countFields.map((f) => Float64Array.from(cells, (c) => c[f] ?? 0));
  /** An empty count (a row with a value but no counts, such as a group's) publishes nothing and blocks no step. */
  const empty = options.countFields.map((f) =>
    Uint8Array.from(cells, (c) => (c[f] === null || c[f] === undefined ? 1 : 0)),
  );
  const smallFields = Uint8Array.from(cells, (c) => {
    let mask = 0;
    for (let f = 0; f < fieldCount; f++) if (isSmallCount(c[options.countFields[f] as CountField])) mask |= 1 << f;
    return mask;
  });

  const groupTotals = new Set((options.partitions ?? []).map((p) => p.total));
  // What is worth keeping visible follows the geography (Denmark, regions), not the sums over providers.
  const cost_ = costs(cells, options.countFields, [geography, dims[1], dims[2]], coordsOf, groupTotals);
  /** Units whose every cell is worth keeping visible (Denmark): a total of the geography that is no part. */
  const nationUnit = new Uint8Array(U);
  {
    const isPart = new Set(geography.relations.flatMap((r) => r.parts));
    for (const r of geography.relations)
      if (!isPart.has(r.total) && !groupTotals.has(units[r.total] as string)) nationUnit[r.total] = 1;
  }

  const vectorCache = dims.map((dim) => dimensionMemo<PackedVector[]>(dim, 'vectors'));
  const vectorsOf = (axis: 0 | 1 | 2, coord: number): PackedVector[] => {
    let v = vectorCache[axis]?.get(coord);
    if (!v) {
      // The cell alone on this axis is a candidate too: valid wherever no relation of the axis is present.
      v = [[[coord, 1]] as AxisVector, ...axisVectors(dims[axis], coord).filter((x) => x.length > 1)].map((x) =>
        pack(axis, x),
      );
      vectorCache[axis]?.set(coord, v);
    }
    return v;
  };

  /**
   * The candidates of cell i's unit (axis 0) or breakdown (axis 2) built only through coordinates whose cell is
   * present next to it; cells with the same coordinate and the same neighbours present share them.
   */
  const presentCache = [
    dimensionMemo<PackedVector[]>(dims[0], 'present'),
    dimensionMemo<PackedVector[]>(dims[2], 'present'),
  ];
  const presentVectorsOf = (axis: 0 | 2, i: number): PackedVector[] => {
    const size = axis === 0 ? U : B;
    const here = (c: number) =>
      axis === 0 ? cellAt(c, cp[i] as number, cb[i] as number) : cellAt(cu[i] as number, cp[i] as number, c);
    const coord = axis === 0 ? (cu[i] as number) : (cb[i] as number);
    let key = `${coord}:`;
    for (let c = 0; c < size; c++) key += here(c) >= 0 ? '1' : '0';
    const cache = presentCache[axis === 0 ? 0 : 1] as Map<string | number, PackedVector[]>;
    let v = cache.get(key);
    if (!v) {
      v = [[[coord, 1]] as AxisVector, ...axisVectors(dims[axis], coord, 40, (c) => here(c) >= 0)].map((x) =>
        pack(axis, x),
      );
      cache.set(key, v);
    }
    return v;
  };

  /**
   * Twins of each unit: units that are parts of exactly the same relations and the total of none, as the unit
   * itself (practices under Denmark, hospitals), those with cells at most positions first. Swapping a unit
   * with its twin keeps every sum of the unit axis.
   */
  const twinsOf = (() => {
    const unitDim = dims[0];
    const roles: string[] = unitDim.coords.map(() => '');
    const isTotal = new Uint8Array(U);
    for (const [r, rel] of unitDim.relations.entries()) {
      isTotal[rel.total] = 1;
      for (const part of rel.parts) roles[part] += `${r},`;
    }
    const cellsOfUnit = new Int32Array(U);
    for (let j = 0; j < n; j++) cellsOfUnit[cu[j] as number] = (cellsOfUnit[cu[j] as number] as number) + 1;
    const bySignature = new Map<string, number[]>();
    for (let c = 0; c < U; c++) {
      if (isTotal[c] || roles[c] === '') continue;
      const list = bySignature.get(roles[c] as string);
      if (list) list.push(c);
      else bySignature.set(roles[c] as string, [c]);
    }
    for (const list of bySignature.values())
      list.sort((a, b) => (cellsOfUnit[b] as number) - (cellsOfUnit[a] as number));
    return (c: number): number[] => (isTotal[c] ? [] : (bySignature.get(roles[c] as string) ?? []));
  })();
  /** Twins to pair cell i's unit with: for each of the cheapest period and breakdown candidates, the first twins whose cells are all there. */
  const twinVectorsOf = (i: number): PackedVector[] => {
    const u = cu[i] as number;
    const twins = twinsOf(u);
    if (twins.length < 2) return [];
    const rp = vectorsOf(1, cp[i] as number).slice(0, CANDIDATES_PER_AXIS);
    const rb = vectorsOf(2, cb[i] as number).slice(0, LAST_RESORT);
    const chosen = new Set<number>();
    for (const vp of rp)
      for (const vb of rb) {
        let hits = 0;
        for (let t = 0; t < twins.length && t < MAX_TWINS_SCANNED && hits < 2; t++) {
          const s = twins[t] as number;
          if (s === u) continue;
          let all = true;
          for (let y = 0; y < vp.coords.length && all; y++)
            for (let z = 0; z < vb.coords.length && all; z++)
              if (cellAt(s, vp.coords[y] as number, vb.coords[z] as number) < 0) all = false;
          if (all) {
            chosen.add(s);
            hits++;
          }
        }
      }
    return [...chosen].map((s) =>
      pack(0, [
        [u, 1],
        [s, -1],
      ]),
    );
  };

  /**
   * Unit vectors of cell i repaired under the sums over providers (repaired-vectors.ts), through units with a cell
   * at cell i's position or at its year's total (where providers are published); cached per unit and year.
   */
  const providerCache = new Map<string, PackedVector[]>();
  const yearIndex = periods.map((code) => periodIndex.get(String(parsePeriod(code)?.year ?? code)) ?? -1);
  const totalIndex = breakdownIndex.get('total') ?? -1;
  const providerVectorsOf = (i: number): PackedVector[] => {
    const [u, p, b] = [cu[i] as number, cp[i] as number, cb[i] as number];
    const y = yearIndex[p] as number;
    const key = `${u}:${p}:${b}`;
    let v = providerCache.get(key);
    if (!v) {
      const here = (c: number) => cellAt(c, p, b) >= 0;
      const usable = (c: number) =>
        !topUnits.has(c) && (here(c) || (y >= 0 && totalIndex >= 0 && cellAt(c, y, totalIndex) >= 0));
      // Seeds: the unit's vectors of the geography through cells present here; for a practice, its municipality's
      // too, with the practice changing alongside it.
      const seeds: AxisVector[] = [[[u, 1]], ...axisVectors(geography, u, 12, here).filter((x) => x.length > 1)];
      for (const total of providerTotalsOf(u))
        for (const g of axisVectors(geography, total, 12, here))
          if (g.length > 1 && !g.some(([c]) => c === u)) seeds.push([[u, 1], ...g]);
      v = repairedVectors(dims[0], seeds, usable).map((x) => pack(0, x));
      providerCache.set(key, v);
    }
    return v;
  };
  /** The totals of the provider sums unit c is a member of that are parts of the geography (a practice's municipality). */
  const providerTotals = (() => {
    const inGeography = new Set(geography.relations.flatMap((r) => r.parts));
    const totals = new Map<number, number[]>();
    for (const sum of remainders.partitions) {
      const t = unitIndex.get(sum.total);
      if (t === undefined || !inGeography.has(t)) continue;
      for (const m of sum.members) {
        const c = unitIndex.get(m) as number;
        totals.set(c, [...(totals.get(c) ?? []), t]);
      }
    }
    return totals;
  })();
  const providerTotalsOf = (c: number): number[] => providerTotals.get(c) ?? [];
  /** Units at the top of the geography (Denmark): repaired vectors do not run through them. */
  const topUnits = new Set(geography.relations.map((r) => r.total));
  for (const rel of geography.relations) for (const part of rel.parts) topUnits.delete(part);
  for (const t of groupTotals) topUnits.delete(unitIndex.get(t) as number);
  /** Units that are members of sums over providers only (practices, hospitals), not of the geography. */
  const providerUnit = new Set(
    remainders.partitions.flatMap((sum) => sum.members.map((m) => unitIndex.get(m) as number)),
  );
  for (const rel of geography.relations) for (const part of rel.parts) providerUnit.delete(part);

  // For each axis and coordinate: the relations it belongs to (global id, +1 as a part or -1 as the total).
  const memberships = dims.map(() => ({ start: new Int32Array(0), id: new Int32Array(0), sign: new Int8Array(0) }));
  const relationTotal: number[] = [];
  const relationAxis: number[] = [];
  const relationParts: number[][] = [];
  /** Per axis: the global id of its first relation. */
  const axisOffset: number[] = [];
  for (const [axis, dim] of dims.entries()) {
    axisOffset[axis] = relationTotal.length;
    const byCoord: [id: number, sign: number][][] = dim.coords.map(() => []);
    for (const rel of dim.relations) {
      const id = relationTotal.length;
      relationTotal.push(rel.total);
      relationAxis.push(axis);
      relationParts.push(rel.parts);
      byCoord[rel.total]?.push([id, -1]);
      for (const part of rel.parts) byCoord[part]?.push([id, 1]);
    }
    const start = new Int32Array(byCoord.length + 1);
    for (const [c, list] of byCoord.entries()) start[c + 1] = (start[c] as number) + list.length;
    const flat = byCoord.flat();
    memberships[axis] = {
      start,
      id: Int32Array.from(flat, (m) => m[0]),
      sign: Int8Array.from(flat, (m) => m[1]),
    };
  }
  const otherSize = Math.max(P * B, U * B, U * P);
  const relationSlots = relationTotal.length * otherSize;
  /** Per relation and position on the other axes: 0 not yet known, 1 present (total and a part exist), 2 absent. */
  const presence = new Uint8Array(relationSlots);
  /** Running balance per relation and position while a pattern is checked; `touched` lists the slots to reset. */
  const balance = new Int32Array(relationSlots);
  const touched: number[] = [];
  /** The cell of relation `id`'s coordinate `coord` on its axis, at the other coordinates of cell j. */
  const cellOnAxis = (axis: number, coord: number, j: number): number =>
    axis === 0
      ? cellAt(coord, cp[j] as number, cb[j] as number)
      : axis === 1
        ? cellAt(cu[j] as number, coord, cb[j] as number)
        : cellAt(cu[j] as number, cp[j] as number, coord);
  const isPresent = (id: number, slot: number, j: number): boolean =>
    isPresentAt(id, slot, cu[j] as number, cp[j] as number, cb[j] as number);
  /** Whether relation `id` is present (its total and a part exist) at the other coordinates of position (u, p, b). */
  const isPresentAt = (id: number, slot: number, u: number, p: number, b: number): boolean => {
    let known = presence[slot] as number;
    if (known === 0) {
      const axis = relationAxis[id] as number;
      const on = (c: number) => (axis === 0 ? cellAt(c, p, b) : axis === 1 ? cellAt(u, c, b) : cellAt(u, p, c));
      let present = on(relationTotal[id] as number) >= 0;
      if (present) present = (relationParts[id] as number[]).some((c) => on(c) >= 0);
      known = present ? 1 : 2;
      presence[slot] = known;
    }
    return known === 1;
  };
  /**
   * For a product of vectors that each keep every relation of their axis: whether the cells it needs but the table
   * lacks (given by coordinates and sign) leave every present relation balanced. Over all its cells, present or
   * not, such a product keeps every relation; so a present relation is balanced exactly when its absent cells
   * cancel out, and only the relations through absent cells need looking at (what keepsEverySum would find).
   */
  const absentCellsCancel = (size: number): boolean => {
    for (let k = 0; k < size; k++) {
      const u = scratchAbsent[3 * k] as number;
      const p = scratchAbsent[3 * k + 1] as number;
      const b = scratchAbsent[3 * k + 2] as number;
      const s = scratchAbsentSigns[k] as number;
      for (let axis = 0; axis < 3; axis++) {
        const m = memberships[axis] as (typeof memberships)[0];
        const coord = axis === 0 ? u : axis === 1 ? p : b;
        const position = axis === 0 ? p * B + b : axis === 1 ? u * B + b : u * P + p;
        for (let x = m.start[coord] as number; x < (m.start[coord + 1] as number); x++) {
          const id = m.id[x] as number;
          const slot = id * otherSize + position;
          if (!isPresentAt(id, slot, u, p, b)) continue;
          if (balance[slot] === 0) touched.push(slot);
          // Less the absent cells' part (the sign does not matter on its own, and does with productKeepsEverySum).
          balance[slot] = (balance[slot] as number) - s * (m.sign[x] as number);
        }
      }
    }
    let balanced = true;
    for (const slot of touched) {
      if (balance[slot] !== 0) balanced = false;
      balance[slot] = 0;
    }
    touched.length = 0;
    return balanced;
  };
  /** Scratch sums per relation of one axis, for checking that a vector keeps them all. */
  const axisBalance = new Int32Array(relationTotal.length);
  /** An axis vector with its flag: does it keep every relation of its axis? */
  function pack(axis: number, v: AxisVector): PackedVector {
    const coords = v.map((e) => e[0] as number);
    const signs = v.map((e) => e[1] as number);
    const m = memberships[axis] as (typeof memberships)[0];
    const ids: number[] = [];
    for (let k = 0; k < coords.length; k++) {
      const c = coords[k] as number;
      for (let x = m.start[c] as number; x < (m.start[c + 1] as number); x++) {
        const id = m.id[x] as number;
        ids.push(id);
        axisBalance[id] = (axisBalance[id] as number) + (signs[k] as number) * (m.sign[x] as number);
      }
    }
    const unbalanced: number[] = [];
    const imbalance: number[] = [];
    for (const id of ids) {
      if (axisBalance[id] !== 0) {
        unbalanced.push(id - (axisOffset[axis] as number));
        imbalance.push(axisBalance[id] as number);
      }
      axisBalance[id] = 0;
    }
    return { coords, signs, keepsAxis: unbalanced.length === 0, unbalanced, imbalance };
  }
  /**
   * Whether the product of three axis vectors keeps every present relation over the cells of it the table has. Over
   * all its cells, a relation of one axis at a position of the other two sums to the vector's imbalance on that
   * relation times the other two signs (0 where the vector keeps it); a present relation is balanced over the
   * cells present exactly when that sum less the absent cells' part is 0. So only the relations a vector leaves
   * unbalanced and those through absent cells are looked at: what keepsEverySum finds, with less work.
   */
  const productKeepsEverySum = (v: readonly PackedVector[], absentCount: number): boolean => {
    for (let axis = 0; axis < 3; axis++) {
      const va = v[axis] as PackedVector;
      if (va.keepsAxis) continue;
      const y = axis === 0 ? 1 : 0;
      const z = axis === 2 ? 1 : 2;
      const vy = v[y] as PackedVector;
      const vz = v[z] as PackedVector;
      for (let a = 0; a < vy.coords.length; a++)
        for (let c = 0; c < vz.coords.length; c++) {
          scratchCoord[y] = vy.coords[a] as number;
          scratchCoord[z] = vz.coords[c] as number;
          const u = scratchCoord[0] as number;
          const p = scratchCoord[1] as number;
          const b = scratchCoord[2] as number;
          const position = axis === 0 ? p * B + b : axis === 1 ? u * B + b : u * P + p;
          const signs = (vy.signs[a] as number) * (vz.signs[c] as number);
          for (let r = 0; r < va.unbalanced.length; r++) {
            const id = (va.unbalanced[r] as number) + (axisOffset[axis] as number);
            const slot = id * otherSize + position;
            if (!isPresentAt(id, slot, u, p, b)) continue;
            if (balance[slot] === 0) touched.push(slot);
            balance[slot] = (balance[slot] as number) + (va.imbalance[r] as number) * signs;
          }
        }
    }
    return absentCellsCancel(absentCount);
  };
  /** True when changing the cells by their weights keeps every present relation (total and a part exist) balanced. */
  const keepsEverySum = (support: ArrayLike<number>, signs: ArrayLike<number>, size: number): boolean => {
    for (let k = 0; k < size; k++) {
      const j = support[k] as number;
      const s = signs[k] as number;
      const u = cu[j] as number;
      const p = cp[j] as number;
      const b = cb[j] as number;
      for (let axis = 0; axis < 3; axis++) {
        const m = memberships[axis] as (typeof memberships)[0];
        const coord = axis === 0 ? u : axis === 1 ? p : b;
        const position = axis === 0 ? p * B + b : axis === 1 ? u * B + b : u * P + p;
        for (let x = m.start[coord] as number; x < (m.start[coord + 1] as number); x++) {
          const id = m.id[x] as number;
          const slot = id * otherSize + position;
          if (!isPresent(id, slot, j)) continue;
          if (balance[slot] === 0) touched.push(slot);
          balance[slot] = (balance[slot] as number) + s * (m.sign[x] as number);
        }
      }
    }
    let balanced = true;
    for (const slot of touched) {
      if (balance[slot] !== 0) balanced = false;
      balance[slot] = 0;
    }
    touched.length = 0;
    return balanced;
  };

  /** Whether cell j is at least 1 in every field of `fields` (bit f for count field f): it can go down a step. */
  const positiveIn = (j: number, fields: number): boolean => {
    for (let f = 0; f < fieldCount; f++)
      if (fields & (1 << f) && ((value[f] as Float64Array)[j] as number) < 1) return false;
    return true;
  };
  /** The neighbourhoods of general patterns last built (null: too many cells), by stage, unit, periods and breakdowns. */
  const neighbourhoods = new Map<string, Neighbourhood | null>();
  /** The supports of general patterns last used, with their eliminations (see supportOf). */
  const supports = new Map<string, SupportContext>();
  const allBreakdowns = breakdowns.map((_, k) => k);
  /** Scratch: each cell's position in the neighbourhood being built, −1 outside it. */
  const positionOf = new Int32Array(n).fill(-1);

  /**
   * Unit vectors learnt from general patterns: the units a general pattern moves at its count's period and
   * breakdown, with weights ±1, form a vector of the unit axis that the generated candidates may lack (a region
   * through one of its municipalities and that one's health cluster). It is offered to the product search of every
   * unit in it, so that those units' counts in other years and breakdowns find a product pattern instead of
   * another elimination. Like every candidate, it is checked in full against the table's relations.
   */
  const learnt = new Map<number, PackedVector[]>();
  const learntKeys = new Set<string>();
  const learn = (pattern: Pattern, i: number) => {
    const slice: [number, 1 | -1][] = [];
    for (const [k, j] of pattern.cells.entries()) {
      if (cp[j] !== cp[i] || cb[j] !== cb[i]) continue;
      const w = pattern.signs[k] as number;
      if ((w !== 1 && w !== -1) || nationUnit[cu[j] as number]) return;
      slice.push([cu[j] as number, w]);
    }
    if (slice.length < 2) return;
    slice.sort((x, y) => x[0] - y[0]);
    // One key for the vector and its negation.
    const key = slice.map(([c, w]) => `${c}${w === slice[0]?.[1] ? '+' : '-'}`).join('');
    if (learntKeys.has(key)) return;
    learntKeys.add(key);
    for (const [c, w] of slice) {
      const list = learnt.get(c) ?? [];
      if (list.length >= MAX_LEARNT) continue;
      // The unit itself first, at +1.
      const vector: AxisVector = [
        [c, 1],
        ...slice.filter(([o]) => o !== c).map(([o, x]) => [o, x === w ? 1 : -1] as const),
      ];
      list.push(pack(0, vector));
      learnt.set(c, list);
    }
  };
  /** A unit's candidates for the product search, those learnt for it first. */
  const withLearnt = (u: number, vectors: PackedVector[]): PackedVector[] => {
    const extra = learnt.get(u);
    return extra ? [...extra, ...vectors] : vectors;
  };

  const unprotectedCells: number[] = [];
  /** When the cheapest steps of this table must have ended (set by the first one). */
  let stepDeadline: number | undefined;
  let narrow = 0;
  let general = 0;
  const certificateOf: (Pattern | undefined)[] | undefined = options.certify ? new Array(n) : undefined;
  /** Small counts already protected widely by a pattern chosen for another one. */
  const covered = new Uint8Array(n);
  /** Small counts in a chosen pattern that moves them, if not far enough: protected against exact recovery. */
  const coveredNarrowly = new Uint8Array(n);
  /** With `certify`: the pattern that moves each of those, its certificate. */
  const narrowCoverOf: (Pattern | undefined)[] | undefined = options.certify ? new Array(n) : undefined;
  /** A pattern protects every small count in it whose opposite-signed cells leave it room enough. */
  const coverOthers = (pattern: Pattern) => {
    const size = pattern.cells.length;
    for (let k = 0; k < size; k++) {
      const j = pattern.cells[k] as number;
      const mask = smallFields[j] as number;
      if (covered[j] || mask === 0) continue;
      let wide = true;
      let movable = true;
      for (let f = 0; f < fieldCount; f++) {
        if (!(mask & (1 << f))) continue;
        const values = value[f] as Float64Array;
        if (reach(pattern, k, values) < PROTECTION_UPPER) wide = false;
        if (!moves(pattern, k, values)) movable = false;
      }
      if (wide) {
        covered[j] = 1;
        if (certificateOf) certificateOf[j] = pattern;
      }
      // The pattern moves the count up or down: not determined, if maybe bounded below 5.
      else if (movable && !coveredNarrowly[j]) {
        coveredNarrowly[j] = 1;
        if (narrowCoverOf) narrowCoverOf[j] = pattern;
      }
    }
  };
  // A unit in no relation of the unit axis (a general practice) whose cells are all hidden already: its own
  // counts, as weights, are a pattern for every small count in it (they keep every sum, and none goes down).
  {
    const unitMembership = memberships[0] as (typeof memberships)[0];
    const start = new Int32Array(U + 1);
    for (let j = 0; j < n; j++) start[(cu[j] as number) + 1] = (start[(cu[j] as number) + 1] as number) + 1;
    for (let u = 0; u < U; u++) start[u + 1] = (start[u + 1] as number) + (start[u] as number);
    const byUnit = new Int32Array(n);
    const next = start.slice(0, U);
    for (let j = 0; j < n; j++) byUnit[(next[cu[j] as number] as number)++] = j;
    for (let u = 0; u < U; u++) {
      if (unitMembership.start[u] !== unitMembership.start[u + 1]) continue;
      const from = start[u] as number;
      const to = start[u + 1] as number;
      let allHidden = true;
      for (let k = from; k < to && allHidden; k++) if (!suppressed[byUnit[k] as number]) allHidden = false;
      if (!allHidden) continue;
      for (let f = 0; f < fieldCount; f++) {
        const values = value[f] as Float64Array;
        const cellsOfPattern: number[] = [];
        const weights: number[] = [];
        for (let k = from; k < to; k++) {
          const j = byUnit[k] as number;
          const x = values[j] as number;
          if (x !== 0) {
            cellsOfPattern.push(j);
            weights.push(x);
          }
        }
        if (!weights.every((w) => Number.isInteger(w) && w > 0)) continue;
        if (cellsOfPattern.length === 0 || !keepsEverySum(cellsOfPattern, weights, cellsOfPattern.length)) continue;
        coverOthers({ cells: cellsOfPattern, signs: weights, cost: 0 });
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const fields = smallFields[i] as number;
    if (fields === 0 || covered[i]) continue;
    let found = findPattern(i, fields, CANDIDATES_PER_AXIS, true);
    const dear = (p: Pattern | undefined) => !p || p.cost >= KEEP_VISIBLE;
    if (dear(found.wide) && dear(found.narrow)) {
      const plain = findPattern(i, fields, CANDIDATES_PER_AXIS, false);
      found = { wide: cheaper(found.wide, plain.wide), narrow: cheaper(found.narrow, plain.narrow) };
    }
    let viaGeneral = false;
    /** Whether the general patterns that keep Denmark and regions' yearly totals visible were sought already. */
    let keptSought = false;
    if (dear(found.wide) && dear(found.narrow)) {
      // No product pattern of the first kinds, or only ones through Denmark or a region's yearly total: a general
      // pattern that keeps those visible (found for most such counts, and cheaper to seek than the products
      // below).
      const kept = generalPattern(i, fields, 'keep');
      keptSought = true;
      if (!dear(kept.wide) || !dear(kept.narrow)) {
        found = kept;
        viaGeneral = true;
      }
    }
    if (dear(found.wide) && dear(found.narrow)) {
      // Candidates built only from cells present next to this one: slower, for the counts left.
      const near = findPattern(i, fields, LAST_RESORT, false, true);
      found = { wide: cheaper(found.wide, near.wide), narrow: cheaper(found.narrow, near.narrow) };
    }
    if (dear(found.wide) && dear(found.narrow)) {
      // A twin unit (a practice beside a practice) whose cells exist wherever the pattern needs them.
      const twins = twinVectorsOf(i);
      if (twins.length) {
        const paired = findPattern(i, fields, LAST_RESORT, false, false, twins);
        found = { wide: cheaper(found.wide, paired.wide), narrow: cheaper(found.narrow, paired.narrow) };
      }
    }
    if (dear(found.wide) && dear(found.narrow) && remainders.partitions.length) {
      // Under sums over providers: a unit vector that changes a practice wherever a municipality changes.
      // Breakdowns through cells present next to this one first, then any.
      for (const presentOnly of [true, false]) {
        if (!dear(found.wide) || !dear(found.narrow)) break;
        const paired = findPattern(i, fields, LAST_RESORT, false, presentOnly, providerVectorsOf(i));
        found = { wide: cheaper(found.wide, paired.wide), narrow: cheaper(found.narrow, paired.narrow) };
      }
    }
    if (!found.wide && !found.narrow) {
      // No product of axis vectors: a general null vector of the relations around the cell.
      found = generalPattern(i, fields, keptSought ? 'dear' : 'all');
      viaGeneral = true;
    }
    // Denmark and regions' yearly totals stay visible even at the price of a narrower interval.
    const chosen =
      found.wide && (found.wide.cost < KEEP_VISIBLE || !found.narrow || found.narrow.cost >= KEEP_VISIBLE)
        ? found.wide
        : found.narrow;
    // …and are never hidden for a provider's count (a practice's): it is left without a pattern instead; nor for a
    // count that a pattern chosen before moves already (protected against exact recovery, if narrowly).
    let pattern =
      chosen && chosen.cost >= KEEP_VISIBLE && (providerUnit.has(cu[i] as number) || coveredNarrowly[i])
        ? undefined
        : chosen;
    if (!pattern && !coveredNarrowly[i] && solverLoaded()) {
      // Every search above failed: the cheapest step of one, as a mixed-integer program (a last resort).
      const stepped = steppedPattern(i, fields);
      if (stepped && !(stepped.cost >= KEEP_VISIBLE && providerUnit.has(cu[i] as number))) {
        pattern = stepped;
      }
    }
    if (!pattern) {
      if (coveredNarrowly[i]) {
        narrow++;
        if (certificateOf) certificateOf[i] = narrowCoverOf?.[i];
      } else unprotectedCells.push(i);
    } else {
      if (pattern !== found.wide) narrow++;
      if (viaGeneral && i < inputs) general++;
      for (const j of pattern.cells) suppressed[j] = true;
      if (certificateOf) certificateOf[i] = pattern;
      coverOthers(pattern);
      if (viaGeneral && pattern.cost < KEEP_VISIBLE) learn(pattern, i);
    }
  }

  const published = suppressed.slice(0, inputs);
  const hidden = published.filter(Boolean).length;
  return {
    suppressed: published,
    cells: inputs,
    primary,
    secondary: hidden - primary,
    hidden,
    unprotected: unprotectedCells.length,
    unprotectedCells: unprotectedCells.filter((i) => i < inputs),
    narrow,
    general,
    ...(certificateOf
      ? {
          certificates: certificateOf.flatMap((p, i) =>
            p && i < inputs && inputSmall[i] ? [{ cell: i, cells: [...p.cells], weights: [...p.signs] }] : [],
          ),
        }
      : {}),
    droppedProviderSums,
  };

  /**
   * A pattern that is no product of axis vectors: an integer null vector d of the table's relations with d[i] > 0
   * whose support lies in a neighbourhood of cell i (see neighbourhoodOf: the nearest units first, the count's own
   * breakdown dimension before every breakdown), all other cells held fixed. Found by exact elimination, cheap
   * cells preferred; then checked in full like every other pattern. Tried a second time with the cells that would
   * leave the count too little room last, for a wide pattern. The elimination is done once per neighbourhood,
   * cells held fixed and order, and shared by the counts in it (see supportOf).
   */
  function generalPattern(
    i: number,
    fields: number,
    stages: 'keep' | 'dear' | 'all',
  ): { wide: Pattern | undefined; narrow: Pattern | undefined } {
    let wide: Pattern | undefined;
    let narrowest: Pattern | undefined;
    const positive = (j: number) => positiveIn(j, fields);
    for (const [stage, onlyPositive, keepDear] of [
      [6, true, true],
      [5, true, true],
      [0, true, true],
      [3, true, true],
      [6, false, true],
      [0, false, true],
      [5, false, true],
      [3, false, true],
      [6, true, false],
      [5, true, false],
      [0, true, false],
      [1, true, false],
      [3, true, false],
      [1, false, false],
      [3, false, false],
    ] as const) {
      if ((stages === 'keep' && !keepDear) || (stages === 'dear' && keepDear)) continue;
      if ((stage === 5 || stage === 6) && cb[i] === totalIndex) continue;
      const near = neighbourhoodOf(i, stage, keepDear);
      if (!near) continue;
      const context = supportOf(i, near, fields, onlyPositive, keepDear);
      const { support } = context;
      const target = context.position[near.cells.indexOf(i)] as number;
      const roomy = (k: number) => {
        const j = support[k] as number;
        for (let f = 0; f < fieldCount; f++)
          if (
            fields & (1 << f) &&
            ((value[f] as Float64Array)[j] as number) + ((value[f] as Float64Array)[i] as number) < PROTECTION_UPPER
          )
            return false;
        return true;
      };
      // A third order takes the cells with room to go down first (a count's own categories, where its persons are)
      // and those of 0 last: a basis through them often allows the whole step down that the first one blocks.
      const movable = (k: number) => positive(support[k] as number);
      let roomyKey = 'roomy';
      for (let f = 0; f < fieldCount; f++) if (fields & (1 << f)) roomyKey += `:${(value[f] as Float64Array)[i]}`;
      const movableFirst: [string, () => number[]] = [
        'movable',
        () => [...context.base.filter(movable), ...context.base.filter((k) => !movable(k))],
      ];
      // Where the same neighbourhood without the cells of 0 was tried already (those totals held fixed), the
      // first two orders mostly find what that did: only the third is tried.
      const orders: [string, () => number[]][] =
        !onlyPositive && keepDear
          ? [movableFirst]
          : [
              ['base', () => context.base],
              [roomyKey, () => [...context.base.filter(roomy), ...context.base.filter((k) => !roomy(k))]],
              ...(onlyPositive ? [] : [movableFirst]),
            ];
      for (const [kind, orderOf] of orders) {
        let reduced = context.reduced.get(kind);
        if (!reduced) {
          reduced = reducedSystem(context.system, orderOf());
          context.reduced.set(kind, reduced);
        }
        const d = reduced.through(target);
        if (!d) break; // the relations around the cell determine it: look further out
        const cells: number[] = [];
        const signs: number[] = [];
        let cost = 0;
        for (const [k, w] of d) {
          if (w === 0) continue;
          const j = support[k] as number;
          cells.push(j);
          signs.push(w);
          if (!suppressed[j]) cost += cost_[j] as number;
        }
        if (!keepsEverySum(cells, signs, cells.length) || !wholeStep(cells, signs, fields)) continue;
        const pattern = { cells, signs, cost };
        const at = cells.indexOf(i);
        let isWide = true;
        for (let f = 0; f < fieldCount; f++)
          if (fields & (1 << f) && reach(pattern, at, value[f] as Float64Array) < PROTECTION_UPPER) isWide = false;
        if (isWide) wide = cheaper(wide, pattern);
        else narrowest = cheaper(narrowest, pattern);
        if (wide) break;
      }
      if (wide || narrowest) break;
    }
    return { wide, narrow: narrowest };
  }

  /**
   * The cheapest pattern that takes count i down by one (else up by one), all other counts staying whole numbers ≥ 0, found as a
   * mixed-integer program over a neighbourhood (for a category, one, three and four steps out on the unit axis with
   * the breakdowns of its own dimension; then one, two, three and four steps out with every breakdown; each with the
   * periods of its year), Denmark's and the regions' cells allowed at their cost. Protects the count
   * against exact recovery, if narrowly; sought only for the counts every other search left without a pattern.
   */
  function steppedPattern(i: number, fields: number): Pattern | undefined {
    stepDeadline ??= performance.now() + STEPS_SECONDS_PER_TABLE * 1000;
    let best: Pattern | undefined;
    for (const stage of [6, 5, 7, 0, 1, 3, 8]) {
      if ((stage === 5 || stage === 6 || stage === 7) && cb[i] === totalIndex) continue;
      const near = neighbourhoodOf(i, stage, false);
      if (!near) continue;
      const m = near.cells.length;
      const position = Int32Array.from(near.cells, (_, k) => k);
      const room = new Float64Array(m);
      const weight = new Float64Array(m);
      for (const [k, j] of near.cells.entries()) {
        let r = Number.POSITIVE_INFINITY;
        for (let f = 0; f < fieldCount; f++)
          if (fields & (1 << f) && !(empty[f] as Uint8Array)[j])
            r = Math.min(r, (value[f] as Float64Array)[j] as number);
        room[k] = Number.isFinite(r) ? r : 1e9;
        weight[k] = 1 + keepCost(j);
      }
      const system = restricted(near, position, m);
      for (const direction of [-1, 1] as const) {
        const left = (stepDeadline - performance.now()) / 1000;
        if (left <= 0) return best;
        const d = cheapestStep(system, near.cells.indexOf(i), direction, room, weight, left);
        if (!d) continue;
        const cells: number[] = [];
        const signs: number[] = [];
        let cost = 0;
        for (const [k, w] of d) {
          const j = near.cells[k] as number;
          cells.push(j);
          signs.push(w);
          cost += keepCost(j);
        }
        if (!keepsEverySum(cells, signs, cells.length) || !wholeStep(cells, signs, fields)) continue;
        // One that keeps Denmark's cells and the regions' yearly totals visible is taken at once; one that hides
        // them only if no later neighbourhood has one that keeps them.
        if (cost < KEEP_VISIBLE) return { cells, signs, cost };
        if (!best || cost < best.cost) best = { cells, signs, cost };
        break;
      }
    }
    return best;
  }

  /**
   * True when, for each small field of the count, adding or subtracting the weights once keeps that field ≥ 0 in
   * every cell: a second table of whole numbers, consistent with everything published, in which the count
   * differs. A pattern without one protects nothing (its cells of 0 block both ways, or its weights are larger
   * than the counts allow).
   */
  function wholeStep(cells: readonly number[], weights: readonly number[], fields: number): boolean {
    for (let f = 0; f < fieldCount; f++) {
      if (!(fields & (1 << f))) continue;
      const values = value[f] as Float64Array;
      const none = empty[f] as Uint8Array;
      const fits = (t: 1 | -1) =>
        cells.every((j, k) => none[j] === 1 || (values[j] as number) + t * (weights[k] as number) >= 0);
      if (!fits(1) && !fits(-1)) return false;
    }
    return true;
  }

  /** Cost of hiding cell j now: nothing if it is hidden already. */
  function keepCost(j: number): number {
    return suppressed[j] ? 0 : (cost_[j] as number);
  }

  /**
   * The cells of a neighbourhood a general pattern may move for a count with small `fields` (the others held
   * fixed): without cells of 0 in those fields (`onlyPositive`), and without Denmark's and regions' yearly totals
   * while they are visible (`keepDear`); with their relations, and the eliminations done over them so far. Kept
   * for the other counts of the neighbourhood until a cell of it is hidden.
   */
  function supportOf(
    i: number,
    near: Neighbourhood,
    fields: number,
    onlyPositive: boolean,
    keepDear: boolean,
  ): SupportContext {
    const positive = (j: number) => positiveIn(j, fields);
    const dear = (j: number) => !suppressed[j] && (cost_[j] as number) >= KEEP_VISIBLE;
    let hidden = 0;
    for (const j of near.cells) if (suppressed[j]) hidden++;
    const key = `${near.key}|${fields}|${onlyPositive ? 1 : 0}|${keepDear ? 1 : 0}`;
    const known = supports.get(key);
    if (known && known.hidden === hidden && (known.position[near.cells.indexOf(i)] as number) >= 0) return known;
    const support: number[] = [];
    const position = new Int32Array(near.cells.length);
    for (const [k, j] of near.cells.entries()) {
      if (j !== i && ((onlyPositive && !positive(j)) || (keepDear && dear(j)))) {
        position[k] = -1;
        continue;
      }
      position[k] = support.length;
      support.push(j);
    }
    const context: SupportContext = {
      hidden,
      support,
      position,
      system: restricted(near, position, support.length),
      base: support
        .map((_, k) => k)
        .sort((x, y) => keepCost(support[x] as number) - keepCost(support[y] as number) || x - y),
      reduced: new Map(),
    };
    if (supports.size >= KEPT_NEIGHBOURHOODS) supports.clear();
    supports.set(key, context);
    return context;
  }

  /** Coordinates reached from `from` in `hops` steps through the relations of one axis, in ascending order. */
  function nearOnAxis(axis: 0 | 1 | 2, from: number, hops: number, keepDear: boolean): number[] {
    const seen = new Set([from]);
    let frontier = [from];
    const m = memberships[axis] as (typeof memberships)[0];
    for (let h = 0; h < hops; h++) {
      const next: number[] = [];
      for (const c of frontier) {
        // Denmark held fixed links its parts only among themselves (regions, hospitals, practices): the regions
        // are reached as the count's unit's siblings, and hospitals or practices cannot help.
        if (axis === 0 && keepDear && h > 0 && nationUnit[c]) continue;
        for (let x = m.start[c] as number; x < (m.start[c + 1] as number); x++) {
          const id = m.id[x] as number;
          for (const o of [relationTotal[id] as number, ...(relationParts[id] as number[])])
            if (!seen.has(o)) {
              seen.add(o);
              next.push(o);
            }
        }
      }
      frontier = next;
    }
    return [...seen].sort((x, y) => x - y);
  }

  /**
   * The cells around cell i that a general pattern may use at `stage`, with every present relation touching them
   * as rows over their positions in that list (cells outside it held fixed); undefined when they are too many.
   * Counts of one unit and year share it: the last few are kept.
   *
   * Stages 0 and 6: the units in a relation with the count's unit; stage 1: two steps out; stages 3 and 5: three
   * steps out (a cluster's municipalities, their region's other municipalities, and the other clusters of those).
   * Each with the periods of the count's year and every breakdown; stages 5 and 6 only the breakdowns of the
   * count's own dimension (its category, the others of it and the total; the other dimensions' categories held
   * fixed): far fewer cells, so that the units of a whole region and its neighbours fit, and the elimination is
   * quick where the count's own dimension suffices. Stages 7 (own dimension) and 8 (every breakdown): four steps
   * out, for the cheapest step only (a group of regions' count, whose Denmark is tied to every region's units).
   */
  function neighbourhoodOf(i: number, stage: number, keepDear: boolean): Neighbourhood | undefined {
    const hops = stage === 0 || stage === 6 ? 1 : stage === 3 || stage === 5 ? 3 : stage === 7 || stage === 8 ? 4 : 2;
    const periodsNear = nearOnAxis(1, cp[i] as number, 2, keepDear);
    const ownDimension = (stage === 5 || stage === 6 || stage === 7) && cb[i] !== totalIndex;
    const breakdownsNear = ownDimension ? nearOnAxis(2, cb[i] as number, 1, keepDear) : allBreakdowns;
    const key = `${stage}|${keepDear ? 1 : 0}|${cu[i]}|${periodsNear.join(',')}|${ownDimension ? breakdownsNear.join(',') : '*'}`;
    const known = neighbourhoods.get(key);
    if (known !== undefined) return known ?? undefined;
    const unitsNear = nearOnAxis(0, cu[i] as number, hops, keepDear);
    const cells: number[] = [];
    let tooMany = false;
    outer: for (const u of unitsNear)
      for (const p of periodsNear)
        for (const b of breakdownsNear) {
          const j = cellAt(u, p, b);
          if (j < 0) continue;
          cells.push(j);
          if (cells.length > MAX_GENERAL_CELLS) {
            tooMany = true;
            break outer;
          }
        }
    const found = tooMany ? null : relationsAround(key, cells);
    if (neighbourhoods.size >= KEPT_NEIGHBOURHOODS) neighbourhoods.clear();
    neighbourhoods.set(key, found);
    return found ?? undefined;
  }

  /** Every present relation touching the given cells, as rows over their positions in that list (others held fixed). */
  function relationsAround(key: string, cells: number[]): Neighbourhood {
    for (const [k, j] of cells.entries()) positionOf[j] = k;
    const start: number[] = [0];
    const vars: number[] = [];
    const coefs: number[] = [];
    const done = new Set<number>();
    for (const j of cells) {
      const coords = [cu[j] as number, cp[j] as number, cb[j] as number];
      for (let axis = 0; axis < 3; axis++) {
        const m = memberships[axis] as (typeof memberships)[0];
        const coord = coords[axis] as number;
        const position =
          axis === 0
            ? (coords[1] as number) * B + (coords[2] as number)
            : axis === 1
              ? (coords[0] as number) * B + (coords[2] as number)
              : (coords[0] as number) * P + (coords[1] as number);
        for (let x = m.start[coord] as number; x < (m.start[coord + 1] as number); x++) {
          const id = m.id[x] as number;
          const slot = id * otherSize + position;
          if (done.has(slot) || !isPresent(id, slot, j)) continue;
          done.add(slot);
          const add = (c: number, a: number) => {
            const cell = cellOnAxis(axis, c, j);
            const k = cell >= 0 ? (positionOf[cell] as number) : -1;
            if (k >= 0) {
              vars.push(k);
              coefs.push(a);
            }
          };
          add(relationTotal[id] as number, -1);
          for (const part of relationParts[id] as number[]) add(part, 1);
          start.push(vars.length);
        }
      }
    }
    for (const j of cells) positionOf[j] = -1;
    return { key, cells, start: Int32Array.from(start), vars: Int32Array.from(vars), coefs: Float64Array.from(coefs) };
  }

  /**
   * The cheapest pattern through cell i that protects it widely enough (`wide`), and the cheapest of those that
   * at least keep it from being determined (`narrow`), as the cells to hide. `fields` has bit f set for each
   * count field that is small in cell i.
   */
  function findPattern(
    i: number,
    fields: number,
    keep: number,
    rankByRoom: boolean,
    presentOnly = false,
    unitCandidates?: PackedVector[],
  ): { wide: Pattern | undefined; narrow: Pattern | undefined } {
    const u = cu[i] as number;
    const p = cp[i] as number;
    const b = cb[i] as number;
    /**
     * Ranks one axis's candidates into `into` (the `keep` cheapest, by the cost of the cells they add next to
     * cell i): a candidate's cost is summed only until it reaches that of the last one kept, which it could not
     * displace any more (every term is ≥ 0).
     */
    const rank = (axis: 0 | 1 | 2, vectors: readonly PackedVector[], into: Ranked): Ranked => {
      into.length = 0;
      const edges = into.edges;
      const kept = into.vectors;
      for (const v of vectors) {
        const limit = into.length === keep ? (edges[keep - 1] as number) : Number.POSITIVE_INFINITY;
        let sum = 0;
        for (let k = 1; k < v.coords.length && sum < limit; k++) {
          const coord = v.coords[k] as number;
          const j = axis === 0 ? cellAt(coord, p, b) : axis === 1 ? cellAt(u, coord, b) : cellAt(u, p, coord);
          if (j < 0) {
            // An absent cell may be fine where its relation is absent too; the full check below decides.
            sum += ABSENT;
            continue;
          }
          if (!suppressed[j]) sum += cost_[j] as number;
          if (!rankByRoom) continue;
          // A cell that would go down but has too little room makes the pattern too narrow: try it last.
          if ((v.signs[k] as number) > 0) {
            for (let f = 0; f < fieldCount; f++)
              if (fields & (1 << f) && ((value[f] as Float64Array)[j] as number) < 1 && !(empty[f] as Uint8Array)[j])
                sum += NO_STEP_DOWN;
          } else {
            for (let f = 0; f < fieldCount; f++)
              if (
                fields & (1 << f) &&
                ((value[f] as Float64Array)[j] as number) + ((value[f] as Float64Array)[i] as number) < PROTECTION_UPPER
              )
                sum += TOO_NARROW;
          }
        }
        if (sum >= limit) continue;
        // Kept in rank order; of equal costs, the earlier one first.
        let k = into.length === keep ? keep - 1 : into.length++;
        while (k > 0 && (edges[k - 1] as number) > sum) {
          kept[k] = kept[k - 1] as PackedVector;
          edges[k] = edges[k - 1] as number;
          k--;
        }
        kept[k] = v;
        edges[k] = sum;
      }
      return into;
    };
    // Periods are left unfiltered: a year's quarters often exist for the total only, which the pattern may need.
    const ru = rank(
      0,
      unitCandidates ?? withLearnt(u, presentOnly ? presentVectorsOf(0, i) : vectorsOf(0, u)),
      rankedUnits,
    );
    const rp = rank(1, vectorsOf(1, p), rankedPeriods);
    const rb = rank(2, presentOnly ? presentVectorsOf(2, i) : vectorsOf(2, b), rankedBreakdowns);
    // Every combination of one candidate per axis, cheapest first (ties in the order a, b, c).
    const count = ru.length * rp.length * rb.length;
    // Shared buffers: this runs once or more per small count, hundreds of thousands of times per table.
    const bound = scratchBound;
    for (let a = 0, k = 0; a < ru.length; a++)
      for (let bb = 0; bb < rp.length; bb++)
        for (let c = 0; c < rb.length; c++, k++) {
          bound[k] = (ru.edges[a] as number) + (rp.edges[bb] as number) + (rb.edges[c] as number);
          scratchOrder[k] = k;
        }
    // Taken in order of bound, then index: a few combinations by insertion sort; many (up to LAST_RESORT³) from a
    // binary heap, since the search seldom takes more than a few of them.
    const order = scratchOrder;
    const small = count <= 64;
    if (small) {
      for (let k = 1; k < count; k++) {
        const x = order[k] as number;
        const bx = bound[x] as number;
        let m = k - 1;
        while (m >= 0 && (bound[order[m] as number] as number) > bx) {
          order[m + 1] = order[m] as number;
          m--;
        }
        order[m + 1] = x;
      }
    } else for (let h = (count >> 1) - 1; h >= 0; h--) siftDown(order, bound, h, count);
    let best: Pattern | undefined;
    let bestCost = Number.POSITIVE_INFINITY;
    let cheapestNarrow: Pattern | undefined;
    let narrowCost = Number.POSITIVE_INFINITY;
    let tried = 0;
    const perA = rp.length * rb.length;
    for (let taken = 0, left = count; taken < count; taken++) {
      let k: number;
      if (small) k = order[taken] as number;
      else {
        k = order[0] as number;
        left--;
        order[0] = order[left] as number;
        siftDown(order, bound, 0, left);
      }
      if ((bound[k] as number) >= bestCost) break;
      // Past the first few, a pattern that is at least valid is good enough for a hopeless small count.
      if (++tried > ENOUGH_TRIES && (best || cheapestNarrow)) break;
      const vu = ru.vectors[Math.floor(k / perA)] as PackedVector;
      const vp = rp.vectors[Math.floor((k % perA) / rb.length)] as PackedVector;
      const vb = rb.vectors[k % rb.length] as PackedVector;
      let size = 0;
      let total = 0;
      let ok = true;
      let high0 = Number.POSITIVE_INFINITY;
      let high1 = Number.POSITIVE_INFINITY;
      // Whole-step room per field: the smallest non-empty value among the cells of each sign.
      let plus0 = Number.POSITIVE_INFINITY;
      let minus0 = Number.POSITIVE_INFINITY;
      let plus1 = Number.POSITIVE_INFINITY;
      let minus1 = Number.POSITIVE_INFINITY;
      let targetSign = 1;
      let absent = 0;
      outer: for (let x = 0; x < vu.coords.length; x++)
        for (let y = 0; y < vp.coords.length; y++)
          for (let z = 0; z < vb.coords.length; z++) {
            const j = cellAt(vu.coords[x] as number, vp.coords[y] as number, vb.coords[z] as number);
            if (j < 0) {
              // An absent cell: the relations checked below must not need it.
              scratchAbsent[3 * absent] = vu.coords[x] as number;
              scratchAbsent[3 * absent + 1] = vp.coords[y] as number;
              scratchAbsent[3 * absent + 2] = vb.coords[z] as number;
              scratchAbsentSigns[absent] = (vu.signs[x] as number) * (vp.signs[y] as number) * (vb.signs[z] as number);
              absent++;
              continue;
            }
            if (!suppressed[j]) {
              total += cost_[j] as number;
              if (total >= bestCost) {
                ok = false;
                break outer;
              }
            }
            const sign = (vu.signs[x] as number) * (vp.signs[y] as number) * (vb.signs[z] as number);
            scratchCells[size] = j;
            scratchSigns[size] = sign;
            size++;
            if (sign < 0) {
              high0 = Math.min(high0, (value[0] as Float64Array)[j] as number);
              if (fieldCount > 1) high1 = Math.min(high1, (value[1] as Float64Array)[j] as number);
            }
            if (j === i) targetSign = sign;
            if (!(empty[0] as Uint8Array)[j]) {
              const x0 = (value[0] as Float64Array)[j] as number;
              if (sign > 0) plus0 = Math.min(plus0, x0);
              else minus0 = Math.min(minus0, x0);
            }
            if (fieldCount > 1 && !(empty[1] as Uint8Array)[j]) {
              const x1 = (value[1] as Float64Array)[j] as number;
              if (sign > 0) plus1 = Math.min(plus1, x1);
              else minus1 = Math.min(minus1, x1);
            }
          }
      if (!ok) continue;
      // The whole-step rule: in every small field of the count, the pattern must allow a second table of whole
      // counts, one step up (every opposite-signed cell ≥ 1) or one step down (every same-signed cell, the count
      // included, ≥ 1). With a cell of 0 on each side its range is empty and interval bounds pin the count.
      const up0 = targetSign > 0 ? minus0 : plus0;
      const down0 = targetSign > 0 ? plus0 : minus0;
      const up1 = targetSign > 0 ? minus1 : plus1;
      const down1 = targetSign > 0 ? plus1 : minus1;
      if (fields & 1 && up0 < 1 && down0 < 1) continue;
      if (fields & 2 && up1 < 1 && down1 < 1) continue;
      // How far up an outsider must allow the count to go: x + the room of the cells that would go down.
      let width = Number.POSITIVE_INFINITY;
      if (fields & 1) width = Math.min(width, ((value[0] as Float64Array)[i] as number) + high0);
      if (fields & 2) width = Math.min(width, ((value[1] as Float64Array)[i] as number) + high1);
      if (width < PROTECTION_UPPER && total >= narrowCost) continue;
      // A product of null vectors of each axis keeps every sum over its cells; with all of them present, it keeps
      // every present relation, and otherwise exactly when its absent cells cancel out in each present relation.
      if (vu.keepsAxis && vp.keepsAxis && vb.keepsAxis) {
        if (absent > 0 && !absentCellsCancel(absent)) continue;
      } else {
        scratchVectors[0] = vu;
        scratchVectors[1] = vp;
        scratchVectors[2] = vb;
        if (!productKeepsEverySum(scratchVectors, absent)) continue;
      }
      const found = {
        cells: Array.from(scratchCells.subarray(0, size)),
        signs: Array.from(scratchSigns.subarray(0, size)),
        cost: total,
      };
      if (width < PROTECTION_UPPER) {
        cheapestNarrow = found;
        narrowCost = total;
        continue;
      }
      best = found;
      bestCost = total;
    }
    return { wide: best, narrow: cheapestNarrow };
  }
}

/** The cells a general pattern may use around a count, and every present relation touching them over their positions. */
interface Neighbourhood {
  key: string;
  cells: number[];
  start: Int32Array;
  vars: Int32Array;
  coefs: Float64Array;
}

/** The cells of a neighbourhood a general pattern may move, their relations, and the eliminations done over them. */
interface SupportContext {
  /** How many cells of the neighbourhood were hidden when it was made: it is made again once that changes. */
  hidden: number;
  support: number[];
  /** Per cell of the neighbourhood, its position in `support` (−1: held fixed). */
  position: Int32Array;
  system: SparseSystem;
  /** The positions, cells already hidden and cheap cells first. */
  base: number[];
  /** The system reduced with its pivots taken in each order tried so far. */
  reduced: Map<string, ReducedSystem>;
}

/**
 * A neighbourhood's relations over the cells kept (`position[k]` ≥ 0 is cell k's variable), the others held fixed:
 * a relation that touches no kept cell is left out.
 */
function restricted(near: Neighbourhood, position: Int32Array, columns: number): SparseSystem {
  const start: number[] = [0];
  const vars: number[] = [];
  const coefs: number[] = [];
  for (let r = 0; r + 1 < near.start.length; r++) {
    for (let x = near.start[r] as number; x < (near.start[r + 1] as number); x++) {
      const k = position[near.vars[x] as number] as number;
      if (k < 0) continue;
      vars.push(k);
      coefs.push(near.coefs[x] as number);
    }
    if (vars.length > (start[start.length - 1] as number)) start.push(vars.length);
  }
  return { columns, start: Int32Array.from(start), vars: Int32Array.from(vars), coefs: Float64Array.from(coefs) };
}

/** An axis vector as parallel arrays; the first entry is the coordinate it was built for. */
interface PackedVector {
  coords: number[];
  signs: number[];
  /**
   * Whether it keeps every relation of its axis (the cell alone on an axis does not). A product of three such
   * vectors keeps every relation of the table wherever all its cells are present.
   */
  keepsAxis: boolean;
  /** The relations of its axis it leaves unbalanced (indexes among the axis's relations), with Σ parts − total. */
  unbalanced: number[];
  imbalance: number[];
}

/** The three vectors of the combination being checked, and the coordinates of one position. */
const scratchVectors: PackedVector[] = [];
const scratchCoord = [0, 0, 0];

/**
 * How far up cell k of a pattern can go in whole steps while every cell stays ≥ 0: x_k + |w_k| · ⌊min x_m / |w_m|⌋
 * over the cells m whose weight has the other sign (they go down as it goes up). For ±1 weights, x_k + the
 * smallest of them.
 */
function reach(pattern: Pattern, k: number, values: Float64Array): number {
  const w = pattern.signs[k] as number;
  let t = Number.POSITIVE_INFINITY;
  for (let m = 0; m < pattern.cells.length; m++) {
    const v = pattern.signs[m] as number;
    if (v * w < 0) t = Math.min(t, (values[pattern.cells[m] as number] as number) / Math.abs(v));
  }
  return (values[pattern.cells[k] as number] as number) + Math.abs(w) * Math.floor(t);
}

/** Whether a pattern lets cell k move at least a whole step up or down while every cell stays ≥ 0. */
function moves(pattern: Pattern, k: number, values: Float64Array): boolean {
  const w = pattern.signs[k] as number;
  let up = Number.POSITIVE_INFINITY;
  let down = Number.POSITIVE_INFINITY;
  for (let m = 0; m < pattern.cells.length; m++) {
    const v = pattern.signs[m] as number;
    const steps = Math.floor((values[pattern.cells[m] as number] as number) / Math.abs(v));
    if (v * w < 0) up = Math.min(up, steps);
    else down = Math.min(down, steps);
  }
  return up >= 1 || down >= 1;
}

/** Restores the heap order (smallest bound first, then smallest index) below position h of a heap of `size`. */
function siftDown(heap: Int32Array, bound: Float64Array, h: number, size: number): void {
  const x = heap[h] as number;
  const bx = bound[x] as number;
  for (;;) {
    let child = 2 * h + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size) {
      const bl = bound[heap[child] as number] as number;
      const br = bound[heap[right] as number] as number;
      if (br < bl || (br === bl && (heap[right] as number) < (heap[child] as number))) child = right;
    }
    const c = heap[child] as number;
    const bc = bound[c] as number;
    if (bc > bx || (bc === bx && c > x)) break;
    heap[h] = c;
    h = child;
  }
  heap[h] = x;
}

/** Candidates of one axis, kept in rank order with their edge costs (the first `length`). */
interface Ranked {
  vectors: PackedVector[];
  edges: Float64Array;
  length: number;
}

/** The ranked candidates of one search, per axis: at most LAST_RESORT each. */
const rankedUnits: Ranked = { vectors: [], edges: new Float64Array(LAST_RESORT), length: 0 };
const rankedPeriods: Ranked = { vectors: [], edges: new Float64Array(LAST_RESORT), length: 0 };
const rankedBreakdowns: Ranked = { vectors: [], edges: new Float64Array(LAST_RESORT), length: 0 };

/** Room for the cells of one pattern: at most MAX_SUPPORT coordinates per axis. */
const scratchCells = new Int32Array(1000);
/** Room for the combinations of one search: at most LAST_RESORT candidates per axis. */
const scratchBound = new Float64Array(LAST_RESORT ** 3);
const scratchOrder = new Int32Array(LAST_RESORT ** 3);
const scratchSigns = new Int8Array(1000);
/** The coordinates (u, p, b) and signs of a pattern's cells the table lacks. */
const scratchAbsent = new Int32Array(3000);
const scratchAbsentSigns = new Int8Array(1000);

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

/**
 * protectTable with the last resort of the cheapest step (step 7 of docs/disclosure.md): the solver is loaded
 * first (`solverFirst`), or only when a table leaves a small count without a pattern, and the table is then
 * protected again with it (the search is deterministic, so the result is that of a run with the solver loaded
 * from the start).
 * @example const result = await protectTableFully(cells, { countFields: ['numerator'], parents })
 */
export async function protectTableFully(
  given: readonly DisclosureCell[],
  options: ProtectOptions,
): Promise<ProtectResult> {
  if (options.solverFirst) await loadSolver();
  const result = protectTable(given, options);
  if (result.unprotected === 0 || solverLoaded()) return result;
  await loadSolver();
  return protectTable(given, options);
}
