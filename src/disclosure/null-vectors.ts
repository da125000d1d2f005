// Small null vectors of one axis: ±1 changes to coordinates that keep every relation of the axis balanced.
import type { Dimension } from './dimension.js';

/** Coordinates with their sign (+1 or -1); the first entry is the coordinate the vector was built for. */
export type AxisVector = readonly (readonly [coord: number, sign: 1 | -1])[];

const MAX_SUPPORT = 10;
const UPWARD_LIMIT = 4;

/**
 * Vectors d with d[coord] = +1 and, for every relation, Σ d[parts] = d[total]. Changing a table by
 * d_unit ⊗ d_period ⊗ d_breakdown keeps every sum, so it is invisible to anyone who sees only the other cells.
 * Searches siblings first (a change and an opposite change under the same total), then changes that run up
 * through the total; at most `limit` of each kind, and only through coordinates that are `usable`.
 * @example axisVectors(dim, 3, 8) // [[[3, 1], [4, -1]], [[3, 1], [5, -1]], [[3, 1], [0, 1]], …]
 */
export function axisVectors(
  dim: Dimension,
  coord: number,
  limit = 40,
  usable: (coord: number) => boolean = () => true,
): AxisVector[] {
  const touching: number[][] = dim.coords.map(() => []);
  for (const [r, rel] of dim.relations.entries()) {
    touching[rel.total]?.push(r);
    for (const p of rel.parts) touching[p]?.push(r);
  }
  const found: AxisVector[] = [];
  const seen = new Set<string>();
  for (const totalsFirst of [false, true]) {
    // Changes through the total hide totals: a few suffice as a fallback.
    let budget = totalsFirst ? UPWARD_LIMIT : limit;
    const signs = new Map<number, 1 | -1>([[coord, 1]]);
    const search = (): void => {
      if (budget <= 0) return;
      // The first unbalanced relation touching an assigned coordinate.
      let open: { r: number; imbalance: number } | undefined;
      for (const c of signs.keys()) {
        for (const r of touching[c] ?? []) {
          const rel = dim.relations[r];
          if (!rel) continue;
          let imbalance = -(signs.get(rel.total) ?? 0);
          for (const p of rel.parts) imbalance += signs.get(p) ?? 0;
          if (imbalance !== 0) {
            open = { r, imbalance };
            break;
          }
        }
        if (open) break;
      }
      if (!open) {
        const vector = [...signs];
        const key = vector
          .map(([c, s]) => `${c}${s}`)
          .sort()
          .join(',');
        if (!seen.has(key)) {
          seen.add(key);
          found.push(vector);
          budget--;
        }
        return;
      }
      if (Math.abs(open.imbalance) !== 1 || signs.size >= MAX_SUPPORT) return;
      const rel = dim.relations[open.r];
      if (!rel) return;
      const sign = (open.imbalance > 0 ? -1 : 1) as 1 | -1;
      const viaParts = () => {
        for (const p of rel.parts) {
          if (signs.has(p) || !usable(p)) continue;
          signs.set(p, sign);
          search();
          signs.delete(p);
          if (budget <= 0) return;
        }
      };
      const viaTotal = () => {
        if (signs.has(rel.total) || !usable(rel.total)) return;
        signs.set(rel.total, -sign as 1 | -1);
        search();
        signs.delete(rel.total);
      };
      if (totalsFirst) {
        viaTotal();
        viaParts();
      } else {
        viaParts();
        viaTotal();
      }
    };
    search();
  }
  return found;
}
