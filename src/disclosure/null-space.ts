// Exact integer null vectors of a small sparse system: the general patterns for counts no product pattern protects.

/** One linear relation over the variables: coefficient per variable index (absent = 0). */
export type SparseRow = ReadonlyMap<number, number>;

/**
 * Linear relations over variables 0 … columns − 1 in compressed rows: row r has the coefficients
 * `coefs[start[r] … start[r + 1] − 1]` at the variables `vars[…]` (each variable at most once per row).
 */
export interface SparseSystem {
  columns: number;
  start: Int32Array;
  vars: Int32Array;
  coefs: Float64Array;
}

/**
 * An integer vector d with d[target] > 0 and Σ row[v]·d[v] = 0 for every row, or undefined when every solution
 * has d[target] = 0 (the relations then determine the target from the other variables). Variables are preferred
 * in the order given: the solution is the basic one whose basis is the earliest independent set of `order`, all
 * later variables 0, so cheap variables carry it where they can. Variables in neither are held at 0. Exact (see
 * reducedSystem); undefined as well if a number would leave the safe integer range.
 * @example nullVectorThrough([new Map([[0, 1], [1, -1]])], 0, [1]) // Map { 0 => 1, 1 => 1 }
 */
export function nullVectorThrough(
  rows: readonly SparseRow[],
  target: number,
  order: readonly number[],
): Map<number, number> | undefined {
  let columns = target + 1;
  for (const v of order) columns = Math.max(columns, v + 1);
  for (const row of rows) for (const v of row.keys()) columns = Math.max(columns, v + 1);
  // With the target last, it is a pivot exactly when the others determine it, and otherwise the basis of the
  // others is the earliest independent set of `order`.
  return reducedSystem(compressedRows(rows, columns), [...order.filter((v) => v !== target), target]).through(target);
}

/**
 * Rows given as maps, in compressed rows over `columns` variables.
 * @example compressedRows([new Map([[0, 1], [1, -1]])], 2) // { columns: 2, start: [0, 2], vars: [0, 1], coefs: [1, -1] }
 */
export function compressedRows(rows: readonly SparseRow[], columns: number): SparseSystem {
  const start = new Int32Array(rows.length + 1);
  const vars: number[] = [];
  const coefs: number[] = [];
  for (const [r, row] of rows.entries()) {
    for (const [v, a] of row) {
      vars.push(v);
      coefs.push(a);
    }
    start[r + 1] = vars.length;
  }
  return { columns, start, vars: Int32Array.from(vars), coefs: Float64Array.from(coefs) };
}

/** A system brought to reduced row echelon form once, asked for the null vector through any of its variables. */
export interface ReducedSystem {
  /**
   * The integer vector d with d[target] > 0 and every relation kept whose other variables form the basic solution
   * of the earliest independent set of the order without the target; undefined when the relations determine the
   * target (or a number left the safe integer range).
   */
  through(target: number): Map<number, number> | undefined;
}

/**
 * Brings a system to row echelon form with the pivot columns taken in `order` (variables not in it held at 0):
 * exact fraction-free Gaussian elimination, each row divided by the greatest common divisor of its entries, rows
 * kept as their variables in ascending order so that two rows combine in one merge. A pivot row keeps what it
 * was when chosen: later pivots and non-pivots (the elimination is forward only; solutions are read by back
 * substitution, for the one or two targets a neighbourhood is asked for, instead of eliminating upwards).
 *
 * The pivot columns are then the earliest independent set of the order. For a target that is no pivot, the basic
 * solution with it at 1 and the other non-pivots at 0. For a target that is a pivot, the earliest independent set
 * without it takes in the first later non-pivot f whose entry in the target's row, reduced to non-pivots, is not
 * 0, and the solution has f at 1 and the other non-pivots at 0; with no such f the row reads target = 0 and the
 * relations determine it. Counts of one neighbourhood share the one elimination this way.
 */
export function reducedSystem(system: SparseSystem, order: readonly number[]): ReducedSystem {
  const columns = system.columns;
  const rank = new Int32Array(columns).fill(-1);
  for (const [k, v] of order.entries()) if (v < columns && rank[v] === -1) rank[v] = k;
  const rowVars: number[][] = [];
  const rowVals: number[][] = [];
  const rowsOf: number[][] = [];
  for (let r = 0; r + 1 < system.start.length; r++) {
    // Most rows come with their variables ascending, each once: they are taken as they are.
    let vs: number[] = [];
    let as: number[] = [];
    let ascending = true;
    for (let x = system.start[r] as number; x < (system.start[r + 1] as number); x++) {
      const v = system.vars[x] as number;
      const a = system.coefs[x] as number;
      if (a === 0 || rank[v] === -1) continue;
      if (vs.length && (vs[vs.length - 1] as number) >= v) ascending = false;
      vs.push(v);
      as.push(a);
    }
    if (!ascending) [vs, as] = sortedRow(vs, as);
    if (vs.length === 0) continue;
    const k = rowVars.length;
    rowVars.push(vs);
    rowVals.push(as);
    for (const v of vs) listOf(rowsOf, v).push(k);
  }
  const rowCount = rowVars.length;
  const pivotRowOf = new Int32Array(columns).fill(-1);
  const isPivotRow = new Uint8Array(rowCount);
  const mark = new Int32Array(rowCount);
  // The pivot columns in the order they were chosen: back substitution runs through them backwards.
  const pivots: number[] = [];
  let epoch = 0;
  let overflow = false;
  const holding: number[] = [];
  // A merged row is built in these.
  let scratchV: number[] = [];
  let scratchA: number[] = [];
  eliminate: for (const c of order) {
    const list = rowsOf[c];
    if (!list || list.length === 0 || pivotRowOf[c] !== -1) continue;
    // The rows not yet pivot rows that still have column c; the shortest becomes the pivot row.
    epoch++;
    holding.length = 0;
    let pivot = -1;
    for (const r of list) {
      if (mark[r] === epoch || isPivotRow[r] || !has(rowVars[r] as number[], c)) continue;
      mark[r] = epoch;
      holding.push(r);
      if (pivot < 0 || (rowVars[r] as number[]).length < (rowVars[pivot] as number[]).length) pivot = r;
    }
    // Only rows below the pivots can still gain column c, so the others are dropped from its list.
    rowsOf[c] = holding.slice();
    if (pivot < 0) continue;
    isPivotRow[pivot] = 1;
    pivotRowOf[c] = pivot;
    pivots.push(c);
    const PV = rowVars[pivot] as number[];
    const PA = rowVals[pivot] as number[];
    const a = PA[indexOf(PV, c)] as number;
    for (const r of holding) {
      if (r === pivot) continue;
      const RV = rowVars[r] as number[];
      const RA = rowVals[r] as number[];
      const e = RA[indexOf(RV, c)] as number;
      // R := a·R − e·P, then divided by the gcd of its entries. With a = ±1 the row is not scaled: R + e·P for
      // a = −1 is −(a·R − e·P), a row with the same entries up to sign, and so with the same solutions.
      const f = a === -1 ? -e : e;
      const scale = a === 1 || a === -1 ? 1 : a;
      const size = mergeRows(RV, RA, scale, PV, PA, f, scratchV, scratchA, rowsOf, r);
      if (size < 0) {
        overflow = true;
        break eliminate;
      }
      let g = 0;
      for (let k = 0; k < size; k++) {
        g = gcd(g, Math.abs(scratchA[k] as number));
        if (g === 1) break;
      }
      // The merged row takes the scratch arrays (cut to its length), and its old arrays become the scratch ones:
      // no new arrays per merge, and none grown past its length (which would leave holes).
      if (scratchV.length > size) {
        scratchV.length = size;
        scratchA.length = size;
      }
      if (g > 1) for (let k = 0; k < size; k++) scratchA[k] = (scratchA[k] as number) / g;
      rowVars[r] = scratchV;
      rowVals[r] = scratchA;
      scratchV = RV;
      scratchA = RA;
    }
  }
  const isPivot = (v: number) => (pivotRowOf[v] as number) >= 0;
  /**
   * The basic solution with `free` at 1 (scaled to whole numbers) and the other non-pivots at 0: each pivot,
   * from the last chosen to the first, from its row, whose other variables are later pivots or non-pivots. Only
   * the non-zero entries; undefined if a number would leave the safe integer range.
   */
  const x = new Float64Array(columns);
  const solve = (free: number): Map<number, number> | undefined => {
    const set: number[] = [free];
    x[free] = 1;
    try {
      for (let k = pivots.length - 1; k >= 0; k--) {
        const p = pivots[k] as number;
        const r = pivotRowOf[p] as number;
        const RV = rowVars[r] as number[];
        const RA = rowVals[r] as number[];
        let sum = 0;
        let own = 0;
        for (let j = 0; j < RV.length; j++) {
          const v = RV[j] as number;
          if (v === p) own = RA[j] as number;
          else if (x[v] !== 0) sum += (RA[j] as number) * (x[v] as number);
        }
        if (!Number.isSafeInteger(sum)) return undefined;
        if (sum === 0) continue;
        // a·x[p] = −sum: scale what is solved so far where a does not divide the sum.
        const g = gcd(Math.abs(sum), Math.abs(own));
        const up = Math.abs(own) / g;
        if (up !== 1) {
          for (const v of set) {
            x[v] = (x[v] as number) * up;
            if (!Number.isSafeInteger(x[v])) return undefined;
          }
          sum *= up;
        }
        x[p] = -sum / own;
        if (!Number.isSafeInteger(x[p])) return undefined;
        set.push(p);
      }
      const d = new Map<number, number>();
      for (const v of set) if (x[v] !== 0) d.set(v, x[v] as number);
      return d;
    } finally {
      for (const v of set) x[v] = 0;
    }
  };
  /** The first non-pivot (by rank) in the target's pivot row once its later pivots are eliminated from it. */
  const firstFreeOfRow = (target: number): number | undefined => {
    const r = pivotRowOf[target] as number;
    let RV = (rowVars[r] as number[]).slice();
    let RA = (rowVals[r] as number[]).slice();
    const from = pivots.indexOf(target);
    for (let k = from + 1; k < pivots.length; k++) {
      const p = pivots[k] as number;
      const at = indexOf(RV, p);
      if (at < 0) continue;
      const PV = rowVars[pivotRowOf[p] as number] as number[];
      const PA = rowVals[pivotRowOf[p] as number] as number[];
      const a = PA[indexOf(PV, p)] as number;
      const e = RA[at] as number;
      const mergedV: number[] = [];
      const mergedA: number[] = [];
      if (mergeRows(RV, RA, a, PV, PA, e, mergedV, mergedA) < 0) return undefined;
      let g = 0;
      for (const value of mergedA) g = gcd(g, Math.abs(value));
      RV = mergedV;
      RA = g > 1 ? mergedA.map((value) => value / g) : mergedA;
    }
    let f: number | undefined;
    for (const v of RV)
      if (v !== target && !isPivot(v) && (f === undefined || (rank[v] as number) < (rank[f] as number))) f = v;
    return f;
  };
  return {
    through(target: number): Map<number, number> | undefined {
      if (overflow || target >= columns || rank[target] === -1) return undefined;
      let d: Map<number, number> | undefined;
      if (isPivot(target)) {
        const f = firstFreeOfRow(target);
        if (f === undefined) return undefined;
        d = solve(f);
      } else d = solve(target);
      if (!d?.get(target)) return undefined;
      // Smallest integers with d[target] > 0.
      let g = 0;
      for (const value of d.values()) g = gcd(g, Math.abs(value));
      const sign = (d.get(target) as number) < 0 ? -1 : 1;
      for (const [v, value] of d) d.set(v, (sign * value) / g);
      return d;
    },
  };
}

/** A row's variables in ascending order, the coefficients of a repeated variable added (0: left out). */
function sortedRow(vars: readonly number[], coefs: readonly number[]): [number[], number[]] {
  const order = vars.map((_, k) => k).sort((p, q) => (vars[p] as number) - (vars[q] as number));
  const vs: number[] = [];
  const as: number[] = [];
  for (const k of order) {
    const v = vars[k] as number;
    const a = coefs[k] as number;
    if (vs.length && vs[vs.length - 1] === v) {
      as[as.length - 1] = (as[as.length - 1] as number) + a;
      if (as[as.length - 1] === 0) {
        vs.pop();
        as.pop();
      }
    } else {
      vs.push(v);
      as.push(a);
    }
  }
  return [vs, as];
}

/**
 * Writes scale·R − f·P into `outV`/`outA` from index 0 (variables ascending, zeros left out) and returns its length,
 * or −1 if a number would leave the safe integer range. With `rowsOf`, row `r` is listed under each variable it
 * gains from P.
 */
function mergeRows(
  RV: readonly number[],
  RA: readonly number[],
  scale: number,
  PV: readonly number[],
  PA: readonly number[],
  f: number,
  outV: number[],
  outA: number[],
  rowsOf?: number[][],
  r = -1,
): number {
  let size = 0;
  let x = 0;
  let y = 0;
  while (x < RV.length || y < PV.length) {
    const vr = x < RV.length ? (RV[x] as number) : Number.POSITIVE_INFINITY;
    const vp = y < PV.length ? (PV[y] as number) : Number.POSITIVE_INFINITY;
    let v: number;
    let next: number;
    if (vr < vp) {
      v = vr;
      next = scale * (RA[x++] as number);
    } else if (vp < vr) {
      v = vp;
      next = -f * (PA[y++] as number);
      if (rowsOf && next !== 0) listOf(rowsOf, v).push(r);
    } else {
      v = vr;
      next = scale * (RA[x++] as number) - f * (PA[y++] as number);
    }
    if (!Number.isSafeInteger(next)) return -1;
    if (next !== 0) {
      outV[size] = v;
      outA[size] = next;
      size++;
    }
  }
  return size;
}

function listOf(lists: number[][], v: number): number[] {
  let list = lists[v];
  if (!list) {
    list = [];
    lists[v] = list;
  }
  return list;
}

/** The position of v in the ascending list, or −1. */
function indexOf(list: readonly number[], v: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = list[mid] as number;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const has = (list: readonly number[], v: number): boolean => indexOf(list, v) >= 0;

function gcd(a: number, b: number): number {
  while (b) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}
