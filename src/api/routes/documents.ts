// Status reports and pocket cards as HTML or PDF.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  gatherInequality,
  gatherReport,
  queuePdf,
  renderInequalityHtml,
  renderPocketCard,
  renderReportHtml,
} from '../../report/index.js';
import type { Store } from '../../store/index.js';
import { unitsOr404 } from '../route-helpers.js';
import { problemResponses } from '../schemas.js';

export function documentRoutes(app: OpenAPIHono, store: Store): void {
  const sendDocument = async (c: Context, html: string, format: string | undefined, name: string) => {
    if (format === 'pdf') {
      const pdf = await queuePdf(html);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${name}.pdf"`,
      });
    }
    return c.html(html);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports/{unit}',
      summary:
        'The annual status report for a unit, or (kind=inequality) the inequality report by education, income and place for Denmark or a region, as HTML or PDF (Danish)',
      request: {
        params: z.object({ unit: z.string().openapi({ param: { name: 'unit', in: 'path' }, example: 'DK' }) }),
        query: z.object({
          year: z
            .string()
            .regex(/^\d{4}$/)
            .optional(),
          goalSet: z.string().optional(),
          format: z.enum(['html', 'pdf']).optional(),
          kind: z.enum(['status', 'inequality']).optional(),
        }),
      },
      responses: {
        200: {
          content: { 'text/html': { schema: z.string() }, 'application/pdf': { schema: z.string() } },
          description: 'The report',
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const { year, goalSet, format, kind } = c.req.valid('query');
      await unitsOr404(store, [unit]);
      const y = year ? Number(year) : new Date().getFullYear() - 1;
      if (kind === 'inequality') {
        const html = renderInequalityHtml(await gatherInequality(store, { unit, year: y }));
        return sendDocument(c as unknown as Context, html, format, `ulighedsrapport-${y}-${unit}`) as never;
      }
      const html = renderReportHtml(await gatherReport(store, { unit, year: y, ...(goalSet ? { goalSet } : {}) }));
      return sendDocument(c as unknown as Context, html, format, `statusrapport-${y}-${unit}`) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/pocket-cards/{unit}',
      summary: 'A one-page pocket card (lommekort) with chosen indicators, HTML or PDF',
      request: {
        params: z.object({ unit: z.string().openapi({ param: { name: 'unit', in: 'path' }, example: '791' }) }),
        query: z.object({
          indicators: z.string().openapi({ example: 'days-since-medication-error,preventable-admissions-65plus' }),
          format: z.enum(['html', 'pdf']).optional(),
        }),
      },
      responses: {
        200: {
          content: { 'text/html': { schema: z.string() }, 'application/pdf': { schema: z.string() } },
          description: 'The card',
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const { indicators, format } = c.req.valid('query');
      await unitsOr404(store, [unit]);
      const chosen = [
        ...new Set(
          indicators
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      const html = await renderPocketCard(store, { unit, indicators: chosen });
      return sendDocument(c as unknown as Context, html, format, `lommekort-${unit}`) as never;
    },
  );
}
