// Accounts from the command line: users, tokens (printed once, stored as a hash), region rights and the audit
// trail, with the exact command names; a running server accepts the token the CLI made.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { bearer, ROOT, runCli, serveOnEphemeralPort, tempDir } from './helpers.js';

let dir: string;
let store: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  store = path.join(dir, 'pejling.duckdb');
});
afterAll(() => cleanup());

/** Runs the built CLI with text on standard input. */
function runWithStdin(
  args: readonly string[],
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/pejling.js'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const cli = (...args: string[]) => runCli(['--store', store, ...args]);

describe('pejling users, tokens, region-rights and audit', () => {
  it('adds users, issues and revokes tokens, and lists them', async () => {
    const admin = await runWithStdin(
      ['--store', store, 'users', 'add', '--name', 'admin', '--unit', 'DK', '--role', 'admin', '--password-stdin'],
      'en lang og god adgangssætning\n',
    );
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout).toContain('Added admin admin of unit DK with a password');
    expect((await cli('users', 'add', '--name', 'viborg', '--unit', '791', '--role', 'editor')).code).toBe(0);

    const badRole = await cli('users', 'add', '--name', 'xx', '--unit', '791', '--role', 'owner');
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("'owner' is not a role");
    const badUnit = await cli('users', 'add', '--name', 'yy', '--unit', '9999', '--role', 'editor');
    expect(badUnit.code).toBe(1);
    expect(badUnit.stderr).toContain("'9999' is not a unit code");
    const shortPassword = await runWithStdin(
      ['--store', store, 'users', 'add', '--name', 'zz', '--unit', '791', '--role', 'viewer', '--password-stdin'],
      'kort',
    );
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain('at least 12');

    const users = JSON.parse((await cli('users', 'list', '--json')).stdout);
    expect(
      users.map((u: { name: string; unit: string; role: string; hasPassword: boolean }) => [
        u.name,
        u.unit,
        u.role,
        u.hasPassword,
      ]),
    ).toEqual([
      ['admin', 'DK', 'admin', true],
      ['viborg', '791', 'editor', false],
    ]);
    expect(JSON.stringify(users)).not.toContain('argon2');

    const created = await cli('tokens', 'create', '--user', 'viborg', '--expires-days', '7');
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) as string;
    expect(token).toMatch(/^pjl_[\w-]{43}$/);
    const listed = JSON.parse((await cli('tokens', 'list', '--json')).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: 1, userName: 'viborg', revokedAt: null });
    const days = (Date.parse(listed[0].expiresAt) - Date.parse(listed[0].createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    expect(JSON.stringify(listed)).not.toContain(token);

    // The token works against a server over this store, and only its SHA-256 is stored.
    const s = await openStore(store);
    try {
      expect(await s.accounts.findToken(createHash('sha256').update(token).digest('hex'))).toMatchObject({ id: 1 });
      const server = await serveOnEphemeralPort(s);
      const form = new FormData();
      form.append('file', new Blob(['indicator,unit,period,value\npatient-satisfaction,791,2024,90\n']), 'v.csv');
      const response = await fetch(`${server.url}/api/imports`, { method: 'POST', body: form, headers: bearer(token) });
      await server.close();
      expect(response.status).toBe(200);
    } finally {
      await s.close();
    }

    expect((await cli('tokens', 'revoke', '--id', '1')).code).toBe(0);
    expect(JSON.parse((await cli('tokens', 'list', '--json')).stdout)[0].revokedAt).not.toBeNull();
    const missing = await cli('tokens', 'revoke', '--id', '42');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no token with id 42');
    expect((await cli('tokens', 'create', '--user', 'nobody')).code).toBe(1);

    expect((await cli('region-rights', 'grant', '--region', '1082')).code).toBe(0);
    expect(JSON.parse((await cli('region-rights', 'list', '--json')).stdout)).toEqual([
      expect.objectContaining({ region: '1082' }),
    ]);
    expect((await cli('region-rights', 'grant', '--region', '791')).stderr).toContain("'791' is not a region code");
    const set = await runWithStdin(
      ['--store', store, 'users', 'set-password', '--name', 'viborg'],
      'et nyt langt kodeord\n',
    );
    expect(set.code, set.stderr).toBe(0);
    expect((await cli('users', 'disable', '--name', 'viborg')).code).toBe(0);
    expect(JSON.parse((await cli('users', 'list', '--json')).stdout)[1]).toMatchObject({
      disabled: true,
      hasPassword: true,
    });
  }, 240_000);

  it('prints the audit trail, with --since and --json', async () => {
    const all = JSON.parse((await cli('audit', '--json')).stdout);
    expect(all.map((a: { action: string; subject: string }) => `${a.action} ${a.subject}`)).toEqual([
      'user.add admin',
      'user.add viborg',
      'token.create 1',
      'import v.csv',
      'token.revoke 1',
      'region-right.grant 1082',
      'user.set-password viborg',
      'user.disable viborg',
    ]);
    expect(all[0].actor).toMatch(/^cli:/);
    expect(all[3]).toMatchObject({ actor: 'viborg', actorUnit: '791', via: 'token:1', outcome: 'ok' });
    expect(JSON.parse((await cli('audit', '--since', '2999-01-01', '--json')).stdout)).toEqual([]);
    const text = await cli('audit');
    expect(text.stdout).toContain('import v.csv');
    expect((await cli('audit', '--since', 'yesterday')).stderr).toContain("'yesterday' is not a date");
  }, 120_000);

  it('tells how to add the first admin when serving a store without one', async () => {
    const fresh = path.join(dir, 'fresh.duckdb');
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/pejling.js'), '--store', fresh, 'serve', '--port', '0'],
      {
        cwd: ROOT,
      },
    );
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('running at')) resolve();
      });
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(stdout).toContain('No admin yet');
    expect(stdout).toContain('users add --name admin --unit DK --role admin --password-stdin');
  }, 120_000);
});
