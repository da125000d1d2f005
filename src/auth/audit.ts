// The audit trail: every change and every refused attempt, with the authenticated principal, time and address.
import os from 'node:os';
import { UserError } from '../domain/errors.js';
import type { AuditEntry, Store } from '../store/index.js';
import type { Principal } from './principal.js';

/** Who did it and from where. */
export interface AuditActor {
  actor: string;
  actorUnit: string | null;
  via: string | null;
  address: string | null;
  requestId: string | null;
}

/** The local command line: whoever runs it has the store file, so is trusted as its operator. */
export function cliActor(): AuditActor {
  return { actor: `cli:${os.userInfo().username}`, actorUnit: null, via: 'cli', address: 'local', requestId: null };
}

export function principalActor(
  principal: Principal | undefined,
  address: string | null,
  requestId: string | null,
): AuditActor {
  return {
    actor: principal?.name ?? 'anonymous',
    actorUnit: principal?.unit ?? null,
    via: principal?.via ?? null,
    address,
    requestId,
  };
}

/**
 * Records one audit entry.
 * @example await recordAudit(store, cliActor(), { action: 'user.add', subject: 'viborg-editor', outcome: 'ok' })
 */
export async function recordAudit(
  store: Store,
  who: AuditActor,
  what: { action: string; subject?: string | null; outcome: AuditEntry['outcome']; details?: Record<string, unknown> },
): Promise<void> {
  await store.accounts.addAudit({
    ...who,
    at: new Date().toISOString(),
    action: what.action,
    subject: what.subject ?? null,
    outcome: what.outcome,
    details: what.details ?? {},
  });
}

/** A date or time as the ISO UTC text the audit trail stores ('2026-01-01' → '2026-01-01T00:00:00.000Z'). */
export function parseAuditSince(text: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime()))
    throw new UserError(`'${text}' is not a date`, { hint: 'Use YYYY-MM-DD or an ISO time.' });
  return date.toISOString();
}
