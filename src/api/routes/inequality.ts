// Inequality in health for Denmark or a region: education, income and place for every indicator that has them.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { gatherInequality } from '../../report/index.js';
import type { Store } from '../../store/index.js';
import { json } from '../route-helpers.js';

export function inequalityRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/inequality',
      summary:
        'Inequality by education, income (richest vs poorest quarter) and place (worst vs best fifth of municipalities) for every indicator that has them',
      request: {
        query: z.object({
          unit: z.string().default('DK').openapi({ example: 'DK' }),
          year: z
            .string()
            .regex(/^\d{4}$/)
            .optional(),
        }),
      },
      responses: json(
        z.object({ unit: z.object({ code: z.string() }).passthrough(), rows: z.array(z.any()) }).passthrough(),
        'The measures per indicator, and the key figures of the goals about equality',
      ),
    }),
    async (c) => {
      const { unit, year } = c.req.valid('query');
      const data = await gatherInequality(store, {
        unit,
        year: year ? Number(year) : new Date().getFullYear() - 1,
      });
      return c.json(data as never, 200);
    },
  );
}
