// Work in the background (preparing answers ahead) at low priority: every store read it makes waits one turn
// of the event loop first, so the requests already waiting are answered between its steps. Without this, an
// answer computed from data already in memory runs as one unbroken chain of promises and holds the server.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate } from 'node:timers/promises';
import type { Store } from '../store/index.js';

const background = new AsyncLocalStorage<boolean>();

/** Runs `work` as background work (see `yieldingInBackground`). */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Resolves after the I/O already waiting (incoming requests among it) has had its turn. */
export function nextTurn(): Promise<void> {
  return setImmediate();
}

const READS = /^(list|get|query|valueHistory|complianceHistory|dataVersion)/;

/**
 * The same store; its reads, when made by background work, first wait one turn of the event loop.
 * @example const app = createApp(yieldingInBackground(store));
 */
export function yieldingInBackground(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !READS.test(property)) return value;
      const bound = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        if (background.getStore()) await nextTurn();
        return bound(...args);
      };
    },
  });
}
