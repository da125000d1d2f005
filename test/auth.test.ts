// Who may write, against a real server: every write route refuses anonymous requests (401) and principals outside
// their role or unit (403); a Viborg editor imports Viborg's values and not København's; revoked and expired tokens
// fail; a region editor writes its municipalities only with the right; the audit trail names the real principal.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, ROOT, serveOnEphemeralPort, userToken } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const made = await catalogueStore();
  store = made.store;
  cleanup = made.cleanup;
  for (const [name, unit, role] of [
    ['admin', 'DK', 'admin'],
    ['viborg-editor', '791', 'editor'],
    ['kbh-editor', '101', 'editor'],
    ['aarhus-editor', '751', 'editor'],
    ['midt-editor', '1082', 'editor'],
    ['viborg-viewer', '791', 'viewer'],
  ] as const)
    tokens[name] = await userToken(store, { name, unit, role });
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const call = (
  method: string,
  p: string,
  init: { token?: string; body?: BodyInit; headers?: Record<string, string> } = {},
) =>
  fetch(`${server.url}${p}`, {
    method,
    ...(init.body !== undefined ? { body: init.body } : {}),
    headers: init.token ? bearer(init.token, init.headers) : (init.headers ?? {}),
  });

const csvForm = (csv: string, name = 'tal.csv', extra: Record<string, string> = {}) => {
  const form = new FormData();
  form.append('file', new Blob([csv]), name);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return form;
};

async function auditTrail(): Promise<
  { actor: string; action: string; subject: string | null; outcome: string; details: Record<string, unknown> }[]
> {
  const response = await call('GET', '/api/audit', { token: tokens.admin as string });
  expect(response.status).toBe(200);
  return response.json();
}

/** Every state-changing operation the API declares, with a path whose parameters are filled in. */
async function writeRoutes(): Promise<{ method: string; path: string }[]> {
  const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
  const routes: { method: string; path: string }[] = [];
  for (const [p, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
    for (const method of Object.keys(operations))
      if (['post', 'put', 'patch', 'delete'].includes(method) && p !== '/api/session')
        routes.push({ method: method.toUpperCase(), path: p.replace('{id}', '1').replace('{region}', '1082') });
  return routes;
}

describe('writes need a principal with the right role and unit', () => {
  it('refuses every write route anonymously with 401 problem+json, and a viewer with 403', async () => {
    const routes = await writeRoutes();
    // The routes known today; a new write route shows up here and must pass the same checks.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /api/imports',
        'POST /api/goal-sets',
        'POST /api/users',
        'POST /api/users/1/disable',
        'POST /api/tokens',
        'DELETE /api/tokens/1',
        'PUT /api/region-rights/1082',
        'DELETE /api/region-rights/1082',
      ]),
    );
    for (const route of routes) {
      const anonymous = await call(route.method, route.path, {
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(anonymous.status, `${route.method} ${route.path}`).toBe(401);
      expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
      expect(anonymous.headers.get('www-authenticate'), `${route.method} ${route.path}`).toContain('Bearer');
      const viewer = await call(route.method, route.path, {
        token: tokens['viborg-viewer'] as string,
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(viewer.status, `${route.method} ${route.path} as viewer`).toBe(403);
      expect(viewer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses the admin routes to an editor of another unit with 403', async () => {
    const json = { 'Content-Type': 'application/json' };
    const token = tokens['kbh-editor'] as string;
    const attempts = [
      call('POST', '/api/users', {
        token,
        headers: json,
        body: JSON.stringify({ name: 'x1', unit: '101', role: 'admin' }),
      }),
      call('POST', '/api/users/viborg-editor/disable', { token }),
      call('POST', '/api/tokens', { token, headers: json, body: JSON.stringify({ user: 'kbh-editor' }) }),
      call('DELETE', '/api/tokens/2', { token }),
      call('PUT', '/api/region-rights/1084', { token }),
      call('DELETE', '/api/region-rights/1084', { token }),
      call('GET', '/api/audit', { token }),
      call('GET', '/api/users', { token }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect((await response.json()).detail).toContain('needs an admin');
    }
    // Nothing happened: Viborg's editor still works.
    expect((await call('GET', '/api/session', { token: tokens['viborg-editor'] as string })).status).toBe(200);
  });
});

describe('imports are scoped to the units a principal may write', () => {
  it("lets Viborg's editor import Viborg's values, recording the editor, not the self-declared actor", async () => {
    const csv =
      'indikator;enhed;periode;værdi\npatient-satisfaction;791;2024;87,5\npatient-satisfaction;Viborg;2023;86\n';
    const response = await call('POST', '/api/imports', {
      token: tokens['viborg-editor'] as string,
      body: csvForm(csv, 'viborg.csv', { actor: 'kbh-editor' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ written: true, diff: { inserted: 2, changed: 0 } });
    const history = await (await fetch(`${server.url}/api/indicators/patient-satisfaction/history?unit=791`)).json();
    expect(history.revisions.map((r: { actor: string }) => r.actor)).toEqual(['viborg-editor', 'viborg-editor']);
    const entry = (await auditTrail()).find((a) => a.action === 'import' && a.subject === 'viborg.csv');
    expect(entry).toMatchObject({
      actor: 'viborg-editor',
      outcome: 'ok',
      details: { sha256: createHash('sha256').update(csv).digest('hex'), inserted: 2, changed: 0, unchanged: 0 },
    });
  });

  it("refuses a whole file from Viborg's editor with København's and Denmark's rows, naming the rows", async () => {
    const csv =
      'indicator,unit,period,value\npatient-satisfaction,791,2022,80\npatient-satisfaction,101,2024,10\npatient-satisfaction,DK,2024,11\n';
    const response = await call('POST', '/api/imports', {
      token: tokens['viborg-editor'] as string,
      body: csvForm(csv, 'mixed.csv'),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.json();
    expect(problem.detail).toContain('101, DK');
    expect(problem.errors).toEqual(['row 3: unit 101', 'row 4: unit DK']);
    // Nothing was written, not even Viborg's own row.
    expect(await store.queryValues({ indicator: 'patient-satisfaction', unit: ['101', 'DK'] })).toEqual([]);
    expect(await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2022' })).toEqual([]);
    expect((await auditTrail()).filter((a) => a.subject === 'mixed.csv')).toEqual([
      expect.objectContaining({ actor: 'viborg-editor', action: 'import', outcome: 'denied' }),
    ]);
  });

  it('refuses revoked and expired tokens', async () => {
    const token = await userToken(store, { name: 'short-lived', unit: '791', role: 'editor' });
    const csv = 'indicator,unit,period,value\npatient-satisfaction,791,2021,70\n';
    const [record] = (await store.accounts.listTokens()).filter((t) => t.userName === 'short-lived');
    const revoked = await call('DELETE', `/api/tokens/${record?.id}`, { token: tokens.admin as string });
    expect(revoked.status).toBe(204);
    const afterRevoke = await call('POST', '/api/imports', { token, body: csvForm(csv) });
    expect(afterRevoke.status).toBe(401);
    expect((await afterRevoke.json()).detail).toBe(`Token ${record?.id} was revoked`);

    // A token whose expiry has passed: stored as its SHA-256, as the server stores tokens.
    const expired = `pjl_${randomBytes(32).toString('base64url')}`;
    const user = await store.accounts.getUser('viborg-editor');
    await store.accounts.addToken({
      userId: user?.id as number,
      tokenHash: createHash('sha256').update(expired).digest('hex'),
      label: 'expired',
      expiresAt: '2020-01-01T00:00:00.000Z',
    });
    const afterExpiry = await call('POST', '/api/imports', { token: expired, body: csvForm(csv) });
    expect(afterExpiry.status).toBe(401);
    expect((await afterExpiry.json()).detail).toMatch(/expired at 2020-01-01/);
    expect(await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2021' })).toEqual([]);
    const denied = (await auditTrail()).filter((a) => a.outcome === 'denied' && a.action === 'POST /api/imports');
    expect(denied.map((a) => a.details.reason)).toEqual(
      expect.arrayContaining([`Token ${record?.id} was revoked`, expect.stringMatching(/expired/)]),
    );
  });

  it("lets a region's editor write its municipalities only with the right an admin grants", async () => {
    const viborg = 'indicator,unit,period,value\npatient-satisfaction,791,2020,75\n';
    const midt = tokens['midt-editor'] as string;
    expect(
      (
        await call('POST', '/api/imports', {
          token: midt,
          body: csvForm('indicator,unit,period,value\npatient-satisfaction,1082,2024,81\n'),
        })
      ).status,
    ).toBe(200);
    expect((await call('POST', '/api/imports', { token: midt, body: csvForm(viborg, 'midt-viborg.csv') })).status).toBe(
      403,
    );
    expect((await call('PUT', '/api/region-rights/1082', { token: tokens.admin as string })).status).toBe(204);
    const granted = await call('POST', '/api/imports', { token: midt, body: csvForm(viborg, 'midt-viborg.csv') });
    expect(granted.status).toBe(200);
    expect(
      (await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2020' }))[0]?.value,
    ).toBe(75);
    // Only the region's own municipalities: København belongs to Region Hovedstaden.
    const kbh = 'indicator,unit,period,value\npatient-satisfaction,101,2020,75\n';
    expect((await call('POST', '/api/imports', { token: midt, body: csvForm(kbh, 'midt-kbh.csv') })).status).toBe(403);
    expect((await call('DELETE', '/api/region-rights/1082', { token: tokens.admin as string })).status).toBe(204);
    expect((await call('POST', '/api/imports', { token: midt, body: csvForm(viborg, 'midt-viborg.csv') })).status).toBe(
      403,
    );
    const trail = (await auditTrail()).filter((a) => a.subject === 'midt-viborg.csv');
    expect(trail.map((a) => [a.actor, a.outcome])).toEqual([
      ['midt-editor', 'denied'],
      ['midt-editor', 'ok'],
      ['midt-editor', 'denied'],
    ]);
    expect((await auditTrail()).filter((a) => a.action.startsWith('region-right'))).toEqual([
      expect.objectContaining({ actor: 'admin', action: 'region-right.grant', subject: '1082' }),
      expect.objectContaining({ actor: 'admin', action: 'region-right.revoke', subject: '1082' }),
    ]);
  });
});

describe('goal sets are scoped to their unit', () => {
  it('lets Aarhus add its own goal set, and refuses Viborg replacing it or adding one for Aarhus', async () => {
    const body = JSON.parse(await readFile(path.join(ROOT, 'examples/local-goal-set-aarhus.json'), 'utf8'));
    const json = { 'Content-Type': 'application/json' };
    const asViborg = await call('POST', '/api/goal-sets', {
      token: tokens['viborg-editor'] as string,
      headers: json,
      body: JSON.stringify(body),
    });
    expect(asViborg.status).toBe(403);
    expect((await asViborg.json()).detail).toContain('not unit 751');
    const asAarhus = await call('POST', '/api/goal-sets', {
      token: tokens['aarhus-editor'] as string,
      headers: json,
      body: JSON.stringify(body),
    });
    expect(asAarhus.status).toBe(201);
    const hijack = structuredClone(body);
    hijack.links = [{ ...hijack.links[0], from: 'ng-chronic-and-elderly', to: 'aarhus-fewer-preventable-admissions' }];
    const linked = await call('POST', '/api/goal-sets', {
      token: tokens['aarhus-editor'] as string,
      headers: json,
      body: JSON.stringify(hijack),
    });
    expect(linked.status).toBe(403);
    expect((await linked.json()).detail).toContain('Links may start only at goals of the goal set');
    const takeover = structuredClone(body);
    takeover.goalSet.unit = '791';
    takeover.goalSet.goals[0].targets[0].scope.units = ['791'];
    const replaced = await call('POST', '/api/goal-sets', {
      token: tokens['viborg-editor'] as string,
      headers: json,
      body: JSON.stringify(takeover),
    });
    expect(replaced.status).toBe(403);
    expect((await replaced.json()).detail).toContain('belongs to unit 751');
    expect((await store.getGoalSet('aarhus-health-policy-2025'))?.unit).toBe('751');
    const national = structuredClone(body);
    national.goalSet.id = 'fake-national';
    national.goalSet.level = 'national';
    national.goalSet.goals[0].id = 'fake-national-goal';
    national.goalSet.goals[0].targets[0].id = 'fake-national-target';
    national.links = [];
    const fake = await call('POST', '/api/goal-sets', {
      token: tokens['aarhus-editor'] as string,
      headers: json,
      body: JSON.stringify(national),
    });
    expect(fake.status).toBe(403);
    const byAdmin = await call('POST', '/api/goal-sets', {
      token: tokens.admin as string,
      headers: json,
      body: JSON.stringify(national),
    });
    expect(byAdmin.status).toBe(201);
    const trail = (await auditTrail()).filter((a) => a.action.startsWith('goal-set'));
    expect(trail.map((a) => [a.actor, a.action, a.subject, a.outcome])).toEqual([
      ['viborg-editor', 'goal-set', 'aarhus-health-policy-2025', 'denied'],
      ['aarhus-editor', 'goal-set', 'aarhus-health-policy-2025', 'ok'],
      ['aarhus-editor', 'goal-set', 'aarhus-health-policy-2025', 'denied'],
      ['viborg-editor', 'goal-set', 'aarhus-health-policy-2025', 'denied'],
      ['aarhus-editor', 'goal-set.national', 'fake-national', 'denied'],
      ['admin', 'goal-set', 'fake-national', 'ok'],
    ]);
  });
});

describe('browser-facing hardening', () => {
  it('refuses a cross-origin write even with a valid token, and sends no CORS grant to foreign pages', async () => {
    const response = await call('POST', '/api/imports', {
      token: tokens['viborg-editor'] as string,
      headers: { Origin: 'https://evil.example' },
      body: csvForm('indicator,unit,period,value\npatient-satisfaction,791,2019,70\n'),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain('https://evil.example');
    expect(await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2019' })).toEqual([]);
    const preflight = await call('OPTIONS', '/api/imports', {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const read = await call('GET', '/api/goal-sets', { headers: { Origin: 'https://evil.example' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers and a request id on pages, data and problems', async () => {
    for (const p of ['/', '/api/goal-sets', '/api/nope']) {
      const response = await call('GET', p, { headers: { 'X-Request-Id': 'trace-12345678' } });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('x-request-id')).toBe('trace-12345678');
    }
    const problem = await (await call('GET', '/api/nope')).json();
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('private mode', () => {
  it('requires a principal for reads, but serves the sign-in page and session', async () => {
    const closed = await serveOnEphemeralPort(store, { security: { private: true } });
    try {
      expect((await fetch(`${closed.url}/api/goal-sets`)).status).toBe(401);
      expect((await fetch(`${closed.url}/api/indicators/patient-satisfaction/values`)).status).toBe(401);
      expect((await fetch(`${closed.url}/api/session`)).status).toBe(200);
      expect((await fetch(`${closed.url}/`)).status).toBe(200);
      const viewer = await fetch(`${closed.url}/api/goal-sets`, { headers: bearer(tokens['viborg-viewer'] as string) });
      expect(viewer.status).toBe(200);
    } finally {
      await closed.close();
    }
  });
});
