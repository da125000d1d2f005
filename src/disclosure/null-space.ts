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
 * Brings a system to reduced row echelon form with the pivot columns taken in `order` (variables not in it held
 * at 0): exact fraction-free Gauss–Jordan elimination, each row divided by the greatest common divisor of its
 * entries, rows kept as their variables in ascending order so that two rows combine in one merge.
 *
 * The pivot columns are then the earliest independent set of the order. For a target that is no pivot, the basic
 * solution with it at 1 and the other non-pivots at 0 reads off its column. For a target that is a pivot, the
 * earliest independent set without it takes in the first later non-pivot f whose entry in the target's row is not
 * 0, and the solution has the target and f as its free pair; with no such f the row reads target = 0 and the
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
    const entries: [number, number][] = [];
    for (let x = system.start[r] as number; x < (system.start[r + 1] as number); x++) {
      const v = system.vars[x] as number;
      const a = system.coefs[x] as number;
      if (a !== 0 && rank[v] !== -1) entries.push([v, a]);
    }
    entries.sort((p, q) => p[0] - q[0]);
    const vs: number[] = [];
    const as: number[] = [];
    for (const [v, a] of entries) {
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
  let epoch = 0;
  let overflow = false;
  const holding: number[] = [];
  // A merged row is built in these and copied back into the row's own arrays: no new arrays per merge.
  const scratchV: number[] = [];
  const scratchA: number[] = [];
  eliminate: for (const c of order) {
    const list = rowsOf[c];
    if (!list || list.length === 0 || pivotRowOf[c] !== -1) continue;
    // The rows that still have column c; the shortest not yet a pivot row becomes the pivot row.
    epoch++;
    holding.length = 0;
    let pivot = -1;
    for (const r of list) {
      if (mark[r] === epoch || !has(rowVars[r] as number[], c)) continue;
      mark[r] = epoch;
      holding.push(r);
      if (!isPivotRow[r] && (pivot < 0 || (rowVars[r] as number[]).length < (rowVars[pivot] as number[]).length))
        pivot = r;
    }
    if (pivot < 0) {
      rowsOf[c] = holding.slice();
      continue;
    }
    isPivotRow[pivot] = 1;
    pivotRowOf[c] = pivot;
    rowsOf[c] = [pivot];
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
          if (next !== 0) listOf(rowsOf, v).push(r);
        } else {
          v = vr;
          next = scale * (RA[x++] as number) - f * (PA[y++] as number);
        }
        if (!Number.isSafeInteger(next)) {
          overflow = true;
          break eliminate;
        }
        if (next !== 0) {
          scratchV[size] = v;
          scratchA[size] = next;
          size++;
        }
      }
      let g = 0;
      for (let k = 0; k < size; k++) {
        g = gcd(g, Math.abs(scratchA[k] as number));
        if (g === 1) break;
      }
      RV.length = size;
      RA.length = size;
      for (let k = 0; k < size; k++) {
        RV[k] = scratchV[k] as number;
        RA[k] = g > 1 ? (scratchA[k] as number) / g : (scratchA[k] as number);
      }
    }
  }
  /** The pivot rows with a non-zero entry in column v, with that entry. */
  const columnOf = (v: number): [row: number, entry: number][] => {
    const out: [number, number][] = [];
    const seen = new Set<number>();
    for (const r of rowsOf[v] ?? []) {
      if (!isPivotRow[r] || seen.has(r)) continue;
      seen.add(r);
      const at = indexOf(rowVars[r] as number[], v);
      if (at >= 0) out.push([r, rowVals[r]?.[at] as number]);
    }
    return out;
  };
  const pivotColumnOfRow = new Int32Array(rowCount).fill(-1);
  for (let c = 0; c < columns; c++) if ((pivotRowOf[c] as number) >= 0) pivotColumnOfRow[pivotRowOf[c] as number] = c;
  const coefficient = (r: number, v: number): number => {
    const RV = rowVars[r] as number[];
    return rowVals[r]?.[indexOf(RV, v)] as number;
  };
  return {
    through(target: number): Map<number, number> | undefined {
      if (overflow || target >= columns || rank[target] === -1) return undefined;
      // The free pair (target, f) and their values before scaling: d[target] = wt, d[f] = wf; each pivot p then
      // has a_p·d[p] = −(entry of target)·wt − (entry of f)·wf.
      let f = -1;
      let wt = 1;
      let wf = 0;
      const own = pivotRowOf[target] as number;
      if (own >= 0) {
        const RV = rowVars[own] as number[];
        for (const v of RV)
          if (v !== target && (pivotRowOf[v] as number) < 0 && (f < 0 || (rank[v] as number) < (rank[f] as number)))
            f = v;
        if (f < 0) return undefined;
        // a_t·wt + e_f·wf = 0 in the target's own row.
        wt = coefficient(own, f);
        wf = -coefficient(own, target);
      }
      const terms = new Map<number, number>();
      const add = (v: number, w: number) => {
        if (w === 0) return;
        for (const [r, entry] of columnOf(v)) {
          if (r === own) continue;
          terms.set(r, (terms.get(r) ?? 0) + entry * w);
        }
      };
      add(target, wt);
      if (f >= 0) add(f, wf);
      // d[p] = −term / a_p: everything times the least common multiple of the a_p that do not divide.
      let scale = 1;
      for (const [r, term] of terms) {
        const a = Math.abs(coefficient(r, pivotColumnOfRow[r] as number));
        const g = gcd(Math.abs(term * scale), a);
        if (g < a) scale *= a / g;
        if (!Number.isSafeInteger(scale)) return undefined;
      }
      const d = new Map<number, number>([[target, wt * scale]]);
      if (f >= 0) d.set(f, wf * scale);
      for (const [r, term] of terms) {
        if (term === 0) continue;
        const c = pivotColumnOfRow[r] as number;
        const x = (-term * scale) / coefficient(r, c);
        if (!Number.isSafeInteger(x)) return undefined;
        if (x !== 0) d.set(c, x);
      }
      // Smallest integers with d[target] > 0.
      let g = 0;
      for (const x of d.values()) g = gcd(g, Math.abs(x));
      const sign = (d.get(target) as number) < 0 ? -1 : 1;
      for (const [v, x] of d) d.set(v, (sign * x) / g);
      for (const x of d.values()) if (!Number.isSafeInteger(x)) return undefined;
      return d;
    },
  };
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
