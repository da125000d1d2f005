// Users (admins only): list, add, disable.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { addUser, disableUser, ROLES } from '../../auth/index.js';
import type { Store, StoredUser } from '../../store/index.js';
import { audit, requireScope } from '../authorisation.js';
import { idParam, json } from '../route-helpers.js';
import { problemResponses } from '../schemas.js';

const UserSchema = z
  .object({
    name: z.string(),
    unit: z.string(),
    role: z.enum(['viewer', 'editor', 'admin']),
    disabled: z.boolean(),
    hasPassword: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

export const publicUser = (u: StoredUser) => ({
  name: u.name,
  unit: u.unit,
  role: u.role,
  disabled: u.disabled,
  hasPassword: u.passwordHash !== null,
  createdAt: u.createdAt,
});

export function userRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      summary: 'Users (admin)',
      responses: json(z.array(UserSchema), 'Users'),
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      return c.json((await store.accounts.listUsers()).map(publicUser), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      summary: 'Add a user of one unit with a role (admin); the password is optional',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                name: z.string(),
                unit: z.string(),
                role: z.enum(ROLES as ['viewer', 'editor', 'admin']),
                password: z.string().optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: { content: { 'application/json': { schema: UserSchema } }, description: 'The new user' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      const input = c.req.valid('json');
      const user = await addUser(store, input);
      await audit(c, store, {
        action: 'user.add',
        subject: user.name,
        outcome: 'ok',
        details: { unit: user.unit, role: user.role },
      });
      return c.json(publicUser(user), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users/{id}/disable',
      summary: 'Disable a user (admin): its tokens and sessions stop working',
      request: { params: idParam('viborg-editor') },
      responses: json(UserSchema, 'The disabled user'),
    }),
    async (c) => {
      await requireScope(c, store, 'administer');
      const user = await disableUser(store, c.req.valid('param').id);
      await audit(c, store, { action: 'user.disable', subject: user.name, outcome: 'ok' });
      return c.json(publicUser(user), 200);
    },
  );
}
