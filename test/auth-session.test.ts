// Dashboard sessions against a real server: sign-in with a password sets an HttpOnly, SameSite=Lax cookie; writes
// with the cookie need the session's CSRF token; failed sign-ins are audited and rate-limited; signing out ends it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, serveOnEphemeralPort, userToken } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
let adminToken: string;
const PASSWORD = 'korrekt hest batteri hæfteklamme';

beforeAll(async () => {
  const made = await catalogueStore();
  store = made.store;
  cleanup = made.cleanup;
  adminToken = await userToken(store, { name: 'admin', unit: 'DK', role: 'admin' });
  await userToken(store, { name: 'viborg', unit: '791', role: 'editor', password: PASSWORD });
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const signIn = (name: string, password: string) =>
  fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
const upload = (headers: Record<string, string>, period: string) => {
  const form = new FormData();
  form.append('file', new Blob([`indicator,unit,period,value\npatient-satisfaction,791,${period},80\n`]), 'v.csv');
  return fetch(`${server.url}/api/imports`, { method: 'POST', body: form, headers });
};

describe('password sign-in and sessions', () => {
  it('signs in with a session cookie and guards writes with the CSRF token', async () => {
    const response = await signIn('viborg', PASSWORD);
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pejling_session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // plain HTTP here; over HTTPS the cookie is Secure
    const body = await response.json();
    expect(body).toMatchObject({ user: { name: 'viborg', unit: '791', role: 'editor' } });
    const session = cookie.split(';')[0] as string;
    // The cookie value is stored only as its SHA-256.
    const value = session.split('=')[1] as string;
    expect(await store.accounts.findSession(value)).toBeUndefined();
    expect(await store.accounts.findSession(createHash('sha256').update(value).digest('hex'))).toBeDefined();

    const meResponse = await fetch(`${server.url}/api/session`, { headers: { Cookie: session } });
    expect(meResponse.headers.get('cache-control')).toBe('private, no-store');
    const me = await meResponse.json();
    expect(me).toMatchObject({ user: { name: 'viborg' }, csrfToken: body.csrfToken });

    const withoutCsrf = await upload({ Cookie: session }, '2018');
    expect(withoutCsrf.status).toBe(403);
    expect((await withoutCsrf.json()).detail).toContain('X-CSRF-Token');
    const wrongCsrf = await upload({ Cookie: session, 'X-CSRF-Token': 'x'.repeat(43) }, '2018');
    expect(wrongCsrf.status).toBe(403);
    const withCsrf = await upload({ Cookie: session, 'X-CSRF-Token': body.csrfToken }, '2018');
    expect(withCsrf.status).toBe(200);
    const [revision] =
      (await store.valueHistory({ indicator: 'patient-satisfaction', unit: '791', period: '2018' })) ?? [];
    expect(revision?.actor).toBe('viborg');

    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: session } });
    expect(out.status).toBe(204);
    expect((await upload({ Cookie: session, 'X-CSRF-Token': body.csrfToken }, '2017')).status).toBe(401);
    expect(await (await fetch(`${server.url}/api/session`, { headers: { Cookie: session } })).json()).toMatchObject({
      user: null,
    });
  });

  it('audits failed sign-ins and stops guessing after five failures for a name', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('viborg', `wrong password ${i}`)).status).toBe(401);
    expect((await signIn('nobody', 'whatever whatever')).status).toBe(401);
    const blocked = await signIn('viborg', PASSWORD); // even the right password, until the window passes
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const trail = await (await fetch(`${server.url}/api/audit`, { headers: bearer(adminToken) })).json();
    const signIns = trail.filter((a: { action: string }) => a.action === 'sign-in');
    expect(signIns.map((a: { subject: string; outcome: string }) => `${a.subject} ${a.outcome}`)).toEqual([
      'viborg ok',
      ...Array.from({ length: 5 }, () => 'viborg failed'),
      'nobody failed',
      'viborg denied',
    ]);
    expect(signIns[1]).toMatchObject({ actor: 'anonymous', address: '127.0.0.1' });
  });

  it('ends the sessions and tokens of a disabled user', async () => {
    const token = await userToken(store, { name: 'leaver', unit: '791', role: 'editor', password: PASSWORD });
    const signedIn = await signIn('leaver', PASSWORD);
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const disabled = await fetch(`${server.url}/api/users/leaver/disable`, {
      method: 'POST',
      headers: bearer(adminToken),
    });
    expect(disabled.status).toBe(200);
    expect((await upload(bearer(token), '2016')).status).toBe(401);
    expect(await (await fetch(`${server.url}/api/session`, { headers: { Cookie: session } })).json()).toMatchObject({
      user: null,
    });
    expect((await signIn('leaver', PASSWORD)).status).toBe(401);
  });

  it('refuses an expired session and clears expired sessions from the store at the next sign-in', async () => {
    const user = await store.accounts.getUser('admin');
    const old = { userId: user?.id as number, csrfToken: 'c', via: 'session', createdAt: '2020-01-01T00:00:00.000Z' };
    await store.accounts.addSession('stale-hash', { ...old, expiresAt: '2020-01-01T08:00:00.000Z' });
    await store.accounts.addSession(createHash('sha256').update('stale-cookie').digest('hex'), {
      ...old,
      expiresAt: '2020-01-01T08:00:00.000Z',
    });
    const stale = await fetch(`${server.url}/api/session`, { headers: { Cookie: 'pejling_session=stale-cookie' } });
    expect((await stale.json()).user).toBeNull();
    await userToken(store, { name: 'returning', unit: '791', role: 'viewer', password: PASSWORD });
    expect((await signIn('returning', PASSWORD)).status).toBe(200);
    expect(await store.accounts.findSession('stale-hash')).toBeUndefined();
  });

  it('makes the cookie Secure and sends HSTS behind a trusted HTTPS proxy', async () => {
    const proxied = await serveOnEphemeralPort(store, { security: { trustProxy: true } });
    try {
      const response = await fetch(`${proxied.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' },
        body: JSON.stringify({ name: 'viborg', password: 'not the password at all' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      const trail = await (await fetch(`${server.url}/api/audit`, { headers: bearer(adminToken) })).json();
      expect(trail.at(-1)).toMatchObject({ action: 'sign-in', outcome: 'failed', address: '203.0.113.7' });
      await userToken(store, { name: 'proxied', unit: '791', role: 'viewer', password: PASSWORD });
      const ok = await fetch(`${proxied.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
        body: JSON.stringify({ name: 'proxied', password: PASSWORD }),
      });
      expect(ok.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('answers 429 after 20 unknown tokens from one address in a minute', async () => {
    const limited = await serveOnEphemeralPort(store);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++)
        statuses.push((await fetch(`${limited.url}/api/goal-sets`, { headers: bearer(`pjl_guess${i}`) })).status);
      expect(statuses.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 401));
      expect(statuses[20]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
