import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('pejling CLI', () => {
  it('prints help listing the commands', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['init', 'catalogue', 'serve']) expect(stdout).toContain(command);
  });

  it('validates and lists the catalogue', async () => {
    const validate = await runCli(['catalogue', 'validate']);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/^Catalogue OK: \d+ goal sets/);
    const list = await runCli(['catalogue', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((s: { id: string }) => s.id)).toContain('viborg-budget-2017');
  });

  it('init creates the store named by --store or PEJLING_STORE', async () => {
    const viaOption = await runCli(['--store', path.join(dir, 'a.duckdb'), 'init']);
    expect(viaOption.code).toBe(0);
    // Denmark, 5 regions, 98 municipalities, Region Østdanmark, 19 health clusters, 21 acute hospitals.
    expect(viaOption.stdout).toContain('145 units loaded');
    const viaEnv = await runCli(['init'], { PEJLING_STORE: path.join(dir, 'b.duckdb') });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain(path.join(dir, 'b.duckdb'));
  });

  it('exits 1 with the file, path and reason for a broken catalogue', async () => {
    const catalogue = path.join(dir, 'catalogue');
    await cp(path.join(ROOT, 'catalogue'), catalogue, { recursive: true });
    const file = path.join(catalogue, 'indicators.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('polarity: higher-is-better', 'polarity: up'));
    const { code, stderr } = await runCli(['--catalogue', catalogue, 'catalogue', 'validate']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/indicators\.yaml at indicators\[\d+\]\.polarity: Invalid option/);
  });

  it('exits 1 on an unknown command or a bad port', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(1);
    const badPort = await runCli(['--store', path.join(dir, 'c.duckdb'), 'serve', '--port', 'eighty']);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain("'eighty' is not a port number");
  });
});
