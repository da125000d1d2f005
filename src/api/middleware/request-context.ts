// Request ids (X-Request-Id, echoed or made), the client address, and one access-log line per request.
import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import type { SecurityOptions } from './context.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export function requestContext(options: SecurityOptions): MiddlewareHandler {
  return async (c, next) => {
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    c.set('address', clientAddress(c, options));
    const started = performance.now();
    // Set before the answer is made (see security-headers.ts), and afterwards when the answer lacks it.
    c.header('X-Request-Id', requestId);
    await next();
    if (c.res.headers.get('X-Request-Id') !== requestId) c.header('X-Request-Id', requestId);
    options.log?.(
      accessLogLine(
        requestId,
        c.get('address'),
        c.get('principal')?.name,
        c.req.method,
        c.req.path,
        c.res.status,
        started,
      ),
    );
  };
}

/** The request's id: the client's `X-Request-Id` when it is a plausible id, else a new one. */
export function requestIdOf(incoming: string | undefined): string {
  return incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * One access-log line (the same for answers made by the app and prepared answers sent from the socket).
 * @example accessLogLine(id, '127.0.0.1', undefined, 'GET', '/api/org-units', 200, started)
 */
export function accessLogLine(
  requestId: string,
  address: string,
  principal: string | undefined,
  method: string,
  path: string,
  status: number,
  started: number,
): string {
  return `${new Date().toISOString()} ${requestId} ${address} ${principal ?? '-'} ${method} ${path} ${status} ${(performance.now() - started).toFixed(0)}ms\n`;
}

function clientAddress(c: Parameters<MiddlewareHandler>[0], options: SecurityOptions): string {
  if (options.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (e.g. app.request in a test)
  }
}
