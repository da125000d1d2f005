// Sign-in through the configured OpenID Connect provider: /api/session/oidc sends the browser there, the callback
// starts a Pejling session for the user the provider names, and returns to the dashboard.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { OIDC_CALLBACK_PATH, type OidcSettings, OidcSignIn, startSession } from '../../auth/index.js';
import { UserError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { audit } from '../authorisation.js';
import { isHttps, type SecurityOptions } from '../middleware/index.js';
import { setSessionCookie } from './session.js';

const STATE_COOKIE = 'pejling_oidc_state';

export function oidcRoutes(
  app: OpenAPIHono,
  store: Store,
  settings: OidcSettings,
  options: SecurityOptions = {},
): void {
  const oidc = new OidcSignIn(settings);
  const secure = (c: Context) => isHttps(c.req.url, c.req.header('x-forwarded-proto'), options.trustProxy);

  app.get('/api/session/oidc', async (c) => {
    const { url, state } = await oidc.start(new URL(OIDC_CALLBACK_PATH, c.req.url).href);
    // Binds the round trip to this browser; Lax lets the cookie come back on the provider's top-level redirect.
    setCookie(c, STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secure(c),
      path: '/api/session/oidc',
      maxAge: 600,
    });
    return c.redirect(url, 302);
  });

  app.get(OIDC_CALLBACK_PATH, async (c) => {
    const expected = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: '/api/session/oidc' });
    const query = new URL(c.req.url).searchParams;
    try {
      const principal = await oidc.finish(store, query, expected);
      const { id, session } = await startSession(store, principal, 'oidc');
      setSessionCookie(c, id, options);
      c.set('principal', session.principal);
      await audit(c, store, { action: 'sign-in', subject: principal.name, outcome: 'ok', details: { via: 'oidc' } });
      return c.redirect(principal.role === 'viewer' ? '/' : '/indlaes', 302);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await audit(c, store, {
        action: 'sign-in',
        subject: null,
        outcome: 'failed',
        details: { via: 'oidc', reason: error.message },
      });
      return c.redirect(`/log-ind?oidc=${encodeURIComponent(error.message)}`, 302);
    }
  });
}
