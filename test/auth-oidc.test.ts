// Sign-in through OpenID Connect against a real local provider (oidc-provider, started here on a free port), in
// Chromium: the provider's login names the person, whose preferred_username is the Pejling user; an unknown person
// gets no session.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { launchBrowser } from '../src/report/browser.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, serveOnEphemeralPort, userToken } from './helpers.js';

let provider: Server;
let server: RunningServer;
let store: Store;
let browser: Browser;
let page: Page;
let adminToken: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const made = await catalogueStore();
  store = made.store;
  adminToken = await userToken(store, { name: 'admin', unit: 'DK', role: 'admin' });
  await userToken(store, { name: 'anna.viborg', unit: '791', role: 'editor' }); // no password: OIDC only
  // The provider's port first (its issuer URL names it), then Pejling, then the provider with Pejling's callback.
  provider = createServer();
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  server = await serveOnEphemeralPort(store, {
    oidc: { issuer, clientId: 'pejling', clientSecret: 'a-client-secret-for-the-test-only' },
  });
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: 'pejling',
        client_secret: 'a-client-secret-for-the-test-only',
        redirect_uris: [`${server.url}/api/session/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // The dev login accepts any name; the account's preferred_username is that name.
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, preferred_username: id }),
    }),
    claims: { openid: ['sub'], profile: ['preferred_username'] },
    cookies: { keys: ['a-cookie-key-for-the-test-only'] },
  });
  provider.on('request', oidc.callback());
  browser = await launchBrowser();
  page = await browser.newPage();
  cleanup = async () => {
    await browser.close();
    await server.close();
    await new Promise((resolve) => provider.close(resolve));
    await made.cleanup();
  };
}, 120_000);
afterAll(() => cleanup());

/** Goes through the provider's login and consent pages as `login`. */
async function signInAtProvider(login: string): Promise<void> {
  await page.goto(`${server.url}/log-ind`);
  await page.getByTestId('oidc-sign-in').click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('OpenID Connect sign-in', () => {
  it('signs in the Pejling user the provider names, with a session cookie', async () => {
    await signInAtProvider('anna.viborg');
    await page.waitForURL(`${server.url}/indlaes`);
    await expect.poll(() => page.getByTestId('session-user').textContent()).toContain('anna.viborg (791)');
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session).toMatchObject({ user: { name: 'anna.viborg', unit: '791', role: 'editor' }, via: 'oidc' });
    const cookie = (await page.context().cookies()).find((c) => c.name === 'pejling_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-link').waitFor();
  });

  it('refuses a person who is not a Pejling user, and audits both', async () => {
    page = await browser.newPage(); // a new browser context: no session at the provider either
    await signInAtProvider('mallory');
    await page.waitForURL(/\/log-ind\?oidc=/);
    await expect
      .poll(() => page.getByTestId('sign-in-error').textContent())
      .toContain("'mallory' is not an active Pejling user");
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session.user).toBeNull();
    const trail = await (await fetch(`${server.url}/api/audit`, { headers: bearer(adminToken) })).json();
    const signIns = trail.filter((a: { action: string }) => a.action === 'sign-in');
    expect(
      signIns.map((a: { actor: string; outcome: string; details: { via: string } }) => [
        a.actor,
        a.outcome,
        a.details.via,
      ]),
    ).toEqual([
      ['anna.viborg', 'ok', 'oidc'],
      ['anonymous', 'failed', 'oidc'],
    ]);
  });

  it('refuses a callback that this browser did not start', async () => {
    const response = await fetch(`${server.url}/api/session/oidc/callback?code=forged&state=forged`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('/log-ind?oidc=');
    expect(response.headers.get('set-cookie') ?? '').not.toContain('pejling_session=');
  });
});
