// Request bodies must say what they are: a POST with another content type is a 415 problem, before any parsing.
import type { MiddlewareHandler } from 'hono';
import { problemResponse } from './problem.js';

/**
 * Refuses bodies (POST, PUT, PATCH) whose Content-Type is not `type`.
 * @example app.use('/api/goal-sets', requireContentType('application/json'))
 */
export function requireContentType(type: string): MiddlewareHandler {
  return async (c, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
    const given = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (given !== type) {
      return problemResponse(
        c,
        415,
        `This endpoint takes ${type}; the request was ${given || 'without a Content-Type'}`,
        {
          hint:
            type === 'multipart/form-data'
              ? "Send a form with the file in a 'file' field (curl -F file=@values.csv)."
              : `Send the body with Content-Type: ${type}.`,
        },
      );
    }
    return next();
  };
}
