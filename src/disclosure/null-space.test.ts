import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compressedRows, nullVectorThrough, reducedSystem, type SparseRow } from './null-space.js';

/** The rank of the given columns of the rows, by exact elimination over BigInt fractions (cross-multiplied). */
function rankOf(rows: readonly SparseRow[], columns: readonly number[]): number {
  const m = rows.map((row) => columns.map((c) => BigInt(row.get(c) ?? 0)));
  let rank = 0;
  for (let c = 0; c < columns.length && rank < m.length; c++) {
    const p = m.findIndex((row, r) => r >= rank && row[c] !== 0n);
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p] as bigint[], m[rank] as bigint[]];
    const pivot = m[rank] as bigint[];
    for (let r = 0; r < m.length; r++) {
      const row = m[r] as bigint[];
      if (r === rank || row[c] === 0n) continue;
      const e = row[c] as bigint;
      const a = pivot[c] as bigint;
      for (let k = 0; k < columns.length; k++) row[k] = a * (row[k] as bigint) - e * (pivot[k] as bigint);
    }
    rank++;
  }
  return rank;
}

/** The earliest independent set of `order`: each column kept when it raises the rank of those kept before it. */
function greedyBasis(rows: readonly SparseRow[], order: readonly number[]): number[] {
  const basis: number[] = [];
  for (const c of order) if (rankOf(rows, [...basis, c]) > basis.length) basis.push(c);
  return basis;
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

const system = fc
  .record({
    columns: fc.integer({ min: 2, max: 7 }),
    rows: fc.array(fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 7, maxLength: 7 }), {
      minLength: 1,
      maxLength: 6,
    }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .map(({ columns, rows, seed }) => {
    const sparse: SparseRow[] = rows.map(
      (r) => new Map(r.slice(0, columns).flatMap((a, c) => (a === 0 ? [] : [[c, a] as [number, number]]))),
    );
    // A permutation of the columns from the seed, and a target among them.
    const perm = Array.from({ length: columns }, (_, c) => c).sort(
      (a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b,
    );
    return { columns, rows: sparse, target: perm[0] as number, order: perm.slice(1) };
  });

describe('nullVectorThrough and reducedSystem', () => {
  it('give the basic null vector of the earliest independent set, or undefined exactly when the target is determined', () => {
    fc.assert(
      fc.property(system, ({ rows, target, order }) => {
        const determined = rankOf(rows, [...order, target]) > rankOf(rows, order);
        const d = nullVectorThrough(rows, target, order);
        if (determined) return d === undefined;
        if (!d) return false;
        const basis = new Set(greedyBasis(rows, order));
        const weights = [...d];
        return (
          (d.get(target) ?? 0) > 0 &&
          weights.every(([v, w]) => Number.isInteger(w) && (v === target || basis.has(v))) &&
          weights.reduce((g, [, w]) => gcd(g, w), 0) === 1 &&
          rows.every((row) => [...row].reduce((sum, [v, a]) => sum + a * (d.get(v) ?? 0), 0) === 0)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for every variable of one reduction as a reduction with that variable last does', () => {
    fc.assert(
      fc.property(system, ({ columns, rows, target, order }) => {
        const all = [target, ...order];
        const shared = reducedSystem(compressedRows(rows, columns), all);
        return all.every((v) => {
          const alone = nullVectorThrough(
            rows,
            v,
            all.filter((x) => x !== v),
          );
          const got = shared.through(v);
          return alone === undefined
            ? got === undefined
            : got !== undefined && got.size === alone.size && [...alone].every(([x, w]) => got.get(x) === w);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
