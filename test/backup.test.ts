// `pejling backup` and `pejling restore` round-trip the whole store.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { runCli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function valueIn(store: string): Promise<number | null | undefined> {
  const s = await openStore(store);
  try {
    return (await s.queryValues({ indicator: 'hospital-productivity', unit: '1081', period: '2023' }))[0]?.value;
  } finally {
    await s.close();
  }
}

describe('backup and restore', () => {
  it('restores the store as it was at the backup, keeping the replaced store', async () => {
    const store = path.join(dir, 'live.duckdb');
    const backup = path.join(dir, 'backup.duckdb');
    expect((await runCli(['--store', store, 'init'])).code).toBe(0);
    await writeFile(path.join(dir, 'a.csv'), 'indicator,unit,period,value\nhospital-productivity,1081,2023,101.5\n');
    await writeFile(path.join(dir, 'b.csv'), 'indicator,unit,period,value\nhospital-productivity,1081,2023,97\n');
    expect((await runCli(['--store', store, 'import', path.join(dir, 'a.csv')])).code).toBe(0);
    const saved = await runCli(['--store', store, 'backup', backup]);
    expect(saved.code, saved.stderr).toBe(0);
    expect((await runCli(['--store', store, 'import', path.join(dir, 'b.csv')])).code).toBe(0);
    expect(await valueIn(store)).toBe(97);
    const restored = await runCli(['--store', store, 'restore', backup]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('Restored');
    expect(await valueIn(store)).toBe(101.5);
    expect(existsSync(`${store}.before-restore`)).toBe(true);
    expect(await valueIn(`${store}.before-restore`)).toBe(97);
    // The restore is in the restored store's audit trail, with the backup's SHA-256.
    const restoredStore = await openStore(store);
    const trail = await restoredStore.accounts.listAudit();
    await restoredStore.close();
    expect(trail.at(-1)).toMatchObject({
      action: 'restore',
      subject: 'backup.duckdb',
      outcome: 'ok',
      details: {
        sha256: createHash('sha256')
          .update(await readFile(backup))
          .digest('hex'),
      },
    });
    expect(trail.at(-1)?.actor).toMatch(/^cli:/);
  });

  it('refuses a file that is not a store', async () => {
    const bogus = path.join(dir, 'bogus.duckdb');
    await writeFile(bogus, 'not a database');
    const result = await runCli(['--store', path.join(dir, 'other.duckdb'), 'restore', bogus]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a Pejling store backup');
  });
});
