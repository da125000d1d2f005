// The audit trail (admins only): every change and refused attempt, oldest first.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { parseAuditSince } from '../../auth/index.js';
import type { Store } from '../../store/index.js';
import { requireScope } from '../authorisation.js';
import { json } from '../route-helpers.js';

const AuditSchema = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    actorUnit: z.string().nullable(),
    via: z.string().nullable(),
    address: z.string().nullable(),
    action: z.string(),
    subject: z.string().nullable(),
    outcome: z.enum(['ok', 'denied', 'failed']),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
  })
  .openapi('AuditRecord');

export function auditRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit',
      summary: 'The audit trail (admin): who changed what, when, from where, with what outcome',
      request: {
        query: z.object({
          since: z.string().optional().openapi({ example: '2026-01-01' }),
          limit: z.string().regex(/^\d+$/).optional(),
        }),
      },
      responses: json(z.array(AuditSchema), 'Audit records, oldest first'),
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      const { since, limit } = c.req.valid('query');
      return c.json(
        await store.accounts.listAudit({
          ...(since ? { since: parseAuditSince(since) } : {}),
          ...(limit ? { limit: Number(limit) } : {}),
        }),
        200,
      );
    },
  );
}
