// Goal sets: read the catalogue's and local goal sets; add a local one.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GoalSet } from '../../catalogue/index.js';
import { NotFoundError } from '../../domain/errors.js';
import { addLocalGoalSet } from '../../ingest/index.js';
import type { Store } from '../../store/index.js';
import { idParam, json } from '../route-helpers.js';
import { GoalLinkSchema, GoalSetSchema, GoalSetSummarySchema, problemResponses } from '../schemas.js';

export function goalSetRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/goal-sets',
      summary: 'All goal sets with their goal and target counts (full=true: whole goal sets)',
      request: { query: z.object({ full: z.enum(['true', 'false']).optional() }) },
      responses: json(z.union([z.array(GoalSetSummarySchema), z.array(GoalSetSchema)]), 'Goal sets'),
    }),
    async (c) => {
      const sets = await store.listGoalSets();
      return c.json(
        c.req.valid('query').full === 'true' ? (sets as z.infer<typeof GoalSetSchema>[]) : sets.map(summarise),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/goal-sets/{id}',
      summary: 'One goal set with its goals, their indicators and targets',
      request: { params: idParam('health-reform-2022') },
      responses: json(GoalSetSchema, 'The goal set'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const set = await store.getGoalSet(id);
      if (!set) throw new NotFoundError('Goal set', id, 'GET /api/goal-sets lists the goal sets.');
      return c.json(set as z.infer<typeof GoalSetSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/goal-links',
      summary: 'Links between goals across levels, with their theme',
      responses: json(z.array(GoalLinkSchema), 'Goal links'),
    }),
    async (c) => c.json(await store.listLinks(), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/goal-sets',
      summary:
        "Add a region's or municipality's own goal set (validated like the catalogue), with links to other goals",
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                goalSet: z.object({ id: z.string() }).passthrough(),
                links: z.array(z.any()).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: { content: { 'application/json': { schema: GoalSetSchema } }, description: 'The stored goal set' },
        ...problemResponses,
        422: {
          content: { 'application/problem+json': { schema: z.object({ errors: z.array(z.string()) }).passthrough() } },
          description: 'Invalid goal set',
        },
      },
    }),
    async (c) => {
      const { goalSet } = await addLocalGoalSet(store, c.req.valid('json'));
      return c.json(goalSet as z.infer<typeof GoalSetSchema>, 201);
    },
  );
}

function summarise(set: GoalSet): z.infer<typeof GoalSetSummarySchema> {
  return {
    id: set.id,
    name: set.name,
    level: set.level,
    owner: set.owner,
    unit: set.unit,
    period: set.period,
    source: set.source,
    goalCount: set.goals.length,
    targetCount: set.goals.reduce((n, g) => n + g.targets.length, 0),
  };
}
