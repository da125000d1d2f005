// The accounts part of the store in portable SQL ($1-style parameters, sequences, RETURNING, ISO text times):
// DuckDB runs it here, and a PostgreSQL store can run the same statements through its own runner.
import type { AccountStore, AuditEntry, AuditRecord, RegionRight, Role, StoredToken, StoredUser } from './accounts.js';

type Row = Record<string, unknown>;

/** What the accounts part needs from an engine: run one parameterised statement and return its rows. */
export type SqlRunner = (sql: string, params?: readonly unknown[]) => Promise<Row[]>;

const USER_COLUMNS = 'id, name, unit_code, role, password_hash, disabled, created_at';
const TOKEN_SELECT = `SELECT t.id, t.user_id, u.name AS user_name, t.label, t.created_at, t.expires_at, t.revoked_at,
  t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id`;

/** The AccountStore over any engine that runs portable SQL. */
export function sqlAccountStore(query: SqlRunner): AccountStore {
  const one = async (sql: string, params: readonly unknown[] = []) => (await query(sql, params))[0];
  return {
    async addUser(user) {
      const row = await one(
        `INSERT INTO users (name, unit_code, role, password_hash, disabled, created_at)
         VALUES ($1, $2, $3, $4, false, $5) RETURNING ${USER_COLUMNS}`,
        [user.name, user.unit, user.role, user.passwordHash, new Date().toISOString()],
      );
      return toUser(row as Row);
    },
    async getUser(name) {
      const row = await one(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]);
      return row ? toUser(row) : undefined;
    },
    async getUserById(id) {
      const row = await one(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
      return row ? toUser(row) : undefined;
    },
    async listUsers() {
      return (await query(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`)).map(toUser);
    },
    async updateUser(name, change) {
      const sets: string[] = [];
      const params: unknown[] = [];
      if (change.disabled !== undefined) {
        params.push(change.disabled);
        sets.push(`disabled = $${params.length}`);
      }
      if (change.passwordHash !== undefined) {
        params.push(change.passwordHash);
        sets.push(`password_hash = $${params.length}`);
      }
      if (sets.length === 0) return Boolean(await one('SELECT id FROM users WHERE name = $1', [name]));
      params.push(name);
      const rows = await query(
        `UPDATE users SET ${sets.join(', ')} WHERE name = $${params.length} RETURNING id`,
        params,
      );
      return rows.length > 0;
    },
    async addToken(token) {
      const row = await one(
        `INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [token.userId, token.tokenHash, token.label, new Date().toISOString(), token.expiresAt],
      );
      const [stored] = (await query(`${TOKEN_SELECT} WHERE t.id = $1`, [Number(row?.id)])).map(toToken);
      if (!stored) throw new Error('The new token was not stored');
      return stored;
    },
    async findToken(tokenHash) {
      const row = await one(`${TOKEN_SELECT} WHERE t.token_hash = $1`, [tokenHash]);
      return row ? toToken(row) : undefined;
    },
    async listTokens() {
      return (await query(`${TOKEN_SELECT} ORDER BY t.id`)).map(toToken);
    },
    async revokeToken(id, at) {
      const rows = await query(
        'UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 RETURNING id',
        [at, id],
      );
      return rows.length > 0;
    },
    async touchToken(id, at) {
      await query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
    },
    async addSession(idHash, session) {
      await query(
        'INSERT INTO sessions (id_hash, user_id, csrf_token, via, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [idHash, session.userId, session.csrfToken, session.via, session.createdAt, session.expiresAt],
      );
    },
    async findSession(idHash) {
      const row = await one(
        'SELECT user_id, csrf_token, via, created_at, expires_at FROM sessions WHERE id_hash = $1',
        [idHash],
      );
      return row
        ? {
            userId: Number(row.user_id),
            csrfToken: String(row.csrf_token),
            via: String(row.via),
            createdAt: String(row.created_at),
            expiresAt: String(row.expires_at),
          }
        : undefined;
    },
    async deleteSession(idHash) {
      await query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
    async deleteSessionsOf(userId) {
      await query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    },
    async deleteExpiredSessions(now) {
      await query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
    },
    async listRegionRights() {
      return (await query('SELECT region_code, granted_by, granted_at FROM region_rights ORDER BY region_code')).map(
        (r): RegionRight => ({
          region: String(r.region_code),
          grantedBy: String(r.granted_by),
          grantedAt: String(r.granted_at),
        }),
      );
    },
    async grantRegionRight(right) {
      await query('DELETE FROM region_rights WHERE region_code = $1', [right.region]);
      await query('INSERT INTO region_rights (region_code, granted_by, granted_at) VALUES ($1, $2, $3)', [
        right.region,
        right.grantedBy,
        right.grantedAt,
      ]);
    },
    async revokeRegionRight(region) {
      return (
        (await query('DELETE FROM region_rights WHERE region_code = $1 RETURNING region_code', [region])).length > 0
      );
    },
    async addAudit(entry) {
      const row = await one(
        `INSERT INTO audit_log (recorded_at, actor, actor_unit, via, address, action, subject, outcome, details, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          entry.at,
          entry.actor,
          entry.actorUnit,
          entry.via,
          entry.address,
          entry.action,
          entry.subject,
          entry.outcome,
          JSON.stringify(entry.details),
          entry.requestId,
        ],
      );
      return Number(row?.id);
    },
    async listAudit(options = {}) {
      const params: unknown[] = [];
      let where = '';
      if (options.since) {
        params.push(options.since);
        where = 'WHERE recorded_at >= $1';
      }
      params.push(options.limit ?? 10_000);
      const rows = await query(
        `SELECT * FROM (SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT $${params.length}) recent ORDER BY id`,
        params,
      );
      return rows.map(toAudit);
    },
  };
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toUser(r: Row): StoredUser {
  return {
    id: Number(r.id),
    name: String(r.name),
    unit: String(r.unit_code),
    role: String(r.role) as Role,
    passwordHash: text(r.password_hash),
    disabled: Boolean(r.disabled),
    createdAt: String(r.created_at),
  };
}

function toToken(r: Row): StoredToken {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    userName: String(r.user_name),
    label: text(r.label),
    createdAt: String(r.created_at),
    expiresAt: text(r.expires_at),
    revokedAt: text(r.revoked_at),
    lastUsedAt: text(r.last_used_at),
  };
}

function toAudit(r: Row): AuditRecord {
  return {
    id: Number(r.id),
    at: String(r.recorded_at),
    actor: String(r.actor),
    actorUnit: text(r.actor_unit),
    via: text(r.via),
    address: text(r.address),
    action: String(r.action),
    subject: text(r.subject),
    outcome: String(r.outcome) as AuditEntry['outcome'],
    details: JSON.parse(String(r.details)) as Record<string, unknown>,
    requestId: text(r.request_id),
  };
}
