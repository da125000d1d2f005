// Organisation units, the structures they form over time, and groupings (dated memberships).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { loadUnitStructure } from '../../analysis/index.js';
import { orgUnitTypeSchema, structurePeriods } from '../../catalogue/index.js';
import type { Store } from '../../store/index.js';
import { json } from '../route-helpers.js';
import { GroupingSchema, OrgUnitSchema, StructurePeriodSchema } from '../schemas.js';

export function orgUnitRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/org-units',
      summary: 'Organisation units in force on a date: Denmark, regions, municipalities, clusters, hospitals',
      request: {
        query: z.object({
          type: z.enum(orgUnitTypeSchema.options).optional(),
          at: z.iso
            .date()
            .optional()
            .openapi({ description: 'Only units valid on this date, with their parent then (default: today)' }),
          all: z
            .enum(['true', 'false'])
            .optional()
            .openapi({ description: 'true: every unit whatever its dates, with its catalogue parent' }),
        }),
      },
      responses: json(z.array(OrgUnitSchema), 'Units'),
    }),
    async (c) => {
      const { type, at, all } = c.req.valid('query');
      const units = await store.listOrgUnits({
        ...(all === 'true' ? {} : { at: at ?? new Date().toISOString().slice(0, 10) }),
        ...(type ? { type } : {}),
      });
      return c.json(units, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/org-units/structures',
      summary: 'The successive unit structures (a new one whenever a unit or membership starts or ends)',
      responses: json(z.array(StructurePeriodSchema), 'Structures, oldest first'),
    }),
    async (c) => c.json(structurePeriods(await loadUnitStructure(store)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/groupings',
      summary: 'Groupings: which units belong to which group unit, from when, and whether they split persons',
      responses: json(z.array(GroupingSchema), 'Groupings'),
    }),
    async (c) => c.json(await store.listGroupings(), 200),
  );
}
