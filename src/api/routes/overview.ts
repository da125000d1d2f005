// The dashboard overview of a unit.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { overviewOf, overviewParts } from '../../analysis/index.js';
import type { Store } from '../../store/index.js';
import { json } from '../route-helpers.js';
import { OrgUnitSchema } from '../schemas.js';

export function overviewRoutes(app: OpenAPIHono, store: Store): void {
  // Each indicator's row and each target's verdict per unit, kept while their data stay the same: an import of one
  // indicator makes every overview again from the kept parts of the others.
  const parts = overviewParts(store);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/overview',
      summary:
        'Dashboard overview for a unit: goal sets → goals → indicators with latest value, trend, comparison and verdicts',
      request: { query: z.object({ unit: z.string().default('DK') }) },
      responses: json(z.object({ unit: OrgUnitSchema, goalSets: z.array(z.any()) }).passthrough(), 'Overview'),
    }),
    async (c) => c.json((await overviewOf(store, c.req.valid('query').unit, parts)) as never, 200),
  );
}
