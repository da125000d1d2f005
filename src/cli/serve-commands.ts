// `pejling serve` and `pejling start` (init + demo data + serve, what `npm start` runs).
import path from 'node:path';
import type { Command } from 'commander';
import type { SecurityOptions } from '../api/index.js';
import { oidcSettingsFromEnv } from '../auth/index.js';
import { loadCatalogue } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { openStore, resolveStorePath, type Store, serveStoreChannel, storeKindOf } from '../store/index.js';
import { accessLog } from './access-log.js';
import type { GlobalOptions } from './main.js';
import { step } from './progress.js';

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

interface ServeOptions {
  port?: string;
  private?: boolean;
}

/** Security settings from the options and the environment (PEJLING_PRIVATE, PEJLING_ALLOWED_ORIGINS, …). */
function securityOptions(options: ServeOptions): SecurityOptions {
  const origins = (process.env.PEJLING_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return {
    private: Boolean(options.private) || process.env.PEJLING_PRIVATE === '1',
    allowedOrigins: origins,
    trustProxy: process.env.PEJLING_TRUST_PROXY === '1',
    log: accessLog((text) => process.stdout.write(text)),
  };
}

/** Says how to add the first admin while the store has none: Pejling never creates a default password. */
async function adviseFirstAdmin(store: Store, storePath: string): Promise<void> {
  if ((await store.accounts.listUsers()).some((u) => u.role === 'admin' && !u.disabled)) return;
  const storeFlag = storePath === resolveStorePath() ? '' : ` --store ${storePath}`;
  process.stdout.write(
    `No admin yet: reading works, changing data needs an account. Add the first admin (also while the server runs):\n` +
      `  printf '%s' "$PASSWORD" | npx pejling${storeFlag} users add --name admin --unit DK --role admin --password-stdin\n` +
      `  npx pejling${storeFlag} tokens create --user admin      # an API token for scripts\n` +
      `(See docs/security.md.)\n`,
  );
}

async function serveStore(store: Store, port: number, options: ServeOptions): Promise<void> {
  try {
    const oidc = oidcSettingsFromEnv();
    // The server's modules are loaded here, not by every command (an import does not need them in memory).
    const { startServer } = await import('../api/index.js');
    const server = await startServer(store, {
      port,
      prepareAhead: true,
      security: securityOptions(options),
      ...(oidc ? { oidc } : {}),
    });
    if (oidc) process.stdout.write(`Sign-in through OpenID Connect: ${oidc.issuer}\n`);
    // Other commands on this DuckDB file (which DuckDB lets one process open) run through the server.
    const stopChannel =
      storeKindOf(store.location) === 'duckdb' && store.location !== ':memory:'
        ? await serveStoreChannel(store)
        : async () => undefined;
    process.stdout.write(`Pejling is running at ${server.url}\n`);
    const stop = async () => {
      await stopChannel();
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
    .option('--private', 'require sign-in for reads too (or PEJLING_PRIVATE=1)')
    .action(async (options: ServeOptions) => {
      const opts = program.opts<GlobalOptions>();
      const port = parsePort(options.port ?? process.env.PORT);
      const storePath = resolveStorePath(opts.store);
      const store = await openStore(storePath);
      if ((await store.listGoalSets()).length === 0) {
        await store.replaceCatalogue(await loadCatalogue(opts.catalogue));
      }
      await adviseFirstAdmin(store, storePath);
      await serveStore(store, port, options);
    });

  program
    .command('start')
    .description('create the store if needed, load the catalogue and demo data, and serve (what `npm start` runs)')
    .option('--port <n>', 'port to listen on (default 8080, or PORT)')
    .option('--private', 'require sign-in for reads too (or PEJLING_PRIVATE=1)')
    .action(async (options: ServeOptions) => {
      const opts = program.opts<GlobalOptions>();
      const port = parsePort(options.port ?? process.env.PORT);
      const storePath = resolveStorePath(opts.store);
      const catalogue = await loadCatalogue(opts.catalogue);
      const store = await openStore(storePath);
      try {
        await store.replaceCatalogue(catalogue);
        process.stdout.write(`Store ${store.location}: catalogue loaded (${catalogue.goalSets.length} goal sets)\n`);
        const { prepareDemoStore } = await import('./demo-store.js');
        await prepareDemoStore(store, {
          // Beside a store file; for a PostgreSQL store, in ./data of the working folder.
          demoDir:
            storeKindOf(storePath) === 'postgres'
              ? path.resolve('data', 'demo-registry')
              : path.join(path.dirname(path.resolve(storePath)), 'demo-registry'),
          persons: DEMO_PERSONS,
          fromYear: 2015,
          toYear: 2025,
          catalogueDir: opts.catalogue,
        });
        const { importDemoCompliance } = await import('../ingest/index.js');
        const demoCompliance = await importDemoCompliance(store, { fromYear: 2023, toYear: 2025 });
        if (demoCompliance?.diff)
          step(`Wrote ${demoCompliance.diff.inserted} synthetic compliance records (quality plan, 2023-2025)`);
        await adviseFirstAdmin(store, storePath);
      } catch (error) {
        await store.close();
        throw error;
      }
      await serveStore(store, port, options);
    });
}
