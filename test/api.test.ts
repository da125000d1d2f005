import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { bearer, catalogueStore, ROOT, serveOnEphemeralPort, userToken } from './helpers.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const locations = storeLocations();

// One suite, run against the embedded DuckDB store and against PostgreSQL.
describe.each(STORE_KINDS)('the API on the %s store', (kind) => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;
  let adminToken: string;

  beforeAll(async () => {
    const made = await catalogueStore(await locations.newLocation(kind, 'api'));
    cleanup = made.cleanup;
    adminToken = await userToken(made.store, { name: 'api-admin', unit: 'DK', role: 'admin' });
    server = await serveOnEphemeralPort(made.store);
  });
  afterAll(async () => {
    await server.close();
    await cleanup();
  });

  const get = (path: string) => fetch(`${server.url}${path}`);
  const getJson = async (path: string) => {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    return response.json();
  };

  describe('HTTP API', () => {
    it('lists the goal sets with goal and target counts', async () => {
      const sets = await getJson('/api/goal-sets');
      expect(sets.length).toBeGreaterThanOrEqual(6);
      const national = sets.find((s: { id: string }) => s.id === 'national-goals-2016');
      expect(national).toMatchObject({ level: 'national', unit: 'DK', goalCount: 8 });
    });

    it('returns one goal set with goals, indicators and targets', async () => {
      const reform = await getJson('/api/goal-sets/health-reform-2022');
      const target = reform.goals
        .flatMap((g: { targets: unknown[] }) => g.targets)
        .find((t: { id: string }) => t.id === 'reform-acute-readmissions');
      expect(target.milestones).toEqual([
        { period: '2026', value: -5 },
        { period: '2030', value: -10 },
        { period: '2035', value: -15 },
      ]);
      const national = await getJson('/api/goal-sets/national-goals-2016');
      const indicators = new Set(national.goals.flatMap((g: { indicators: string[] }) => g.indicators));
      expect(indicators.size).toBeGreaterThanOrEqual(25);
    });

    it('returns 1 + 5 + 98 organisation units in the 2026 structure, besides clusters and hospitals', async () => {
      const units = await getJson('/api/org-units?at=2026-12-31');
      const ofType = (type: string) => units.filter((u: { type: string }) => u.type === type);
      expect(ofType('nation')).toHaveLength(1);
      expect(ofType('region')).toHaveLength(5);
      expect(ofType('municipality')).toHaveLength(98);
      expect(units.find((u: { code: string }) => u.code === '101')).toMatchObject({
        name: 'København',
        type: 'municipality',
        parent: '1084',
      });
      expect(units.find((u: { code: string }) => u.code === 'DK')).toMatchObject({
        type: 'nation',
        parent: null,
      });
      const municipalities = await getJson('/api/org-units?type=municipality');
      expect(municipalities).toHaveLength(98);
      expect(await getJson('/api/org-units?at=2000-01-01')).toHaveLength(0);
    });

    it('serves indicator definitions', async () => {
      const indicators = await getJson('/api/indicators');
      expect(indicators.map((i: { id: string }) => i.id)).toEqual(
        expect.arrayContaining(['acute-readmission-somatic-30d', 'virtual-course-share', 'chronic-activity-copd-t2d']),
      );
      const one = await getJson('/api/indicators/preventable-admissions-65plus');
      expect(one).toMatchObject({ polarity: 'lower-is-better', multiplier: 1000, measure: 'rate' });
    });

    it('answers errors as problem+json', async () => {
      const missing = await get('/api/goal-sets/no-such-set');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await missing.json()).toMatchObject({
        status: 404,
        detail: "Goal set 'no-such-set' was not found",
      });
      const invalid = await get('/api/org-units?type=planet');
      expect(invalid.status).toBe(400);
      const problem = await invalid.json();
      expect(problem.errors[0]).toMatch(/^type: /);
      expect((await get('/api/nothing-here')).status).toBe(404);
    });

    it('publishes an OpenAPI document with every route', async () => {
      const doc = await getJson('/api/openapi.json');
      expect(doc.openapi).toMatch(/^3\./);
      for (const path of [
        '/api/goal-sets',
        '/api/goal-sets/{id}',
        '/api/org-units',
        '/api/indicators',
        '/api/indicators/{id}',
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
    });

    it('serves the web app at / and at its page paths, and 404 for unknown API paths', async () => {
      for (const path of ['/', '/indikator/virtual-course-share', '/enhed/751']) {
        const response = await get(path);
        expect(response.status, path).toBe(200);
        const html = await response.text();
        expect(html).toContain('<div id="root"></div>');
        expect(html).toContain('<html lang="da">');
      }
      expect((await get('/municipalities.topojson')).status).toBe(200);
      expect((await get('/api/nope')).status).toBe(404);
    });
  });

  describe('imports and local goals through the API', () => {
    const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', body, headers: bearer(adminToken, headers) });

    it('imports a multipart upload, reports problems with 422, and serves the history', async () => {
      const csv =
        'indikator;enhed;periode;værdi\nhospital-productivity;Region Nordjylland;2023;101,5\nhospital-productivity;1082;2023;98,7\n';
      const form = new FormData();
      form.append('file', new Blob([csv]), 'produktivitet.csv');
      form.append('actor', 'test');
      const response = await post('/api/imports', form);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ written: true, values: 2, diff: { inserted: 2 } });
      const values = await getJson('/api/indicators/hospital-productivity/values?unit=1081');
      expect(values[0]).toMatchObject({ period: '2023', value: 101.5 });

      const bad = new FormData();
      bad.append('file', new Blob(['indicator,unit,period,value\nhospital-productivity,Mars,2023,1\n']), 'bad.csv');
      const rejected = await post('/api/imports', bad);
      expect(rejected.status).toBe(422);
      expect((await rejected.json()).problems[0]).toMatchObject({ row: 2, column: 'unit', value: 'Mars' });

      const history = await getJson('/api/indicators/hospital-productivity/history?unit=1081');
      expect(history.revisions[0]).toMatchObject({
        value: 101.5,
        fileName: 'produktivitet.csv',
        // The authenticated principal, not the form's self-declared actor.
        actor: 'api-admin',
        current: true,
      });
      expect((await getJson('/api/imports')).length).toBe(1);
      const noFile = await post('/api/imports', new FormData());
      expect(noFile.status).toBe(400);
      // An oversized body is refused from its Content-Length, before it is read (the server may close early).
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(`${server.url}/api/goal-sets`);
        const body = Buffer.alloc(3 * 1024 * 1024, 'x');
        const request = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: bearer(adminToken, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }),
          },
          (response) => resolve(response.statusCode ?? 0),
        );
        request.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
        );
        request.end(body);
      });
      expect(status).toBe(413);
    });

    it('adds a local goal set linked to a national goal, and rejects an invalid one', async () => {
      const body = await readFile(path.join(ROOT, 'examples/local-goal-set-aarhus.json'), 'utf8');
      const created = await post('/api/goal-sets', body, { 'Content-Type': 'application/json' });
      expect(created.status).toBe(201);
      const sets = await getJson('/api/goal-sets');
      expect(sets.map((s: { id: string }) => s.id)).toContain('aarhus-health-policy-2025');
      const links = await getJson('/api/goal-links');
      expect(links).toContainEqual(
        expect.objectContaining({ from: 'aarhus-fewer-preventable-admissions', to: 'ng-chronic-and-elderly' }),
      );

      const broken = JSON.parse(body);
      broken.goalSet.id = 'aarhus-broken';
      broken.goalSet.goals[0].id = 'aarhus-broken-goal';
      broken.goalSet.goals[0].targets[0].id = 'aarhus-broken-target';
      broken.goalSet.goals[0].targets[0].indicator = 'no-such-indicator';
      broken.links[0].to = 'no-such-goal';
      const rejected = await post('/api/goal-sets', JSON.stringify(broken), { 'Content-Type': 'application/json' });
      expect(rejected.status).toBe(422);
      // The link's start is the goal stored by the first request, so only its end is unknown.
      expect((await rejected.json()).errors).toEqual([
        "goalSet.goals[0].targets[0].indicator: unknown indicator 'no-such-indicator'",
        "links[0].to: unknown goal 'no-such-goal'",
      ]);
    });
  });
});
