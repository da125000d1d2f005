// `pejling serve` and `pejling start` (init + demo data + serve, what `npm start` runs).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { startServer } from '../api/index.js';
import { loadCatalogue } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { computeRegisterIndicators } from '../engine/index.js';
import { writeSyntheticRegistry } from '../engine/synthetic-registry.js';
import { openStore, resolveStorePath, type Store } from '../store/index.js';
import type { GlobalOptions } from './main.js';
import { progressBar, step, stepProgress } from './progress.js';

/** Size of the demo registry `npm start` creates on first start (about 15 s in all). */
const DEMO_PERSONS = 100_000;

const DEFAULT_PORT = 8080;

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError(`'${text}' is not a port number`, {
      hint: 'Use --port (or PORT) with a number from 0 to 65535.',
    });
  }
  return port;
}

async function serveStore(store: Store, port: number): Promise<void> {
  try {
    const server = await startServer(store, { port });
    process.stdout.write(`Pejling is running at ${server.url}\n`);
    const stop = async () => {
      await server.close();
      await store.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    await store.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(`Port ${port} is already in use`, {
        hint: 'Choose another with --port N or PORT=N.',
      });
    }
    throw error;
  }
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the API and web app')
    .option('--port <n>', 'port to listen on (default 8080, or PORT)')
    .action(async (options: { port?: string }) => {
      const opts = program.opts<GlobalOptions>();
      const port = parsePort(options.port ?? process.env.PORT);
      const store = await openStore(resolveStorePath(opts.store));
      if ((await store.listGoalSets()).length === 0) {
        await store.replaceCatalogue(await loadCatalogue(opts.catalogue));
      }
      await serveStore(store, port);
    });

  program
    .command('start')
    .description('create the store if needed, load the catalogue and demo data, and serve (what `npm start` runs)')
    .option('--port <n>', 'port to listen on (default 8080, or PORT)')
    .action(async (options: { port?: string }) => {
      const opts = program.opts<GlobalOptions>();
      const port = parsePort(options.port ?? process.env.PORT);
      const storePath = resolveStorePath(opts.store);
      const catalogue = await loadCatalogue(opts.catalogue);
      const store = await openStore(storePath);
      try {
        await store.replaceCatalogue(catalogue);
        process.stdout.write(`Store ${storePath}: catalogue loaded (${catalogue.goalSets.length} goal sets)\n`);
        if ((await store.info()).valueCount === 0) {
          const demoDir = path.join(path.dirname(path.resolve(storePath)), 'demo-registry');
          if (!existsSync(path.join(demoDir, 'hospital_courses.csv'))) {
            step(
              `First start: writing a synthetic demo registry (${DEMO_PERSONS.toLocaleString('da-DK')} persons) to ${demoDir}`,
            );
            await writeSyntheticRegistry({
              outDir: demoDir,
              persons: DEMO_PERSONS,
              fromYear: 2015,
              toYear: 2025,
              seed: 1,
              catalogueDir: opts.catalogue,
              onProgress: progressBar('Persons'),
            });
          }
          step('Computing the register indicators from the demo registry');
          const summary = await computeRegisterIndicators({
            store,
            dataDir: demoDir,
            catalogueDir: opts.catalogue,
            onProgress: stepProgress('Computing'),
          });
          step(`Computed ${summary.indicators.length} indicators in ${summary.seconds.toFixed(1)} s`);
        }
      } catch (error) {
        await store.close();
        throw error;
      }
      await serveStore(store, port);
    });
}
