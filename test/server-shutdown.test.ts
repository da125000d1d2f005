// Shutting the server down while requests are under way: a request whose client has gone away still finishes its
// work before `close()` returns, so the store closed next fails none of them (no internal error is logged).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '../src/store/index.js';
import { demoStore, serveOnEphemeralPort } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await demoStore({ persons: 6000, fromYear: 2015, toYear: 2025 }));
}, 900_000);
afterAll(() => cleanup());

describe('closing the server', () => {
  it('waits for the requests its clients abandoned before the store is closed', async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    try {
      const server = await serveOnEphemeralPort(store);
      const municipalities = (await store.listOrgUnits({ type: 'municipality' })).map((u) => u.code);
      const controller = new AbortController();
      // Overviews not asked for before: each is computed from the store, which takes a while for 40 at once.
      const requests = municipalities.slice(0, 40).map((unit) =>
        fetch(`${server.url}/api/overview?unit=${unit}`, { signal: controller.signal }).then(
          () => 'answered',
          () => 'abandoned',
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      const outcomes = await Promise.all(requests);
      expect(outcomes).toContain('abandoned');
      await server.close();
      await cleanup();
      cleanup = async () => undefined;
      // A request still at work when the store closed fails a little later: give it the time to say so.
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      spy.mockRestore();
    }
    expect(logged.map((args) => String(args[0]))).toEqual([]);
  }, 120_000);
});
