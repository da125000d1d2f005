// Kills imports with SIGKILL at the moment DuckDB writes their commit, and reports what the store holds when it is
// opened again: `npm run bench:wal-kill -- --tries 20`. Each try imports the same file of 388,080 new values into a
// copy of one freshly initialised store; the parent polls the size of the `.wal` file as fast as it can and kills
// the child as soon as the file grows (`--growth N`: at the N-th growth, or `A-B`: drawn per try). `--watch file`
// watches the store file instead (commits by checkpoint write there, not to the log), `--delay A-B` kills after a
// random delay in ms instead, `--changes` imports the file once before so that the killed import changes every
// value. The reopened store is read raw, straight through DuckDB (what the crash left on disk), and (unless
// `--raw`) again after Pejling's own open (its integrity check). Each is classified as `before` (nothing of the
// import), `after` (the whole import) or `torn` (anything else), with the row counts per table.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStore } from '../src/store/index.js';
import { writeLongWaitingTimeCsv } from '../test/helpers.js';

const { values: args } = parseArgs({
  options: {
    tries: { type: 'string', default: '10' },
    growth: { type: 'string', default: '1' },
    raw: { type: 'boolean', default: false },
    // Kill after a random delay in [from, to] ms instead of at a WAL growth, e.g. `--delay 1500-4000`.
    delay: { type: 'string' },
    // Watch the database file itself instead of its WAL (`--watch file`): with commits by checkpoint, the file
    // grows while the import writes its rows ahead and again while the commit's checkpoint writes.
    watch: { type: 'string', default: 'wal' },
    // Import the file once before, so that the killed import changes every value (deletes and inserts).
    changes: { type: 'boolean', default: false },
  },
});
const tries = Number(args.tries);
// `--growth A-B`: a growth drawn at random in [A, B] for each try.
const [growthFrom = 1, growthTo = growthFrom] = args.growth.split('-').map(Number);
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin/pejling.js');

interface Counts {
  values: number;
  history: number;
  imports: number;
  dataVersion: number;
  duplicates: number;
}

const COUNT_SQL = `SELECT (SELECT count(*) FROM indicator_values) AS "values",
  (SELECT count(*) FROM value_history) AS history, (SELECT count(*) FROM imports) AS imports,
  (SELECT version FROM data_version WHERE id = 1) AS "dataVersion",
  (SELECT count(*) FROM (SELECT 1 FROM indicator_values GROUP BY indicator_id, unit_code, period, breakdown
    HAVING count(*) > 1)) AS duplicates`;

async function rawCounts(file: string): Promise<Counts> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    const [row] = (await connection.runAndReadAll(COUNT_SQL)).getRowObjectsJS();
    return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)])) as unknown as Counts;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function run(cmd: string[], quiet = true): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...cmd], { stdio: quiet ? 'ignore' : 'inherit' });
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

function sizeOf(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? -1;
}

const dir = await mkdtemp(path.join(tmpdir(), 'pejling-wal-kill-'));
try {
  const pristine = path.join(dir, 'pristine.duckdb');
  if ((await run(['--store', pristine, 'init'])) !== 0) throw new Error('init failed');
  const csv = path.join(dir, 'big.csv');
  const lines = await writeLongWaitingTimeCsv(csv);
  const rows = lines.length - 1;
  if (args.changes) {
    if ((await run(['--store', pristine, 'import', csv])) !== 0) throw new Error('first import failed');
    await writeFile(csv, `${lines.map((l, i) => (i === 0 ? l : `${l}5`)).join('\n')}\n`);
  }
  const before = await rawCounts(pristine);
  console.log(
    `store before: ${JSON.stringify(before)}; importing ${rows} values; kill at ${args.watch} growth ${args.growth}`,
  );

  const added = args.changes ? 0 : rows;
  // The data version counts as part of the import on disk; a repair on open bumps it, so there it is left out.
  const classify = (c: Counts, opened = false) =>
    c.duplicates > 0
      ? 'torn'
      : c.values === before.values && c.history === before.history && c.imports === before.imports
        ? opened || c.dataVersion === before.dataVersion
          ? 'before'
          : 'torn'
        : c.values === before.values + added && c.history === before.history + rows && c.imports === before.imports + 1
          ? 'after'
          : 'torn';
  const tally: Record<string, number> = {};
  for (let t = 1; t <= tries; t++) {
    const file = path.join(dir, `try-${t}.duckdb`);
    await copyFile(pristine, file);
    const wal = `${file}.wal`;
    const watched = args.watch === 'file' ? file : wal;
    const child = spawn(process.execPath, [CLI, '--store', file, 'import', csv], { stdio: 'ignore' });
    let exited = false;
    const done = new Promise<void>((resolve) =>
      child.on('exit', () => {
        exited = true;
        resolve();
      }),
    );
    // Poll synchronously in bursts of 20 ms (the event loop runs between them, to notice the child's exit): stat
    // the WAL until it has grown `growthToKill` times.
    let last = sizeOf(watched);
    let growths = 0;
    const growthToKill = growthFrom + Math.floor(Math.random() * (growthTo - growthFrom + 1));
    let killedAt = -1;
    const started = performance.now();
    let killedAfter = -1;
    const [from = 0, to = 0] = (args.delay ?? '').split('-').map(Number);
    const killAt = args.delay ? started + from + Math.random() * (to - from) : Number.POSITIVE_INFINITY;
    poll: while (!exited) {
      const until = performance.now() + 20;
      while (performance.now() < until) {
        const size = sizeOf(watched);
        if (performance.now() >= killAt) {
          child.kill('SIGKILL');
          killedAfter = performance.now() - started;
          killedAt = size;
          break poll;
        }
        if (!args.delay && size > last && size > 0 && ++growths >= growthToKill) {
          child.kill('SIGKILL');
          killedAfter = performance.now() - started;
          killedAt = size;
          break poll;
        }
        last = size;
      }
      await setImmediate();
    }
    await done;
    const raw = await rawCounts(file);
    let opened = '';
    if (!args.raw) {
      const store = await openStore(file);
      await store.close();
      const again = await rawCounts(file);
      opened = ` → after Pejling opens it: ${classify(again, true)} ${JSON.stringify(again)}`;
      const key = `pejling:${classify(again, true)}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    const key = `raw:${classify(raw)}`;
    tally[key] = (tally[key] ?? 0) + 1;
    const how =
      killedAfter < 0
        ? `not killed (the import ended within ${(performance.now() - started).toFixed(0)} ms, ${growths} growths)`
        : `killed after ${killedAfter.toFixed(0)} ms at ${args.watch === 'file' ? 'file' : 'WAL'} size ${killedAt} bytes`;
    console.log(`try ${t}: ${how}; raw ${classify(raw)} ${JSON.stringify(raw)}${opened}`);
    await rm(file, { force: true });
    await rm(wal, { force: true });
  }
  console.log(`${tries} tries: ${JSON.stringify(tally)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
