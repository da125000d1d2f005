// `pejling demo-data` and `pejling compute`.
import type { Command } from 'commander';
import { UserError } from '../domain/errors.js';
import { openCommandStore } from './command-store.js';
import type { GlobalOptions } from './main.js';
import { progressBar, stepProgress } from './progress.js';

function parseYears(text: string): { fromYear: number; toYear: number } {
  const match = /^(\d{4})-(\d{4})$/.exec(text.trim());
  if (!match) throw new UserError(`--years must look like 2015-2025; got '${text}'`);
  return { fromYear: Number(match[1]), toYear: Number(match[2]) };
}

/** `2024` or `2023-2024` as a range of years. */
function parseYearRange(text: string): { from: number; to: number } {
  const match = /^(\d{4})(?:-(\d{4}))?$/.exec(text.trim());
  if (!match) throw new UserError(`--years must look like 2024 or 2023-2024; got '${text}'`);
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (to < from) throw new UserError(`--years must run from an earlier to a later year; got '${text}'`);
  return { from, to };
}

function parseWhole(name: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 0) throw new UserError(`--${name} must be a whole number; got '${text}'`);
  return n;
}

interface ComputeCommandOptions {
  data: string;
  indicator?: string[];
  years?: string;
  memoryLimit?: string;
  tempDir?: string;
  threads?: string;
}

function parsePositive(name: string, text: string): number {
  const n = parseWhole(name, text);
  if (n < 1) throw new UserError(`--${name} must be at least 1; got '${text}'`);
  return n;
}

export function registerDataCommands(program: Command): void {
  program
    .command('demo-data')
    .description('write a synthetic record-level registry (population, persons, hospital_courses, deaths)')
    .requiredOption('--out <dir>', 'folder to write the tables to')
    .option('--persons <n>', 'number of persons', '100000')
    .option('--years <from-to>', 'years to cover', '2015-2025')
    .option('--seed <n>', 'random seed (same seed, same data)', '1')
    .option('--format <csv|parquet>', 'file format', 'csv')
    .action(async (options: { out: string; persons: string; years: string; seed: string; format: string }) => {
      const opts = program.opts<GlobalOptions>();
      if (options.format !== 'csv' && options.format !== 'parquet')
        throw new UserError(`--format must be csv or parquet; got '${options.format}'`);
      const { writeSyntheticRegistry } = await import('../engine/synthetic-registry.js');
      const summary = await writeSyntheticRegistry({
        outDir: options.out,
        persons: parseWhole('persons', options.persons),
        seed: parseWhole('seed', options.seed),
        ...parseYears(options.years),
        catalogueDir: opts.catalogue,
        format: options.format,
        onProgress: progressBar('Persons'),
      });
      process.stdout.write(
        `Wrote ${summary.persons} persons, ${summary.courses} hospital courses, ${summary.deaths} deaths and ` +
          `${summary.populationRows} population rows to ${options.out} in ${summary.seconds.toFixed(1)} s\n`,
      );
    });

  program
    .command('demo-aggregates')
    .description('import synthetic values (marked synthetic) for every imported indicator, for a demo')
    .option('--years <from-to>', 'years to cover', '2015-2025')
    .option('--seed <n>', 'random seed (same seed, same data)', '1')
    .action(async (options: { years: string; seed: string }) => {
      const opts = program.opts<GlobalOptions>();
      const store = await openCommandStore(opts.store);
      try {
        if ((await store.listIndicators()).length === 0) {
          throw new UserError('The store has no catalogue yet', { hint: 'Run `pejling init` first.' });
        }
        const { formatImportReport, importSyntheticAggregates } = await import('../ingest/index.js');
        const report = await importSyntheticAggregates(store, {
          ...parseYears(options.years),
          seed: parseWhole('seed', options.seed),
          ...(opts.catalogue ? { catalogueDir: opts.catalogue } : {}),
        });
        process.stdout.write(`${formatImportReport(report)}\n`);
      } finally {
        await store.close();
      }
    });

  program
    .command('compute')
    .description('compute every register indicator from record-level data and store the values')
    .requiredOption('--data <dir>', 'folder with population, persons, hospital_courses (and deaths) as CSV or Parquet')
    .option('--indicator <id...>', 'only these indicators')
    .option('--years <from-to>', 'only the periods of these years, e.g. 2024 or 2023-2024; other values stay')
    .option('--memory-limit <size>', "memory the computation may use, e.g. 6GB (default: a quarter of the machine's)")
    .option('--temp-dir <dir>', 'folder for spill files beyond the memory limit (default: beside the store)')
    .option('--threads <n>', 'worker threads (default: one per core)')
    .action(async (options: ComputeCommandOptions) => {
      const opts = program.opts<GlobalOptions>();
      const store = await openCommandStore(opts.store);
      try {
        if ((await store.listIndicators()).length === 0) {
          throw new UserError('The store has no catalogue yet', { hint: 'Run `pejling init` first.' });
        }
        const { computeRegisterIndicators, parseMemoryLimit } = await import('../engine/index.js');
        const summary = await computeRegisterIndicators({
          store,
          dataDir: options.data,
          catalogueDir: opts.catalogue,
          ...(options.indicator ? { indicators: options.indicator } : {}),
          ...(options.years ? { years: parseYearRange(options.years) } : {}),
          ...(options.memoryLimit ? { memoryLimit: parseMemoryLimit(options.memoryLimit) } : {}),
          ...(options.tempDir ? { tempDir: options.tempDir } : {}),
          ...(options.threads ? { threads: parsePositive('threads', options.threads) } : {}),
          onProgress: stepProgress('Computing'),
        });
        for (const i of summary.indicators) {
          process.stdout.write(`${i.id}: ${i.rows} values (${i.suppressed} suppressed) in ${i.seconds.toFixed(2)} s\n`);
        }
        process.stdout.write(
          `Computed ${summary.indicators.length} indicators${options.years ? ` for ${options.years}` : ''} in ${summary.seconds.toFixed(1)} s\n`,
        );
      } finally {
        await store.close();
      }
    });
}
