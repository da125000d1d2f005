// `pejling import`, `history`, `backup` and `restore`.

import { createHash } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { access, copyFile, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { cliActor, recordAudit } from '../auth/index.js';
import { UserError } from '../domain/errors.js';
import {
  copyStore,
  openStore,
  openStoreOrServer,
  redactLocation,
  resolveStorePath,
  storeKindOf,
} from '../store/index.js';
import { openCommandStore } from './command-store.js';
import type { GlobalOptions } from './main.js';
import { stepProgress } from './progress.js';

/** Files from this size on show progress while they are imported. */
const LARGE_IMPORT_BYTES = 5 * 1024 * 1024;

interface ImportCliOptions {
  indicator?: string;
  dryRun?: boolean;
  sheet?: string;
  delimiter?: string;
  decimal?: string;
  encoding?: string;
  reportJson?: string;
  actor?: string;
  note?: string;
}

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('import aggregate values from CSV (Danish or international), XLSX or JSON, long or wide layout')
    .argument('<file>', 'the file to import')
    .option('--indicator <id>', 'indicator for files without an indicator column')
    .option('--dry-run', 'validate and show what would change, write nothing')
    .option('--sheet <name>', 'XLSX sheet (default: the first)')
    .option('--delimiter <char>', "CSV separator: ';', ',' or 'tab' (default: detected)")
    .option('--decimal <mark>', "decimal mark: ',' or '.' (default: ',' with ';' separators, else '.')")
    .option('--encoding <name>', 'utf-8 or windows-1252 (default: detected)')
    .option('--report-json <file>', 'also write the report as JSON')
    .option('--actor <name>', 'who imports (default: the user name)')
    .option('--note <text>', 'a note kept with the revision')
    .action(async (file: string, options: ImportCliOptions) => {
      const delimiter = options.delimiter === 'tab' ? '\t' : options.delimiter;
      if (delimiter !== undefined && ![';', ',', '\t'].includes(delimiter))
        throw new UserError(`--delimiter must be ';', ',' or 'tab'; got '${delimiter}'`);
      if (options.decimal !== undefined && options.decimal !== ',' && options.decimal !== '.')
        throw new UserError(`--decimal must be ',' or '.'; got '${options.decimal}'`);
      if (options.encoding !== undefined && options.encoding !== 'utf-8' && options.encoding !== 'windows-1252') {
        throw new UserError(`--encoding must be utf-8 or windows-1252; got '${options.encoding}'`);
      }
      // The file is read where it lies (never whole into memory): it should not change while it is imported.
      let size: number;
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        await access(file, constants.R_OK);
        size = info.size;
      } catch {
        throw new UserError(`Cannot read ${file}`, { hint: 'Check the path.' });
      }
      const store = await openCommandStore(program.opts<GlobalOptions>().store);
      const progress = size >= LARGE_IMPORT_BYTES ? stepProgress('Importing') : undefined;
      try {
        const { formatImportReport, importAggregates } = await import('../ingest/index.js');
        const report = await importAggregates(
          store,
          path.basename(file),
          { path: file },
          {
            ...(options.indicator ? { indicator: options.indicator } : {}),
            ...(options.sheet ? { sheet: options.sheet } : {}),
            ...(delimiter ? { delimiter: delimiter as ';' | ',' | '\t' } : {}),
            ...(options.decimal ? { decimal: options.decimal as ',' | '.' } : {}),
            ...(options.encoding ? { encoding: options.encoding as 'utf-8' | 'windows-1252' } : {}),
            dryRun: Boolean(options.dryRun),
            actor: options.actor ?? os.userInfo().username,
            ...(options.note ? { note: options.note } : {}),
            // Progress only where it helps: files that take more than a few seconds.
            ...(progress ? { onProgress: progress } : {}),
          },
        );
        progress?.('Done', 1);
        if (!report.dryRun)
          await recordAudit(store, cliActor(), {
            action: 'import',
            subject: report.file,
            outcome: report.problems.length > 0 ? 'failed' : 'ok',
            details: {
              sha256: report.sha256,
              importId: report.importId,
              rowsInFile: report.rowsInFile,
              problems: report.problems.length,
              ...(report.diff
                ? { inserted: report.diff.inserted, changed: report.diff.changed, unchanged: report.diff.unchanged }
                : {}),
            },
          });
        if (options.reportJson) await writeFile(options.reportJson, `${JSON.stringify(report, null, 2)}\n`);
        const text = formatImportReport(report);
        if (report.problems.length > 0) {
          throw new UserError(text.split('\n').slice(1, 2).join(''), {
            details: text
              .split('\n')
              .slice(2)
              .map((l) => l.trim()),
          });
        }
        process.stdout.write(`${text}\n`);
      } finally {
        await store.close();
      }
    });

  program
    .command('history')
    .description("show a value's revisions (every imported version, newest first)")
    .requiredOption('--indicator <id>', 'indicator id')
    .option('--unit <code>', 'unit code')
    .option('--period <p>', 'period')
    .option('--json', 'print JSON')
    .action(async (options: { indicator: string; unit?: string; period?: string; json?: boolean }) => {
      const store = await openCommandStore(program.opts<GlobalOptions>().store);
      try {
        const history = await store.valueHistory({
          indicator: options.indicator,
          ...(options.unit ? { unit: options.unit } : {}),
          ...(options.period ? { period: options.period } : {}),
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
          return;
        }
        if (history.length === 0) process.stdout.write('No imported revisions.\n');
        for (const h of history) {
          process.stdout.write(
            `${h.unit} ${h.period} ${h.breakdown}: ${h.value ?? '(suppressed)'} — revision ${h.importId}, ${h.recordedAt}, ${h.actor}, ${h.fileName} (${h.sha256.slice(0, 12)}…)${h.note ? `, "${h.note}"` : ''}${h.current ? ' [current]' : ''}\n`,
          );
        }
      } finally {
        await store.close();
      }
    });

  program
    .command('backup')
    .description('copy the whole store to a file (from PostgreSQL: a verified copy into a DuckDB store file)')
    .argument('<file>', 'backup file to write')
    .action(async (file: string) => {
      const storePath = resolveStorePath(program.opts<GlobalOptions>().store);
      if (storeKindOf(storePath) === 'postgres') {
        // A consistent snapshot of every table, while servers keep running; the file is a DuckDB store.
        const report = await copyStore({ from: storePath, to: file, force: true });
        const rows = report.tables.reduce((n, t) => n + t.rows, 0);
        process.stdout.write(`Backed up ${report.from} to ${file} (${rows} rows, verified)\n`);
        return;
      }
      if (!existsSync(storePath)) throw new UserError(`There is no store at ${storePath}`);
      // The store copies its own file while its writes wait (through the running server, if one holds it).
      const { store, throughServer } = await openStoreOrServer(storePath);
      try {
        if (!store.backupTo) throw new UserError(`The store ${storePath} cannot be backed up as a file`);
        await store.backupTo(path.resolve(file));
      } finally {
        await store.close();
      }
      process.stdout.write(
        `Backed up ${storePath} to ${file}${throughServer ? ' (through the running server)' : ''}\n`,
      );
    });

  program
    .command('restore')
    .description(
      'replace the store with a backup (a DuckDB store is kept as .before-restore; PostgreSQL is replaced in one transaction)',
    )
    .argument('<file>', 'backup file to restore')
    .action(async (file: string) => {
      const storePath = resolveStorePath(program.opts<GlobalOptions>().store);
      if (!existsSync(file)) throw new UserError(`There is no backup file ${file}`, { hint: 'Check the path.' });
      const check = await openStore(file).catch((error: unknown) => {
        throw new UserError(`${file} is not a Pejling store backup: ${(error as Error).message.split('\n')[0]}`);
      });
      const info = await check.info();
      await check.close();
      if (storeKindOf(storePath) === 'postgres') {
        await copyStore({ from: file, to: storePath, force: true });
        process.stdout.write(
          `Restored ${file} to ${redactLocation(storePath)} (schema v${info.schemaVersion}, ${info.valueCount} values)\n`,
        );
        return;
      }
      let replacedVersion = 0;
      if (existsSync(storePath)) {
        const current = await openStore(storePath); // fails clearly while a server holds it
        replacedVersion = await current.dataVersion();
        await current.close();
        await rename(storePath, `${storePath}.before-restore`);
      }
      await copyFile(file, storePath);
      // The restored data gets a version never used before, so no prepared answer or ETag outlives it.
      const restored = await openStore(storePath);
      await restored.advanceDataVersion(Math.max(replacedVersion, await restored.dataVersion()));
      await restored.checkpoint();
      await recordAudit(restored, cliActor(), {
        action: 'restore',
        subject: path.basename(file),
        outcome: 'ok',
        details: {
          sha256: createHash('sha256')
            .update(await readFile(file))
            .digest('hex'),
          values: info.valueCount,
        },
      });
      await restored.close();
      process.stdout.write(
        `Restored ${file} to ${storePath} (schema v${info.schemaVersion}, ${info.valueCount} values)\n`,
      );
    });
}
