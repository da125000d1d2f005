// Parts of answers kept for as long as what they read stays the same: a part computed under one data version is
// the part of every later version whose writes changed nothing it read (data-change.ts), so after an import of one
// indicator only the parts that read that indicator are computed again. A part is kept only when no write that
// committed while it was computed changed what it read (whole from one version), as prepared answers are
// (api/prepared-responses.ts); the answer made from a kept part records the part's reads as its own.
import { type Topics, touches } from './data-change.js';
import { readsInto, recordReads } from './read-topics.js';
import { pinnedVersion } from './reference-cache.js';
import type { Store } from './store.js';

interface Entry<T> {
  /** The data versions it is known to be the part of (from ≤ version ≤ to). */
  from: number;
  to: number;
  reads: Set<string>;
  value: Promise<T>;
  /** Whether it is kept once computed: no write that committed meanwhile changed what it read. */
  kept: Promise<boolean>;
}

/**
 * A memory of parts keyed by name; reads must go through a store from `recordingReads`.
 * @example const rows = new ReadMemo(store); await rows.get(`751|${id}`, () => describe(id))
 */
export class ReadMemo<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** The data version being read: parts asked for at the same moment share one read (a query on PostgreSQL). */
  private versionRead: Promise<number> | undefined;
  /** What the writes between two versions changed, asked once per pair (a query on PostgreSQL). */
  private readonly changes = new Map<string, Promise<Topics | undefined>>();

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 100_000,
    /** Called with the key of each part computed (not taken from memory). */
    private readonly onCompute?: (key: string) => void,
  ) {}

  /** The part named `key` of the current data version (the caller's pinned one), computed when not kept. */
  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const version = pinnedVersion() ?? (await this.latest());
    let entry = this.entries.get(key);
    if (!entry || !(await this.holdsAt(entry, version))) {
      const reads = new Set<string>();
      this.onCompute?.(key);
      const value = readsInto(reads, compute);
      const made: Entry<T> = { from: version, to: version, reads, value, kept: Promise.resolve(false) };
      made.kept = value.then(
        () => this.settle(key, made),
        () => this.forget(key, made),
      );
      entry = made;
      // A part of an older version than the one kept is computed for its caller only.
      const kept = this.entries.get(key);
      if (!kept || kept.from <= version) this.keep(key, made);
    }
    const value = await entry.value;
    recordReads(entry.reads);
    return value;
  }

  /** Whether `entry` is the part of `version`: within its versions, or no write since changed what it read. */
  private async holdsAt(entry: Entry<T>, version: number): Promise<boolean> {
    if (version >= entry.from && version <= entry.to) return true;
    // A part still being computed is awaited: it may turn out to be the part of this version too.
    if (version < entry.from || !(await entry.kept)) return false;
    const changed = await this.changesBetween(entry.to, version);
    if (!changed || touches(changed, entry.reads)) return false;
    entry.to = Math.max(entry.to, version);
    return true;
  }

  private keep(key: string, entry: Entry<T>): void {
    this.entries.delete(key); // to the end: the least recently made go first
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** Keeps a part only when no write that committed while it was computed changed what it read. */
  private async settle(key: string, entry: Entry<T>): Promise<boolean> {
    try {
      // A read of its own, started after the part was done: a shared one may have started before a write committed.
      const latest = await this.store.dataVersion();
      if (latest !== entry.to) {
        const changed = await this.changesBetween(entry.to, latest);
        if (!changed || touches(changed, entry.reads)) return this.forget(key, entry);
        entry.to = Math.max(entry.to, latest);
      }
      return true;
    } catch {
      return this.forget(key, entry);
    }
  }

  private latest(): Promise<number> {
    this.versionRead ??= this.store.dataVersion().finally(() => {
      this.versionRead = undefined;
    });
    return this.versionRead;
  }

  private forget(key: string, entry: Entry<T>): false {
    if (this.entries.get(key) === entry) this.entries.delete(key);
    return false;
  }

  private changesBetween(from: number, to: number): Promise<Topics | undefined> {
    if (to < from || !this.store.changesBetween) return Promise.resolve(undefined);
    const pair = `${from}-${to}`;
    let changed = this.changes.get(pair);
    if (!changed) {
      changed = this.store
        .changesBetween(from, to)
        .then((topics) => (topics ? new Set(topics) : undefined))
        .catch(() => undefined);
      if (this.changes.size >= 1_000) this.changes.clear();
      this.changes.set(pair, changed);
    }
    return changed;
  }
}
