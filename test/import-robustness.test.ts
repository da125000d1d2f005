// Random bytes and mutated real files never crash a parser or hang; they give a clear error or a report.
// A killed import leaves the store as it was; a running server's lock gives a clear message.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/domain/errors.js';
import { importAggregates } from '../src/ingest/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { catalogueStore, ROOT, runCli, tempDir, writeLongWaitingTimeCsv } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ store, cleanup } = await catalogueStore()));
afterAll(() => cleanup());

const EXAMPLES = [
  'patient-satisfaction-long-danish.csv',
  'waiting-time-wide-dst.csv',
  'life-expectancy.json',
  'cancer-survival.xlsx',
  'clinical-quality-international.csv',
];

async function outcome(name: string, bytes: Uint8Array): Promise<'report' | 'user-error'> {
  try {
    const report = await importAggregates(store, name, bytes, {
      dryRun: true,
      indicator: 'waiting-time-planned-surgery',
    });
    for (const p of report.problems) {
      expect(p.row).toBeGreaterThanOrEqual(1);
      expect(p.reason.length).toBeGreaterThan(5);
    }
    return 'report';
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message.length).toBeGreaterThan(5);
    return 'user-error';
  }
}

describe('fuzzing the parsers', () => {
  it('random bytes under every file name give a report or a clear error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 2000 }),
        fc.constantFrom('x.csv', 'x.json', 'x.xlsx', 'x.bin'),
        async (bytes, name) => {
          await outcome(name, bytes);
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('mutated real files give a report or a clear error', async () => {
    const files = await Promise.all(
      EXAMPLES.map(async (name) => ({
        name,
        bytes: new Uint8Array(await readFile(path.join(ROOT, 'examples', name))),
      })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        async (file, flips, cut) => {
          const bytes = new Uint8Array(file.bytes);
          for (const [at, byte] of flips) bytes[at % bytes.length] = byte;
          await outcome(file.name, bytes.subarray(0, Math.max(1, bytes.length - (cut % 50))));
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('atomic writes', () => {
  it('leaves the store unchanged when an import is killed half-way (SIGKILL)', async () => {
    const { dir, cleanup: done } = await tempDir();
    try {
      const storePath = path.join(dir, 'kill.duckdb');
      expect((await runCli(['--store', storePath, 'init'])).code).toBe(0);
      // 388,080 valid values (periods within 1990-2100), so that the write itself takes a while.
      const file = path.join(dir, 'big.csv');
      const lines = await writeLongWaitingTimeCsv(file);
      const before = await openStore(storePath);
      const infoBefore = await before.info();
      await before.close();

      const child = spawn(process.execPath, [path.join(ROOT, 'bin/pejling.js'), '--store', storePath, 'import', file], {
        stdio: 'ignore',
      });
      // Registered first, so that an import quicker than the delay is not waited for forever.
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await Promise.race([exited, setTimeout(1500)]);
      child.kill('SIGKILL');
      await exited;

      const after = await openStore(storePath);
      try {
        const info = await after.info();
        // Either the import had not committed (nothing) or it had finished entirely: never half.
        expect([infoBefore.valueCount, infoBefore.valueCount + lines.length - 1]).toContain(info.valueCount);
        expect(await after.listImports()).toHaveLength(info.valueCount === infoBefore.valueCount ? 0 : 1);
      } finally {
        await after.close();
      }
    } finally {
      await done();
    }
  }, 120_000);
});
