// Signed-in sessions for the dashboard: a random id in an HttpOnly cookie (stored only as its SHA-256) and a CSRF
// token that every state-changing request of the session must echo in the X-CSRF-Token header.
import type { Store } from '../store/index.js';
import { principalOf } from './accounts.js';
import type { Principal } from './principal.js';
import { newSecret, sha256 } from './secrets.js';

export const SESSION_COOKIE = 'pejling_session';
export const CSRF_HEADER = 'X-CSRF-Token';
export const SESSION_HOURS = 8;

export interface Session {
  principal: Principal;
  csrfToken: string;
  expiresAt: string;
}

/** Starts a session for a user; returns the cookie value (shown only here) and the session. */
export async function startSession(
  store: Store,
  principal: Principal,
  via: string,
): Promise<{ id: string; session: Session }> {
  const id = newSecret();
  const now = Date.now();
  const session = {
    userId: principal.userId,
    csrfToken: newSecret(),
    via,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + SESSION_HOURS * 3_600_000).toISOString(),
  };
  await store.accounts.deleteExpiredSessions(session.createdAt);
  await store.accounts.addSession(sha256(id), session);
  return {
    id,
    session: { principal: { ...principal, via }, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
  };
}

/** The live session for a cookie value, or undefined (unknown, expired, or its user disabled). */
export async function resolveSession(store: Store, id: string): Promise<Session | undefined> {
  const hash = sha256(id);
  const stored = await store.accounts.findSession(hash);
  if (!stored) return undefined;
  if (stored.expiresAt <= new Date().toISOString()) {
    await store.accounts.deleteSession(hash);
    return undefined;
  }
  const user = await store.accounts.getUserById(stored.userId);
  if (!user || user.disabled) return undefined;
  return { principal: principalOf(user, stored.via), csrfToken: stored.csrfToken, expiresAt: stored.expiresAt };
}

export async function endSession(store: Store, id: string): Promise<void> {
  await store.accounts.deleteSession(sha256(id));
}
