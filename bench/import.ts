// Benchmark of aggregate imports: `npm run bench:import -- --rows N` (default 1,000,000). Writes a Danish CSV of
// N values (with `--format xlsx` the same values as an XLSX workbook, numbers as number cells), then times a first import (all new), the same file again (nothing changes) and a dry run, each with
// the time of its steps (those of the worker thread indented) and the peak memory of the process (worker included).
// The file is imported from disk, as `pejling import` does.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../src/catalogue/index.js';
import { AGE_GROUPS } from '../src/domain/index.js';
import { importAggregates } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, format: { type: 'string', default: 'csv' } },
});
const wanted = Number(values.rows);
const format = values.format === 'xlsx' ? 'xlsx' : 'csv';
const dir = await mkdtemp(path.join(tmpdir(), 'pejling-bench-import-'));
const catalogue = await loadCatalogue();
const units = catalogue.units.map((u) => u.code);
// Periods must lie in 1990-2100: months from 1990 on, every unit, by sex, education and age group.
const breakdowns = [
  'total',
  'sex:M',
  'sex:F',
  'education:basic',
  'education:vocational',
  'education:higher',
  ...AGE_GROUPS.map((a) => `age_group:${a}`),
];
// Written a year at a time, so that the benchmark's own memory stays that of the file's bytes.
const file = path.join(dir, 'values.csv');
await writeFile(file, 'indikator;enhed;periode;opdeling;værdi\n');
let rows = 0;
for (let year = 1990; year <= 2100 && rows < wanted; year++) {
  const lines: string[] = [];
  for (let m = 1; m <= 12; m++) {
    for (const unit of units) {
      for (const b of breakdowns) {
        if (rows >= wanted) break;
        rows++;
        lines.push(
          `waiting-time-planned-surgery;${unit};${year}M${String(m).padStart(2, '0')};${b};${((year * 7 + m * 3 + unit.length) % 900) / 10}`.replace(
            '.',
            ',',
          ),
        );
      }
    }
  }
  await appendFile(file, `${lines.join('\n')}\n`);
}
// The workbook is written as a stream from the CSV's lines, a row at a time.
const imported = format === 'xlsx' ? path.join(dir, 'values.xlsx') : file;
if (format === 'xlsx') {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: imported, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Tal');
  const { createInterface } = await import('node:readline');
  const { createReadStream } = await import('node:fs');
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const cells: (string | number)[] = line.split(';');
    if (!header) cells[4] = Number(String(cells[4]).replace(',', '.'));
    header = false;
    sheet.addRow(cells).commit();
  }
  sheet.commit();
  await workbook.commit();
}
const { size } = await stat(imported);
const store = await openStore(path.join(dir, 'bench.duckdb'));
await store.replaceCatalogue(catalogue);

let peak = 0;
let stepPeak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  stepPeak = Math.max(stepPeak, rss);
}, 20);
const run = async (label: string, dryRun: boolean) => {
  peak = 0;
  stepPeak = 0;
  console.log(`  (memory before: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB)`);
  const t0 = performance.now();
  const steps: string[] = [];
  const report = await importAggregates(
    store,
    path.basename(imported),
    { path: imported },
    {
      dryRun,
      actor: 'bench',
      onStepTime: (step, s) => {
        // Worker steps (indented) arrive together at its end: their memory is in the worker's own line.
        const memory = step.startsWith(' ') ? '' : `  peak ${(stepPeak / 1024 / 1024).toFixed(0)} MB`;
        steps.push(`    ${step.padEnd(40)} ${s.toFixed(2)} s${memory}`);
        if (!step.startsWith(' ')) stepPeak = 0;
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(28)} ${seconds.toFixed(2)} s  ${Math.round(report.rowsInFile / seconds).toLocaleString('en')} rows/s  peak ${(peak / 1024 / 1024).toFixed(0)} MB  ` +
      `(new ${report.diff?.inserted}, changed ${report.diff?.changed}, unchanged ${report.diff?.unchanged}, problems ${report.problems.length})`,
  );
  for (const line of steps) console.log(line);
};
console.log(
  `Import of ${rows.toLocaleString('en')} rows (${(size / 1024 / 1024).toFixed(1)} MB ${format === 'xlsx' ? 'XLSX workbook' : 'Danish CSV'})`,
);
await run('first import (all new)', false);
await run('same file again (no change)', false);
await run('dry run', true);
clearInterval(sampler);
await store.close();

// The same three as `pejling import` runs them: the built command in a process of its own, without this
// benchmark's file writing or its TypeScript loader (in it and in the reading thread). Its peak is the kernel's
// high-water mark of the process's resident set (VmHWM), read until it exits.
const cli = path.join(import.meta.dirname, '..', 'bin', 'pejling.js');
if (existsSync(path.join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'))) {
  const cliStore = path.join(dir, 'cli.duckdb');
  const pejling = (args: string[]) =>
    new Promise<{ seconds: number; peak: number; code: number | null; output: string }>((resolve) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, [cli, '--store', cliStore, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      let peak = 0;
      const read = () => {
        try {
          const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
          if (kb) peak = Math.max(peak, Number(kb) * 1024);
        } catch {}
      };
      const timer = setInterval(read, 10);
      child.on('exit', (code) => {
        clearInterval(timer);
        resolve({ seconds: (performance.now() - t0) / 1000, peak, code, output });
      });
    });
  const init = await pejling(['init']);
  if (init.code !== 0) throw new Error(init.output);
  console.log('As `pejling import` (the built command, a process of its own; time includes its start):');
  for (const [label, extra] of [
    ['first import (all new)', []],
    ['same file again (no change)', []],
    ['dry run', ['--dry-run']],
  ] as const) {
    const result = await pejling(['import', imported, '--actor', 'bench', ...extra]);
    if (result.code !== 0) throw new Error(result.output);
    console.log(
      `${label.padEnd(28)} ${result.seconds.toFixed(2)} s  peak ${(result.peak / 1024 / 1024).toFixed(0)} MB`,
    );
  }
} else console.log('(run `npm run build` first to measure the built `pejling import` too)');
await rm(dir, { recursive: true, force: true });
