// Benchmark of the two stores: `npm run bench:store [-- --values N --imports N --postgres URL]`.
// Times what the engine, an import, the API and `store copy` ask of a store, on the embedded DuckDB file and on
// PostgreSQL (a throw-away local cluster unless --postgres names an empty database), and prints the figures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../src/catalogue/index.js';
import { copyStore, type IndicatorValue, openStore, type Store } from '../src/store/index.js';
import { type PostgresCluster, startPostgresCluster } from '../test/postgres-cluster.js';

const { values: args } = parseArgs({
  options: {
    values: { type: 'string', default: '300000' },
    imports: { type: 'string', default: '10000' },
    postgres: { type: 'string' },
  },
});
const valueCount = Number(args.values);
const importCount = Number(args.imports);

const catalogue = await loadCatalogue();
const units = catalogue.units.map((u) => u.code);
const indicators = catalogue.indicators.filter((i) => i.origin === 'register').map((i) => i.id);
const breakdowns = ['total', 'sex:F', 'sex:M', 'age_group:65-69', 'education:higher'];

/** Synthetic values shaped like an engine run: indicator × unit × period × breakdown. */
function* engineValues(n: number): Generator<IndicatorValue> {
  for (let i = 0; i < n; i++) {
    const d = Math.floor(i / units.length);
    yield {
      indicator: indicators[i % indicators.length] as string,
      unit: units[i % units.length] as string,
      period: String(2000 + (Math.floor(d / breakdowns.length) % 40)),
      breakdown: breakdowns[d % breakdowns.length] as string,
      numerator: i % 97,
      denominator: 1000 + (i % 13),
      value: (i % 97) / 10,
      suppressed: false,
    };
  }
}

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await work();
  return [result, performance.now() - t0];
}

async function measure(store: Store): Promise<Record<string, string>> {
  await store.replaceCatalogue(catalogue);
  const [written, write] = await time(() => store.replaceValues(indicators, engineValues(valueCount), 'register'));
  const rows = [...engineValues(importCount)].map((v) => ({ ...v, indicator: 'hospital-productivity' }));
  const [, importing] = await time(() =>
    store.applyImport({ actor: 'bench', fileName: 'bench.csv', sha256: 'bench', rowsInFile: importCount }, rows),
  );
  const queries = 200;
  const [, query] = await time(async () => {
    for (let i = 0; i < queries; i++) {
      await store.queryValues({
        indicator: indicators[i % indicators.length] as string,
        unit: units[i % units.length],
      });
    }
  });
  const [, version] = await time(async () => {
    for (let i = 0; i < 1000; i++) await store.dataVersion();
  });
  return {
    [`write ${written.toLocaleString('en')} values (one engine run)`]: `${(write / 1000).toFixed(1)} s`,
    [`import ${importCount.toLocaleString('en')} new values with revisions`]: `${(importing / 1000).toFixed(1)} s`,
    'values of one indicator for one unit': `${(query / queries).toFixed(2)} ms`,
    'data version read': `${(version / 1000).toFixed(3)} ms`,
  };
}

const dir = await mkdtemp(path.join(tmpdir(), 'pejling-bench-store-'));
let cluster: PostgresCluster | undefined;
try {
  const duckdb = path.join(dir, 'bench.duckdb');
  let postgres = args.postgres;
  if (!postgres) {
    cluster = await startPostgresCluster();
    postgres = await cluster.createDatabase('bench');
  }
  const results: Record<string, Record<string, string>> = {};
  for (const [kind, location] of [
    ['DuckDB', duckdb],
    ['PostgreSQL', postgres],
  ] as const) {
    const store = await openStore(location);
    try {
      results[kind] = await measure(store);
    } finally {
      await store.close();
    }
  }
  const copyTarget = cluster ? await cluster.createDatabase('copy') : undefined;
  if (copyTarget) {
    const [there, toPostgres] = await time(() => copyStore({ from: duckdb, to: copyTarget }));
    const [, toDuckDB] = await time(() => copyStore({ from: copyTarget, to: path.join(dir, 'back.duckdb') }));
    const rows = there.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en');
    (results.DuckDB as Record<string, string>)[`store copy of ${rows} rows to the other kind, verified`] =
      `${(toPostgres / 1000).toFixed(1)} s`;
    (results.PostgreSQL as Record<string, string>)[`store copy of ${rows} rows to the other kind, verified`] =
      `${(toDuckDB / 1000).toFixed(1)} s`;
  }
  console.log(`| operation | DuckDB | PostgreSQL |\n|---|---:|---:|`);
  for (const operation of Object.keys(results.DuckDB ?? {})) {
    console.log(`| ${operation} | ${results.DuckDB?.[operation]} | ${results.PostgreSQL?.[operation] ?? '–'} |`);
  }
} finally {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
}
