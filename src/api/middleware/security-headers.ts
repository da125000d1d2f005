// Security headers on every response: a strict Content-Security-Policy (no inline or foreign scripts, no framing),
// no MIME sniffing, no referrer to other sites, and HSTS when served over HTTPS.
import type { MiddlewareHandler } from 'hono';

/** The dashboard and API: scripts, fonts, images and connections only from Pejling itself. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Observable Plot writes a <style> element into each chart; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Status reports and pocket cards are self-contained HTML (inline styles, embedded fonts and charts, no scripts). */
export const DOCUMENT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  'font-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS: readonly [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
];
const HSTS: [string, string] = ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'];
/** The four possible lists (document route or not, HTTPS or not), made once. */
const HEADER_LISTS = [false, true].map((documentRoute) =>
  [false, true].map((https) => {
    const policy = documentRoute ? DOCUMENT_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
    const list: [string, string][] = [['Content-Security-Policy', policy], ...COMMON_HEADERS];
    if (https) list.push(HSTS);
    return Object.freeze(list);
  }),
);

/**
 * The security headers of an answer at `path` (without its query), reached over HTTPS or not; the same list for
 * answers made by the app and for prepared answers sent straight from the socket (prepared-fast-path.ts).
 * @example securityHeadersFor('/api/org-units', false)[0] // ['Content-Security-Policy', "default-src 'self'; …"]
 */
export function securityHeadersFor(path: string, https: boolean): readonly [string, string][] {
  const documentRoute = /^\/api\/(reports|pocket-cards)\//.test(path);
  return HEADER_LISTS[documentRoute ? 1 : 0]?.[https ? 1 : 0] as readonly [string, string][];
}

export function securityHeaders(options: { trustProxy?: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const headers = securityHeadersFor(
      c.req.path,
      isHttps(c.req.url, c.req.header('x-forwarded-proto'), options.trustProxy),
    );
    // Set before the answer is made, so answers made with c.json/c.body carry them without being copied again;
    // an answer made otherwise gets them afterwards.
    for (const [name, value] of headers) c.header(name, value);
    await next();
    if (c.res.headers.get('X-Content-Type-Options') !== 'nosniff')
      for (const [name, value] of headers) c.header(name, value);
  };
}

/** True when the client reached Pejling over HTTPS (directly, or through a trusted proxy that says so). */
export function isHttps(url: string, forwardedProto: string | undefined, trustProxy = false): boolean {
  return url.startsWith('https:') || (trustProxy && forwardedProto === 'https');
}
