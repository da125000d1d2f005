// Prepared answers sent straight from the socket: a public GET whose answer is ready (prepared for the current
// data version, a 304, or the last prepared version while the current one is made) is answered without the app,
// with the same headers, request id and access-log line as the app would give it. Everything else (sign-in,
// cookies, tokens, other origins, answers still to compute) goes through the app. Building a request and a
// response object and running the middleware cost more than the answer itself; under load this is most requests.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SecurityOptions } from './middleware/index.js';
import { accessLogLine, requestIdOf } from './middleware/request-context.js';
import { securityHeadersFor } from './middleware/security-headers.js';
import type { PreparedAnswers, PublicRead } from './prepared-responses.js';

/** Answers about accounts, sessions and the audit trail are never prepared (as in app.ts). */
const NEVER_PREPARED = /^\/api\/(session|users|tokens|region-rights|audit)(\/|$)/;
/**
 * URLs that read the same as the app's parsed URL (no dot segments, no characters URL parsing would encode), so
 * the prepared answer found under them is the one the app would find.
 */
const PLAIN_URL = /^\/api\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\?[A-Za-z0-9_.=&%,:+-]*)?$/;
/** Smallest answer the compression middleware compresses (Hono's default): larger ones are sent compressed. */
const COMPRESSION_THRESHOLD = 1024;

/**
 * A request listener that sends ready prepared answers itself and passes every other request to `app`.
 * @example createServer(preparedFirst(getRequestListener(app.fetch), readyAnswersOf(app), security))
 */
export function preparedFirst(
  app: RequestListener,
  ready: PreparedAnswers['ready'],
  security: SecurityOptions = {},
): RequestListener {
  // In private mode every read needs a principal: the app decides.
  if (security.private) return app;
  return (request, response) => {
    const read = publicRead(request);
    if (!read) {
      app(request, response);
      return;
    }
    const started = performance.now();
    ready(read).then(
      (answer) => {
        if (!answer || !sendableAsIs(answer, read)) app(request, response);
        else send(request, response, answer, security, started);
      },
      () => app(request, response),
    );
  };
}

/** The request as a public read, or undefined when it needs the app. */
function publicRead(request: IncomingMessage): PublicRead | undefined {
  const url = request.url;
  const headers = request.headers;
  if (request.method !== 'GET' || url === undefined || !PLAIN_URL.test(url) || NEVER_PREPARED.test(url)) return;
  // Who asks (a token or a cookie) and which page asks (another origin) change the answer or its headers.
  if (headers.authorization !== undefined || headers.cookie !== undefined || headers.origin !== undefined) return;
  if (headers.host === undefined) return;
  const acceptEncoding = headers['accept-encoding'];
  return {
    path: url,
    acceptEncoding,
    ifNoneMatch: headers['if-none-match'],
    cacheControl: headers['cache-control'],
  };
}

/** False for a large answer the app would compress itself (the client takes deflate but not gzip). */
function sendableAsIs(answer: { headers: Record<string, string>; body: Uint8Array | null }, read: PublicRead) {
  if (answer.body === null || answer.body.byteLength < COMPRESSION_THRESHOLD) return true;
  if (answer.headers['Content-Encoding'] !== undefined) return true;
  return read.acceptEncoding === undefined || !/deflate|gzip|\*/i.test(read.acceptEncoding);
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  answer: { status: number; headers: Record<string, string>; body: Uint8Array | null },
  security: SecurityOptions,
  started: number,
): void {
  const url = request.url as string;
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const forwardedProto = request.headers['x-forwarded-proto'];
  const https =
    Boolean((request.socket as TLSSocket).encrypted) || (Boolean(security.trustProxy) && forwardedProto === 'https');
  const requestId = requestIdOf(single(request.headers['x-request-id']));
  const headers: Record<string, string> = {};
  for (const [name, value] of securityHeadersFor(path, https)) headers[name] = value;
  headers['X-Request-Id'] = requestId;
  Object.assign(headers, answer.headers);
  response.writeHead(answer.status, headers);
  response.end(answer.body ?? undefined);
  security.log?.(
    accessLogLine(requestId, addressOf(request, security), undefined, 'GET', path, answer.status, started),
  );
}

/** The client's address, as the app's request context finds it. */
function addressOf(request: IncomingMessage, security: SecurityOptions): string {
  if (security.trustProxy) {
    const forwarded = single(request.headers['x-forwarded-for'])?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
