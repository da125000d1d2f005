// Region rights (admins only): whether a region's editors may also write the municipalities of the region.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { grantRegionRight, revokeRegionRight } from '../../auth/index.js';
import type { Store } from '../../store/index.js';
import { audit, requireScope } from '../authorisation.js';
import { json } from '../route-helpers.js';
import { problemResponses } from '../schemas.js';

const RightSchema = z
  .object({ region: z.string(), grantedBy: z.string(), grantedAt: z.string() })
  .openapi('RegionRight');
const regionParam = z.object({
  region: z.string().openapi({ param: { name: 'region', in: 'path' }, example: '1082' }),
});

export function regionRightRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/region-rights',
      summary: "Regions whose editors may write their municipalities' values and goal sets (admin)",
      responses: json(z.array(RightSchema), 'Region rights'),
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      return c.json(await store.accounts.listRegionRights(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/region-rights/{region}',
      summary: "Let a region's editors write its municipalities (admin)",
      request: { params: regionParam },
      responses: { 204: { description: 'Granted' }, ...problemResponses },
    }),
    async (c) => {
      const principal = await requireScope(c, store, 'administer');
      const { region } = c.req.valid('param');
      await grantRegionRight(store, region, principal.name);
      await audit(c, store, { action: 'region-right.grant', subject: region, outcome: 'ok' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/region-rights/{region}',
      summary: 'Withdraw the right (admin)',
      request: { params: regionParam },
      responses: { 204: { description: 'Withdrawn' }, ...problemResponses },
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      const { region } = c.req.valid('param');
      await revokeRegionRight(store, region);
      await audit(c, store, { action: 'region-right.revoke', subject: region, outcome: 'ok' });
      return c.body(null, 204);
    },
  );
}
