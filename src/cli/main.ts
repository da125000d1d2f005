// The `pejling` command line: parses arguments, calls services, maps errors to exit codes (0 ok, 1 user, 2 internal).
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_CATALOGUE_DIR } from '../catalogue/index.js';
import { formatLocation, UserError } from '../domain/errors.js';
import { registerAccountCommands } from './account-commands.js';
import { registerCatalogueCommands } from './catalogue-commands.js';
import { registerComplianceCommands } from './compliance-commands.js';
import { registerDataCommands } from './data-commands.js';
import { registerImportCommands } from './import-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerServeCommands } from './serve-commands.js';
import { registerStoreCommands } from './store-commands.js';
import { registerUnitsCommands } from './units-commands.js';
import { registerValuesCommand } from './values-command.js';

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL_ERROR = 2;

export interface GlobalOptions {
  store?: string;
  catalogue: string;
}

export function buildProgram(): Command {
  const program = new Command('pejling')
    .description('Pejling: goals, targets and indicators for the Danish health system')
    .version('0.1.0')
    .addOption(
      new Option('--store <location>', 'a DuckDB file (default ./data/pejling.duckdb) or postgres://…').env(
        'PEJLING_STORE',
      ),
    )
    .option('--catalogue <dir>', 'the catalogue folder', DEFAULT_CATALOGUE_DIR)
    .showHelpAfterError()
    .exitOverride();
  registerCatalogueCommands(program);
  registerDataCommands(program);
  registerValuesCommand(program);
  registerImportCommands(program);
  registerReportCommands(program);
  registerServeCommands(program);
  registerStoreCommands(program);
  registerComplianceCommands(program);
  registerAccountCommands(program);
  registerUnitsCommands(program);
  const override = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) {
      return EXIT_OK;
    }
    return EXIT_USER_ERROR;
  }
  if (error instanceof UserError) {
    const where = formatLocation(error.location);
    process.stderr.write(`pejling: ${error.message}${where ? ` (${where})` : ''}\n`);
    for (const detail of error.details) process.stderr.write(`  - ${detail}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return EXIT_USER_ERROR;
  }
  process.stderr.write(
    `pejling: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT_INTERNAL_ERROR;
}
