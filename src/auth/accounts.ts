// Users and API tokens: adding, disabling, issuing, revoking, and turning a password or a token into a principal.
import { UserError } from '../domain/errors.js';
import type { Store, StoredToken, StoredUser } from '../store/index.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import { isRole, type Principal, ROLES } from './principal.js';
import { newSecret, sha256 } from './secrets.js';

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;
export const TOKEN_PREFIX = 'pjl_';
export const DEFAULT_TOKEN_DAYS = 90;
const MAX_TOKEN_DAYS = 3650;

/** The principal a stored user acts as. */
export function principalOf(user: StoredUser, via: string): Principal {
  return { userId: user.id, name: user.name, unit: user.unit, role: user.role, via };
}

/**
 * Adds a user of one unit with a role; the password (optional: tokens and OpenID Connect need none) is hashed.
 * @example await addUser(store, { name: 'viborg-editor', unit: '791', role: 'editor', password: '…' })
 */
export async function addUser(
  store: Store,
  input: { name: string; unit: string; role: string; password?: string },
): Promise<StoredUser> {
  if (!USER_NAME.test(input.name))
    throw new UserError(`'${input.name}' is not a user name`, {
      hint: 'Use 2-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.',
    });
  if (!isRole(input.role))
    throw new UserError(`'${input.role}' is not a role`, { hint: `Use one of ${ROLES.join(', ')}.` });
  const units = await store.listOrgUnits();
  if (!units.some((u) => u.code === input.unit))
    throw new UserError(`'${input.unit}' is not a unit code`, {
      hint: 'Use DK, a region (1081-1085) or a municipality code (e.g. 791); GET /api/org-units lists them.',
    });
  if (await store.accounts.getUser(input.name))
    throw new UserError(`A user called '${input.name}' already exists`, { status: 409 });
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return store.accounts.addUser({ name: input.name, unit: input.unit, role: input.role, passwordHash });
}

/** Disables a user: its tokens and sessions stop working at once. */
export async function disableUser(store: Store, name: string): Promise<StoredUser> {
  const user = await userOr404(store, name);
  await store.accounts.updateUser(name, { disabled: true });
  await store.accounts.deleteSessionsOf(user.id);
  return { ...user, disabled: true };
}

/** Sets a user's password (checked against the policy) and ends its sessions. */
export async function setPassword(store: Store, name: string, password: string): Promise<void> {
  const user = await userOr404(store, name);
  await store.accounts.updateUser(name, { passwordHash: await hashPassword(password) });
  await store.accounts.deleteSessionsOf(user.id);
}

export async function userOr404(store: Store, name: string): Promise<StoredUser> {
  const user = await store.accounts.getUser(name);
  if (!user) throw new UserError(`There is no user called '${name}'`, { status: 404, hint: '`pejling users list`' });
  return user;
}

/**
 * Issues an API token for a user. The token is returned once; only its SHA-256 is stored.
 * @example const { token } = await createToken(store, { user: 'viborg-editor', expiresDays: 30 })
 */
export async function createToken(
  store: Store,
  input: { user: string; expiresDays?: number; label?: string },
): Promise<{ token: string; record: StoredToken }> {
  const days = input.expiresDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
    throw new UserError(`The expiry must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}; got ${days}`);
  const user = await userOr404(store, input.user);
  if (user.disabled) throw new UserError(`The user '${user.name}' is disabled`, { status: 409 });
  const token = newSecret(TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
  const record = await store.accounts.addToken({
    userId: user.id,
    tokenHash: sha256(token),
    label: input.label ?? null,
    expiresAt,
  });
  return { token, record };
}

export async function revokeToken(store: Store, id: number): Promise<void> {
  if (!Number.isInteger(id) || !(await store.accounts.revokeToken(id, new Date().toISOString())))
    throw new UserError(`There is no token with id ${id}`, { status: 404, hint: '`pejling tokens list`' });
}

export type TokenCheck = { principal: Principal; tokenId: number } | { principal?: undefined; reason: string };

/** The principal behind a bearer token, or why the token does not work (unknown, revoked, expired, disabled). */
export async function authenticateToken(store: Store, token: string): Promise<TokenCheck> {
  const record = token.startsWith(TOKEN_PREFIX) ? await store.accounts.findToken(sha256(token)) : undefined;
  if (!record) return { reason: 'The token is not known' };
  const now = new Date().toISOString();
  if (record.revokedAt) return { reason: `Token ${record.id} was revoked` };
  if (record.expiresAt && record.expiresAt <= now)
    return { reason: `Token ${record.id} expired at ${record.expiresAt}` };
  const user = await store.accounts.getUserById(record.userId);
  if (!user || user.disabled) return { reason: `The user of token ${record.id} is disabled` };
  // Last use is kept to the minute, so that a busy token does not write on every request.
  if (!record.lastUsedAt || Date.parse(now) - Date.parse(record.lastUsedAt) > 60_000)
    await store.accounts.touchToken(record.id, now);
  return { principal: principalOf(user, `token:${record.id}`), tokenId: record.id };
}

/** The principal for a name and password, or undefined; takes as long for an unknown name as for a wrong password. */
export async function authenticatePassword(
  store: Store,
  name: string,
  password: string,
): Promise<Principal | undefined> {
  const user = await store.accounts.getUser(name);
  if (!user?.passwordHash || user.disabled) {
    await verifyPassword(await dummyPasswordHash(), password);
    return undefined;
  }
  return (await verifyPassword(user.passwordHash, password)) ? principalOf(user, 'password') : undefined;
}

/** Gives a region's editors the right to write the municipalities of the region. */
export async function grantRegionRight(store: Store, region: string, grantedBy: string): Promise<void> {
  const unit = (await store.listOrgUnits({ type: 'region' })).find((u) => u.code === region);
  if (!unit)
    throw new UserError(`'${region}' is not a region code`, {
      hint: 'Regions are 1081-1085 (GET /api/org-units?type=region).',
    });
  await store.accounts.grantRegionRight({ region, grantedBy, grantedAt: new Date().toISOString() });
}

export async function revokeRegionRight(store: Store, region: string): Promise<void> {
  if (!(await store.accounts.revokeRegionRight(region)))
    throw new UserError(`Region '${region}' has no right to write its municipalities`, { status: 404 });
}
