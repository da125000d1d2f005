// Errors that carry where, what and how to fix; the CLI maps them to exit codes, the API to problem+json.

/** Where a problem was found: a file, a row/column, or a path inside a document. */
export interface ErrorLocation {
  file?: string;
  row?: number;
  column?: string;
  path?: string;
}

/** A problem caused by the user's input (exit code 1, HTTP 4xx). */
export class UserError extends Error {
  readonly status: number;
  readonly location: ErrorLocation | undefined;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(
    message: string,
    options: { status?: number; location?: ErrorLocation; hint?: string; details?: readonly string[] } = {},
  ) {
    super(message);
    this.name = 'UserError';
    this.status = options.status ?? 400;
    this.location = options.location;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** A requested thing does not exist (HTTP 404). */
export class NotFoundError extends UserError {
  constructor(what: string, id: string, hint?: string) {
    super(`${what} '${id}' was not found`, { status: 404, ...(hint ? { hint } : {}) });
    this.name = 'NotFoundError';
  }
}

/** Formats a location as `file:row, column, path` for messages. */
export function formatLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) parts.push(location.row === undefined ? location.file : `${location.file}:${location.row}`);
  else if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column) parts.push(`column '${location.column}'`);
  if (location.path) parts.push(`at ${location.path}`);
  return parts.join(', ');
}

/** The server is busy (HTTP 503 with Retry-After): a queue is full; the same request later will succeed. */
export class BusyError extends UserError {
  /** Seconds after which a retry is likely to be accepted. */
  readonly retryAfter: number;

  constructor(message: string, options: { retryAfter?: number; hint?: string } = {}) {
    super(message, { status: 503, hint: options.hint ?? 'Try again shortly.' });
    this.name = 'BusyError';
    this.retryAfter = options.retryAfter ?? 5;
  }
}
