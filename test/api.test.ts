import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { catalogueStore, serveOnEphemeralPort } from './helpers.js';

let server: RunningServer;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const made = await catalogueStore();
  cleanup = made.cleanup;
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

  it('returns 1 + 5 + 98 organisation units', async () => {
    const units = await getJson('/api/org-units');
    expect(units).toHaveLength(104);
    expect(units.filter((u: { type: string }) => u.type === 'region')).toHaveLength(5);
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

  it('serves a page listing the goal sets at /', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Nationale mål for sundhedsvæsenet');
    expect(html).toContain('Sundhedsaftalen 2015-18 i Region Midtjylland');
  });
});
