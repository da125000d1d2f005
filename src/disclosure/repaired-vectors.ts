// Unit-axis null vectors under sums over providers: a change to a municipality's yearly total must be matched by a
// change to one of its practices (municipality = Σ its practices), and that one by a change to another practice
// (Denmark = Σ practices), best one of the sibling municipality's practices, which balances its sum too.

import type { Dimension } from './dimension.js';
import { type AxisVector, VectorSet } from './null-vectors.js';

/** Coordinates per vector at most. */
const MAX_SUPPORT = 10;
/** Choices tried per unbalanced relation: the ones that balance most other relations. */
const BRANCH = 3;
/** Search steps per call. */
const MAX_STEPS = 400;

/** Per coordinate its relations and its role in each (+1 a part, -1 the total), built once per dimension. */
const linksCache = new WeakMap<Dimension, { relations: number[][]; roles: number[][] }>();

function linksOf(dim: Dimension): { relations: number[][]; roles: number[][] } {
  let links = linksCache.get(dim);
  if (!links) {
    links = { relations: dim.coords.map(() => []), roles: dim.coords.map(() => []) };
    for (const [r, rel] of dim.relations.entries()) {
      links.relations[rel.total]?.push(r);
      links.roles[rel.total]?.push(-1);
      for (const p of rel.parts) {
        links.relations[p]?.push(r);
        links.roles[p]?.push(1);
      }
    }
    linksCache.set(dim, links);
  }
  return links;
}

/**
 * Null vectors of the unit axis, each found from a seed (a vector that keeps some relations, such as a sibling
 * pair under a region, or a coordinate alone) by repairing one unbalanced relation at a time with the coordinate
 * that balances the most other relations and unbalances the fewest (ties in the relation's order); at most
 * `perSeed` from each seed. Where a municipality's total is also a sum over its practices, the seed {m +1, m' −1}
 * becomes {m +1, m' −1, a practice of m +1, a practice of m' −1}, which a search by siblings alone does not reach
 * among 1,700 practices under Denmark.
 * @example repairedVectors(unitDim, [[[12, 1], [13, -1]]], (c) => true) // [[[12, 1], [13, -1], [40, 1], [71, -1]], …]
 */
export function repairedVectors(
  dim: Dimension,
  seeds: readonly AxisVector[],
  usable: (coord: number) => boolean,
  perSeed = 2,
): AxisVector[] {
  const { relations, roles } = linksOf(dim);
  const imbalance = new Int32Array(dim.relations.length);
  const signs = new Map<number, 1 | -1>();
  const found: AxisVector[] = [];
  const seen = new VectorSet();
  let steps = MAX_STEPS;
  let limit = 0;
  const shift = (c: number, sign: number) => {
    const rels = relations[c] ?? [];
    const rs = roles[c] ?? [];
    for (let k = 0; k < rels.length; k++)
      imbalance[rels[k] as number] = (imbalance[rels[k] as number] as number) + sign * (rs[k] as number);
  };
  /** Relations balanced minus relations unbalanced by giving c the sign, besides `except`. */
  const score = (c: number, sign: number, except: number): number => {
    const rels = relations[c] ?? [];
    const rs = roles[c] ?? [];
    let s = 0;
    for (let k = 0; k < rels.length; k++) {
      const r = rels[k] as number;
      if (r === except) continue;
      const before = imbalance[r] as number;
      const after = before + sign * (rs[k] as number);
      if (before !== 0 && after === 0) s++;
      else if (before === 0 && after !== 0) s--;
    }
    return s;
  };
  const search = (): void => {
    if (found.length >= limit || --steps < 0) return;
    let open = -1;
    for (const c of signs.keys()) {
      for (const r of relations[c] ?? [])
        if (imbalance[r] !== 0) {
          open = r;
          break;
        }
      if (open >= 0) break;
    }
    if (open < 0) {
      const vector = seen.addIfNew(signs);
      if (vector) found.push(vector);
      return;
    }
    const off = imbalance[open] as number;
    if (Math.abs(off) !== 1 || signs.size >= MAX_SUPPORT) return;
    const rel = dim.relations[open];
    if (!rel) return;
    // A part takes the sign −off, the total +off (the total counts −1 in the imbalance).
    const choices: { c: number; sign: 1 | -1; score: number }[] = [];
    const consider = (c: number, sign: 1 | -1) => {
      // Its score is at most the number of its other relations (each could be balanced by it): a coordinate that
      // cannot beat the choices kept is passed over without scoring it (a practice among 1,700 under Denmark).
      if (
        choices.length === BRANCH &&
        (relations[c]?.length ?? 0) - 1 <= (choices[BRANCH - 1] as { score: number }).score
      )
        return;
      if (signs.has(c) || !usable(c)) return;
      const s = score(c, sign, open);
      if (choices.length === BRANCH && s <= (choices[BRANCH - 1] as { score: number }).score) return;
      let k = Math.min(choices.length, BRANCH - 1);
      choices[k] = { c, sign, score: s };
      while (k > 0 && (choices[k - 1] as { score: number }).score < s) {
        [choices[k - 1], choices[k]] = [choices[k] as (typeof choices)[0], choices[k - 1] as (typeof choices)[0]];
        k--;
      }
    };
    for (const p of rel.parts) consider(p, (off > 0 ? -1 : 1) as 1 | -1);
    consider(rel.total, (off > 0 ? 1 : -1) as 1 | -1);
    for (const { c, sign } of choices) {
      signs.set(c, sign);
      shift(c, sign);
      search();
      shift(c, -sign);
      signs.delete(c);
      if (found.length >= limit || steps < 0) return;
    }
  };
  for (const seed of seeds) {
    if (seed.some(([c], k) => seed.findIndex(([d]) => d === c) !== k)) continue;
    for (const [c, sign] of seed) {
      signs.set(c, sign);
      shift(c, sign);
    }
    limit = found.length + perSeed;
    steps = MAX_STEPS;
    search();
    for (const [c, sign] of seed) {
      signs.delete(c);
      shift(c, -sign);
    }
  }
  return found;
}
