// `pejling compliance import|history|shares|demo-data`: the quality plan's compliance records.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadCatalogue } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { openCommandStore } from './command-store.js';
import type { GlobalOptions } from './main.js';

interface ImportOptions {
  standard?: string;
  dryRun?: boolean;
  sheet?: string;
  delimiter?: string;
  encoding?: string;
  reportJson?: string;
  actor?: string;
  note?: string;
  synthetic?: boolean;
}

const percent = (share: number | null) =>
  share === null ? '–' : `${(share * 100).toLocaleString('da-DK', { maximumFractionDigits: 1 })} %`;

function yearOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}$/.test(text)) throw new UserError(`--year must be four digits, e.g. 2024; got '${text}'`);
  return Number(text);
}

export function registerComplianceCommands(program: Command): void {
  const compliance = program
    .command('compliance')
    .description("the quality plan: each unit's compliance with the quality standards' requirements");
  const storeOf = () => openCommandStore(program.opts<GlobalOptions>().store);

  compliance
    .command('import')
    .description(
      'import compliance records from CSV (Danish or international) or XLSX; a file with problems writes nothing',
    )
    .argument('<file>', 'the file to import')
    .option('--standard <id>', 'quality standard for files without a standard column')
    .option('--dry-run', 'validate and show what would change, write nothing')
    .option('--sheet <name>', 'XLSX sheet (default: the first)')
    .option('--delimiter <char>', "CSV separator: ';', ',' or 'tab' (default: detected)")
    .option('--encoding <name>', 'utf-8 or windows-1252 (default: detected)')
    .option('--report-json <file>', 'also write the report as JSON')
    .option('--actor <name>', 'who records the file (default: the user name)')
    .option('--note <text>', 'a note kept with the revision')
    .option('--synthetic', 'mark the records as synthetic demo data')
    .action(async (file: string, options: ImportOptions) => {
      const delimiter = options.delimiter === 'tab' ? '\t' : options.delimiter;
      if (delimiter !== undefined && ![';', ',', '\t'].includes(delimiter))
        throw new UserError(`--delimiter must be ';', ',' or 'tab'; got '${delimiter}'`);
      if (options.encoding !== undefined && options.encoding !== 'utf-8' && options.encoding !== 'windows-1252')
        throw new UserError(`--encoding must be utf-8 or windows-1252; got '${options.encoding}'`);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        throw new UserError(`Cannot read ${file}`, { hint: 'Check the path.' });
      }
      const store = await storeOf();
      try {
        const { formatComplianceReport, importCompliance } = await import('../ingest/index.js');
        const report = await importCompliance(store, path.basename(file), bytes, {
          ...(options.standard ? { standard: options.standard } : {}),
          ...(options.sheet ? { sheet: options.sheet } : {}),
          ...(delimiter ? { delimiter: delimiter as ';' | ',' | '\t' } : {}),
          ...(options.encoding ? { encoding: options.encoding as 'utf-8' | 'windows-1252' } : {}),
          dryRun: Boolean(options.dryRun),
          actor: options.actor ?? os.userInfo().username,
          ...(options.note ? { note: options.note } : {}),
          ...(options.synthetic ? { synthetic: true } : {}),
        });
        if (options.reportJson) await writeFile(options.reportJson, `${JSON.stringify(report, null, 2)}\n`);
        const text = formatComplianceReport(report);
        if (report.problems.length > 0) {
          const [, summary = '', ...rest] = text.split('\n');
          throw new UserError(summary, { details: rest.map((l) => l.trim()) });
        }
        process.stdout.write(`${text}\n`);
      } finally {
        await store.close();
      }
    });

  compliance
    .command('history')
    .description('every recorded version of compliance records, newest first')
    .requiredOption('--standard <id>', 'quality standard')
    .option('--unit <code>', 'unit code')
    .option('--requirement <n>', 'requirement number')
    .option('--year <yyyy>', 'year')
    .action(async (options: { standard: string; unit?: string; requirement?: string; year?: string }) => {
      const year = yearOption(options.year);
      const store = await storeOf();
      try {
        const history = await store.complianceHistory({
          standard: options.standard,
          ...(options.unit ? { unit: options.unit } : {}),
          ...(options.requirement ? { requirement: Number(options.requirement) } : {}),
          ...(year ? { year } : {}),
        });
        for (const r of history)
          process.stdout.write(
            `${r.unit} ${r.year} requirement ${r.requirement}: ${r.status}${r.current ? ' (current)' : ''} — revision ${r.importId}, ${r.recordedAt}, ${r.recordedBy}, ${r.fileName}${r.synthetic ? ', synthetic' : ''}\n`,
          );
        if (history.length === 0) process.stdout.write('No records match.\n');
      } finally {
        await store.close();
      }
    });

  compliance
    .command('shares')
    .description('shares of requirements met for Denmark, the regions and the health clusters in a year')
    .requiredOption('--standard <id>', 'quality standard')
    .option('--year <yyyy>', 'year (default: the latest with records)')
    .option('--json', 'print JSON')
    .action(async (options: { standard: string; year?: string; json?: boolean }) => {
      const store = await storeOf();
      try {
        const { complianceShares } = await import('../analysis/index.js');
        const shares = await complianceShares(store, options.standard, yearOption(options.year));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(shares, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${shares.standard} (edition ${shares.version}), ${shares.year}\n`);
        for (const a of shares.areas)
          process.stdout.write(
            `  ${a.name}: ${a.counts.met} of ${a.counts.total} met (${percent(a.counts.shareMet)}), ${a.counts.partlyMet} partly, ${a.counts.notMet} not met, ${a.counts.notReported} not reported\n`,
          );
      } finally {
        await store.close();
      }
    });

  compliance
    .command('demo-data')
    .description('write a synthetic compliance file (Danish CSV) for every municipality')
    .requiredOption('--out <file>', 'where to write the CSV')
    .option('--years <from-to>', 'years', '2023-2025')
    .option('--seed <n>', 'random seed', '14')
    .action(async (options: { out: string; years: string; seed: string }) => {
      const match = /^(\d{4})-(\d{4})$/.exec(options.years);
      if (!match) throw new UserError(`--years must look like 2023-2025; got '${options.years}'`);
      const catalogue = await loadCatalogue(program.opts<GlobalOptions>().catalogue);
      const { syntheticComplianceCsv } = await import('../ingest/index.js');
      const csv = syntheticComplianceCsv(
        catalogue.qualityStandards ?? [],
        catalogue.units.filter((u) => u.type === 'municipality' && u.validTo === null),
        { fromYear: Number(match[1]), toYear: Number(match[2]), seed: Number(options.seed) },
      );
      await writeFile(options.out, csv);
      process.stdout.write(`Wrote ${csv.trim().split('\n').length - 1} synthetic records to ${options.out}\n`);
    });
}
