// Prepares the heaviest dashboard answers (the overview of every unit but the general practices) in the
// background whenever the data version changes, one at a time and at low priority (background-work.ts), so
// users find them ready instead of each waiting for a computation, and requests are answered between its steps.
// A practice's overview is prepared when first asked for, and again after each change once it has been asked
// for (prepared-responses.ts): there are some 1,700 practices, and most are rarely looked at.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Store } from '../store/index.js';
import { type BackgroundWork, nextTurn } from './background-work.js';
import { prepareInBackground } from './prepared-responses.js';

const POLL_MS = 2_000;
const FIRST = ['nation', 'region', 'municipality'];

/**
 * Starts preparing; returns a function that stops it.
 * @example const stop = prepareAhead(app, store, work); … await stop();
 */
export function prepareAhead(app: OpenAPIHono, store: Store, background: BackgroundWork): () => Promise<void> {
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let prepared = -1;
  let busy = false;
  const request = (path: string, init: RequestInit) => Promise.resolve(app.request(path, init));
  const round = async () => {
    if (busy || stopped) return;
    const version = await store.dataVersion();
    if (version === prepared) return;
    busy = true;
    try {
      const units = (await store.listOrgUnits({ at: new Date().toISOString().slice(0, 10) })).filter(
        (u) => u.type !== 'gp-practice',
      );
      // The units most looked at first: the country, the regions and the municipalities.
      const order = (type: string) => FIRST.indexOf(type) + 1 || FIRST.length + 1;
      units.sort((a, b) => order(a.type) - order(b.type));
      for (const unit of units) {
        await nextTurn();
        if (stopped || !background.active || (await store.dataVersion()) !== version) return;
        // Through the app itself, so the answer lands where requests look for it (prepared-responses.ts).
        await prepareInBackground(request, `/api/overview?unit=${encodeURIComponent(unit.code)}`, background);
      }
      prepared = version;
    } catch {
      // A failed round is tried again at the next tick; requests compute what they need meanwhile.
    } finally {
      busy = false;
    }
  };
  const tick = () => {
    if (!busy) current = round();
  };
  const timer = setInterval(tick, POLL_MS).unref();
  tick();
  // Stopping waits for the overview being prepared, so the store is never closed under a running query.
  return async () => {
    stopped = true;
    clearInterval(timer);
    await current;
  };
}
