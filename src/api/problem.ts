// RFC 9457 problem details: every API error leaves as application/problem+json.
import type { Context } from 'hono';
import { formatLocation, UserError } from '../domain/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: readonly string[];
  hint?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Unprocessable content',
  500: 'Internal server error',
};

/** A problem+json response. */
export function problemResponse(c: Context, status: number, detail: string, extra: Partial<Problem> = {}): Response {
  const problem: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...extra,
  };
  return c.body(JSON.stringify(problem), status as 400, {
    'Content-Type': 'application/problem+json; charset=utf-8',
  });
}

/** Maps any thrown error to a problem response; internal errors are logged and not leaked. */
export function errorToProblem(c: Context, error: unknown): Response {
  if (error instanceof UserError) {
    const where = formatLocation(error.location);
    return problemResponse(c, error.status, where ? `${error.message} (${where})` : error.message, {
      ...(error.details.length ? { errors: error.details } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  console.error(error);
  return problemResponse(c, 500, 'An internal error occurred; the server log has the details.');
}
