// Benchmark of the API and the dashboard on the demo store: `npm run bench:api [-- --store PATH]`.
// Prints latency percentiles and throughput for dashboard queries, and the time Chromium takes to show pages.
import { parseArgs } from 'node:util';
import { startServer } from '../src/api/index.js';
import { loadCatalogue } from '../src/catalogue/index.js';
import { launchBrowser } from '../src/report/browser.js';
import { openStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: './data/pejling.duckdb' },
    requests: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '10' },
  },
});
const store = await openStore(values.store as string);
if ((await store.info()).valueCount === 0) {
  console.error('The store has no values; run `npm start` once (or pejling demo-data + compute) first.');
  process.exit(1);
}
await store.replaceCatalogue(await loadCatalogue());
const server = await startServer(store, { port: 0, hostname: '127.0.0.1' });
const total = Number(values.requests);
const concurrency = Number(values.concurrency);

async function load(path: string): Promise<void> {
  const times: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const s = performance.now();
        const r = await fetch(`${server.url}${path}`);
        await r.arrayBuffer();
        times.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const p = (q: number) => (times[Math.floor(q * (times.length - 1))] ?? 0).toFixed(1);
  console.log(
    `${path.padEnd(70)} ${Math.round(times.length / seconds)
      .toString()
      .padStart(6)} req/s  p50 ${p(0.5)} ms  p95 ${p(0.95)} ms`,
  );
}

const cold = performance.now();
await (await fetch(`${server.url}/api/overview?unit=101`)).arrayBuffer();
console.log(`first (uncached) overview for a municipality: ${(performance.now() - cold).toFixed(0)} ms`);
console.log(`\n${total} requests each, ${concurrency} at a time:`);
for (const path of [
  '/api/overview?unit=751',
  '/api/indicators/acute-readmission-somatic-30d/values?period=2024&breakdown=total',
  '/api/indicators/acute-readmission-somatic-30d/values?unit=751',
  '/api/indicators/acute-readmission-somatic-30d/funnel?period=2024',
  '/api/targets/reform-acute-readmissions/evaluation?unit=751',
  '/api/org-units',
]) {
  await load(path);
}

const browser = await launchBrowser();
const page = await browser.newPage();
console.log('\nPages in Chromium (navigation start → content visible):');
for (const [path, selector] of [
  ['/?unit=751', 'table.overview'],
  ['/indikator/acute-readmission-somatic-30d?unit=751', '[data-testid=values-table]'],
  ['/enhed/751', '[data-testid=spine-chart] svg'],
] as const) {
  for (const round of ['first', 'again']) {
    const s = performance.now();
    await page.goto(`${server.url}${path}`);
    await page.locator(selector).first().waitFor();
    console.log(`  ${path.padEnd(55)} ${round.padEnd(6)} ${(performance.now() - s).toFixed(0)} ms`);
  }
}
await browser.close();
await server.close();
await store.close();
