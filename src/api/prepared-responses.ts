// Answers prepared once per data version: a GET under /api/ is computed once for each URL (however many ask
// at the same moment), kept until the next write bumps the data version, and revalidated with ETag/304.
import { createHash, randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Store } from '../store/index.js';

export interface PreparedResponsesOptions {
  /** Most answers kept (default 5,000); the oldest go first. */
  maxEntries?: number;
  /** Most bytes of answers kept (default 256 MB). */
  maxBytes?: number;
}

interface Prepared {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
}

/** Changes with every start of the server, so an ETag never outlives the process that made it. */
const EPOCH = randomBytes(4).toString('hex');

/**
 * Middleware that prepares and shares GET answers keyed by data version, day and URL.
 * @example app.use('/api/*', preparedResponses(store))
 */
export function preparedResponses(store: Store, options: PreparedResponsesOptions = {}): MiddlewareHandler {
  const maxEntries = options.maxEntries ?? 5_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  let version = -1;
  let answers = new Map<string, Promise<Prepared>>();
  let sizes = new Map<string, number>();
  let bytes = 0;

  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const now = await store.dataVersion();
    if (now !== version) {
      version = now;
      answers = new Map();
      sizes = new Map();
      bytes = 0;
    }
    // Answers depend on the data, on today (units valid today, the date printed on reports) and, once
    // accounts exist, on who asks; the key holds all three.
    const today = new Date().toISOString().slice(0, 10);
    const etag = `"${EPOCH}-${now}-${today}"`;
    const viewer = c.req.header('authorization') ?? c.req.header('cookie') ?? '';
    const { pathname, search } = new URL(c.req.url);
    const key = `${today}|${viewer ? createHash('sha256').update(viewer).digest('hex') : ''}|${pathname}${search}`;
    if (matches(c.req.header('if-none-match'), etag)) {
      return new Response(null, { status: 304, headers: validators(etag, viewer) });
    }
    let answer = answers.get(key);
    if (!answer) {
      answer = (async () => {
        await next();
        const response = c.res;
        return {
          status: response.status,
          headers: [...response.headers.entries()],
          body: await response.arrayBuffer(),
        };
      })();
      answers.set(key, answer);
      const prepared = await answer.catch(() => undefined);
      if (prepared?.status !== 200 || answers.get(key) !== answer) answers.delete(key);
      else if (prepared) {
        sizes.set(key, prepared.body.byteLength);
        bytes += prepared.body.byteLength;
        for (const oldest of sizes.keys()) {
          if (sizes.size <= maxEntries && bytes <= maxBytes) break;
          answers.delete(oldest);
          bytes -= sizes.get(oldest) ?? 0;
          sizes.delete(oldest);
        }
      }
    }
    const prepared = await answer;
    const headers = new Headers(prepared.headers);
    if (prepared.status === 200)
      for (const [name, value] of Object.entries(validators(etag, viewer))) headers.set(name, value);
    c.res = new Response(prepared.body.slice(0), { status: prepared.status, headers });
    return c.res;
  };
}

function validators(etag: string, viewer: string): Record<string, string> {
  return {
    ETag: etag,
    // Browsers and proxies keep the answer but ask each time whether it is still current (a cheap 304).
    'Cache-Control': viewer ? 'private, no-cache' : 'no-cache',
    Vary: 'Authorization, Cookie',
  };
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
