// RFC 9457 problem details: every API error leaves as application/problem+json.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BusyError, formatLocation, UserError } from '../domain/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: readonly string[];
  hint?: string;
  /** The request's id, as in the X-Request-Id header and the server log. */
  requestId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** A problem+json response. */
export function problemResponse(c: Context, status: number, detail: string, extra: Partial<Problem> = {}): Response {
  const problem: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...extra,
    ...(c.get('requestId') ? { requestId: c.get('requestId') } : {}),
  };
  return c.body(JSON.stringify(problem), status as 400, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    // A body refused as too large is left unread: the connection cannot carry another request after it.
    ...(status === 413 ? { Connection: 'close' } : {}),
  });
}

/** Maps any thrown error to a problem response; internal errors are logged and not leaked. */
export function errorToProblem(c: Context, error: unknown): Response {
  if (error instanceof BusyError) c.header('Retry-After', String(error.retryAfter));
  if (error instanceof UserError) {
    const where = formatLocation(error.location);
    return problemResponse(c, error.status, where ? `${error.message} (${where})` : error.message, {
      ...(error.details.length ? { errors: error.details } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  // Hono's own request errors (a malformed JSON body, …) keep their 4xx status.
  if (error instanceof HTTPException && error.status < 500) {
    return problemResponse(c, error.status, error.message || TITLES[error.status] || 'Bad request');
  }
  console.error(`request ${c.get('requestId') ?? '-'} ${c.req.method} ${c.req.url}:`, error);
  return problemResponse(c, 500, 'An internal error occurred; the server log has the details.');
}
