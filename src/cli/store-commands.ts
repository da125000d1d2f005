// `pejling store copy`: moves a whole store between a DuckDB file and a PostgreSQL database, either way.
import type { Command } from 'commander';
import { copyStore } from '../store/index.js';
import { step } from './progress.js';

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('move whole stores between DuckDB files and PostgreSQL');
  store
    .command('copy')
    .description('copy everything (values, history, imports, goal sets, …) from one store to another, verified')
    .requiredOption('--from <location>', 'the store to copy: a DuckDB file or postgres://USER:PASSWORD@HOST:PORT/DB')
    .requiredOption('--to <location>', 'the store to write: a DuckDB file or a postgres:// URL')
    .option('--force', 'replace everything in a target that already holds data')
    .action(async (options: { from: string; to: string; force?: boolean }) => {
      const report = await copyStore({ ...options, force: Boolean(options.force), onProgress: step });
      for (const t of report.tables) {
        process.stdout.write(`${t.name}: ${t.rows} rows, checksum ${t.checksum}\n`);
      }
      const rows = report.tables.reduce((n, t) => n + t.rows, 0);
      process.stdout.write(
        `Copied ${rows} rows in ${report.tables.length} tables from ${report.from} to ${report.to} ` +
          `(schema v${report.schemaVersion}), verified, in ${report.seconds.toFixed(1)} s\n`,
      );
    });
  for (const command of store.commands) command.exitOverride();
}
