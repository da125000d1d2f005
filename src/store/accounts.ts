// Stored accounts: users, API tokens, sessions, region rights and the audit trail. A part of the Store of its own,
// so that each store kind implements it in one place (`store.accounts`).

export type Role = 'viewer' | 'editor' | 'admin';

export interface StoredUser {
  id: number;
  name: string;
  unit: string;
  role: Role;
  /** Argon2id hash (PHC string); null for users who sign in only with tokens or OpenID Connect. */
  passwordHash: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface StoredToken {
  id: number;
  userId: number;
  userName: string;
  label: string | null;
  createdAt: string;
  /** ISO time after which the token no longer works; null = never. */
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface StoredSession {
  userId: number;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  via: string;
}

export interface RegionRight {
  region: string;
  grantedBy: string;
  grantedAt: string;
}

export interface AuditEntry {
  /** ISO time (UTC). */
  at: string;
  /** The authenticated principal's name, `anonymous`, or `cli:<os user>` for the local command line. */
  actor: string;
  actorUnit: string | null;
  /** How the principal was authenticated: token:<id>, session, oidc, password, cli. */
  via: string | null;
  address: string | null;
  /** What was done: import, goal-set, user.add, token.create, restore, sign-in, … */
  action: string;
  /** What it was done to: a file name, a goal set id, a user name, a token id. */
  subject: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  /** Ids, counts, SHA-256 and the like. */
  details: Record<string, unknown>;
  requestId: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

/** Every query a store answers about accounts; times are ISO 8601 UTC strings. */
export interface AccountStore {
  addUser(user: { name: string; unit: string; role: Role; passwordHash: string | null }): Promise<StoredUser>;
  getUser(name: string): Promise<StoredUser | undefined>;
  getUserById(id: number): Promise<StoredUser | undefined>;
  listUsers(): Promise<StoredUser[]>;
  updateUser(name: string, change: { disabled?: boolean; passwordHash?: string | null }): Promise<boolean>;
  addToken(token: {
    userId: number;
    tokenHash: string;
    label: string | null;
    expiresAt: string | null;
  }): Promise<StoredToken>;
  /** The token with this SHA-256 hash, with its user, whatever its state (the caller checks expiry and revocation). */
  findToken(tokenHash: string): Promise<StoredToken | undefined>;
  listTokens(): Promise<StoredToken[]>;
  /** Marks a token revoked; false when there is no such token. */
  revokeToken(id: number, at: string): Promise<boolean>;
  touchToken(id: number, at: string): Promise<void>;
  addSession(idHash: string, session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user (when the user is disabled). */
  deleteSessionsOf(userId: number): Promise<void>;
  /** Removes sessions that expired before `now`. */
  deleteExpiredSessions(now: string): Promise<void>;
  listRegionRights(): Promise<RegionRight[]>;
  grantRegionRight(right: RegionRight): Promise<void>;
  /** false when the region had no right. */
  revokeRegionRight(region: string): Promise<boolean>;
  addAudit(entry: AuditEntry): Promise<number>;
  listAudit(query?: { since?: string; limit?: number }): Promise<AuditRecord[]>;
}
