// Answers carried over to a new data version: after an import of one indicator (A), a server on a real port answers
// for A with the new values and a new ETag at once, keeps the answers of another indicator (B) with their ETags
// (304 to a client that has them), shows A's change in the overview, and every answer it gives equals the answer
// of a fresh app that has never prepared anything. A write of reference data makes every answer new. The same on
// the embedded DuckDB store and on a real PostgreSQL database, whose log of changes lives in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningServer } from '../src/api/index.js';
import { loadCatalogue } from '../src/catalogue/index.js';
import { importAggregates } from '../src/ingest/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { bearer, catalogueStore, serveOnEphemeralPort, userToken } from './helpers.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const A = 'hospital-productivity';
const B = 'patient-satisfaction';
const csv = (rows: string[]) => `indicator,unit,period,value\n${rows.join('\n')}\n`;

/** The latest value of `indicator` in the overview's first goal set that shows it. */
function latestInOverview(body: string, indicator: string): number | undefined {
  const overview = JSON.parse(body) as {
    goalSets: { goals: { indicators: { id: string; latest: { value: number } | null }[] }[] }[];
  };
  for (const set of overview.goalSets)
    for (const goal of set.goals)
      for (const row of goal.indicators) if (row.id === indicator) return row.latest?.value ?? undefined;
  return undefined;
}

const valueIn = (body: string, unit: string, period: string) =>
  (JSON.parse(body) as { unit: string; period: string; value: number }[]).find(
    (r) => r.unit === unit && r.period === period,
  )?.value;

const locations = storeLocations();

describe.each(STORE_KINDS)('on a %s store', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    ({ store, cleanup } = await catalogueStore(await locations.newLocation(kind)));
    await importAggregates(
      store,
      'start.csv',
      new TextEncoder().encode(
        csv([`${A},101,2022,95`, `${A},101,2023,98`, `${A},DK,2023,99`, `${B},101,2023,80`, `${B},DK,2023,82`]),
      ),
    );
    token = await userToken(store, { name: 'importer', unit: 'DK', role: 'admin' });
    server = await serveOnEphemeralPort(store);
  });
  afterAll(async () => {
    await server.close();
    await cleanup();
  });

  async function get(path: string, etag?: string) {
    const response = await fetch(`${server.url}${path}`, { headers: etag ? { 'If-None-Match': etag } : {} });
    return { status: response.status, etag: response.headers.get('etag') ?? '', body: await response.text() };
  }

  async function importThroughApi(name: string, rows: string[]): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([csv(rows)], { type: 'text/csv' }), name);
    const response = await fetch(`${server.url}/api/imports`, { method: 'POST', body: form, headers: bearer(token) });
    expect(response.status, await response.text()).toBe(200);
  }

  describe('answers carried over to a new data version', () => {
    it('answers for the imported indicator anew and keeps the other indicator’s answers and ETags', async () => {
      const aValues = await get(`/api/indicators/${A}/values?unit=101`);
      const bValues = await get(`/api/indicators/${B}/values?unit=101`);
      const bTrend = await get(`/api/indicators/${B}/values?period=2023`);
      const overview = await get('/api/overview?unit=101');
      expect(valueIn(aValues.body, '101', '2023')).toBe(98);
      expect(valueIn(bValues.body, '101', '2023')).toBe(80);
      expect(latestInOverview(overview.body, A)).toBe(98);
      expect(latestInOverview(overview.body, B)).toBe(80);

      await importThroughApi('a.csv', [`${A},101,2023,103`]);

      // A: new values at once, under a new ETag.
      const aAfter = await get(`/api/indicators/${A}/values?unit=101`, aValues.etag);
      expect(aAfter.status).toBe(200);
      expect(aAfter.etag).not.toBe(aValues.etag);
      expect(valueIn(aAfter.body, '101', '2023')).toBe(103);
      expect(valueIn(aAfter.body, '101', '2022')).toBe(95);
      // B: the same answer, with the same ETag (a 304 to a client that has it).
      expect((await get(`/api/indicators/${B}/values?unit=101`, bValues.etag)).status).toBe(304);
      const bAfter = await get(`/api/indicators/${B}/values?unit=101`);
      expect(bAfter).toEqual({ status: 200, etag: bValues.etag, body: bValues.body });
      expect((await get(`/api/indicators/${B}/values?period=2023`, bTrend.etag)).status).toBe(304);
      // The overview shows both indicators, and A's change.
      const overviewAfter = await get('/api/overview?unit=101', overview.etag);
      expect(overviewAfter.status).toBe(200);
      expect(overviewAfter.etag).not.toBe(overview.etag);
      expect(latestInOverview(overviewAfter.body, A)).toBe(103);
      expect(latestInOverview(overviewAfter.body, B)).toBe(80);
      // The list of imports changed too.
      expect(JSON.parse((await get('/api/imports')).body).map((i: { fileName: string }) => i.fileName)).toEqual([
        'start.csv',
        'a.csv',
      ]);

      // And the other way round: an import of B leaves A's new answer and its ETag.
      await importThroughApi('b.csv', [`${B},101,2023,77`]);
      expect((await get(`/api/indicators/${A}/values?unit=101`, aAfter.etag)).status).toBe(304);
      const bNew = await get(`/api/indicators/${B}/values?unit=101`, bValues.etag);
      expect(bNew.status).toBe(200);
      expect(valueIn(bNew.body, '101', '2023')).toBe(77);
      expect(latestInOverview((await get('/api/overview?unit=101')).body, B)).toBe(77);
    });

    it('gives after imports of A and B the answers of a fresh app that has prepared nothing', async () => {
      const paths = [
        '/api/org-units',
        '/api/overview?unit=101',
        '/api/overview?unit=DK',
        `/api/indicators/${A}/values?unit=101`,
        `/api/indicators/${A}/values?period=2023&breakdown=total`,
        `/api/indicators/${B}/values?unit=101`,
        `/api/indicators/${B}/funnel?period=2023`,
        `/api/indicators/${A}/trend?unit=101`,
        `/api/indicators/${B}/history?unit=101`,
        `/api/targets/${A}-national-direction/evaluation?unit=DK`,
        '/api/imports',
      ];
      const rounds = [
        [`${A},101,2023,104`, `${A},101,2024,106`],
        [`${B},101,2024,79`, `${B},DK,2024,81`],
        [`${A},DK,2024,100`],
      ];
      for (const [i, rows] of rounds.entries()) {
        for (const path of paths) await get(path); // prepared (or carried) under the version before the import
        await importThroughApi(`round-${i}.csv`, rows);
        const fresh = createApp(store);
        for (const path of paths) {
          const served = await get(path);
          const expected = await fresh.request(path);
          // A problem's request id is the request's own.
          const withoutId = (body: string) => body.replace(/"requestId":"[^"]*"/, '');
          expect({ path, status: served.status, body: withoutId(served.body) }).toEqual({
            path,
            status: expected.status,
            body: withoutId(await expected.text()),
          });
        }
      }
    });

    it('makes every answer new after a write of reference data', async () => {
      const b = await get(`/api/indicators/${B}/values?unit=101`);
      await store.replaceCatalogue(await loadCatalogue());
      const after = await get(`/api/indicators/${B}/values?unit=101`, b.etag);
      expect(after.status).toBe(200);
      expect(after.etag).not.toBe(b.etag);
      expect(after.body).toBe(b.body);
    });

    it('shows readers of B one answer and readers of A one answer per ETag while imports of A run', async () => {
      const bodiesByEtag = new Map<string, Set<string>>();
      const bEtags = new Set<string>();
      const aValuesSeen = new Set<number | undefined>();
      let importing = true;
      const reader = async (path: string, onAnswer: (answer: { etag: string; body: string }) => void) => {
        while (importing) {
          const answer = await get(path);
          expect(answer.status).toBe(200);
          onAnswer(answer);
          const bodies = bodiesByEtag.get(`${path}|${answer.etag}`) ?? new Set();
          bodiesByEtag.set(`${path}|${answer.etag}`, bodies.add(answer.body));
        }
      };
      const readers = [
        reader(`/api/indicators/${B}/values?unit=101`, (a) => bEtags.add(a.etag)),
        reader(`/api/indicators/${A}/values?unit=101`, (a) => aValuesSeen.add(valueIn(a.body, '101', '2023'))),
        reader('/api/overview?unit=101', () => undefined),
      ];
      for (const value of [110, 111, 112, 113]) await importThroughApi(`loop-${value}.csv`, [`${A},101,2023,${value}`]);
      importing = false;
      await Promise.all(readers);
      expect(bEtags.size).toBe(1);
      for (const seen of aValuesSeen) expect([104, 110, 111, 112, 113]).toContain(seen);
      for (const [key, bodies] of bodiesByEtag) expect({ key, bodies: bodies.size }).toEqual({ key, bodies: 1 });
      expect(valueIn((await get(`/api/indicators/${A}/values?unit=101`)).body, '101', '2023')).toBe(113);
    });
  });

  describe('what the store says each write changed', () => {
    it('names the indicators of an import, and everything for a catalogue', async () => {
      const before = await store.dataVersion();
      await importAggregates(store, 'c.csv', new TextEncoder().encode(csv([`${B},101,2021,70`])));
      const afterImport = await store.dataVersion();
      expect(await store.changesBetween?.(before, afterImport)).toEqual(['imports', `values:${B}`]);
      await store.replaceValues([A], [], 'test');
      const afterReplace = await store.dataVersion();
      expect(await store.changesBetween?.(afterImport, afterReplace)).toEqual([`values:${A}`]);
      expect(new Set(await store.changesBetween?.(before, afterReplace))).toEqual(
        new Set(['imports', `values:${A}`, `values:${B}`]),
      );
      await store.replaceCatalogue(await loadCatalogue());
      expect(await store.changesBetween?.(afterReplace, await store.dataVersion())).toEqual(['*']);
      expect(await store.changesBetween?.(-5, afterReplace)).toBeUndefined();
      expect(await store.changesBetween?.(afterReplace, afterImport)).toBeUndefined();
      expect(await store.changesBetween?.(afterReplace, afterReplace)).toEqual([]);
    });

    it('knows nothing of the versions a restore skips', async () => {
      const before = await store.dataVersion();
      const after = await store.advanceDataVersion(before + 10);
      expect(after).toBeGreaterThan(before + 10);
      expect(await store.changesBetween?.(before, after)).toBeUndefined();
      expect(await store.changesBetween?.(after - 1, after)).toEqual(['*']);
    });
  });
});

describe('two servers on one PostgreSQL database', () => {
  let location: string;
  const stores: Store[] = [];
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    location = await locations.newLocation('postgres', 'shared');
    for (let i = 0; i < 2; i++) stores.push(await openStore(location));
    await stores[0]?.replaceCatalogue(await loadCatalogue());
    await importAggregates(
      stores[0] as Store,
      'start.csv',
      new TextEncoder().encode(csv([`${A},101,2023,98`, `${B},101,2023,80`])),
    );
    for (const s of stores) servers.push(await serveOnEphemeralPort(s));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const s of stores) await s.close();
  });

  const getFrom = async (server: RunningServer, path: string, etag?: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: etag ? { 'If-None-Match': etag } : {} });
    return { status: response.status, etag: response.headers.get('etag') ?? '', body: await response.text() };
  };

  it('keeps on one server the answers that an import through the other did not touch', async () => {
    const [first, second] = servers as [RunningServer, RunningServer];
    const [writer, reader] = stores as [Store, Store];
    const bValues = await getFrom(second, `/api/indicators/${B}/values?unit=101`);
    const aValues = await getFrom(second, `/api/indicators/${A}/values?unit=101`);
    const before = await reader.dataVersion();

    await importAggregates(writer, 'a.csv', new TextEncoder().encode(csv([`${A},101,2023,103`])));
    // The reader's store sees the writer's change in the shared log.
    expect(await reader.changesBetween?.(before, await reader.dataVersion())).toEqual(['imports', `values:${A}`]);

    // The second server keeps B's answer and its ETag, and answers for A anew.
    expect((await getFrom(second, `/api/indicators/${B}/values?unit=101`, bValues.etag)).status).toBe(304);
    expect(await getFrom(second, `/api/indicators/${B}/values?unit=101`)).toEqual({ ...bValues, status: 200 });
    const aAfter = await getFrom(second, `/api/indicators/${A}/values?unit=101`, aValues.etag);
    expect(aAfter.status).toBe(200);
    expect(aAfter.etag).not.toBe(aValues.etag);
    expect(valueIn(aAfter.body, '101', '2023')).toBe(103);
    // Both servers answer alike.
    expect((await getFrom(first, `/api/indicators/${A}/values?unit=101`)).body).toBe(aAfter.body);
  });
});
