// Small helpers shared by the route modules: path parameters, JSON responses, lookups that answer 404.
import { createRoute, z } from '@hono/zod-openapi';
import type { Indicator } from '../catalogue/index.js';
import { NotFoundError } from '../domain/errors.js';
import { normalisePeriod, UserError } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { problemResponses } from './schemas.js';

export const idParam = (example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  });

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { content: { 'application/json': { schema } }, description },
  ...problemResponses,
});

/** The indicator, or a 404 problem naming where the indicators are listed. */
export async function indicatorOr404(store: Store, id: string): Promise<Indicator> {
  const indicator = await store.getIndicator(id);
  if (!indicator) throw new NotFoundError('Indicator', id, 'GET /api/indicators lists the indicators.');
  return indicator;
}

/** A normalised period, or a 400 problem saying which forms are accepted. */
export function periodOrError(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const period = normalisePeriod(text);
  if (!period) throw new UserError(`'${text}' is not a period; use 2024, 2024Q1, 2024M01 or 2024W05`);
  return period;
}

/** A GET route under an indicator whose answer is an object naming the indicator. */
export const analysisRoute = (path: string, summary: string, query: z.ZodObject, description: string) =>
  createRoute({
    method: 'get',
    path,
    summary,
    request: { params: idParam('acute-readmission-somatic-30d'), query },
    responses: json(z.object({ indicator: z.string() }).passthrough(), description),
  });
