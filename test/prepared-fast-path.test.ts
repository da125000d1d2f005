// Prepared answers sent straight from the socket: a public GET whose answer is ready never reaches the app, and
// gets the same status, headers, body and access-log line as the app gives it; everything else goes to the app.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, readyAnswersOf } from '../src/api/app.js';
import { preparedFirst } from '../src/api/prepared-fast-path.js';
import { importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
let server: Server;
let url: string;
/** Requests that reached the app. */
const reachedApp: string[] = [];
const log: string[] = [];

const csv = (value: number) =>
  new TextEncoder().encode(`indicator,unit,period,value\nhospital-productivity,101,2023,${value}\n`);

beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  await importAggregates(store, 'a.csv', csv(98));
  const security = { log: (line: string) => log.push(line) };
  const app = createApp(store, { security });
  const toApp = getRequestListener(app.fetch);
  const counted: RequestListener = (request, response) => {
    reachedApp.push(request.url ?? '');
    return toApp(request, response);
  };
  const ready = readyAnswersOf(app);
  if (!ready) throw new Error('the app has no prepared answers');
  server = createServer(preparedFirst(counted, ready, security));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await cleanup();
});

/** Every header but those of the connection and the clock, as one sorted list. */
function headersOf(response: Response): [string, string][] {
  return [...response.headers.entries()]
    .filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
}

describe('prepared answers from the socket', () => {
  it('sends a ready answer without the app, with the headers, body and log line the app gave it', async () => {
    const path = '/api/indicators/hospital-productivity/values?unit=101';
    const headers = { 'X-Request-Id': 'trace-12345678', 'Accept-Encoding': 'gzip' };
    const before = reachedApp.length;
    const first = await fetch(`${url}${path}`, { headers });
    const second = await fetch(`${url}${path}`, { headers });
    expect(reachedApp.length - before).toBe(1);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(headersOf(second)).toEqual(headersOf(first));
    expect(second.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(second.headers.get('x-request-id')).toBe('trace-12345678');
    expect(await second.text()).toBe(await first.text());
    const lines = log.filter((line) => line.includes(' trace-12345678 '));
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(
        /^\d{4}-\d\d-\d\dT\S+ trace-12345678 127\.0\.0\.1 - GET \/api\/indicators\/hospital-productivity\/values 200 \d+ms\n$/,
      );
  });

  it('sends large answers compressed as the app does, and the same 304 to a current ETag', async () => {
    const path = '/api/org-units';
    const first = await fetch(`${url}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
    const before = reachedApp.length;
    const second = await fetch(`${url}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
    const plain = await fetch(`${url}${path}`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(reachedApp.length).toBe(before);
    expect(second.headers.get('content-encoding')).toBe('gzip');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(await second.text())).toEqual(JSON.parse(await plain.text()));
    const etag = first.headers.get('etag') as string;
    const cached = await fetch(`${url}${path}`, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(cached.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reachedApp.length).toBe(before);
    // A client that takes deflate but not gzip gets the app's own compression.
    const deflated = await fetch(`${url}${path}`, { headers: { 'Accept-Encoding': 'deflate' } });
    expect(deflated.headers.get('content-encoding')).toBe('deflate');
    expect(reachedApp.length).toBe(before + 1);
  });

  it('leaves tokens, cookies, other origins and unusual URLs to the app', async () => {
    const path = '/api/org-units';
    await fetch(`${url}${path}`);
    const before = reachedApp.length;
    const asked = [
      await fetch(`${url}${path}`, { headers: { Authorization: 'Bearer nonsense' } }),
      await fetch(`${url}${path}`, { headers: { Cookie: 'pejling_session=nonsense' } }),
      await fetch(`${url}${path}`, { headers: { Origin: 'https://evil.example' } }),
      await fetch(`${url}/api/org-units?at=~`),
      await fetch(`${url}/api/session`),
    ];
    expect(reachedApp.length - before).toBe(asked.length);
    expect(asked[0]?.status).toBe(401);
  });

  it('sends the new answer after a write, never the prepared one of the version before', async () => {
    const path = '/api/indicators/hospital-productivity/values?unit=101&period=2023';
    const before = (await (await fetch(`${url}${path}`)).json())[0].value;
    await fetch(`${url}${path}`);
    await importAggregates(store, 'b.csv', csv(before + 5));
    const count = reachedApp.length;
    const after = await fetch(`${url}${path}`);
    expect((await after.json())[0].value).toBe(before + 5);
    expect(reachedApp.length).toBe(count + 1);
  });

  it('is not used in private mode, where every read needs a principal', () => {
    const app: RequestListener = () => undefined;
    expect(preparedFirst(app, async () => undefined, { private: true })).toBe(app);
  });
});
