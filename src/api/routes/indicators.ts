// Indicator definitions and their values (JSON, CSV, XLSX).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { valueRows } from '../../analysis/index.js';
import { NotFoundError } from '../../domain/errors.js';
import { normalisePeriod, UserError } from '../../domain/index.js';
import { valuesToCsv, valuesToXlsx } from '../../ingest/index.js';
import type { Store } from '../../store/index.js';
import { benchmarkOr400, idParam, json, unitListOr404 } from '../route-helpers.js';
import { IndicatorSchema, ValueRowSchema } from '../schemas.js';

export function indicatorRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/indicators',
      summary: 'Indicator definitions',
      responses: json(z.array(IndicatorSchema), 'Indicators'),
    }),
    async (c) => c.json((await store.listIndicators()) as z.infer<typeof IndicatorSchema>[], 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/indicators/{id}',
      summary: 'One indicator definition',
      request: { params: idParam('acute-readmission-somatic-30d') },
      responses: json(IndicatorSchema, 'The indicator'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const indicator = await store.getIndicator(id);
      if (!indicator) throw new NotFoundError('Indicator', id, 'GET /api/indicators lists the indicators.');
      return c.json(indicator as z.infer<typeof IndicatorSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/indicators/{id}/values',
      summary: 'Values of an indicator with their interval and comparison with a benchmark',
      request: {
        params: idParam('acute-readmission-somatic-30d'),
        query: z.object({
          unit: z.string().optional().openapi({ description: 'Unit code(s), comma-separated', example: 'DK,1082,751' }),
          period: z.string().optional().openapi({ example: '2024' }),
          breakdown: z.string().optional().openapi({ example: 'total' }),
          benchmark: z
            .string()
            .optional()
            .openapi({ description: "Unit to compare with (default DK), or 'region' for each unit's own region" }),
          format: z.enum(['json', 'csv', 'xlsx']).optional(),
          csvStyle: z.enum(['international', 'danish']).optional(),
        }),
      },
      responses: {
        ...json(z.array(ValueRowSchema), 'Value rows'),
        200: {
          content: {
            'application/json': { schema: z.array(ValueRowSchema) },
            'text/csv': { schema: z.string() },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() },
          },
          description: 'Value rows as JSON, CSV or XLSX',
        },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const indicator = await store.getIndicator(id);
      if (!indicator) throw new NotFoundError('Indicator', id, 'GET /api/indicators lists the indicators.');
      let period: string | undefined;
      if (query.period) {
        period = normalisePeriod(query.period);
        if (!period) throw new UserError(`'${query.period}' is not a period; use 2024, 2024Q1, 2024M01 or 2024W05`);
      }
      const units = await unitListOr404(store, query.unit);
      const benchmark = await benchmarkOr400(store, query.benchmark);
      const rows = await valueRows(store, indicator, {
        ...(units ? { unit: units } : {}),
        ...(period ? { period } : {}),
        ...(query.breakdown ? { breakdown: query.breakdown } : {}),
        ...(benchmark ? { benchmark } : {}),
      });
      if (query.format === 'csv') {
        return c.body(valuesToCsv(rows, query.csvStyle ?? 'international'), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${id}.csv"`,
        });
      }
      if (query.format === 'xlsx') {
        return c.body(new Uint8Array(await valuesToXlsx(rows, id)), 200, {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': `attachment; filename="${id}.xlsx"`,
        });
      }
      return c.json(rows, 200);
    },
  );
}
