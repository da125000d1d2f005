// The HTTP API: routes declared with their schemas, so validation, types and OpenAPI come from one place.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import {
  clearOverviewCache,
  evaluateStoredTarget,
  evaluateTargetForScope,
  funnelOf,
  inequalityOf,
  learnFrom,
  overviewOf,
  standardisedRates,
  trendOf,
  valueRows,
} from '../analysis/index.js';
import type { GoalSet } from '../catalogue/index.js';
import { NotFoundError } from '../domain/errors.js';
import { normalisePeriod, UserError } from '../domain/index.js';
import { addLocalGoalSet, importAggregates, MAX_IMPORT_BYTES, valuesToCsv, valuesToXlsx } from '../ingest/index.js';
import { gatherReport, htmlToPdf, renderPocketCard, renderReportHtml } from '../report/index.js';
import type { Store } from '../store/index.js';
import { renderHomePage } from './home-page.js';
import { errorToProblem, problemResponse } from './problem.js';
import {
  GoalLinkSchema,
  GoalSetSchema,
  GoalSetSummarySchema,
  IndicatorSchema,
  OrgUnitSchema,
  problemResponses,
  TargetEvaluationSchema,
  ValueRowSchema,
} from './schemas.js';

/** Where the built web app lives: dist/web at the package root (the same from src/ and dist/). */
const WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url)).replace(/\/$/, '');
const WEB_DIR_RELATIVE = path.relative(process.cwd(), WEB_DIR) || '.';

const idParam = (example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  });

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { content: { 'application/json': { schema } }, description },
  ...problemResponses,
});

/**
 * Builds the API app over a store.
 * @example serve({ fetch: createApp(store).fetch, port: 8080 })
 */
export function createApp(store: Store): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`);
        return problemResponse(c, 400, 'The request is not valid', { errors });
      }
      return undefined;
    },
  });
  app.use('*', compress());
  app.onError((error, c) => errorToProblem(c, error));
  // Uploads are refused while they stream in once they pass the import limit, before anything is parsed.
  app.use(
    '/api/imports',
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES + 1024 * 1024,
      onError: (c) =>
        problemResponse(c, 413, `The upload is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB import limit`, {
          hint: 'Split the file.',
        }),
    }),
  );
  app.use(
    '/api/goal-sets',
    bodyLimit({
      maxSize: 2 * 1024 * 1024,
      onError: (c) => problemResponse(c, 413, 'The goal set is larger than 2 MB'),
    }),
  );
  app.notFound((c) => problemResponse(c, 404, `No resource at ${c.req.path}`, { hint: 'See /api/openapi.json' }));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/goal-sets',
      summary: 'All goal sets with their goal and target counts (full=true: whole goal sets)',
      request: { query: z.object({ full: z.enum(['true', 'false']).optional() }) },
      responses: json(z.union([z.array(GoalSetSummarySchema), z.array(GoalSetSchema)]), 'Goal sets'),
    }),
    async (c) => {
      const sets = await store.listGoalSets();
      return c.json(
        c.req.valid('query').full === 'true' ? (sets as z.infer<typeof GoalSetSchema>[]) : sets.map(summarise),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/goal-sets/{id}',
      summary: 'One goal set with its goals, their indicators and targets',
      request: { params: idParam('health-reform-2022') },
      responses: json(GoalSetSchema, 'The goal set'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const set = await store.getGoalSet(id);
      if (!set) throw new NotFoundError('Goal set', id, 'GET /api/goal-sets lists the goal sets.');
      return c.json(set as z.infer<typeof GoalSetSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/goal-links',
      summary: 'Links between goals across levels, with their theme',
      responses: json(z.array(GoalLinkSchema), 'Goal links'),
    }),
    async (c) => c.json(await store.listLinks(), 200),
  );

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
      const units = query.unit
        ?.split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      const rows = await valueRows(store, indicator, {
        ...(units ? { unit: units } : {}),
        ...(period ? { period } : {}),
        ...(query.breakdown ? { breakdown: query.breakdown } : {}),
        ...(query.benchmark ? { benchmark: query.benchmark } : {}),
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

  const indicatorOr404 = async (id: string) => {
    const indicator = await store.getIndicator(id);
    if (!indicator) throw new NotFoundError('Indicator', id, 'GET /api/indicators lists the indicators.');
    return indicator;
  };
  const periodOrError = (text: string | undefined) => {
    if (text === undefined) return undefined;
    const period = normalisePeriod(text);
    if (!period) throw new UserError(`'${text}' is not a period; use 2024, 2024Q1, 2024M01 or 2024W05`);
    return period;
  };
  const analysis = (path: string, summary: string, query: z.ZodObject, description: string) =>
    createRoute({
      method: 'get',
      path,
      summary,
      request: { params: idParam('acute-readmission-somatic-30d'), query },
      responses: json(z.object({ indicator: z.string() }).passthrough(), description),
    });

  app.openapi(
    analysis(
      '/api/indicators/{id}/funnel',
      'Funnel plot: every municipality (or region) against Denmark with 95 % and 99.8 % control limits',
      z.object({ period: z.string().optional(), level: z.enum(['municipality', 'region']).optional() }),
      'Points, flags and the limit curves',
    ),
    async (c) => {
      const { period, level } = c.req.valid('query') as { period?: string; level?: 'municipality' | 'region' };
      const p = periodOrError(period);
      return c.json(
        await funnelOf(store, await indicatorOr404(c.req.valid('param').id), {
          ...(p ? { period: p } : {}),
          ...(level ? { level } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/trend',
      'Yearly series of a unit with the change per year and a test for trend',
      z.object({ unit: z.string().default('DK') }),
      'Series and trend',
    ),
    async (c) =>
      c.json(
        await trendOf(
          store,
          await indicatorOr404(c.req.valid('param').id),
          (c.req.valid('query') as { unit: string }).unit,
        ),
        200,
      ),
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/inequality',
      'Inequality by education: ratio and difference between lowest and highest group, SII and RII with intervals',
      z.object({ unit: z.string().default('DK'), period: z.string().optional() }),
      'Inequality measures',
    ),
    async (c) => {
      const { unit, period } = c.req.valid('query') as { unit: string; period?: string };
      return c.json(
        await inequalityOf(store, await indicatorOr404(c.req.valid('param').id), unit, periodOrError(period)),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/standardised',
      'Directly age-standardised rates (Dobson intervals) with the European Standard Population 2013 or Denmark in a chosen year',
      z.object({
        period: z.string(),
        standard: z.string().default('european-2013').openapi({ example: 'denmark-2020' }),
        unit: z.string().optional(),
      }),
      'Standardised rates by unit',
    ),
    async (c) => {
      const { period, standard, unit } = c.req.valid('query') as { period: string; standard: string; unit?: string };
      const p = periodOrError(period) as string;
      const units = unit
        ?.split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      return c.json(
        await standardisedRates(store, await indicatorOr404(c.req.valid('param').id), {
          period: p,
          standard,
          ...(units ? { units } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/learn-from',
      'Peers (same region, or all) that do significantly better than the unit',
      z.object({ unit: z.string(), period: z.string().optional(), peers: z.enum(['region', 'all']).optional() }),
      'Better peers',
    ),
    async (c) => {
      const { unit, period, peers } = c.req.valid('query') as {
        unit: string;
        period?: string;
        peers?: 'region' | 'all';
      };
      const p = periodOrError(period);
      return c.json(
        await learnFrom(store, await indicatorOr404(c.req.valid('param').id), unit, {
          ...(p ? { period: p } : {}),
          ...(peers ? { peers } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/imports',
      summary:
        'Import aggregate values (multipart: file, and optionally indicator, dryRun, actor, note, sheet, delimiter, decimal)',
      request: {
        body: {
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z.any().openapi({ type: 'string', format: 'binary' }),
                indicator: z.string().optional(),
                dryRun: z.enum(['true', 'false']).optional(),
                actor: z.string().optional(),
                note: z.string().optional(),
                sheet: z.string().optional(),
                delimiter: z.enum([';', ',', 'tab']).optional(),
                decimal: z.enum([',', '.']).optional(),
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
          content: { 'application/json': { schema: z.object({ problems: z.array(z.any()) }).passthrough() } },
          description: 'The file has problems; nothing was written',
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const length = Number(c.req.header('content-length') ?? 0);
      if (length > MAX_IMPORT_BYTES + 1024 * 1024)
        throw new UserError(
          `The upload is ${(length / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
          { status: 413 },
        );
      const form = c.req.valid('form') as Record<string, unknown>;
      const file = form.file;
      if (!(file instanceof File)) throw new UserError("The form needs a 'file' field with the file to import");
      const report = await importAggregates(store, file.name || 'upload', new Uint8Array(await file.arrayBuffer()), {
        ...(typeof form.indicator === 'string' && form.indicator ? { indicator: form.indicator } : {}),
        ...(typeof form.sheet === 'string' && form.sheet ? { sheet: form.sheet } : {}),
        ...(form.delimiter
          ? { delimiter: (form.delimiter === 'tab' ? '\t' : form.delimiter) as ';' | ',' | '\t' }
          : {}),
        ...(form.decimal ? { decimal: form.decimal as ',' | '.' } : {}),
        dryRun: form.dryRun === 'true',
        actor: typeof form.actor === 'string' && form.actor ? form.actor : 'api',
        ...(typeof form.note === 'string' && form.note ? { note: form.note } : {}),
      });
      if (report.written) clearOverviewCache(store);
      return c.json(report, report.problems.length > 0 ? 422 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/imports',
      summary: 'Imports so far (revisions)',
      responses: json(z.array(z.object({ id: z.number() }).passthrough()), 'Imports'),
    }),
    async (c) => c.json(await store.listImports(), 200),
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/history',
      "A value's revisions, newest first",
      z.object({ unit: z.string().optional(), period: z.string().optional() }),
      'Revisions',
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      await indicatorOr404(id);
      const { unit, period } = c.req.valid('query') as { unit?: string; period?: string };
      const p = periodOrError(period);
      const history = await store.valueHistory({
        indicator: id,
        ...(unit ? { unit } : {}),
        ...(p ? { period: p } : {}),
      });
      return c.json({ indicator: id, revisions: history }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/goal-sets',
      summary:
        "Add a region's or municipality's own goal set (validated like the catalogue), with links to other goals",
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                goalSet: z.object({ id: z.string() }).passthrough(),
                links: z.array(z.any()).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: { content: { 'application/json': { schema: GoalSetSchema } }, description: 'The stored goal set' },
        ...problemResponses,
        422: {
          content: { 'application/problem+json': { schema: z.object({ errors: z.array(z.string()) }).passthrough() } },
          description: 'Invalid goal set',
        },
      },
    }),
    async (c) => {
      const { goalSet } = await addLocalGoalSet(store, c.req.valid('json'));
      clearOverviewCache(store);
      return c.json(goalSet as z.infer<typeof GoalSetSchema>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/overview',
      summary:
        'Dashboard overview for a unit: goal sets → goals → indicators with latest value, trend, comparison and verdicts',
      request: { query: z.object({ unit: z.string().default('DK') }) },
      responses: json(z.object({ unit: OrgUnitSchema, goalSets: z.array(z.any()) }).passthrough(), 'Overview'),
    }),
    async (c) => c.json((await overviewOf(store, c.req.valid('query').unit)) as never, 200),
  );

  const sendDocument = async (c: Context, html: string, format: string | undefined, name: string) => {
    if (format === 'pdf') {
      const [pdf] = await htmlToPdf([html]);
      return c.body(new Uint8Array(pdf as Buffer), 200, {
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
      summary: 'The annual status report for a unit as HTML or PDF (Danish)',
      request: {
        params: z.object({ unit: z.string().openapi({ param: { name: 'unit', in: 'path' }, example: 'DK' }) }),
        query: z.object({
          year: z
            .string()
            .regex(/^\d{4}$/)
            .optional(),
          goalSet: z.string().optional(),
          format: z.enum(['html', 'pdf']).optional(),
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
      const { year, goalSet, format } = c.req.valid('query');
      const y = year ? Number(year) : new Date().getFullYear() - 1;
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
      const html = await renderPocketCard(store, {
        unit,
        indicators: indicators
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      });
      return sendDocument(c as unknown as Context, html, format, `lommekort-${unit}`) as never;
    },
  );

  app.doc('/api/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Pejling API',
      version: '1',
      description: 'Goals, targets, organisation units, indicators and their values for the Danish health system.',
    },
  });

  // The web app (built by Vite into dist/web); without a build, a plain page lists the goal sets.
  if (existsSync(WEB_DIR)) {
    const index = readFileSync(`${WEB_DIR}/index.html`, 'utf8');
    app.use('/assets/*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    app.use('*', serveStatic({ root: WEB_DIR_RELATIVE }));
    app.get('*', (c) => (c.req.path.startsWith('/api/') ? c.notFound() : c.html(index)));
  } else {
    app.get('/', async (c) => c.html(renderHomePage(await store.listGoalSets())));
  }
  return app;
}

function summarise(set: GoalSet): z.infer<typeof GoalSetSummarySchema> {
  return {
    id: set.id,
    name: set.name,
    level: set.level,
    owner: set.owner,
    unit: set.unit,
    period: set.period,
    source: set.source,
    goalCount: set.goals.length,
    targetCount: set.goals.reduce((n, g) => n + g.targets.length, 0),
  };
}
