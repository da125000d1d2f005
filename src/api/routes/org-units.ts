// Organisation units.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Store } from '../../store/index.js';
import { json } from '../route-helpers.js';
import { OrgUnitSchema } from '../schemas.js';

export function orgUnitRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/org-units',
      summary: 'Organisation units: Denmark, regions, municipalities',
      request: {
        query: z.object({
          type: z.enum(['nation', 'region', 'municipality', 'health-cluster', 'hospital', 'gp-practice']).optional(),
          at: z.iso.date().optional().openapi({ description: 'Only units valid on this date (default: today)' }),
        }),
      },
      responses: json(z.array(OrgUnitSchema), 'Units'),
    }),
    async (c) => {
      const { type, at } = c.req.valid('query');
      const units = await store.listOrgUnits({
        at: at ?? new Date().toISOString().slice(0, 10),
        ...(type ? { type } : {}),
      });
      return c.json(units, 200);
    },
  );
}
