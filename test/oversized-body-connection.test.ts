// A body refused as too large (413) is not read, so the server closes that connection: the client's next request
// goes on a new connection and is answered, instead of failing on a socket with the unread body in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, serveOnEphemeralPort } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe('a sign-in body larger than the limit', () => {
  it('is refused with 413 and Connection: close, and the next request on the same client is answered', async () => {
    for (let round = 0; round < 3; round++) {
      const big = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'someone', password: 'x'.repeat(1_000_000) }),
      });
      expect(big.status).toBe(413);
      expect(big.headers.get('connection')).toBe('close');
      expect((await big.json()).detail).toBe('The body is larger than 64 kB');
      const next = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 5, password: {} }),
      });
      expect(next.status).toBe(400);
    }
  });
});
