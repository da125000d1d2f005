// Aggregate imports and value revisions.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { UserError } from '../../domain/index.js';
import { importAggregates, MAX_IMPORT_BYTES } from '../../ingest/index.js';
import type { Store } from '../../store/index.js';
import { audit, requireScope, scopeOf } from '../authorisation.js';
import { problemResponse } from '../problem.js';
import { analysisRoute as analysis, indicatorOr404, json, periodOrError, unitsOr404 } from '../route-helpers.js';
import { problemResponses } from '../schemas.js';

export function importRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/imports',
      summary:
        'Import aggregate values of the units you may write (multipart: file, and optionally indicator, dryRun, note, sheet, delimiter, decimal); the revision records the authenticated user',
      request: {
        body: {
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z.any().openapi({ type: 'string', format: 'binary' }),
                indicator: z.string().optional(),
                dryRun: z.enum(['true', 'false']).optional(),
                actor: z.string().optional().openapi({ description: 'Ignored: the authenticated user is recorded' }),
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
          content: {
            'application/problem+json': {
              schema: z.object({ errors: z.array(z.string()), problems: z.array(z.any()) }).passthrough(),
            },
          },
          description:
            "The file has problems (errors name row, column and reason; the import report's fields alongside); nothing was written",
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
      const principal = await requireScope(c, store, 'import');
      const form = c.req.valid('form') as Record<string, unknown>;
      const file = form.file;
      if (!(file instanceof File)) throw new UserError("The form needs a 'file' field with the file to import");
      const fileName = file.name || 'upload';
      const dryRun = form.dryRun === 'true';
      const report = await importAggregates(store, fileName, new Uint8Array(await file.arrayBuffer()), {
        ...(typeof form.indicator === 'string' && form.indicator ? { indicator: form.indicator } : {}),
        ...(typeof form.sheet === 'string' && form.sheet ? { sheet: form.sheet } : {}),
        ...(form.delimiter
          ? { delimiter: (form.delimiter === 'tab' ? '\t' : form.delimiter) as ';' | ',' | '\t' }
          : {}),
        ...(form.decimal ? { decimal: form.decimal as ',' | '.' } : {}),
        dryRun,
        actor: principal.name,
        ...(typeof form.note === 'string' && form.note ? { note: form.note } : {}),
        unitScope: await scopeOf(c, store),
      }).catch(async (error: unknown) => {
        if (error instanceof UserError && error.status === 403)
          await audit(c, store, {
            action: 'import',
            subject: fileName,
            outcome: 'denied',
            details: { reason: error.message, rows: error.details.slice(0, 20) },
          });
        throw error;
      });
      if (!dryRun)
        await audit(c, store, {
          action: 'import',
          subject: fileName,
          outcome: report.problems.length > 0 ? 'failed' : 'ok',
          details: {
            sha256: report.sha256,
            importId: report.importId,
            rowsInFile: report.rowsInFile,
            values: report.values,
            problems: report.problems.length,
            ...(report.diff
              ? { inserted: report.diff.inserted, changed: report.diff.changed, unchanged: report.diff.unchanged }
              : {}),
          },
        });
      if (report.problems.length > 0) {
        // A problem document like every other error, with the report's own fields kept for the upload page.
        const extra = {
          errors: report.problems.map((p) => `row ${p.row}, column ${p.column}: '${p.value}' ${p.reason}`),
          hint: 'Fix the rows named in errors and send the file again; the report has the problems as fields.',
          ...report,
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
      await indicatorOr404(store, id);
      const { unit, period } = c.req.valid('query') as { unit?: string; period?: string };
      const p = periodOrError(period);
      if (unit) await unitsOr404(store, [unit]);
      const history = await store.valueHistory({
        indicator: id,
        ...(unit ? { unit } : {}),
        ...(p ? { period: p } : {}),
      });
      return c.json({ indicator: id, revisions: history }, 200);
    },
  );
}
