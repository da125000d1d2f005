// Goal sets: read the catalogue's and local goal sets; add a local one.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GoalSet } from '../../catalogue/index.js';
import { NotFoundError } from '../../domain/errors.js';
import { addLocalGoalSet } from '../../ingest/index.js';
import type { Store } from '../../store/index.js';
import { audit, forbid, requireScope } from '../authorisation.js';
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
        "Add a region's or municipality's own goal set (validated like the catalogue), with links to other goals: editors for their own unit, admins for any unit and for national goal sets",
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
      const body = c.req.valid('json');
      const { id, unit, level } = body.goalSet as { id: string; unit?: unknown; level?: unknown };
      const principal =
        level === 'national'
          ? await requireScope(c, store, 'goal-set.national', undefined, id)
          : typeof unit === 'string'
            ? await requireScope(c, store, 'goal-set', unit, id)
            : await requireScope(c, store, 'goal-set', undefined, id); // no unit: the schema check answers 422
      const existing = await store.getGoalSet(id);
      if (existing && existing.unit !== unit && principal.role !== 'admin')
        await forbid(
          c,
          store,
          'goal-set',
          `The goal set '${id}' belongs to unit ${existing.unit}; it cannot be replaced by unit ${String(unit)}'s`,
          {},
          { hint: 'Choose another id.' },
          id,
        );
      // An editor links from its own goals only, never on behalf of another unit's goals.
      const ownGoals = new Set(
        ((body.goalSet as { goals?: unknown }).goals as { id?: unknown }[] | undefined)?.map((g) => g?.id) ?? [],
      );
      const foreignLinks = (body.links ?? []).filter((l: { from?: unknown }) => !ownGoals.has(l?.from));
      if (foreignLinks.length > 0 && principal.role !== 'admin')
        await forbid(
          c,
          store,
          'goal-set',
          `Links may start only at goals of the goal set '${id}'; ${foreignLinks.length} start elsewhere`,
          {},
          {},
          id,
        );
      const { goalSet } = await addLocalGoalSet(store, body, { allowNational: principal.role === 'admin' });
      await audit(c, store, {
        action: 'goal-set',
        subject: goalSet.id,
        outcome: 'ok',
        details: { unit: goalSet.unit, level: goalSet.level, goals: goalSet.goals.length, replaced: Boolean(existing) },
      });
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
