// Load benchmark: `npm run bench:load [-- --store LOCATION] [--duration S] [--connections N] [--cold] [--cpu-prof DIR]`. Starts
// `pejling serve` in a process of its own on a demo store (made in a temp folder when none is given), waits until
// it has prepared the units' overviews ahead (unless --cold), then runs autocannon with
// 100 connections spread over the dashboard's routes, first alone and then while imports run, and prints
// req/s, p50/p99, errors, timeouts and non-2xx answers per route, and how long the server's event loop stood
// still (p50/p99/max) in each phase. On PostgreSQL: `--store postgres://…` uses that
// database (an empty one gets the demo store copied into it), `--store postgres` starts a throw-away local
// cluster (initdb/pg_ctl in a temp folder, as in the tests) with the demo store copied into it.
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { addUser, createToken } from '../src/auth/index.js';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/index.js';
import { computeRegisterIndicators } from '../src/engine/index.js';
import { writeSyntheticRegistry } from '../src/engine/synthetic-registry.js';
import { copyStore, openStore, storeKindOf } from '../src/store/index.js';
import { type PostgresCluster, startPostgresCluster } from '../test/postgres-cluster.js';

// autocannon keeps every answer's body as a string (decoding it, gzip bytes too), which costs the load generator
// more than sending the answer costs the server; on the same two cores that would be measured as server latency.
// The benchmark reads no bodies (bytes are still counted), so that step is left out.
const PipelinedRequestsQueue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as {
  prototype: { addBody: (data: Buffer) => void };
};
PipelinedRequestsQueue.prototype.addBody = () => undefined;

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '100' },
    persons: { type: 'string', default: '20000' },
    cold: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const root = path.resolve(import.meta.dirname, '..');
const temp = await mkdtemp(path.join(tmpdir(), 'pejling-bench-load-'));

/** Makes a demo store of synthetic persons, its register indicators computed, in a DuckDB file. */
async function makeDemoStore(file: string): Promise<void> {
  console.log(`Making a demo store (${values.persons} persons) in ${temp} …`);
  const store = await openStore(file);
  await store.replaceCatalogue(await loadCatalogue());
  await writeSyntheticRegistry({
    outDir: path.join(temp, 'registry'),
    persons: Number(values.persons),
    fromYear: 2015,
    toYear: 2025,
    seed: 1,
    catalogueDir: DEFAULT_CATALOGUE_DIR,
  });
  await computeRegisterIndicators({
    store,
    dataDir: path.join(temp, 'registry'),
    catalogueDir: DEFAULT_CATALOGUE_DIR,
  });
  await store.close();
}

async function holdsValues(location: string): Promise<boolean> {
  const store = await openStore(location);
  try {
    return (await store.info()).valueCount > 0;
  } finally {
    await store.close();
  }
}

let cluster: PostgresCluster | undefined;

/** The store to serve: the one given, filled with the demo store when it is an empty PostgreSQL database. */
async function prepareStore(given: string | undefined): Promise<string> {
  let location = given;
  if (location === 'postgres') {
    console.log('Starting a throw-away PostgreSQL cluster …');
    cluster = await startPostgresCluster();
    location = await cluster.createDatabase('load');
  }
  if (!location) {
    location = path.join(temp, 'demo.duckdb');
    await makeDemoStore(location);
  } else if (storeKindOf(location) === 'postgres' && !(await holdsValues(location))) {
    const demo = path.join(temp, 'demo.duckdb');
    await makeDemoStore(demo);
    const copied = await copyStore({ from: demo, to: location });
    console.log(`Copied the demo store into ${copied.to} in ${copied.seconds.toFixed(1)} s`);
  }
  return location;
}

/** A token for the imports (writes need a principal): of the user `bench-load`, an admin added when missing. */
async function importToken(location: string): Promise<string> {
  const store = await openStore(location);
  try {
    if (!(await store.accounts.getUser('bench-load')))
      await addUser(store, { name: 'bench-load', unit: 'DK', role: 'admin' });
    return (await createToken(store, { user: 'bench-load', expiresDays: 1, label: 'bench:load' })).token;
  } finally {
    await store.close();
  }
}

const [storePath, token] = await prepareStore(values.store)
  .then(async (location) => [location, await importToken(location)] as const)
  .catch(async (error: unknown) => {
    await cluster?.stop();
    await rm(temp, { recursive: true, force: true });
    throw error;
  });
console.log(`Serving ${storeKindOf(storePath) === 'postgres' ? 'PostgreSQL' : 'DuckDB'} store ${storePath}`);

// The server's access log goes to a file: through a pipe, a busy benchmark process would slow every request.
const serverLog = path.join(temp, 'serve.log');
const logFile = await open(serverLog, 'w');
const server = spawn(
  process.execPath,
  [
    // `--cpu-prof DIR`: the server writes a CPU profile of the whole run into DIR when it stops.
    ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : []),
    '--import',
    'tsx',
    path.join(root, 'bench/serve.ts'),
    '--store',
    storePath,
    'serve',
    '--port',
    '0',
  ],
  { cwd: root, stdio: ['ignore', logFile.fd, 'pipe'] },
);
// The server's errors pass through; its event-loop delay (bench/serve.ts, on SIGUSR2) is kept for each phase.
let delayLine: ((line: string) => void) | undefined;
server.stderr?.setEncoding('utf8');
server.stderr?.on('data', (text: string) => {
  for (const line of text.split('\n').filter(Boolean)) {
    if (line.startsWith('event-loop-delay') && delayLine) delayLine(line);
    else process.stderr.write(`${line}\n`);
  }
});
/** How long the server's event loop stood still since the last call (p50, p99, max). */
const eventLoopDelay = () =>
  new Promise<string>((resolve) => {
    delayLine = (line) => resolve(line.replace('event-loop-delay', 'server event loop delay (ms):'));
    server.kill('SIGUSR2');
  });
await logFile.close();
const url = await new Promise<string>((resolve, reject) => {
  const started = setInterval(async () => {
    const match = /running at (http:\/\/\S+)/.exec(await readFile(serverLog, 'utf8'));
    if (!match?.[1]) return;
    clearInterval(started);
    resolve(match[1].replace('localhost', '127.0.0.1'));
  }, 200);
  server.once('exit', (code) => {
    clearInterval(started);
    reject(new Error(`the server stopped (exit code ${code})`));
  });
});

/**
 * Waits until the server has prepared the units' overviews ahead (what it does after a start and after each
 * change): the access log shows no new background preparation for two seconds. A server in use has long done so;
 * `--cold` measures from the start instead.
 */
async function preparedAhead(): Promise<void> {
  const started = performance.now();
  const count = async () =>
    ((await readFile(serverLog, 'utf8')).match(/ unknown - GET \/api\/overview /g) ?? []).length;
  let last = -1;
  let quietSince = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await count();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    } else if (now > 0 && performance.now() - quietSince > 2_000) break;
    if (performance.now() - started > 180_000) throw new Error('the server prepared nothing within 3 minutes');
  }
  console.log(`The server prepared ${last} overviews ahead in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
if (!values.cold) await preparedAhead();

const units: { code: string; type: string }[] = await (await fetch(`${url}/api/org-units`)).json();
const municipalities = units.filter((u) => u.type === 'municipality').map((u) => u.code);

/**
 * The dashboard's routes. A route with `byUnit` asks for every municipality, each connection in an order of its
 * own (shuffled), so the units change from request to request; its requests are built once, so that making
 * them costs the load generator (on the same machine as the server) as little as it can.
 */
const ROUTES: { name: string; path: string; byUnit?: boolean }[] = [
  { name: 'org-units', path: '/api/org-units' },
  { name: 'overview (changing unit)', path: '/api/overview?unit=UNIT', byUnit: true },
  { name: 'values', path: '/api/indicators/acute-readmission-somatic-30d/values?period=2024&breakdown=total' },
  { name: 'evaluation', path: '/api/targets/reform-acute-readmissions/evaluation?unit=UNIT', byUnit: true },
  { name: 'funnel', path: '/api/indicators/acute-readmission-somatic-30d/funnel?period=2024' },
  { name: 'trend', path: '/api/indicators/acute-readmission-somatic-30d/trend?unit=UNIT', byUnit: true },
];

function shuffled<T>(list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function phase(title: string): Promise<void> {
  await eventLoopDelay();
  const perRoute = Math.max(1, Math.floor(connections / ROUTES.length));
  const results = await Promise.all(
    ROUTES.map((route) =>
      autocannon({
        url,
        connections: perRoute,
        duration,
        timeout: 10,
        // As a browser asks: compressed answers welcome.
        headers: { 'accept-encoding': 'gzip, deflate, br' },
        requests: [{ path: route.path.replace('UNIT', municipalities[0] as string) }],
        ...(route.byUnit
          ? {
              setupClient: (client: autocannon.Client) =>
                client.setRequests(
                  shuffled(municipalities).map((unit) => ({ path: route.path.replace('UNIT', unit) })),
                ),
            }
          : {}),
      }),
    ),
  );
  console.log(`\n${title} (${perRoute * ROUTES.length} connections, ${duration} s)`);
  console.log(
    `${'route'.padEnd(26)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'timeouts'.padStart(9)} ${'non-2xx'.padStart(8)}`,
  );
  for (const [i, r] of results.entries()) {
    console.log(
      `${(ROUTES[i]?.name ?? '').padEnd(26)} ${r.requests.average.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.timeouts).padStart(9)} ${String(r.non2xx).padStart(8)}`,
    );
  }
  console.log(await eventLoopDelay());
  console.log(`load average (1 min): ${loadavg()[0]?.toFixed(1)}`);
}

/** Imports a file of 10,000 changing values again and again until stopped. */
function importsRunning(): { stop: () => Promise<{ imports: number; failed: number; refusals: Map<string, number> }> } {
  let running = true;
  let imports = 0;
  let failed = 0;
  const refusals = new Map<string, number>();
  const loop = (async () => {
    for (let round = 0; running; round++) {
      const lines = ['indicator;unit;period;breakdown;value'];
      for (let year = 2000; year < 2100 && lines.length <= 10_000; year++)
        for (const unit of municipalities)
          lines.push(`hospital-productivity;${unit};${year};total;${90 + ((round + year) % 20)}`);
      const form = new FormData();
      form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), `round-${round}.csv`);
      const response = await fetch(`${url}/api/imports`, {
        method: 'POST',
        body: form,
        headers: { Authorization: `Bearer ${token}` },
      }).catch(() => undefined);
      await response?.arrayBuffer();
      if (response?.status === 200) imports++;
      else {
        failed++;
        const reason = String(response?.status ?? 'no answer');
        refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { imports, failed, refusals };
    },
  };
}

try {
  await phase('Dashboard routes');
  const imports = importsRunning();
  await phase('Dashboard routes while imports run');
  const done = await imports.stop();
  const why = [...done.refusals].map(([status, n]) => `${n} × ${status}`).join(', ');
  console.log(
    `\nImports during the second run: ${done.imports} written, ${done.failed} refused or failed${why ? ` (${why})` : ''}`,
  );
} finally {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await cluster?.stop();
  await rm(temp, { recursive: true, force: true });
}
