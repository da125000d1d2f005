// Small null vectors of one axis: ±1 changes to coordinates that keep every relation of the axis balanced.
import type { Dimension } from './dimension.js';

/** Coordinates with their sign (+1 or -1); the first entry is the coordinate the vector was built for. */
export type AxisVector = readonly (readonly [coord: number, sign: 1 | -1])[];

const MAX_SUPPORT = 10;
const UPWARD_LIMIT = 4;
/**
 * Search steps per kind of vector. Where groupings overlap (regions, health clusters, Region Østdanmark) or few
 * coordinates are usable, most partial vectors cannot be completed, and an unbounded search would try every
 * one of them (millions of steps for a region); the vectors worth having are found within the first few
 * hundred steps.
 */
export const MAX_STEPS = 1000;

/** A dimension's relations as seen from each coordinate, built once per dimension. */
interface Links {
  /** Per coordinate: the relations it belongs to, and +1 as a part or -1 as the total, in parallel. */
  relations: number[][];
  roles: number[][];
  /** Per coordinate: its relations as a key; coordinates in the same relations rank parts alike. */
  signature: string[];
  /** Per signature and relation: the relation's parts, most related to a coordinate of that signature first. */
  partsBySharing: Map<string, number[]>;
}

const linksCache = new WeakMap<Dimension, Links>();

function linksOf(dim: Dimension): Links {
  let links = linksCache.get(dim);
  if (!links) {
    const relations: number[][] = dim.coords.map(() => []);
    const roles: number[][] = dim.coords.map(() => []);
    for (const [r, rel] of dim.relations.entries()) {
      relations[rel.total]?.push(r);
      roles[rel.total]?.push(-1);
      for (const p of rel.parts) {
        relations[p]?.push(r);
        roles[p]?.push(1);
      }
    }
    links = { relations, roles, signature: relations.map((r) => r.join(',')), partsBySharing: new Map() };
    linksCache.set(dim, links);
  }
  return links;
}

/** The parts of relation r, those sharing most relations with `from` first (the same health cluster as well as the same region). */
function partsBySharing(dim: Dimension, links: Links, from: number, r: number): number[] {
  const key = `${links.signature[from]}|${r}`;
  let parts = links.partsBySharing.get(key);
  if (!parts) {
    const mine = links.relations[from] ?? [];
    const shared = (p: number) => (links.relations[p] ?? []).filter((x) => mine.includes(x)).length;
    const score = new Map((dim.relations[r]?.parts ?? []).map((p) => [p, shared(p)]));
    parts = [...score.keys()].sort((a, b) => (score.get(b) as number) - (score.get(a) as number));
    links.partsBySharing.set(key, parts);
  }
  return parts;
}

/**
 * The distinct vectors found by a search, whatever the order their coordinates were assigned in. Looked up by an
 * order-free hash of the signs and compared in full, so that a vector found again costs no allocation.
 */
export class VectorSet {
  private readonly byHash = new Map<number, AxisVector[]>();

  /** The signs as a new vector, or undefined when the same vector is in the set already. */
  addIfNew(signs: ReadonlyMap<number, 1 | -1>): AxisVector | undefined {
    let hash = signs.size;
    for (const [c, s] of signs) hash = (hash + Math.imul((c << 1) | (s > 0 ? 1 : 0), 0x9e3779b1)) | 0;
    const same = this.byHash.get(hash);
    if (same)
      for (const v of same) if (v.length === signs.size && v.every(([c, s]) => signs.get(c) === s)) return undefined;
    const vector: AxisVector = [...signs];
    if (same) same.push(vector);
    else this.byHash.set(hash, [vector]);
    return vector;
  }
}

/**
 * Vectors d with d[coord] = +1 and, for every relation, Σ d[parts] = d[total]. Changing a table by
 * d_unit ⊗ d_period ⊗ d_breakdown keeps every sum, so it is invisible to anyone who sees only the other cells.
 * Searches siblings first (a change and an opposite change under the same total), then siblings of the
 * coordinate itself with totals above the others (two regions, each with one municipality and its health
 * cluster), then changes that run up through the total: at most `limit` siblings and UPWARD_LIMIT of each
 * other kind, within MAX_STEPS steps each, and only through coordinates that are `usable`.
 * @example axisVectors(dim, 3, 8) // [[[3, 1], [4, -1]], [[3, 1], [5, -1]], [[3, 1], [0, 1]], …]
 */
export function axisVectors(
  dim: Dimension,
  coord: number,
  limit = 40,
  usable: (coord: number) => boolean = () => true,
): AxisVector[] {
  const links = linksOf(dim);
  const found: AxisVector[] = [];
  const seen = new VectorSet();
  /** Σ parts − total of each relation under the signs set so far. */
  const imbalance = new Int32Array(dim.relations.length);
  const signs = new Map<number, 1 | -1>();
  const assign = (c: number, sign: 1 | -1) => {
    signs.set(c, sign);
    const rels = links.relations[c] ?? [];
    const roles = links.roles[c] ?? [];
    for (let k = 0; k < rels.length; k++)
      imbalance[rels[k] as number] = (imbalance[rels[k] as number] as number) + sign * (roles[k] as number);
  };
  const unassign = (c: number) => {
    const sign = signs.get(c) as number;
    signs.delete(c);
    const rels = links.relations[c] ?? [];
    const roles = links.roles[c] ?? [];
    for (let k = 0; k < rels.length; k++)
      imbalance[rels[k] as number] = (imbalance[rels[k] as number] as number) - sign * (roles[k] as number);
  };
  for (const order of ['siblings', 'mixed', 'totals'] as const) {
    // Changes through the total hide totals: a few suffice as a fallback.
    let budget = order === 'siblings' ? limit : UPWARD_LIMIT;
    let steps = MAX_STEPS;
    assign(coord, 1);
    const search = (): void => {
      if (budget <= 0 || --steps < 0) return;
      // The first unbalanced relation touching an assigned coordinate.
      let open = -1;
      let from = -1;
      for (const c of signs.keys()) {
        for (const r of links.relations[c] ?? []) {
          if (imbalance[r] !== 0) {
            open = r;
            from = c;
            break;
          }
        }
        if (open >= 0) break;
      }
      if (open < 0) {
        const vector = seen.addIfNew(signs);
        if (vector) {
          found.push(vector);
          budget--;
        }
        return;
      }
      const off = imbalance[open] as number;
      if (Math.abs(off) !== 1 || signs.size >= MAX_SUPPORT) return;
      const rel = dim.relations[open];
      if (!rel) return;
      const sign = (off > 0 ? -1 : 1) as 1 | -1;
      const viaParts = () => {
        for (const p of partsBySharing(dim, links, from, open)) {
          if (signs.has(p) || !usable(p)) continue;
          assign(p, sign);
          search();
          unassign(p);
          if (budget <= 0 || steps < 0) return;
        }
      };
      const viaTotal = () => {
        if (signs.has(rel.total) || !usable(rel.total)) return;
        assign(rel.total, -sign as 1 | -1);
        search();
        unassign(rel.total);
      };
      if (order === 'totals' || (order === 'mixed' && signs.size > 1)) {
        viaTotal();
        viaParts();
      } else {
        viaParts();
        viaTotal();
      }
    };
    search();
    unassign(coord);
  }
  return found;
}
