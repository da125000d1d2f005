// Target evaluations.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { evaluateStoredTarget, evaluateTargetForScope } from '../../analysis/index.js';
import type { Store } from '../../store/index.js';
import { idParam, json } from '../route-helpers.js';
import { TargetEvaluationSchema } from '../schemas.js';

export function targetRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/targets/{id}/evaluation',
      summary: "A target's verdict for one unit with the numbers behind it",
      request: {
        params: idParam('reform-acute-readmissions'),
        query: z.object({
          unit: z
            .string()
            .optional()
            .openapi({ description: 'Unit code (default DK, or the first unit in scope)', example: 'DK' }),
        }),
      },
      responses: json(TargetEvaluationSchema, 'The evaluation'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { unit } = c.req.valid('query');
      return c.json(
        (await evaluateStoredTarget(store, id, unit)) as unknown as z.infer<typeof TargetEvaluationSchema>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/targets/{id}/evaluations',
      summary: "A target's verdict for every unit in its scope",
      request: { params: idParam('reform-acute-readmissions') },
      responses: json(z.array(TargetEvaluationSchema), 'Evaluations by unit'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(
        (await evaluateTargetForScope(store, id)) as unknown as z.infer<typeof TargetEvaluationSchema>[],
        200,
      );
    },
  );
}
