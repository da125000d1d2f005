// Signing in and out of the dashboard: POST /api/session (name and password) sets the session cookie and returns
// the CSRF token; GET tells who is signed in; DELETE signs out. Failed sign-ins are rate-limited and audited.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import {
  authenticatePassword,
  endSession,
  type Principal,
  RateLimiter,
  SESSION_COOKIE,
  SESSION_HOURS,
  type Session,
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_NAME,
  startSession,
} from '../../auth/index.js';
import { UserError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { audit } from '../authorisation.js';
import { isHttps, type SecurityOptions } from '../middleware/index.js';
import { problemResponses } from '../schemas.js';

const SessionSchema = z
  .object({
    user: z.object({ name: z.string(), unit: z.string(), role: z.enum(['viewer', 'editor', 'admin']) }).nullable(),
    csrfToken: z.string().optional(),
    expiresAt: z.string().optional(),
    via: z.string().optional(),
    private: z.boolean(),
    oidc: z.boolean(),
  })
  .openapi('Session');

export function sessionRoutes(
  app: OpenAPIHono,
  store: Store,
  options: SecurityOptions & { oidc?: boolean } = {},
): void {
  const perAddress = new RateLimiter(SIGN_IN_FAILURES_PER_ADDRESS);
  const perName = new RateLimiter(SIGN_IN_FAILURES_PER_NAME);
  const describe = (session: Session | undefined) => ({
    user: session ? userOf(session.principal) : null,
    ...(session ? { csrfToken: session.csrfToken, expiresAt: session.expiresAt, via: session.principal.via } : {}),
    private: Boolean(options.private),
    oidc: Boolean(options.oidc),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/session',
      summary: 'Who is signed in on this browser, with the CSRF token that form posts must send',
      responses: { 200: { content: { 'application/json': { schema: SessionSchema } }, description: 'The session' } },
    }),
    (c) => c.json(describe(c.get('session')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/session',
      summary: 'Sign in with name and password; sets an HttpOnly session cookie',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ name: z.string().min(1).max(64), password: z.string().max(1024) }),
            },
          },
        },
      },
      responses: {
        200: { content: { 'application/json': { schema: SessionSchema } }, description: 'Signed in' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { name, password } = c.req.valid('json');
      const address = c.get('address');
      const wait = Math.max(perAddress.blocked(address), perName.blocked(name.toLowerCase()));
      if (wait > 0) {
        await audit(c, store, {
          action: 'sign-in',
          subject: name,
          outcome: 'denied',
          details: { reason: 'rate limit' },
        });
        c.header('Retry-After', String(wait));
        throw new UserError(`Too many failed sign-ins; try again in ${wait} s`, { status: 429 });
      }
      const principal = await authenticatePassword(store, name, password);
      if (!principal) {
        perAddress.hit(address);
        perName.hit(name.toLowerCase());
        await audit(c, store, { action: 'sign-in', subject: name, outcome: 'failed', details: { via: 'password' } });
        throw new UserError('The name or the password is wrong, or the user is disabled', { status: 401 });
      }
      perName.reset(name.toLowerCase());
      const { id, session } = await startSession(store, principal, 'session');
      setSessionCookie(c as unknown as Context, id, options);
      c.set('principal', session.principal);
      await audit(c, store, { action: 'sign-in', subject: name, outcome: 'ok', details: { via: 'password' } });
      return c.json(describe(session), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/session',
      summary: 'Sign out',
      responses: { 204: { description: 'Signed out' } },
    }),
    async (c) => {
      const id = c.get('sessionId');
      if (id) {
        await endSession(store, id);
        await audit(c, store, { action: 'sign-out', subject: c.get('principal')?.name ?? null, outcome: 'ok' });
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS, for the session's lifetime. */
export function setSessionCookie(c: Context, id: string, options: SecurityOptions): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c.req.url, c.req.header('x-forwarded-proto'), options.trustProxy),
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}

function userOf(p: Principal) {
  return { name: p.name, unit: p.unit, role: p.role };
}
