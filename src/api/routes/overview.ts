// The dashboard overview of a unit.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { overviewOf } from '../../analysis/index.js';
import type { Store } from '../../store/index.js';
import { json } from '../route-helpers.js';
import { OrgUnitSchema } from '../schemas.js';

export function overviewRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/overview',
      summary:
        'Dashboard overview for a unit: goal sets → goals → indicators with latest value, trend, comparison and verdicts',
      request: { query: z.object({ unit: z.string().default('DK') }) },
      responses: json(z.object({ unit: OrgUnitSchema, goalSets: z.array(z.any()) }).passthrough(), 'Overview'),
    }),
    async (c) => c.json((await overviewOf(store, c.req.valid('query').unit)) as never, 200),
  );
}
