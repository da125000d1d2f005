// Axes shared between tables: indicators published for the same units, periods and breakdowns have the same
// dimensions, and what is derived from a dimension alone (its null vectors, a search of up to thousands of steps
// per coordinate) is found once for all of them.
import type { Dimension } from './dimension.js';

/** Distinct dimensions kept, the most recently used; a computation's tables have a handful. */
const MAX_KEPT = 16;
const kept = new Map<string, Dimension>();
const memos = new WeakMap<Dimension, Map<string, Map<string | number, unknown>>>();

/**
 * The dimension equal to `dim` (same coordinates in the same order, same relations) seen before, or `dim` itself
 * from now on: equal dimensions then share their memos.
 * @example sharedDimension(periodDimension(periods)) === sharedDimension(periodDimension(periods)) // true
 */
export function sharedDimension(dim: Dimension): Dimension {
  const key = `${dim.name}\u0000${dim.coords.join('\u0001')}\u0000${dim.relations.map((r) => `${r.total}:${r.parts.join(',')}`).join(';')}`;
  const found = kept.get(key);
  kept.delete(key);
  kept.set(key, found ?? dim);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value as string);
  return found ?? dim;
}

/**
 * A memo of values derived from the dimension alone, by name (one per kind of value); shared by every table
 * whose dimension is the same object (see sharedDimension).
 */
export function dimensionMemo<T>(dim: Dimension, name: string): Map<string | number, T> {
  let byName = memos.get(dim);
  if (!byName) {
    byName = new Map();
    memos.set(dim, byName);
  }
  let memo = byName.get(name);
  if (!memo) {
    memo = new Map();
    byName.set(name, memo);
  }
  return memo as Map<string | number, T>;
}
