// The security middleware in one piece: request ids and logs, security headers, CORS, authentication.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Store } from '../../store/index.js';
import { problemResponse } from '../problem.js';
import { authenticate } from './authenticate.js';
import type { SecurityOptions } from './context.js';
import { crossOrigin } from './cross-origin.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';

export type { SecurityOptions } from './context.js';
export { CONTENT_SECURITY_POLICY, isHttps } from './security-headers.js';

/**
 * Puts the security middleware in front of every route, in order: request context, headers, CORS, authentication.
 * @example installSecurity(app, store, { private: process.env.PEJLING_PRIVATE === '1' })
 */
export function installSecurity(app: OpenAPIHono, store: Store, options: SecurityOptions = {}): void {
  app.use('*', requestContext(options));
  app.use('*', securityHeaders(options));
  app.use('*', crossOrigin(options));
  app.use('*', authenticate(store, options));
  // Sign-in and account bodies are small; a large one is refused before it is read.
  const small = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => problemResponse(c, 413, 'The body is larger than 64 kB'),
  });
  for (const path of [
    '/api/session',
    '/api/users',
    '/api/users/*',
    '/api/tokens',
    '/api/tokens/*',
    '/api/region-rights/*',
  ])
    app.use(path, small);
}
