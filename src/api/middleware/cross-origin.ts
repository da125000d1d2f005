// CORS closed by default: a browser request from another origin may read public data but never write; origins
// named in the allow-list (PEJLING_ALLOWED_ORIGINS) get CORS headers for reads and writes with a token.
import type { MiddlewareHandler } from 'hono';
import { problemResponse } from '../problem.js';
import type { SecurityOptions } from './context.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function crossOrigin(options: SecurityOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins ?? []);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const own = ownOrigin(c.req.url, c.req.header('x-forwarded-proto'), options.trustProxy);
    const foreign = origin !== undefined && origin !== own;
    if (foreign && !allowed.has(origin)) {
      if (WRITE_METHODS.has(c.req.method) || c.req.method === 'OPTIONS')
        return problemResponse(c, 403, `Requests from the origin ${origin} may not change data here`, {
          hint: 'Use the dashboard on this server, or a client without a browser origin (with an API token).',
        });
      return next(); // public reads; without CORS headers the browser keeps the answer from the foreign page
    }
    if (foreign) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
      if (c.req.method === 'OPTIONS') {
        c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
        c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id');
        c.header('Access-Control-Max-Age', '600');
        return c.body(null, 204);
      }
    }
    return next();
  };
}

function ownOrigin(url: string, forwardedProto: string | undefined, trustProxy = false): string {
  const u = new URL(url);
  const protocol = trustProxy && forwardedProto ? `${forwardedProto}:` : u.protocol;
  return `${protocol}//${u.host}`;
}
