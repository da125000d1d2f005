// Benchmark of disclosure control: `npm run bench:disclosure -- [--persons N] [--data DIR]`.
// Computes every register indicator of a demo registry without and with disclosure control, back to back
// (`--pairs N` times; wall and process CPU time, with the load average), then runs the disclosure step over each
// indicator's full table on its own (timed, one thread) and prints cells published, primary- and
// secondary-suppressed, small counts protected narrowly or by a general pattern, the share of municipal yearly
// totals still published, and the step's time against the computation's.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOGUE_DIR, geographyOf, loadCatalogue } from '../src/catalogue/index.js';
import {
  closePracticeSums,
  isSmallCount,
  practiceSumsOf,
  protectTableFully,
  providerSumsOf,
} from '../src/disclosure/index.js';
import { parsePeriod } from '../src/domain/index.js';
import { computeRegisterIndicators, loadRecipes, writeSyntheticRegistry } from '../src/engine/index.js';
import { openStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '100000' },
    data: { type: 'string' },
    pairs: { type: 'string', default: '1' },
  },
});
const persons = Number(values.persons);
const dataDir = values.data ?? path.resolve('bench-data', `demo-${persons}`);
const catalogue = await loadCatalogue();
if (
  !existsSync(path.join(dataDir, 'hospital_courses.csv')) &&
  !existsSync(path.join(dataDir, 'hospital_courses.parquet'))
) {
  console.log(`Generating a demo registry of ${persons.toLocaleString('en')} persons in ${dataDir}`);
  await writeSyntheticRegistry({
    outDir: dataDir,
    persons,
    seed: 1,
    fromYear: 2015,
    toYear: 2025,
    catalogueDir: DEFAULT_CATALOGUE_DIR,
    format: 'csv',
  });
}

const dir = await mkdtemp(path.join(tmpdir(), 'pejling-bench-disclosure-'));
const store = await openStore(path.join(dir, 'pejling.duckdb'));
try {
  await store.replaceCatalogue(catalogue);
  // Whole computations without and with disclosure control (its worker threads run beside DuckDB's queries).
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const timed = async (keepSmallCounts: boolean) => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await computeRegisterIndicators({ store, dataDir, catalogueDir: DEFAULT_CATALOGUE_DIR, keepSmallCounts });
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  let computeSeconds = Number.POSITIVE_INFINITY;
  console.log('compute                      wall s   CPU s   load average (1, 5, 15 min) before');
  for (let pair = 0; pair < Number(values.pairs); pair++) {
    for (const keep of [true, false]) {
      const before = load();
      const t = await timed(keep);
      if (keep) computeSeconds = Math.min(computeSeconds, t.wall);
      console.log(
        `${keep ? 'without disclosure control' : 'with disclosure control   '} ${t.wall.toFixed(1).padStart(8)} ${t.cpu.toFixed(1).padStart(7)}   ${before}`,
      );
    }
  }
  console.log(`load average after: ${load()}\n`);

  const { recipes } = await loadRecipes(DEFAULT_CATALOGUE_DIR);
  // The relations compute uses: the store's units after compute (with the registry's practices), its groups and
  // groupings, Denmark = Σ hospitals, Denmark = Σ practices and a municipality = Σ its practices.
  const storedUnits = await store.listOrgUnits();
  const groupings = await store.listGroupings();
  const { parents, partitions } = geographyOf(storedUnits, await store.listGroups(), groupings);
  const providerSums = providerSumsOf(storedUnits, groupings);
  const practiceSums = practiceSumsOf(groupings);
  const municipalities = new Set(catalogue.units.filter((u) => u.type === 'municipality').map((u) => u.code));
  const practices = new Set(storedUnits.filter((u) => u.type === 'gp-practice').map((u) => u.code));
  const practiceSmall = { cells: 0, unprotected: 0, dropped: 0, sums: 0, all: 0, shown: 0, closed: 0 };
  const countFieldsOf = (template: string) =>
    ['event-count', 'event-rate', 'population-count'].includes(template)
      ? (['numerator'] as const)
      : template === 'mean'
        ? (['denominator'] as const)
        : (['numerator', 'denominator'] as const);
  const totals = {
    cells: 0,
    primary: 0,
    secondary: 0,
    unprotected: 0,
    narrow: 0,
    general: 0,
    seconds: 0,
    cpuSeconds: 0,
    yearly: 0,
    yearlyShown: 0,
  };
  const unprotectedExamples: string[] = [];
  console.log('indicator                               cells  primary secondary narrow unprotected  seconds');
  for (const recipe of recipes) {
    const rows = await store.queryValues({ indicator: recipe.indicator, full: true });
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const result = await protectTableFully(rows, {
      countFields: countFieldsOf(recipe.template),
      parents,
      partitions,
      providerSums,
    });
    // Closing municipality = Σ its practices (as compute does, inside protectTable) is timed with the patterns.
    const closed = closePracticeSums(rows, result.suppressed, practiceSums, countFieldsOf(recipe.template)).length;
    result.secondary += closed;
    const seconds = (performance.now() - t1) / 1000;
    const cpuUsed = process.cpuUsage(cpu1);
    practiceSmall.closed += closed;
    for (const [i, r] of rows.entries())
      if (practices.has(r.unit)) {
        practiceSmall.all++;
        if (!result.suppressed[i]) practiceSmall.shown++;
      }
    totals.cpuSeconds += (cpuUsed.user + cpuUsed.system) / 1e6;
    for (const [i, r] of rows.entries()) {
      if (municipalities.has(r.unit) && r.breakdown === 'total' && parsePeriod(r.period)?.type === 'year') {
        totals.yearly++;
        if (!result.suppressed[i]) totals.yearlyShown++;
      }
    }
    for (const r of rows)
      if (practices.has(r.unit) && countFieldsOf(recipe.template).some((f) => isSmallCount(r[f])))
        practiceSmall.cells++;
    practiceSmall.unprotected += result.unprotectedCells.filter((i) => practices.has(rows[i]?.unit ?? '')).length;
    if (rows.some((r) => practices.has(r.unit))) {
      practiceSmall.sums += providerSums.filter((s) => s.total !== 'DK').length;
      practiceSmall.dropped += result.droppedProviderSums.filter((t) => t !== 'DK').length;
    }
    for (const i of result.unprotectedCells) {
      const r = rows[i];
      if (r && unprotectedExamples.length < 12)
        unprotectedExamples.push(
          `${recipe.indicator} ${r.unit} ${r.period} ${r.breakdown} (${r.numerator}/${r.denominator})`,
        );
    }
    totals.cells += result.cells;
    totals.primary += result.primary;
    totals.secondary += result.secondary;
    totals.unprotected += result.unprotected;
    totals.narrow += result.narrow;
    totals.general += result.general;
    totals.seconds += seconds;
    console.log(
      `${recipe.indicator.padEnd(38)} ${String(result.cells).padStart(6)} ${String(result.primary).padStart(8)} ${String(result.secondary).padStart(9)} ${String(result.narrow).padStart(6)} ${String(result.unprotected).padStart(11)} ${seconds.toFixed(2).padStart(8)}`,
    );
  }
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  console.log(
    `\nCells: ${totals.cells}; published ${totals.cells - totals.primary - totals.secondary} (${pct(totals.cells - totals.primary - totals.secondary, totals.cells)})`,
  );
  console.log(`Primary-suppressed (counts of 1-4): ${totals.primary} (${pct(totals.primary, totals.cells)})`);
  console.log(`Secondary-suppressed: ${totals.secondary} (${pct(totals.secondary, totals.cells)})`);
  console.log(
    `Small counts protected only against exact recovery (interval below 5): ${totals.narrow}; without a protecting pattern: ${totals.unprotected}`,
  );
  console.log(
    `Practices' small counts: ${practiceSmall.cells}, without a protecting pattern: ${practiceSmall.unprotected}${practiceSmall.sums ? `; municipality = Σ its practices left out (does not hold) in ${practiceSmall.dropped} of ${practiceSmall.sums} (indicator × municipality)` : ''}`,
  );
  console.log(
    `Practices' cells: ${practiceSmall.all}, published ${practiceSmall.shown} (${pct(practiceSmall.shown, practiceSmall.all)}); hidden to close municipality = Σ its practices where it holds exactly: ${practiceSmall.closed}`,
  );
  console.log(`Small counts protected by a general pattern (no product of axis vectors found): ${totals.general}`);
  if (unprotectedExamples.length) console.log(`Some of them:\n  ${unprotectedExamples.join('\n  ')}`);
  console.log(
    `Municipal yearly totals still published: ${totals.yearlyShown} of ${totals.yearly} (${pct(totals.yearlyShown, totals.yearly)})`,
  );
  console.log(
    `Compute without disclosure control (fastest): ${computeSeconds.toFixed(1)} s; disclosure step on its own, one thread: ${totals.seconds.toFixed(1)} s (${pct(totals.seconds, computeSeconds)} of compute; process CPU time ${totals.cpuSeconds.toFixed(1)} s)`,
  );
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
