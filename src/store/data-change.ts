// What a write changed, and what an answer read, as topics: an answer whose reads share no topic with the writes
// since it was computed is still the answer of the new data version, and can be kept (with its ETag).
//
// Topics: `reference` (goal sets, targets, links, units, groups, groupings, indicators, quality standards),
// `imports` (the list of imports), `compliance` (compliance records), `values:ID` (the stored values, revisions
// and counts of one indicator), and for writes only `values:*` (any indicator's values) and `*` (anything).

/** A set of topics; see the header. */
export type Topics = ReadonlySet<string>;

/** Everything: a write whose reach is not known (catalogue reload, restore, repair), or a read of everything. */
export const EVERYTHING = '*';
export const REFERENCE = 'reference';
export const IMPORTS = 'imports';
export const COMPLIANCE = 'compliance';
const ANY_VALUES = 'values:*';

/** The topic of an indicator's stored values. */
export function valuesOf(indicator: string): string {
  return `values:${indicator}`;
}

/**
 * Whether `changed` (what writes changed) touches anything of `read` (what an answer read).
 * @example touches(new Set(['values:a']), new Set(['reference', 'values:b'])) // false
 */
export function touches(changed: Topics, read: Iterable<string>): boolean {
  if (changed.has(EVERYTHING)) return true;
  const anyValues = changed.has(ANY_VALUES);
  for (const topic of read) {
    if (topic === EVERYTHING || changed.has(topic)) return true;
    if (anyValues && topic.startsWith('values:')) return true;
  }
  return false;
}

/** How many versions' changes a log remembers; older ones count as changing everything. */
const REMEMBERED = 512;

/**
 * The changes of the last data versions, in memory (exact for a store held by one process, as a DuckDB file is).
 * @example log.record(8, new Set(['values:a'])); log.between(7, 8) // Set {'values:a'}
 */
export class DataChangeLog {
  private readonly changes = new Map<number, Topics>();

  record(version: number, topics: Topics): void {
    this.changes.set(version, topics);
    for (const old of this.changes.keys()) {
      if (this.changes.size <= REMEMBERED) break;
      this.changes.delete(old);
    }
  }

  /** What changed after version `from` up to and including `to`; undefined when a version is not remembered. */
  between(from: number, to: number): Topics | undefined {
    if (to < from || to - from > REMEMBERED) return undefined;
    const out = new Set<string>();
    for (let v = from + 1; v <= to; v++) {
      const topics = this.changes.get(v);
      if (!topics) return undefined;
      for (const t of topics) out.add(t);
    }
    return out;
  }
}
