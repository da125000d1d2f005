// `pejling values --unit` with a unit that does not exist is an input error (exit code 1), as the API's 404 is,
// whether the CLI opens the store itself or works through a running server.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let storePath: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  storePath = path.join(dir, 'pejling.duckdb');
  expect((await runCli(['--store', storePath, 'init'])).code).toBe(0);
});
afterAll(() => cleanup());

async function expectUnknownUnit() {
  const unknown = await runCli(['--store', storePath, 'values', '--indicator', 'population', '--unit', '9999']);
  expect(unknown.code).toBe(1);
  expect(unknown.stdout).toBe('');
  expect(unknown.stderr).toContain("Unit '9999' was not found");
  expect(unknown.stderr).toContain('pejling units list');
  const known = await runCli(['--store', storePath, 'values', '--indicator', 'population', '--unit', '101']);
  expect(known.code).toBe(0);
  expect(JSON.parse(known.stdout)).toEqual([]);
}

describe('pejling values --unit with an unknown unit', () => {
  it('exits with 1 and says which unit, on the store file', async () => {
    await expectUnknownUnit();
  });

  it('exits with 1 and says which unit, through a running server', async () => {
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/pejling.js'), '--store', storePath, 'serve', '--port', '0'],
      { cwd: ROOT },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (/running at http:\/\/\S+/.test(out)) resolve();
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      await expectUnknownUnit();
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
