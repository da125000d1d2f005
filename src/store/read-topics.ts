// Records what a computation reads from the store, as topics (data-change.ts): an answer that read only what later
// writes did not change is still the answer of the new data version. A read this file does not know counts as a
// read of everything, so a new Store method can make answers less long-lived, never wrong.
import { AsyncLocalStorage } from 'node:async_hooks';
import { COMPLIANCE, EVERYTHING, IMPORTS, REFERENCE, valuesOf } from './data-change.js';
import type { Store } from './store.js';

/** The topics of the computations running (the innermost first): a read counts for each of them. */
interface Recording {
  topics: Set<string>;
  outer: Recording | undefined;
}

const recording = new AsyncLocalStorage<Recording>();

const reference = () => [REFERENCE];
const values = (query: unknown) => [valuesOf(String((query as { indicator?: unknown })?.indicator))];

/** What each read of the Store reads; every other method counts as reading everything. */
const TOPICS: Record<string, (first: unknown) => string[]> = {
  listGoalSets: reference,
  getGoalSet: reference,
  listOrgUnits: reference,
  listGroups: reference,
  listGroupings: reference,
  listIndicators: reference,
  getIndicator: reference,
  listLinks: reference,
  listTargets: reference,
  getTarget: reference,
  listQualityStandards: reference,
  getQualityStandard: reference,
  queryValues: values,
  valueHistory: values,
  storedValueCounts: (indicator) => [valuesOf(String(indicator))],
  listImports: () => [IMPORTS],
  queryCompliance: () => [COMPLIANCE],
  complianceHistory: () => [COMPLIANCE],
  listComplianceImports: () => [COMPLIANCE],
  dataVersion: () => [],
  changesBetween: () => [],
};

/**
 * Runs `work` and records the topics of the store reads made in it (through a store from `recordingReads`) into
 * `topics`; a recording inside another one counts for both.
 * @example const topics = new Set<string>(); await readsInto(topics, () => overviewOf(store, '751'));
 */
export function readsInto<T>(topics: Set<string>, work: () => Promise<T>): Promise<T> {
  return recording.run({ topics, outer: recording.getStore() }, work);
}

/**
 * Records `topics` as read by the computations the caller runs in: a part of an answer kept from an earlier
 * computation (analysis/overview-parts.ts) read them, and the answer made from it reads them too.
 * @example recordReads(part.reads)
 */
export function recordReads(topics: Iterable<string>): void {
  const list = [...topics];
  for (let r = recording.getStore(); r; r = r.outer) for (const t of list) r.topics.add(t);
}

/**
 * The same store; its reads made inside `readsInto` are recorded there. Accounts are not data: they change without
 * a new data version, and are not recorded.
 * @example const app = createApp(recordingReads(store));
 */
export function recordingReads(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const topicsOf = (Object.hasOwn(TOPICS, property) && TOPICS[property]) || (() => [EVERYTHING]);
      const bound = value.bind(target) as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        for (let r = recording.getStore(); r; r = r.outer) for (const t of topicsOf(args[0])) r.topics.add(t);
        return bound(...args);
      };
    },
  });
}
