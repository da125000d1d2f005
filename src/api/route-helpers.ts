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

/** The unit codes, each checked against the stored units: an unknown one is a 404 problem, not an empty answer. */
export async function unitsOr404(store: Store, codes: readonly string[]): Promise<string[]> {
  const known = new Set((await store.listOrgUnits()).map((u) => u.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new UserError(`Unknown unit${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}`, {
      status: 404,
      hint: 'Use unit codes such as DK, 1084 (a region) or 101 (a municipality); GET /api/org-units lists them.',
    });
  }
  return [...codes];
}

/** A comma-separated list of unit codes, checked; undefined when not given. */
export async function unitListOr404(store: Store, text: string | undefined): Promise<string[] | undefined> {
  if (text === undefined) return undefined;
  return unitsOr404(
    store,
    text
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
  );
}

/** A benchmark: `region` or a stored unit code; anything else is a 400 problem. */
export async function benchmarkOr400(store: Store, text: string | undefined): Promise<string | undefined> {
  if (text === undefined || text === 'region') return text;
  if ((await store.listOrgUnits()).some((u) => u.code === text)) return text;
  throw new UserError(`'${text}' is not a benchmark`, {
    hint: "Use 'region' (each unit's own region) or a unit code such as DK or 1084; GET /api/org-units lists them.",
  });
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
