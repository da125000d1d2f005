// Reference data (goal sets, targets, links, units, groups, indicators) and each indicator's totals kept in
// memory for as long as the data version stays the same, and carried over to the next version when its writes
// did not change them (an import of one indicator leaves the others' totals); every other Store call goes
// straight through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { REFERENCE, type Topics, touches, valuesOf } from './data-change.js';
import type { IndicatorValue, Store, StoredValueCounts, ValueQuery } from './store.js';

const pinned = new AsyncLocalStorage<number>();

/**
 * Runs `work` (one computation of an answer) with the data version read once at its start: its reference reads
 * are keyed by that version without asking the store again (a query each on PostgreSQL).
 * @example await atDataVersion(await store.dataVersion(), () => overviewOf(store, '751'));
 */
export function atDataVersion<T>(version: number, work: () => Promise<T>): Promise<T> {
  return pinned.run(version, work);
}

/** The data version of the computation the caller runs in (`atDataVersion`), if any. */
export function pinnedVersion(): number | undefined {
  return pinned.getStore();
}

/**
 * Memory for the two newest data versions: computations of both may run at the same moment. A new version starts
 * with what the version before it held that its writes did not change (`topicOf` names what an entry read).
 */
class PerVersion<T> {
  private readonly maps = new Map<number, Promise<Map<string, Promise<T>>>>();

  constructor(
    private readonly changes: (from: number, to: number) => Promise<Topics | undefined>,
    private readonly topicOf: (key: string) => string,
  ) {}

  of(version: number): Promise<Map<string, Promise<T>>> {
    let map = this.maps.get(version);
    if (!map) {
      const before = Math.max(-1, ...[...this.maps.keys()].filter((v) => v < version));
      map = this.carried(before, this.maps.get(before), version);
      this.maps.set(version, map);
      const versions = [...this.maps.keys()].sort((a, b) => b - a);
      for (const old of versions.slice(2)) this.maps.delete(old);
    }
    return map;
  }

  private async carried(from: number, earlier: Promise<Map<string, Promise<T>>> | undefined, to: number) {
    const map = new Map<string, Promise<T>>();
    if (!earlier) return map;
    const changed = await this.changes(from, to).catch(() => undefined);
    if (!changed) return map;
    for (const [key, value] of await earlier) {
      if (touches(changed, [this.topicOf(key)])) continue;
      map.set(key, value);
      // A read that fails is made again, under this version too.
      value.catch(() => map.get(key) === value && map.delete(key));
    }
    return map;
  }
}

/** The Store methods whose answers are reference data, cached by their arguments. */
const CACHED = new Set<string>([
  'listGoalSets',
  'getGoalSet',
  'listOrgUnits',
  'listGroups',
  'listGroupings',
  'listIndicators',
  'getIndicator',
  'listLinks',
  'listTargets',
  'getTarget',
]);

/**
 * The same store, with reference reads answered from memory until the next write bumps the data version.
 * Arrays are handed out as copies, so a caller that sorts its answer cannot change the next one.
 * @example const app = createApp(withReferenceCache(await openStore(path)));
 */
export function withReferenceCache(store: Store): Store {
  const versionNow = async () => pinned.getStore() ?? (await store.dataVersion());
  const changes = async (from: number, to: number) => {
    const changed = await store.changesBetween?.(from, to);
    return changed ? new Set(changed) : undefined;
  };
  const memory = new PerVersion<unknown>(changes, () => REFERENCE);
  const cached =
    (method: string, call: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]) => {
      const answers = await memory.of(await versionNow());
      const key = `${method}(${JSON.stringify(args)})`;
      let answer = answers.get(key);
      if (!answer) {
        answer = call(...args);
        answers.set(key, answer);
        answer.catch(() => answers.delete(key));
      }
      const value = await answer;
      return Array.isArray(value) ? value.slice() : value;
    };
  // The dashboard asks for one unit's totals of an indicator hundreds of times (overview, trend, evaluation,
  // benchmark): all units' totals of the indicator are read once per version, kept by unit, and filtered in memory.
  const totalsMemory = new PerVersion<{
    all: IndicatorValue[];
    byUnit: Map<string, IndicatorValue[]>;
    order: Map<string, number>;
  }>(changes, valuesOf);
  const totalsOf = async (indicator: string) => {
    const totals = await totalsMemory.of(await versionNow());
    let answer = totals.get(indicator);
    if (!answer) {
      answer = store.queryValues({ indicator, breakdown: 'total' }).then((all) => {
        const byUnit = new Map<string, IndicatorValue[]>();
        for (const v of all) {
          const list = byUnit.get(v.unit);
          if (list) list.push(v);
          else byUnit.set(v.unit, [v]);
        }
        // The store sorts by unit first: each unit's rows lie together, in this order.
        const order = new Map([...byUnit.keys()].map((unit, i) => [unit, i]));
        return { all, byUnit, order };
      });
      totals.set(indicator, answer);
      answer.catch(() => totals.delete(indicator));
    }
    return answer;
  };
  const queryValues = async (query: ValueQuery): Promise<IndicatorValue[]> => {
    if (query.breakdown !== 'total') return store.queryValues(query);
    const { all, byUnit, order } = await totalsOf(query.indicator);
    const inPeriod = (v: IndicatorValue) => query.period === undefined || v.period === query.period;
    if (typeof query.unit === 'string') return (byUnit.get(query.unit) ?? []).filter(inPeriod);
    if (query.unit === undefined) return all.filter(inPeriod);
    // A few units (a benchmark, a group's members): their rows, not a pass over every unit's, in the store's order.
    const units = [...new Set(query.unit)].filter((u) => order.has(u));
    units.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    return units.flatMap((u) => (byUnit.get(u) ?? []).filter(inPeriod));
  };
  // An answer that finds no values for its unit asks how many values the units of each kind have (a target's
  // evaluation: for which kind of unit are there values?), with lists of up to some 1,700 units: asked once per
  // version and list while answers are computed. Other callers (an import deciding on disclosure control) ask
  // the store: they read outside a pinned version, where the version of an entry would not be certain.
  const countsMemory = new PerVersion<StoredValueCounts>(changes, (key) =>
    valuesOf(key.slice(0, key.indexOf('\u0000'))),
  );
  const storedValueCounts = async (indicator: string, units?: readonly string[]): Promise<StoredValueCounts> => {
    const version = pinned.getStore();
    if (version === undefined) return store.storedValueCounts(indicator, units);
    const counts = await countsMemory.of(version);
    const key = `${indicator}\u0000${units ? units.join('\u0000') : '*'}`;
    let answer = counts.get(key);
    if (!answer) {
      answer = store.storedValueCounts(indicator, units);
      counts.set(key, answer);
      answer.catch(() => counts.delete(key));
    }
    return { ...(await answer) };
  };
  // A proxy rather than a class that repeats every Store method: the interface grows, the cache list does not.
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'queryValues') return queryValues;
      if (property === 'storedValueCounts') return storedValueCounts;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      return typeof property === 'string' && CACHED.has(property) ? cached(property, bound) : bound;
    },
  });
}
