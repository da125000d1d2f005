// API tokens (admins only): list, create (the token is in the answer once), revoke.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createToken, revokeToken } from '../../auth/index.js';
import type { Store } from '../../store/index.js';
import { audit, requireScope } from '../authorisation.js';
import { idParam, json } from '../route-helpers.js';
import { problemResponses } from '../schemas.js';

const TokenSchema = z
  .object({
    id: z.number(),
    userName: z.string(),
    label: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .passthrough()
  .openapi('ApiToken');

export function tokenRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tokens',
      summary: 'API tokens, without their secrets (admin)',
      responses: json(z.array(TokenSchema), 'Tokens'),
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      return c.json(await store.accounts.listTokens(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tokens',
      summary: 'Create an API token for a user (admin); the token is shown only in this answer',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                user: z.string(),
                expiresDays: z.number().int().optional(),
                label: z.string().max(200).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          content: { 'application/json': { schema: TokenSchema.extend({ token: z.string() }) } },
          description: 'The token',
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      const { token, record } = await createToken(store, c.req.valid('json'));
      await audit(c, store, {
        action: 'token.create',
        subject: String(record.id),
        outcome: 'ok',
        details: { user: record.userName, expiresAt: record.expiresAt },
      });
      return c.json({ ...record, token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/tokens/{id}',
      summary: 'Revoke an API token (admin)',
      request: { params: idParam('3') },
      responses: { 204: { description: 'Revoked' }, ...problemResponses },
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      const id = c.req.valid('param').id;
      await revokeToken(store, Number(id));
      await audit(c, store, { action: 'token.revoke', subject: id, outcome: 'ok' });
      return c.body(null, 204);
    },
  );
}
