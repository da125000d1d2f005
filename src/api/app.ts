// The HTTP API: the app with its middleware; each resource's routes live in routes/, declared with their schemas.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import type { OidcSettings } from '../auth/index.js';
import { MAX_IMPORT_BYTES } from '../ingest/index.js';
import { recordingReads, type Store, withReferenceCache } from '../store/index.js';
import { type BackgroundWork, yieldingInBackground } from './background-work.js';
import { requireContentType } from './content-type-guard.js';
import { renderHomePage } from './home-page.js';
import { installSecurity, type SecurityOptions } from './middleware/index.js';
import { type PreparedAnswers, preparedAnswers } from './prepared-responses.js';
import { errorToProblem, problemResponse } from './problem.js';
import { auditRoutes } from './routes/audit.js';
import { documentRoutes } from './routes/documents.js';
import { goalSetRoutes } from './routes/goal-sets.js';
import { importRoutes } from './routes/imports.js';
import { indicatorRoutes } from './routes/indicators.js';
import { inequalityRoutes } from './routes/inequality.js';
import { oidcRoutes } from './routes/oidc.js';
import { orgUnitRoutes } from './routes/org-units.js';
import { overviewRoutes } from './routes/overview.js';
import { qualityPlanRoutes } from './routes/quality-plan.js';
import { regionRightRoutes } from './routes/region-rights.js';
import { sessionRoutes } from './routes/session.js';
import { statisticsRoutes } from './routes/statistics.js';
import { targetRoutes } from './routes/targets.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';

export interface AppOptions {
  security?: SecurityOptions;
  /** Sign-in through an OpenID Connect provider, when configured. */
  oidc?: OidcSettings;
  /** Answer public requests from the last prepared version while the new one is made (`serve` does). */
  serveStale?: boolean;
  /** The server's background work (preparing answers ahead), stopped with the server. */
  background?: BackgroundWork;
}

/** Each app's lookup of ready answers, for sending them straight from the socket (prepared-fast-path.ts). */
const readyAnswers = new WeakMap<OpenAPIHono, PreparedAnswers['ready']>();

/** The lookup of the app's ready prepared answers. */
export function readyAnswersOf(app: OpenAPIHono): PreparedAnswers['ready'] | undefined {
  return readyAnswers.get(app);
}

/** Where the built web app lives: dist/web at the package root (the same from src/ and dist/). */
const WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url)).replace(/\/$/, '');
const WEB_DIR_RELATIVE = path.relative(process.cwd(), WEB_DIR) || '.';

/**
 * Builds the API app over a store.
 * @example serve({ fetch: createApp(store).fetch, port: 8080 })
 */
export function createApp(storeToServe: Store, options: AppOptions = {}): OpenAPIHono {
  // What each prepared answer reads is recorded, so a write keeps the answers that read nothing it changed.
  const store = recordingReads(yieldingInBackground(withReferenceCache(storeToServe)));
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`);
        return problemResponse(c, 400, 'The request is not valid', { errors });
      }
      return undefined;
    },
  });
  app.use('*', compress());
  app.onError((error, c) => errorToProblem(c, error));
  // Security: request ids and logs, headers, CORS, authentication; routes authorise with ./authorisation.ts.
  installSecurity(app, store, options.security);
  // Uploads are refused while they stream in once they pass the import limit, before anything is parsed.
  app.use(
    '/api/imports',
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES + 1024 * 1024,
      onError: (c) =>
        problemResponse(c, 413, `The upload is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB import limit`, {
          hint: 'Split the file.',
        }),
    }),
  );
  app.use(
    '/api/goal-sets',
    bodyLimit({
      maxSize: 2 * 1024 * 1024,
      onError: (c) => problemResponse(c, 413, 'The goal set is larger than 2 MB'),
    }),
  );
  // Serving many at once: bodies of the right type only; reference data from memory; answers prepared once
  // per data version and URL, shared by everyone asking at the same time, revalidated with ETag/304.
  app.use('/api/goal-sets', requireContentType('application/json'));
  app.use('/api/imports', requireContentType('multipart/form-data'));
  // Accounts, sessions and the audit trail change without a new data version: never prepared ahead.
  const prepared = preparedAnswers(store, {
    serveStale: Boolean(options.serveStale),
    request: (path, init) => Promise.resolve(app.request(path, init)),
    ...(options.background ? { background: options.background } : {}),
  });
  readyAnswers.set(app, prepared.ready);
  app.use('/api/*', (c, next) =>
    /^\/api\/(session|users|tokens|region-rights|audit)(\/|$)/.test(c.req.path) ? next() : prepared.middleware(c, next),
  );
  app.notFound((c) => problemResponse(c, 404, `No resource at ${c.req.path}`, { hint: 'See /api/openapi.json' }));

  goalSetRoutes(app, store);
  orgUnitRoutes(app, store);
  indicatorRoutes(app, store);
  targetRoutes(app, store);
  statisticsRoutes(app, store);
  importRoutes(app, store);
  overviewRoutes(app, store);
  documentRoutes(app, store);
  qualityPlanRoutes(app, store);
  inequalityRoutes(app, store);
  sessionRoutes(app, store, { ...options.security, oidc: Boolean(options.oidc) });
  if (options.oidc) oidcRoutes(app, store, options.oidc, options.security);
  userRoutes(app, store);
  tokenRoutes(app, store);
  regionRightRoutes(app, store);
  auditRoutes(app, store);

  app.doc('/api/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Pejling API',
      version: '1',
      description: 'Goals, targets, organisation units, indicators and their values for the Danish health system.',
    },
  });

  // The web app (built by Vite into dist/web); without a build, a plain page lists the goal sets.
  if (existsSync(WEB_DIR)) {
    const index = readFileSync(`${WEB_DIR}/index.html`, 'utf8');
    app.use('/assets/*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    app.use('*', serveStatic({ root: WEB_DIR_RELATIVE }));
    app.get('*', (c) => (c.req.path.startsWith('/api/') ? c.notFound() : c.html(index)));
  } else {
    app.get('/', async (c) => c.html(renderHomePage(await store.listGoalSets())));
  }
  return app;
}
