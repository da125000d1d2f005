// Accounts behave the same on both stores: users and passwords, API tokens (stored as SHA-256, revoked, expired),
// sessions, region rights and the audit trail, through the functions the server and the CLI call. Hashes are
// checked with node:crypto and @node-rs/argon2 directly; numbers and times are worked out from what each test writes.
import { createHash } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  authenticatePassword,
  authenticateToken,
  createToken,
  disableUser,
  grantRegionRight,
  recordAudit,
  revokeRegionRight,
  revokeToken,
  setPassword,
} from '../src/auth/index.js';
import { loadCatalogue } from '../src/catalogue/index.js';
import { UserError } from '../src/domain/errors.js';
import { openStore, type Store } from '../src/store/index.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const locations = storeLocations();

const hex = (secret: string) => createHash('sha256').update(secret).digest('hex');
const DAY = 86_400_000;

describe.each(STORE_KINDS)('accounts on the %s store', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await locations.newLocation(kind, 'accounts'));
    await store.replaceCatalogue(await loadCatalogue());
  });
  afterAll(() => store.close());

  it('adds users, numbered from 1, and refuses a taken name or an unknown unit', async () => {
    const before = new Date().toISOString();
    const viborg = await addUser(store, { name: 'viborg-editor', unit: '791', role: 'editor' });
    const admin = await addUser(store, { name: 'admin', unit: 'DK', role: 'admin' });
    expect(viborg).toMatchObject({ id: 1, name: 'viborg-editor', unit: '791', role: 'editor', passwordHash: null });
    expect(admin.id).toBe(2);
    expect(viborg.disabled).toBe(false);
    expect(viborg.createdAt >= before && viborg.createdAt <= new Date().toISOString()).toBe(true);
    expect(await store.accounts.getUser('viborg-editor')).toEqual(viborg);
    expect(await store.accounts.getUserById(2)).toEqual(admin);
    expect(await store.accounts.getUser('nobody')).toBeUndefined();
    expect(await store.accounts.getUserById(99)).toBeUndefined();
    expect((await store.accounts.listUsers()).map((u) => u.name)).toEqual(['admin', 'viborg-editor']);

    const taken = addUser(store, { name: 'viborg-editor', unit: '791', role: 'viewer' });
    await expect(taken).rejects.toThrow(UserError);
    await expect(taken).rejects.toMatchObject({ status: 409 });
    await expect(addUser(store, { name: 'somewhere', unit: '9999', role: 'viewer' })).rejects.toThrow(
      "'9999' is not a unit code",
    );
    expect(await store.accounts.listUsers()).toHaveLength(2);
  });

  it('stores a password as an Argon2id hash and checks it; a disabled user cannot sign in', async () => {
    const password = 'korrekt hest batteri hæfteklamme';
    const user = await addUser(store, { name: 'aarhus-viewer', unit: '751', role: 'viewer', password });
    const stored = (await store.accounts.getUser('aarhus-viewer'))?.passwordHash as string;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(stored, password)).toBe(true);
    expect(await verify(stored, 'korrekt hest batteri')).toBe(false);

    expect(await authenticatePassword(store, 'aarhus-viewer', password)).toEqual({
      userId: user.id,
      name: 'aarhus-viewer',
      unit: '751',
      role: 'viewer',
      via: 'password',
    });
    expect(await authenticatePassword(store, 'aarhus-viewer', 'forkert adgangskode')).toBeUndefined();
    expect(await authenticatePassword(store, 'ingen-bruger', password)).toBeUndefined();
    // A user without a password signs in only otherwise.
    expect(await authenticatePassword(store, 'viborg-editor', password)).toBeUndefined();

    const changed = 'en helt anden lang adgangssætning';
    await setPassword(store, 'aarhus-viewer', changed);
    expect(await authenticatePassword(store, 'aarhus-viewer', password)).toBeUndefined();
    expect((await authenticatePassword(store, 'aarhus-viewer', changed))?.name).toBe('aarhus-viewer');

    expect((await disableUser(store, 'aarhus-viewer')).disabled).toBe(true);
    expect((await store.accounts.getUser('aarhus-viewer'))?.disabled).toBe(true);
    expect(await authenticatePassword(store, 'aarhus-viewer', changed)).toBeUndefined();
    expect(await store.accounts.updateUser('ingen-bruger', { disabled: true })).toBe(false);
  });

  it('issues tokens stored only as their SHA-256, found by that hash, revoked once and for all', async () => {
    const before = Date.now();
    const { token, record } = await createToken(store, { user: 'viborg-editor', label: 'upload', expiresDays: 30 });
    expect(token).toMatch(/^pjl_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ userId: 1, userName: 'viborg-editor', label: 'upload', revokedAt: null });
    // Expires 30 days from its creation.
    const expires = Date.parse(record.expiresAt as string);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * DAY);

    expect(await store.accounts.findToken(hex(token))).toEqual(record);
    expect(await store.accounts.findToken(token)).toBeUndefined();
    expect(await store.accounts.findToken(hex(`${token}x`))).toBeUndefined();

    const check = await authenticateToken(store, token);
    expect(check).toEqual({
      principal: { userId: 1, name: 'viborg-editor', unit: '791', role: 'editor', via: `token:${record.id}` },
      tokenId: record.id,
    });
    expect((await store.accounts.findToken(hex(token)))?.lastUsedAt).not.toBeNull();
    expect(await authenticateToken(store, 'pjl_unknown')).toEqual({ reason: 'The token is not known' });

    const second = await createToken(store, { user: 'admin' });
    expect(second.record.id).toBe(record.id + 1);
    expect((await store.accounts.listTokens()).map((t) => [t.id, t.userName])).toEqual([
      [record.id, 'viborg-editor'],
      [second.record.id, 'admin'],
    ]);

    await revokeToken(store, record.id);
    const revoked = await store.accounts.findToken(hex(token));
    expect(revoked?.revokedAt).not.toBeNull();
    expect(await authenticateToken(store, token)).toEqual({ reason: `Token ${record.id} was revoked` });
    // Revoking again keeps the first time.
    expect(await store.accounts.revokeToken(record.id, '2099-01-01T00:00:00.000Z')).toBe(true);
    expect((await store.accounts.findToken(hex(token)))?.revokedAt).toBe(revoked?.revokedAt);
    await expect(revokeToken(store, 999)).rejects.toMatchObject({ status: 404 });
    // The other token still works.
    expect((await authenticateToken(store, second.token)).principal?.name).toBe('admin');
  });

  it('refuses an expired token, and the token of a disabled user', async () => {
    const expired = 'pjl_expired-token-for-the-test';
    const stored = await store.accounts.addToken({
      userId: 1,
      tokenHash: hex(expired),
      label: null,
      expiresAt: '2020-01-01T00:00:00.000Z',
    });
    expect(await authenticateToken(store, expired)).toEqual({
      reason: `Token ${stored.id} expired at 2020-01-01T00:00:00.000Z`,
    });
    const viewer = await addUser(store, { name: 'kbh-viewer', unit: '101', role: 'viewer' });
    const { token, record } = await createToken(store, { user: 'kbh-viewer' });
    expect((await authenticateToken(store, token)).principal?.userId).toBe(viewer.id);
    await disableUser(store, 'kbh-viewer');
    expect(await authenticateToken(store, token)).toEqual({ reason: `The user of token ${record.id} is disabled` });
    await expect(createToken(store, { user: 'kbh-viewer' })).rejects.toMatchObject({ status: 409 });
  });

  it('keeps sessions by the hash of their id until they end or expire', async () => {
    const session = (userId: number, expiresAt: string) => ({
      userId,
      csrfToken: `csrf-${userId}-${expiresAt}`,
      via: 'password',
      createdAt: '2026-03-01T08:00:00.000Z',
      expiresAt,
    });
    await store.accounts.addSession(hex('a'), session(1, '2026-03-01T16:00:00.000Z'));
    await store.accounts.addSession(hex('b'), session(1, '2026-03-01T20:00:00.000Z'));
    await store.accounts.addSession(hex('c'), session(2, '2026-03-01T20:00:00.000Z'));
    expect(await store.accounts.findSession(hex('a'))).toEqual(session(1, '2026-03-01T16:00:00.000Z'));
    await store.accounts.deleteExpiredSessions('2026-03-01T16:00:00.000Z');
    expect(await store.accounts.findSession(hex('a'))).toBeUndefined();
    expect(await store.accounts.findSession(hex('b'))).toBeDefined();
    await store.accounts.deleteSessionsOf(1);
    expect(await store.accounts.findSession(hex('b'))).toBeUndefined();
    expect((await store.accounts.findSession(hex('c')))?.userId).toBe(2);
    await store.accounts.deleteSession(hex('c'));
    expect(await store.accounts.findSession(hex('c'))).toBeUndefined();
  });

  it("grants and revokes a region's right to write its municipalities", async () => {
    expect(await store.accounts.listRegionRights()).toEqual([]);
    await expect(grantRegionRight(store, '791', 'admin')).rejects.toThrow("'791' is not a region code");
    const before = new Date().toISOString();
    await grantRegionRight(store, '1082', 'admin');
    await grantRegionRight(store, '1081', 'admin');
    // Granting again replaces the grant: one right per region, with the latest granter.
    await grantRegionRight(store, '1082', 'second-admin');
    const rights = await store.accounts.listRegionRights();
    expect(rights.map((r) => [r.region, r.grantedBy])).toEqual([
      ['1081', 'admin'],
      ['1082', 'second-admin'],
    ]);
    for (const r of rights) expect(r.grantedAt >= before).toBe(true);
    await revokeRegionRight(store, '1082');
    expect((await store.accounts.listRegionRights()).map((r) => r.region)).toEqual(['1081']);
    await expect(revokeRegionRight(store, '1082')).rejects.toMatchObject({ status: 404 });
  });

  it('keeps the audit trail in order, with its details, by time and by the most recent', async () => {
    const entry = (at: string, action: string, details: Record<string, unknown> = {}) => ({
      at,
      actor: 'viborg-editor',
      actorUnit: '791',
      via: 'token:1',
      address: '10.0.0.7',
      action,
      subject: 'tal for Århus.csv',
      outcome: 'ok' as const,
      details,
      requestId: 'req-1',
    });
    const first = await store.accounts.addAudit(entry('2026-01-01T10:00:00.000Z', 'import', { inserted: 2 }));
    const second = await store.accounts.addAudit(
      entry('2026-02-01T10:00:00.000Z', 'goal-set', { nested: { ids: [1, 2] }, note: 'æøå "citat"' }),
    );
    await recordAudit(
      store,
      { actor: 'cli:root', actorUnit: null, via: 'cli', address: 'local', requestId: null },
      { action: 'user.add', subject: 'kbh-viewer', outcome: 'denied' },
    );
    expect(second).toBe(first + 1);
    const all = await store.accounts.listAudit();
    expect(all.map((a) => [a.id, a.action, a.outcome])).toEqual([
      [first, 'import', 'ok'],
      [first + 1, 'goal-set', 'ok'],
      [first + 2, 'user.add', 'denied'],
    ]);
    expect(all[1]).toEqual({
      id: second,
      ...entry('2026-02-01T10:00:00.000Z', 'goal-set'),
      details: { nested: { ids: [1, 2] }, note: 'æøå "citat"' },
    });
    expect(all[2]).toMatchObject({ actor: 'cli:root', actorUnit: null, subject: 'kbh-viewer', details: {} });

    expect((await store.accounts.listAudit({ since: '2026-01-15T00:00:00.000Z' })).map((a) => a.id)).toEqual([
      first + 1,
      first + 2,
    ]);
    // The most recent two, oldest first.
    expect((await store.accounts.listAudit({ limit: 2 })).map((a) => a.id)).toEqual([first + 1, first + 2]);
    expect(await store.accounts.listAudit({ since: '2099-01-01T00:00:00.000Z' })).toEqual([]);
  });
});
