// Who is asking, and may they: a bearer token or the session cookie becomes the request's principal; every request
// that changes data needs one (401), a writing role (403) and, for a session, the CSRF token (403); `private`
// extends the sign-in requirement to reads. Refused writes are written to the audit trail.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  authenticateToken,
  BAD_TOKENS_PER_ADDRESS,
  CSRF_HEADER,
  principalActor,
  RateLimiter,
  REQUESTS_PER_TOKEN,
  recordAudit,
  resolveSession,
  SESSION_COOKIE,
  sameSecret,
} from '../../auth/index.js';
import type { Store } from '../../store/index.js';
import { problemResponse } from '../problem.js';
import type { SecurityOptions } from './context.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes anyone may call: signing in and out, and the OpenID Connect round trip. */
const OPEN_ROUTES = [/^\/api\/session$/, /^\/api\/session\/oidc(\/callback)?$/];
/** Reads that stay open in private mode: the session, the API description, and the web app's files. */
const isPublicInPrivateMode = (path: string) =>
  !path.startsWith('/api/') || path === '/api/openapi.json' || OPEN_ROUTES.some((r) => r.test(path));

export function authenticate(store: Store, options: SecurityOptions): MiddlewareHandler {
  const badTokens = new RateLimiter(BAD_TOKENS_PER_ADDRESS);
  const tokenUse = new RateLimiter(REQUESTS_PER_TOKEN);
  /** Sets the principal from a bearer token or the session cookie; returns the refusal for a bad token. */
  const resolvePrincipal = async (c: Context): Promise<Response | undefined> => {
    const address = c.get('address');
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const wait = badTokens.blocked(address);
      if (wait > 0) return tooMany(c, wait, 'Too many requests with unknown or invalid tokens from this address');
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const check = token ? await authenticateToken(store, token) : { reason: 'Use Authorization: Bearer <token>' };
      if (!check.principal) {
        badTokens.hit(address);
        await deny(c, store, 401, check.reason);
        return unauthorised(c, check.reason);
      }
      const key = `token:${check.tokenId}`;
      const busy = tokenUse.blocked(key);
      if (busy > 0) return tooMany(c, busy, `Token ${check.tokenId} has made too many requests`);
      tokenUse.hit(key);
      c.set('principal', check.principal);
      return undefined;
    }
    const sessionId = getCookie(c, SESSION_COOKIE);
    const session = sessionId ? await resolveSession(store, sessionId) : undefined;
    if (session) {
      c.set('principal', session.principal);
      c.set('session', session);
      c.set('sessionId', sessionId);
    }
    return undefined;
  };
  return async (c, next) => {
    // A principal set by an earlier middleware (e.g. a trusted local channel) stands; otherwise token or cookie.
    if (!c.get('principal')) {
      const refused = await resolvePrincipal(c);
      if (refused) return refused;
    }

    const path = c.req.path;
    const principal = c.get('principal');
    const open = OPEN_ROUTES.some((r) => r.test(path));
    if (WRITE_METHODS.has(c.req.method) && !open) {
      if (!principal) {
        await deny(c, store, 401, 'not signed in');
        return unauthorised(c, `${c.req.method} ${path} changes data and needs a signed-in user or an API token`);
      }
      const session = c.get('session');
      const csrf = c.req.header(CSRF_HEADER);
      if (session && !(csrf && sameSecret(csrf, session.csrfToken))) {
        await deny(c, store, 403, 'CSRF token missing or wrong');
        return problemResponse(c, 403, `The ${CSRF_HEADER} header is missing or does not match the session`, {
          hint: 'Reload the page; GET /api/session returns the CSRF token of the session.',
        });
      }
      if (principal.role === 'viewer') {
        await deny(c, store, 403, 'viewer');
        return problemResponse(c, 403, `${principal.name} is a viewer and may not change data`);
      }
    } else if (options.private && !principal && !isPublicInPrivateMode(path)) {
      return unauthorised(c, 'This Pejling is private: sign in, or send an API token');
    }

    await next();
    // What a signed-in principal sees (and the session with its CSRF token) is never kept by shared caches.
    if (path.startsWith('/api/') && (c.get('principal') || path === '/api/session'))
      c.header('Cache-Control', 'private, no-store');
    // A route that refused (unit out of scope, role too low) leaves the refusal in the audit trail too.
    if (WRITE_METHODS.has(c.req.method) && (c.res.status === 401 || c.res.status === 403) && !open && !c.get('audited'))
      await deny(c, store, c.res.status, 'refused by the route');
  };
}

// Headers go on the context before the response is made: the Node adapter sends a made response's headers as made.
function unauthorised(c: Context, detail: string): Response {
  c.header('WWW-Authenticate', 'Bearer realm="pejling"');
  return problemResponse(c, 401, detail, {
    hint: 'Send Authorization: Bearer <token> (`pejling tokens create`), or sign in on the dashboard.',
  });
}

function tooMany(c: Context, seconds: number, detail: string): Response {
  c.header('Retry-After', String(seconds));
  return problemResponse(c, 429, detail, { hint: `Try again in ${seconds} s.` });
}

async function deny(c: Context, store: Store, status: number, reason: string): Promise<void> {
  await recordAudit(store, principalActor(c.get('principal'), c.get('address'), c.get('requestId')), {
    action: `${c.req.method} ${c.req.path}`,
    outcome: 'denied',
    details: { status, reason },
  });
}
