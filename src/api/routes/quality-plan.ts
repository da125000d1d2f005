// The national quality plan: quality standards with their requirements, compliance per unit and year with the
// shares across cluster, region and Denmark, compliance imports (multipart) and record history.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { complianceShares, complianceView } from '../../analysis/index.js';
import { currentVersion, type QualityStandard } from '../../catalogue/index.js';
import { NotFoundError, UserError } from '../../domain/errors.js';
import { importCompliance } from '../../ingest/index.js';
import { COMPLIANCE_STATUSES, type Store } from '../../store/index.js';
import { requirePrincipal, scopeOf } from '../authorisation.js';
import { problemResponse } from '../problem.js';
import { idParam, json, unitsOr404 } from '../route-helpers.js';
import { problemResponses } from '../schemas.js';

const text = z.object({ da: z.string(), en: z.string() });
const countsSchema = z
  .object({
    met: z.number(),
    partlyMet: z.number(),
    notMet: z.number(),
    notReported: z.number(),
    total: z.number(),
    shareMet: z.number().nullable(),
  })
  .openapi('ComplianceCounts');
const standardSummary = z
  .object({
    id: z.string().openapi({ example: 'municipal-acute-functions' }),
    title: text,
    publisher: z.string(),
    version: z.string(),
    date: z.string(),
    confidence: z.enum(['official', 'summary']),
    requirements: z.number(),
    recommendations: z.number(),
    versions: z.array(z.object({ version: z.string(), date: z.string(), firstYear: z.number() })),
  })
  .openapi('QualityStandardSummary');
const yearQuery = z
  .string()
  .regex(/^\d{4}$/, 'a year has four digits, e.g. 2024')
  .optional()
  .openapi({ example: '2025' });

function summarise(s: QualityStandard): z.infer<typeof standardSummary> {
  const v = currentVersion(s);
  return {
    id: s.id,
    title: v.title ?? s.title,
    publisher: s.publisher,
    version: v.version,
    date: v.date,
    confidence: v.confidence,
    requirements: v.requirements.length,
    recommendations: v.recommendations.length,
    versions: s.versions.map(({ version, date, firstYear }) => ({ version, date, firstYear })),
  };
}

async function standardOr404(store: Store, id: string): Promise<QualityStandard> {
  const standard = await store.getQualityStandard(id);
  if (!standard) throw new NotFoundError('Quality standard', id, 'GET /api/quality-standards lists the standards.');
  return standard;
}

/** Compliance files are small (98 municipalities × a few requirements × years); larger uploads are refused early. */
const MAX_COMPLIANCE_UPLOAD = 20 * 1024 * 1024;

export function qualityPlanRoutes(app: OpenAPIHono, store: Store): void {
  app.use(
    '/api/compliance',
    bodyLimit({
      maxSize: MAX_COMPLIANCE_UPLOAD,
      onError: (c) =>
        problemResponse(c, 413, `The upload is larger than ${MAX_COMPLIANCE_UPLOAD / 1024 / 1024} MB`, {
          hint: 'Split the file by year or standard.',
        }),
    }),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/quality-standards',
      summary: "The national quality plan's standards (current edition; earlier editions listed in versions)",
      responses: json(z.array(standardSummary), 'Quality standards'),
    }),
    async (c) => c.json((await store.listQualityStandards()).map(summarise), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/quality-standards/{id}',
      summary: 'A quality standard with every edition: requirements, recommendations, applicability, indicators',
      request: { params: idParam('municipal-acute-functions') },
      responses: json(z.object({ id: z.string(), versions: z.array(z.any()) }).passthrough(), 'The standard'),
    }),
    async (c) => {
      const standard = await standardOr404(store, c.req.valid('param').id);
      return c.json({ ...standard, current: currentVersion(standard).version }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/quality-standards/{id}/compliance',
      summary:
        "Compliance in a year: the unit's status per requirement, the matrix of the municipalities below it, and the shares met across its cluster, region and Denmark (missing records count as not reported)",
      request: {
        params: idParam('municipal-acute-functions'),
        query: z.object({
          unit: z
            .string()
            .optional()
            .openapi({ description: 'DK (default), a region, a municipality or a cluster id' }),
          year: yearQuery,
        }),
      },
      responses: json(
        z.object({ year: z.number(), unit: z.object({ counts: countsSchema }).passthrough() }).passthrough(),
        'Compliance',
      ),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { unit, year } = c.req.valid('query');
      const view = await complianceView(store, id, {
        ...(unit ? { unit } : {}),
        ...(year ? { year: Number(year) } : {}),
      });
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/quality-standards/{id}/shares',
      summary: 'Shares met, partly met, not met and not reported for Denmark, each region and each health cluster',
      request: { params: idParam('municipal-acute-functions'), query: z.object({ year: yearQuery }) },
      responses: json(z.object({ year: z.number(), areas: z.array(z.any()) }).passthrough(), 'Shares'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { year } = c.req.valid('query');
      return c.json(await complianceShares(store, id, year ? Number(year) : undefined), 200);
    },
  );

  const recordQuery = z.object({
    standard: z.string().optional(),
    unit: z.string().optional(),
    year: yearQuery,
    requirement: z.string().regex(/^\d+$/).optional(),
  });
  // An unknown unit is a 404 problem, not an empty list.
  const parseRecordQuery = async (q: z.infer<typeof recordQuery>) => ({
    ...(q.unit ? { unit: (await unitsOr404(store, [q.unit]))[0] as string } : {}),
    ...(q.standard ? { standard: q.standard } : {}),
    ...(q.year ? { year: Number(q.year) } : {}),
    ...(q.requirement ? { requirement: Number(q.requirement) } : {}),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/compliance',
      summary: 'Current compliance records (who recorded them, when, and whether they are synthetic demo data)',
      request: { query: recordQuery },
      responses: json(z.array(z.object({ status: z.enum(COMPLIANCE_STATUSES) }).passthrough()), 'Records'),
    }),
    async (c) => c.json(await store.queryCompliance(await parseRecordQuery(c.req.valid('query'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/compliance/history',
      summary: "Every recorded version of the matching records, newest first; 'current' marks the one in force",
      request: { query: recordQuery },
      responses: json(z.array(z.object({ current: z.boolean() }).passthrough()), 'Revisions'),
    }),
    async (c) => c.json(await store.complianceHistory(await parseRecordQuery(c.req.valid('query'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/compliance/imports',
      summary: 'Compliance imports so far (revisions)',
      responses: json(z.array(z.object({ id: z.number() }).passthrough()), 'Imports'),
    }),
    async (c) => c.json(await store.listComplianceImports(), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/compliance',
      summary:
        'Import compliance records (multipart: file, and optionally standard, dryRun, actor, note, sheet, delimiter); a file with problems writes nothing',
      request: {
        body: {
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z.any().openapi({ type: 'string', format: 'binary' }),
                standard: z.string().optional(),
                dryRun: z.enum(['true', 'false']).optional(),
                actor: z.string().optional(),
                note: z.string().optional(),
                sheet: z.string().optional(),
                delimiter: z.enum([';', ',', 'tab']).optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ written: z.boolean() }).passthrough() } },
          description: 'Import report (also for a dry run)',
        },
        422: {
          content: {
            'application/problem+json': {
              schema: z.object({ errors: z.array(z.string()), report: z.any() }).passthrough(),
            },
          },
          description: 'The file has problems (errors name row, column and reason); nothing was written',
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const form = c.req.valid('form') as Record<string, unknown>;
      const file = form.file;
      if (!(file instanceof File)) throw new UserError("The form needs a 'file' field with the file to import");
      const report = await importCompliance(store, file.name || 'upload', new Uint8Array(await file.arrayBuffer()), {
        ...(typeof form.standard === 'string' && form.standard ? { standard: form.standard } : {}),
        ...(typeof form.sheet === 'string' && form.sheet ? { sheet: form.sheet } : {}),
        ...(form.delimiter
          ? { delimiter: (form.delimiter === 'tab' ? '\t' : form.delimiter) as ';' | ',' | '\t' }
          : {}),
        dryRun: form.dryRun === 'true',
        // The authenticated principal is recorded, never a name the form declares.
        actor: requirePrincipal(c).name,
        unitScope: await scopeOf(c, store),
        ...(typeof form.note === 'string' && form.note ? { note: form.note } : {}),
      });
      if (report.problems.length > 0) {
        const extra = {
          errors: report.problems.map((p) => `row ${p.row}, column ${p.column}: '${p.value}' ${p.reason}`),
          hint: 'Fix the rows named in errors and send the file again; the report has the problems as fields.',
          report,
        };
        return problemResponse(
          c,
          422,
          `${report.file} has ${report.problems.length} problem(s); nothing was written`,
          extra,
        ) as never;
      }
      return c.json(report, 200);
    },
  );
}
