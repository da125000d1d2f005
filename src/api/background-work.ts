// Work in the background (preparing answers ahead) at low priority: once it has run for a couple of
// milliseconds, its next store read waits one turn of the event loop, so the requests already waiting are
// answered between its steps. Without this, an answer computed from data already in memory runs as one unbroken
// chain of promises and holds the server until it is done.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate } from 'node:timers/promises';
import type { Store } from '../store/index.js';

/** A piece of background work; someone waiting for its result raises it to the priority of a request. */
export interface BackgroundTask {
  lowPriority: boolean;
}

const background = new AsyncLocalStorage<BackgroundTask>();

/** Runs `work` as background work (see `yieldingInBackground`). */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run({ lowPriority: true }, work);
}

/** The background task the caller runs in, if any. */
export function currentTask(): BackgroundTask | undefined {
  return background.getStore();
}

/** Longest stretch of background work between two turns of the event loop. */
const SLICE_MS = 2;
let lastTurn = performance.now();

/** Resolves after the I/O already waiting (incoming requests among it) has had its turn. */
export async function nextTurn(): Promise<void> {
  await setImmediate();
  lastTurn = performance.now();
}

const READS = /^(list|get|query|valueHistory|complianceHistory|dataVersion)/;

/**
 * The same store; its reads, when made by background work that has run for a while, first wait one turn of the
 * event loop.
 * @example const app = createApp(yieldingInBackground(store));
 */
export function yieldingInBackground(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !READS.test(property)) return value;
      const bound = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        if (background.getStore()?.lowPriority && performance.now() - lastTurn > SLICE_MS) await nextTurn();
        return bound(...args);
      };
    },
  });
}

/**
 * The background work of one server: stopping it lets the running piece finish and starts no more, so the
 * store is never closed under a query.
 * @example const work = new BackgroundWork(); … await work.stop(); await store.close();
 */
export class BackgroundWork {
  private stopped = false;
  private readonly running = new Set<Promise<unknown>>();

  get active(): boolean {
    return !this.stopped;
  }

  /** Runs `work` in the background unless stopped (then it resolves to undefined at once). */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.stopped) return undefined;
    const running = inBackground(work);
    this.running.add(running);
    try {
      return await running;
    } finally {
      this.running.delete(running);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
