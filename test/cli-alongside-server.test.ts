// The CLI on a DuckDB store that a running `pejling serve` holds: commands run through the server's store
// channel (a unix socket only the server's user may open), and a killed server's socket blocks nothing.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelPathFor, openStore } from '../src/store/index.js';
import { ROOT, runCli, tempDir } from './helpers.js';

const EXAMPLE = path.join(ROOT, 'examples/life-expectancy.json');
const THROUGH_SERVER = /is held by a running server; working through it/;

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

/** Starts `pejling serve` on a free port as its own process and waits until it answers. */
async function serve(storePath: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/pejling.js'), '--store', storePath, 'serve', '--port', '0'],
    {
      cwd: ROOT,
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { child, url };
}

async function stop(served: Served, signal: NodeJS.Signals): Promise<void> {
  if (served.child.exitCode !== null) return;
  const exited = new Promise((resolve) => served.child.on('exit', resolve));
  served.child.kill(signal);
  await exited;
}

/** A raw call on the channel socket, as any local process could send it. */
function rawCall(socket: string, body: string): Promise<{ ok: boolean; error?: { message: string } }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: socket, path: '/call', method: 'POST' }, (response) => {
      let text = '';
      response.on('data', (d) => (text += d));
      response.on('end', () => resolve(JSON.parse(text)));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('the CLI while a server holds the DuckDB store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;
  let served: Served;
  const expected = new Map<string, number>();

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'served.duckdb');
    expect((await runCli(['--store', storePath, 'init'])).code).toBe(0);
    // The values the example file holds for Denmark, read from the file itself.
    const rows = JSON.parse(await readFile(EXAMPLE, 'utf8')) as { unit: string; breakdown: string; value: number }[];
    for (const row of rows) if (row.unit === 'DK') expected.set(row.breakdown, row.value);
    served = await serve(storePath);
  }, 120_000);

  afterAll(async () => {
    if (served) await stop(served, 'SIGTERM');
    await cleanup();
  });

  it('offers the store on a socket only its user may open', async () => {
    const { dir: channelDir, socket } = channelPathFor(storePath);
    expect((await stat(channelDir)).mode & 0o777).toBe(0o700);
    expect((await stat(socket)).mode & 0o777).toBe(0o600);
  });

  it('imports through the server, which serves the new values at once', async () => {
    const before = await fetch(`${served.url}/api/indicators/life-expectancy/values?unit=DK`);
    expect(await before.json()).toEqual([]);

    const result = await runCli(['--store', storePath, 'import', EXAMPLE, '--actor', 'operator']);
    expect(result.stderr).toMatch(THROUGH_SERVER);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wrote: 4 new, 0 changed, 0 unchanged values');

    const after = await fetch(`${served.url}/api/indicators/life-expectancy/values?unit=DK`);
    const rows = (await after.json()) as { breakdown: string; value: number }[];
    expect(new Map(rows.map((r) => [r.breakdown, r.value]))).toEqual(expected);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));

    const imports = (await (await fetch(`${served.url}/api/imports`)).json()) as { actor: string }[];
    expect(imports.map((i) => i.actor)).toEqual(['operator']);
  });

  it('reads values through the server', async () => {
    const result = await runCli(['--store', storePath, 'values', '--indicator', 'life-expectancy', '--unit', 'DK']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { breakdown: string; value: number }[];
    expect(new Map(rows.map((r) => [r.breakdown, r.value]))).toEqual(expected);
  });

  it('backs the store up through the server, and refuses to restore under it', async () => {
    const backup = path.join(dir, 'backup.duckdb');
    const result = await runCli(['--store', storePath, 'backup', backup]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('through the running server');
    const copy = await openStore(backup);
    try {
      const rows = await copy.queryValues({ indicator: 'life-expectancy', unit: 'DK' });
      expect(new Map(rows.map((r) => [r.breakdown, r.value]))).toEqual(expected);
    } finally {
      await copy.close();
    }

    const restore = await runCli(['--store', storePath, 'restore', backup]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('is in use by another Pejling process');
    expect(restore.stderr).toContain('`restore` and `store copy` need the server stopped');
  });

  it('reports a bad file through the server exactly as without one', async () => {
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'indicator,unit,period,breakdown,value\nlife-expectancy,9999,2023,total,80\n');
    const result = await runCli(['--store', storePath, 'import', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('9999');
    expect(result.stderr).not.toContain('internal error');
  });

  it('adds an admin and a token while serving, and the server accepts the token at once', async () => {
    expect(
      (await runCli(['--store', storePath, 'users', 'add', '--name', 'ops', '--unit', 'DK', '--role', 'admin'])).code,
    ).toBe(0);
    const created = await runCli(['--store', storePath, 'tokens', 'create', '--user', 'ops']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) ?? '';
    const users = await fetch(`${served.url}/api/users`, { headers: { Authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    expect(((await users.json()) as { name: string }[]).map((u) => u.name)).toContain('ops');
  });

  it('offers only the Store interface on the socket', async () => {
    const { socket } = channelPathFor(storePath);
    for (const method of ['close', 'rows', 'writerRows', 'accounts.constructor', 'constructor']) {
      const answer = await rawCall(socket, JSON.stringify({ method, args: [] }));
      expect(answer.ok).toBe(false);
      expect(answer.error?.message).toContain('is not a Store method the channel offers');
    }
    expect((await rawCall(socket, '{"method":')).ok).toBe(false);
    // The server still serves after those calls.
    expect((await fetch(`${served.url}/api/org-units`)).status).toBe(200);
  });

  it('a killed server leaves its socket behind, which blocks neither the CLI nor the next server', async () => {
    await stop(served, 'SIGKILL');
    const { socket } = channelPathFor(storePath);
    expect((await stat(socket)).isSocket()).toBe(true);

    const direct = await runCli(['--store', storePath, 'values', '--indicator', 'life-expectancy', '--unit', 'DK']);
    expect(direct.code).toBe(0);
    expect(direct.stderr).not.toMatch(THROUGH_SERVER);
    expect((JSON.parse(direct.stdout) as unknown[]).length).toBe(expected.size);

    served = await serve(storePath);
    const again = await runCli(['--store', storePath, 'history', '--indicator', 'life-expectancy', '--unit', 'DK']);
    expect(again.stderr).toMatch(THROUGH_SERVER);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('81.4');
  }, 60_000);
});
