// Authorisation for routes: the principal of the request, checked against an action and a unit with src/auth's
// rules; a refusal is audited and answered 401/403 as problem+json.
import type { Context } from 'hono';
import {
  type Action,
  authorise,
  type Principal,
  principalActor,
  recordAudit,
  type UnitScope,
  unitScope,
} from '../auth/index.js';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';

/** The request's principal, or a 401. */
export function requirePrincipal(c: Context): Principal {
  const principal = c.get('principal');
  if (!principal)
    throw new UserError('This needs a signed-in user or an API token', {
      status: 401,
      hint: 'Send Authorization: Bearer <token>, or sign in on the dashboard.',
    });
  return principal;
}

/** The units the request's principal may write. */
export async function scopeOf(c: Context, store: Store): Promise<UnitScope> {
  return unitScope(requirePrincipal(c), await store.listOrgUnits(), await store.accounts.listRegionRights());
}

/**
 * The principal, when it may perform the action (on the unit, if given); otherwise an audited 403.
 * @example const principal = await requireScope(c, store, 'goal-set', goalSet.unit);
 */
export async function requireScope(
  c: Context,
  store: Store,
  action: Action,
  unit?: string,
  subject?: string,
): Promise<Principal> {
  const principal = requirePrincipal(c);
  const decision = authorise(principal, action, unit === undefined ? undefined : await scopeOf(c, store), unit);
  if (!decision.allowed) await forbid(c, store, action, decision.reason, unit ? { unit } : {}, {}, subject);
  return principal;
}

/** Audits the refusal and throws a 403 naming why. */
export async function forbid(
  c: Context,
  store: Store,
  action: string,
  reason: string,
  details: Record<string, unknown> = {},
  extra: { hint?: string; errors?: readonly string[] } = {},
  subject?: string,
): Promise<never> {
  await audit(c, store, { action, subject: subject ?? null, outcome: 'denied', details: { reason, ...details } });
  throw new UserError(reason, {
    status: 403,
    ...(extra.hint ? { hint: extra.hint } : {}),
    ...(extra.errors ? { details: extra.errors } : {}),
  });
}

/** Records an audit entry for this request, with its principal, address and request id. */
export async function audit(c: Context, store: Store, what: Parameters<typeof recordAudit>[2]): Promise<void> {
  c.set('audited', true);
  await recordAudit(store, principalActor(c.get('principal'), c.get('address'), c.get('requestId')), what);
}
