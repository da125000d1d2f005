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
  const pivotOf = new Map<number, number>();
  const isPivotRow = new Uint8Array(work.length);
  for (const c of order) {
    const candidates = rowsOf.get(c);
    if (!candidates || candidates.size === 0) continue;
    let pivot = -1;
    for (const r of candidates)
      if (
        !isPivotRow[r] &&
        (pivot < 0 || (work[r] as Map<number, number>).size < (work[pivot] as Map<number, number>).size)
      )
        pivot = r;
    if (pivot < 0) continue;
    isPivotRow[pivot] = 1;
    pivotOf.set(c, pivot);
    const P = work[pivot] as Map<number, number>;
    const a = P.get(c) as number;
    for (const r of [...candidates]) {
      if (r === pivot) continue;
      const R = work[r] as Map<number, number>;
      const e = R.get(c) as number;
      // R := a·R − e·P, then divided by the gcd of its entries.
      for (const [v, x] of R) {
        const scaled = a * x;
        if (!Number.isSafeInteger(scaled)) return undefined;
        R.set(v, scaled);
      }
      for (const [v, y] of P) {
        const next = (R.get(v) ?? 0) - e * y;
        if (!Number.isSafeInteger(next)) return undefined;
        if (next === 0) {
          if (R.delete(v) && v !== RHS) rowsOf.get(v)?.delete(r);
        } else {
          if (!R.has(v) && v !== RHS) columnRows(rowsOf, v).add(r);
          R.set(v, next);
        }
      }
      let g = 0;
      for (const x of R.values()) g = gcd(g, Math.abs(x));
      if (g > 1) for (const [v, x] of R) R.set(v, x / g);
    }
  }
  // A row left without a pivot reads 0 = its right-hand side: the target is determined unless that is 0.
  for (const [r, R] of work.entries()) if (!isPivotRow[r] && (R.get(RHS) ?? 0) !== 0) return undefined;
  // d[c] = rhs / a for each pivot column c; every free variable 0. Scaled to integers by the denominators' lcm.
  let scale = 1;
  const ratios: [number, number, number][] = [];
  for (const [c, r] of pivotOf) {
    const R = work[r] as Map<number, number>;
    const rhs = R.get(RHS) ?? 0;
    if (rhs === 0) continue;
    let a = R.get(c) as number;
    let b = rhs;
    const g = gcd(Math.abs(a), Math.abs(b));
    a /= g;
    b /= g;
    if (a < 0) {
      a = -a;
      b = -b;
    }
    ratios.push([c, b, a]);
    scale = (scale / gcd(scale, a)) * a;
    if (!Number.isSafeInteger(scale)) return undefined;
  }
  const d = new Map<number, number>([[target, scale]]);
  for (const [c, b, a] of ratios) {
    const x = (b * scale) / a;
    if (!Number.isSafeInteger(x)) return undefined;
    d.set(c, x);
  }
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
  while (b) [a, b] = [b, a % b];
  return a;
}
