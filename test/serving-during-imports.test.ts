// A served store while imports run: many readers on a real port keep getting answers (2xx/304) while imports
// through the API succeed or are refused clearly, the background preparation of overviews lets requests through
// between its steps, and every answer is whole from the one data version its ETag names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../src/api/background-work.js';
import type { RunningServer } from '../src/api/index.js';
import { createApp, startServer } from '../src/api/index.js';
import { importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, userToken } from './helpers.js';

/** An access-log line of an overview prepared in the background (a request from inside the server). */
const BACKGROUND_OVERVIEW = / unknown - GET \/api\/overview /;
const REGIONS = ['1081', '1082', '1083', '1084', '1085'];
const YEARS = Array.from({ length: 10 }, (_, i) => 2015 + i);

let store: Store;
let cleanup: () => Promise<void>;
let municipalities: string[];

/** A CSV setting every municipality's value of hospital-productivity in every year to `value`. */
function allMunicipalities(value: number): string {
  const lines = ['indicator;unit;period;breakdown;value'];
  for (const year of YEARS)
    for (const unit of municipalities) lines.push(`hospital-productivity;${unit};${year};total;${value}`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  municipalities = (await store.listOrgUnits({ type: 'municipality' })).map((u) => u.code);
  await importAggregates(store, 'start.csv', new TextEncoder().encode(allMunicipalities(100)));
});
afterAll(() => cleanup());

/** The value every municipality has in 2023 in an answer of the values route (one value when whole). */
function valuesIn(body: string): Set<number> {
  const rows = JSON.parse(body) as { unit: string; value: number }[];
  return new Set(rows.filter((r) => municipalities.includes(r.unit)).map((r) => r.value));
}

describe('a server while imports run', () => {
  let server: RunningServer;
  const log: string[] = [];
  beforeAll(async () => {
    server = await startServer(store, {
      port: 0,
      hostname: '127.0.0.1',
      prepareAhead: true,
      security: { log: (line) => log.push(line) },
    });
  });
  afterAll(() => server.close());

  it('answers every reader and every import, with requests answered between background preparations', async () => {
    const token = await userToken(store, { name: 'loader', unit: 'DK', role: 'admin' });
    const pick = (i: number) => municipalities[i % municipalities.length] as string;
    const routes = [
      () => '/api/org-units',
      (i: number) => `/api/overview?unit=${pick(i)}`,
      () => '/api/indicators/hospital-productivity/values?period=2023&breakdown=total',
      (i: number) => `/api/indicators/hospital-productivity/trend?unit=${pick(i)}`,
      (i: number) => `/api/targets/hospital-productivity-national-direction/evaluation?unit=${REGIONS[i % 5]}`,
    ];
    const statuses = new Map<number, number>();
    const mixed: string[] = [];
    const failures: string[] = [];
    const bodiesByEtag = new Map<string, Set<string>>();
    let importing = true;
    // Generous: a request that gets no answer in a minute has timed out (the fault this test guards against).
    const reader = async (route: (i: number) => string, offset: number) => {
      let etag: string | undefined;
      for (let i = offset; importing; i++) {
        const path = route(i);
        const response = await fetch(`${server.url}${path}`, {
          headers: etag && i % 2 === 0 ? { 'If-None-Match': etag } : {},
          signal: AbortSignal.timeout(60_000),
        });
        const body = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 200 && response.status !== 304) failures.push(`${response.status} ${path} ${body}`);
        if (response.status !== 200) continue;
        etag = path === route(i + 1) ? (response.headers.get('etag') ?? undefined) : undefined;
        if (path.includes('/values?')) {
          if (valuesIn(body).size !== 1) mixed.push(body);
          const tag = `${response.headers.get('etag')}`;
          bodiesByEtag.set(tag, (bodiesByEtag.get(tag) ?? new Set()).add(body));
        }
      }
    };
    const imports: number[] = [];
    const prepared = () => log.filter((line) => BACKGROUND_OVERVIEW.test(line)).length;
    const importer = async () => {
      for (const value of [110, 120, 130, 140]) {
        // Each import comes once the background has prepared a good part of the units' overviews.
        const before = prepared();
        while (prepared() < before + 30) await new Promise((resolve) => setTimeout(resolve, 50));
        const form = new FormData();
        form.append('file', new Blob([allMunicipalities(value)], { type: 'text/csv' }), `${value}.csv`);
        const response = await fetch(`${server.url}/api/imports`, {
          method: 'POST',
          body: form,
          headers: bearer(token),
          signal: AbortSignal.timeout(60_000),
        });
        await response.arrayBuffer();
        imports.push(response.status);
        if (response.status === 409 || response.status === 503)
          expect(response.headers.get('retry-after')).toBeTruthy();
      }
      importing = false;
    };
    const readers = Array.from({ length: 15 }, (_, i) => reader(routes[i % routes.length] as (i: number) => string, i));
    await Promise.all([importer(), ...readers]);

    expect(imports.every((s) => s === 200 || s === 409 || s === 503)).toBe(true);
    expect(imports.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(mixed).toEqual([]);
    // An ETag names one version: every answer under it is the same.
    for (const bodies of bodiesByEtag.values()) expect(bodies.size).toBe(1);
    // The background preparation (requests from inside the server, logged as 'unknown') never holds the server
    // for a whole round of units: waiting readers are answered between its steps.
    let run = 0;
    let longest = 0;
    for (const line of log) {
      run = BACKGROUND_OVERVIEW.test(line) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThan(20);
  }, 240_000);
});

describe('answers while the current version is prepared', () => {
  it('lets the first asker wait for the current answer and serves the others the last prepared one meanwhile', async () => {
    const background = new BackgroundWork();
    const app = createApp(store, { serveStale: true, background });
    const path = '/api/indicators/hospital-productivity/values?period=2023&breakdown=total';
    const first = await app.request(path);
    const before = first.headers.get('etag');
    const valueBefore = [...valuesIn(await first.text())];
    expect(valueBefore).toHaveLength(1);

    const next = Number(valueBefore[0]) + 7;
    await importAggregates(store, 'next.csv', new TextEncoder().encode(allMunicipalities(next)));
    // The first to ask after the change waits for the current answer (whoever made the change sees it); who
    // asks meanwhile gets the last prepared answer, with the ETag of its own version.
    const [current, meanwhile] = await Promise.all([app.request(path), app.request(path)]);
    expect(current.headers.get('etag')).not.toBe(before);
    expect([...valuesIn(await current.text())]).toEqual([next]);
    expect(meanwhile.headers.get('etag')).toBe(before);
    expect([...valuesIn(await meanwhile.text())]).toEqual(valueBefore);
    // Once prepared, everyone gets the current answer.
    const later = await app.request(path);
    expect(later.headers.get('etag')).toBe(current.headers.get('etag'));

    // A reload (Cache-Control: no-cache) waits for the current answer even while someone else does.
    await importAggregates(store, 'third.csv', new TextEncoder().encode(allMunicipalities(next + 1)));
    const [, second, reload] = await Promise.all([
      app.request(path),
      app.request(path),
      app.request(path, { headers: { 'Cache-Control': 'no-cache' } }),
    ]);
    expect([...valuesIn(await second.text())]).toEqual([next]);
    expect([...valuesIn(await reload.text())]).toEqual([next + 1]);
    await background.stop();
  });

  it('keeps every answer current without serveStale, and never caches accounts', async () => {
    const app = createApp(store);
    const path = '/api/indicators/hospital-productivity/values?period=2024&breakdown=total';
    const before = [...valuesIn(await (await app.request(path)).text())];
    await importAggregates(store, 'again.csv', new TextEncoder().encode(allMunicipalities(Number(before[0]) + 3)));
    expect([...valuesIn(await (await app.request(path)).text())]).toEqual([Number(before[0]) + 3]);

    const token = await userToken(store, { name: 'lister', unit: 'DK', role: 'admin' });
    const users = async () =>
      ((await (await app.request('/api/users', { headers: bearer(token) })).json()) as { name: string }[]).map(
        (u) => u.name,
      );
    expect(await users()).not.toContain('newcomer');
    await userToken(store, { name: 'newcomer', unit: '101', role: 'viewer' });
    expect(await users()).toContain('newcomer');
  });

  it('sends a prepared answer compressed to clients that accept gzip, the same answer unpacked', async () => {
    const app = createApp(store);
    const path = '/api/overview?unit=101';
    const plain = await app.request(path);
    const zipped = await app.request(path, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('etag')).toBe(`W/${plain.headers.get('etag')}`);
    const unpacked = new Response(zipped.body?.pipeThrough(new DecompressionStream('gzip')));
    expect(await unpacked.text()).toBe(await plain.text());
  });
});
