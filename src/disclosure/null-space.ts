// Exact integer null vectors of a small sparse system: the general patterns for counts no product pattern protects.

/** One linear relation over the variables: coefficient per variable index (absent = 0). */
export type SparseRow = ReadonlyMap<number, number>;

/**
 * An integer vector d with d[target] > 0 and Σ row[v]·d[v] = 0 for every row, or undefined when every solution
 * has d[target] = 0 (the relations then determine the target from the other variables). Variables are preferred
 * in the order given: the solution is the basic one whose basis is the earliest independent set of `order`, all
 * later variables 0, so cheap variables carry it where they can. Exact: fraction-free Gauss–Jordan elimination
 * with each row divided by its greatest common divisor; undefined as well if a number would leave the safe
 * integer range.
 * @example nullVectorThrough([new Map([[0, 1], [1, -1]])], 0, [1]) // Map { 0 => 1, 1 => 1 }
 */
export function nullVectorThrough(
  rows: readonly SparseRow[],
  target: number,
  order: readonly number[],
): Map<number, number> | undefined {
  // The target's column moved to the right-hand side: A'·d' = −a_target (with d[target] = 1 before scaling).
  const RHS = -1;
  const work: Map<number, number>[] = [];
  const rowsOf = new Map<number, Set<number>>();
  for (const row of rows) {
    const copy = new Map<number, number>();
    for (const [v, a] of row) {
      if (a === 0) continue;
      copy.set(v === target ? RHS : v, v === target ? -a : a);
    }
    if (copy.size === 0) continue;
    const r = work.length;
    work.push(copy);
    for (const v of copy.keys()) if (v !== RHS) columnRows(rowsOf, v).add(r);
  }
  // Forward elimination: each column in order takes the shortest row not yet a pivot row that has it, and is
  // eliminated from the other rows that are not pivot rows yet; pivot rows stay as they are.
  const pivots: [column: number, row: number][] = [];
  const isPivotRow = new Uint8Array(work.length);
  for (const c of order) {
    const candidates = rowsOf.get(c);
    if (!candidates || candidates.size === 0) continue;
    let pivot = -1;
    for (const r of candidates)
      if (pivot < 0 || (work[r] as Map<number, number>).size < (work[pivot] as Map<number, number>).size) pivot = r;
    isPivotRow[pivot] = 1;
    pivots.push([c, pivot]);
    const P = work[pivot] as Map<number, number>;
    // A pivot row leaves the column index: it is never changed again.
    for (const v of P.keys()) if (v !== RHS) rowsOf.get(v)?.delete(pivot);
    const a = P.get(c) as number;
    for (const r of [...candidates]) {
      const R = work[r] as Map<number, number>;
      const e = R.get(c) as number;
      // R := a·R − e·P, then divided by the gcd of its entries. With a = ±1 the row is not scaled: R + e·P for
      // a = −1 is −(a·R − e·P), a row with the same entries up to sign, and the solution is the same (the basic
      // solution of a basis does not depend on how its rows are scaled).
      const f = a === -1 ? -e : e;
      if (a !== 1 && a !== -1)
        for (const [v, x] of R) {
          const scaled = a * x;
          if (!Number.isSafeInteger(scaled)) return undefined;
          R.set(v, scaled);
        }
      for (const [v, y] of P) {
        const next = (R.get(v) ?? 0) - f * y;
        if (!Number.isSafeInteger(next)) return undefined;
        if (next === 0) {
          if (R.delete(v) && v !== RHS) rowsOf.get(v)?.delete(r);
        } else {
          if (!R.has(v) && v !== RHS) columnRows(rowsOf, v).add(r);
          R.set(v, next);
        }
      }
      let g = 0;
      for (const x of R.values()) {
        g = gcd(g, Math.abs(x));
        if (g === 1) break;
      }
      if (g > 1) for (const [v, x] of R) R.set(v, x / g);
    }
  }
  // A row left without a pivot reads 0 = its right-hand side: the target is determined unless that is 0.
  for (const [r, R] of work.entries()) if (!isPivotRow[r] && (R.get(RHS) ?? 0) !== 0) return undefined;
  // Back substitution, last pivot first, every free variable 0: d[c] = (rhs − Σ a_v·d[v]) / a_c, as fractions
  // num/den over one common denominator that grows as needed (d[target] = den at the end).
  const num = new Map<number, number>();
  let den = 1;
  for (let k = pivots.length - 1; k >= 0; k--) {
    const [c, r] = pivots[k] as [number, number];
    const R = work[r] as Map<number, number>;
    // a_c·d[c] = rhs·den − Σ a_v·num[v], all over den.
    let right = (R.get(RHS) ?? 0) * den;
    for (const [v, a] of R) {
      if (v === RHS || v === c) continue;
      const x = num.get(v);
      if (x) right -= a * x;
    }
    if (!Number.isSafeInteger(right)) return undefined;
    if (right === 0) continue;
    let a = R.get(c) as number;
    // num[c] = right / a: scale everything by a / gcd so that it divides.
    const g = gcd(Math.abs(right), Math.abs(a));
    const scale = Math.abs(a) / g;
    if (a < 0) {
      a = -a;
      right = -right;
    }
    if (scale > 1) {
      den *= scale;
      right *= scale;
      for (const [v, x] of num) num.set(v, x * scale);
      if (!Number.isSafeInteger(den) || !Number.isSafeInteger(right)) return undefined;
    }
    num.set(c, right / a);
  }
  const d = new Map<number, number>([[target, den]]);
  for (const [c, x] of num) if (x !== 0) d.set(c, x);
  // Smallest integers: divide by the gcd of all weights.
  let g = 0;
  for (const x of d.values()) g = gcd(g, Math.abs(x));
  if (g > 1) for (const [v, x] of d) d.set(v, x / g);
  for (const x of d.values()) if (!Number.isSafeInteger(x)) return undefined;
  return d;
}

function columnRows(rowsOf: Map<number, Set<number>>, v: number): Set<number> {
  let set = rowsOf.get(v);
  if (!set) {
    set = new Set();
    rowsOf.set(v, set);
  }
  return set;
}

function gcd(a: number, b: number): number {
  while (b) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}
