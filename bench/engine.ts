// Benchmark of the register engine:
// `npm run bench:engine -- --courses N [--format parquet|csv] [--data DIR] [--memory-limit SIZE] [--threads N]
//   [--without-disclosure] [--part full|readmission]`.
// Generates (or reuses) a synthetic registry with about N courses, times the full computation of every
// register indicator (rows/s, peak memory) and Pejling's readmission recipe against a hand-written DuckDB
// query of the same definition on the same files, and prints the figures.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/index.js';
import {
  baseTableNeeds,
  compileRecipe,
  computeRegisterIndicators,
  loadRecipes,
  prepareRegister,
  writeSyntheticRegistry,
} from '../src/engine/index.js';
import { queryRows } from '../src/store/duckdb/duckdb-connection.js';
import { openStore } from '../src/store/index.js';

const COURSES_PER_PERSON = 8.9; // over 11 years, measured on the synthetic registry

const { values } = parseArgs({
  options: {
    courses: { type: 'string', default: '1000000' },
    format: { type: 'string', default: 'parquet' },
    data: { type: 'string' },
    'memory-limit': { type: 'string' },
    threads: { type: 'string' },
    // The engine's own steps without disclosure control (every cell published), to time them apart from it.
    'without-disclosure': { type: 'boolean', default: false },
    // Only the full computation, or only the readmission recipe against the hand-written query (default: both).
    part: { type: 'string' },
  },
});
const withoutDisclosure = values['without-disclosure'] === true;
const parts = new Set(values.part ? [values.part] : ['full', 'readmission']);
const memoryLimit = values['memory-limit'];
const threads = values.threads ? Number(values.threads) : undefined;
const engineOptions = {
  ...(memoryLimit ? { memoryLimit } : {}),
  ...(threads ? { threads } : {}),
  ...(withoutDisclosure ? { keepSmallCounts: true } : {}),
};
const courses = Number(values.courses);
const format = values.format === 'csv' ? 'csv' : 'parquet';
const dataDir = values.data ?? path.resolve('bench-data', `courses-${courses}-${format}`);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** CPU seconds of this process (all DuckDB threads); less sensitive than wall time to other load on the machine. */
let lastCpu = 0;
const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await work();
  const c = process.cpuUsage(c0);
  lastCpu = (c.user + c.system) / 1e6;
  return [result, (performance.now() - t0) / 1000];
};

const catalogue = await loadCatalogue();
if (!existsSync(path.join(dataDir, `hospital_courses.${format}`))) {
  const persons = Math.max(1000, Math.round(courses / COURSES_PER_PERSON));
  console.log(
    `Generating ${persons.toLocaleString('en')} persons (about ${courses.toLocaleString('en')} courses) as ${format} in ${dataDir}`,
  );
  const [summary, seconds] = await time(() =>
    writeSyntheticRegistry({
      outDir: dataDir,
      persons,
      fromYear: 2015,
      toYear: 2025,
      seed: 42,
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      format,
    }),
  );
  console.log(
    `  ${summary.courses.toLocaleString('en')} courses in ${seconds.toFixed(1)} s (${Math.round(summary.courses / seconds).toLocaleString('en')} courses/s)`,
  );
}

// 1. Everything: read, validate, chain admissions, all recipes with all breakdowns, suppress, store.
const work = await mkdtemp(path.join(tmpdir(), 'pejling-bench-'));
if (parts.has('full')) await fullComputation();
async function fullComputation(): Promise<void> {
  const store = await openStore(path.join(work, 'bench.duckdb'));
  await store.replaceCatalogue(catalogue);
  peakRss = 0;
  const cpuBefore = process.cpuUsage();
  const [summary, fullSeconds] = await time(() =>
    computeRegisterIndicators({ store, dataDir, catalogueDir: DEFAULT_CATALOGUE_DIR, tempDir: work, ...engineOptions }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const inputCourses = summary.inputRows.hospital_courses ?? 0;
  const valueCount = summary.indicators.reduce((n, i) => n + i.rows, 0);
  console.log(
    `\nFull computation (all register indicators, all units, years and quarters, all breakdowns)${withoutDisclosure ? ', without disclosure control' : ''}`,
  );
  console.log(`  courses: ${inputCourses.toLocaleString('en')}; values written: ${valueCount.toLocaleString('en')}`);
  console.log(
    `  time: ${fullSeconds.toFixed(2)} s; ${Math.round(inputCourses / fullSeconds).toLocaleString('en')} courses/s; peak memory ${mb(peakRss)}`,
  );
  console.log(
    `  CPU time (all threads): ${cpuSeconds.toFixed(1)} s, i.e. ${(cpuSeconds / fullSeconds).toFixed(2)} of the ${os.cpus().length} cores on average`,
  );
  console.log(
    `  memory limit ${summary.memoryLimit}; spilled to disk at most ${mb(summary.spilledBytes)}; ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)} at the end`,
  );
  console.log('  steps:');
  for (const s of summary.steps)
    console.log(
      `    ${s.name.slice(0, 100).padEnd(100)} ${s.seconds.toFixed(2).padStart(7)} s  CPU ${s.cpuSeconds.toFixed(2).padStart(7)} s`,
    );
  await store.close();
}
if (!parts.has('readmission')) {
  clearInterval(sampler);
  await rm(work, { recursive: true, force: true });
  process.exit(0);
}

// 2. The readmission recipe alone vs a hand-written query, both from the files to the same output.
const municipalities = catalogue.units.filter((u) => u.type === 'municipality');
const { recipes, lists } = await loadRecipes(DEFAULT_CATALOGUE_DIR);
const found = recipes.find((r) => r.indicator === 'acute-readmission-somatic-30d');
if (!found) throw new Error('readmission recipe missing');
const readmission = found;

async function withDuckDB<T>(task: (conn: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', {
    temp_directory: path.join(work, 'spill'),
    preserve_insertion_order: 'false',
    ...(memoryLimit ? { memory_limit: memoryLimit } : {}),
    ...(threads ? { threads: String(threads) } : {}),
  });
  const conn = await instance.connect();
  try {
    return await task(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const file = (name: string) => `'${path.join(dataDir, `${name}.${format}`)}'`;
const fileScan = (name: string) =>
  format === 'parquet' ? `read_parquet(${file(name)})` : `read_csv(${file(name)}, header = true)`;
let scan = fileScan;
const hasIncome = existsSync(path.join(dataDir, `income.${format}`));

/** Reads and checks the files and builds the base tables readmission needs, as `pejling compute --indicator` does. */
async function prepare(conn: Awaited<ReturnType<DuckDBInstance['connect']>>): Promise<void> {
  await prepareRegister(conn, {
    dataDir,
    municipalities,
    nationCode: 'DK',
    needs: baseTableNeeds([readmission], lists, () => true),
  });
}

const [recipeRows, recipeSeconds] = await time(() =>
  withDuckDB(async (conn) => {
    await prepare(conn);
    return queryRows(conn, compileRecipe(readmission, { periodTypes: ['year', 'quarter'], lists }));
  }),
);

const regionValues = municipalities
  .map((m) => `('${m.code}', '${m.code}'), ('${m.code}', '${m.parent}'), ('${m.code}', 'DK')`)
  .join(', ');
const handWrittenSql = () => `
  WITH persons AS (SELECT person_id, sex, education, CAST(birth_date AS DATE) AS birth_date FROM ${scan('persons')}),
  deaths AS (SELECT person_id, min(CAST(death_date AS DATE)) AS death_date FROM ${scan('deaths')} GROUP BY person_id),
  income AS (${
    hasIncome
      ? `SELECT person_id, CAST(year AS INTEGER) AS year, CAST(income_quartile AS INTEGER) AS income_quartile FROM ${scan('income')}`
      : 'SELECT CAST(NULL AS VARCHAR) AS person_id, CAST(NULL AS INTEGER) AS year, CAST(NULL AS INTEGER) AS income_quartile WHERE FALSE'
  }),
  courses AS (
    SELECT course_id, person_id, CAST(municipality_code AS VARCHAR) AS m, CAST(admission_date AS DATE) AS s,
      CAST(discharge_date AS DATE) AS e, CAST(acute AS BOOLEAN) AS acute
    FROM ${scan('hospital_courses')} WHERE CAST(inpatient AS BOOLEAN) AND NOT CAST(psychiatric AS BOOLEAN)),
  ordered AS (SELECT *, lag(e) OVER w AS pe, row_number() OVER w AS seq FROM courses
    WINDOW w AS (PARTITION BY person_id ORDER BY s, e NULLS LAST, course_id)),
  chained AS (SELECT *, sum(CASE WHEN pe IS NOT NULL AND s <= pe THEN 0 ELSE 1 END)
    OVER (PARTITION BY person_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS g FROM ordered),
  admissions AS (SELECT person_id, first(m ORDER BY seq) AS m, min(s) AS s, last(e ORDER BY seq) AS e,
    first(acute ORDER BY seq) AS acute FROM chained GROUP BY person_id, g),
  flagged AS (SELECT *, min(CASE WHEN acute THEN s END) OVER (PARTITION BY person_id ORDER BY s
    ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_acute FROM admissions),
  idx AS (
    SELECT f.m, f.e, f.next_acute - f.e BETWEEN 1 AND 30 AS hit, coalesce(p.sex, 'unknown') AS sex,
      coalesce(p.education, 'unknown') AS education, coalesce('Q' || CAST(i.income_quartile AS VARCHAR), 'unknown') AS income,
      CASE WHEN p.birth_date IS NULL THEN 'unknown'
        WHEN date_diff('year', p.birth_date, f.s) - CASE WHEN strftime(f.s, '%m%d') < strftime(p.birth_date, '%m%d') THEN 1 ELSE 0 END >= 85 THEN '85+'
        ELSE CAST(5 * floor((date_diff('year', p.birth_date, f.s) - CASE WHEN strftime(f.s, '%m%d') < strftime(p.birth_date, '%m%d') THEN 1 ELSE 0 END) / 5) AS INTEGER) || '-' ||
             CAST(5 * floor((date_diff('year', p.birth_date, f.s) - CASE WHEN strftime(f.s, '%m%d') < strftime(p.birth_date, '%m%d') THEN 1 ELSE 0 END) / 5) + 4 AS INTEGER) END AS age_group
    FROM flagged f LEFT JOIN persons p USING (person_id) LEFT JOIN deaths d USING (person_id)
      LEFT JOIN income i ON i.person_id = f.person_id AND i.year = year(f.s)
    WHERE f.e IS NOT NULL AND (d.death_date IS NULL OR d.death_date > f.e)),
  units(m, unit) AS (VALUES ${regionValues}),
  periods AS (
    SELECT u.unit, CAST(year(e) AS VARCHAR) AS period, sex, age_group, education, income, hit FROM idx JOIN units u USING (m)
    UNION ALL
    SELECT u.unit, CAST(year(e) AS VARCHAR) || 'Q' || CAST(quarter(e) AS VARCHAR), NULL, NULL, NULL, NULL, hit FROM idx JOIN units u USING (m))
  SELECT unit, period,
    CASE WHEN grouping(sex) = 0 THEN 'sex:' || sex WHEN grouping(age_group) = 0 THEN 'age_group:' || age_group
         WHEN grouping(education) = 0 THEN 'education:' || education WHEN grouping(income) = 0 THEN 'income:' || income
         ELSE 'total' END AS breakdown,
    CAST(sum(CASE WHEN hit THEN 1 ELSE 0 END) AS DOUBLE) AS numerator, CAST(count(*) AS DOUBLE) AS denominator
  FROM periods GROUP BY GROUPING SETS ((unit, period), (unit, period, sex), (unit, period, age_group), (unit, period, education),
    (unit, period, income))
  HAVING NOT (period LIKE '%Q%' AND (grouping(sex) = 0 OR grouping(age_group) = 0 OR grouping(education) = 0 OR grouping(income) = 0))`;
const recipeCpu = lastCpu;
const [handRows, handSeconds] = await time(() => withDuckDB((conn) => queryRows(conn, handWrittenSql())));
const handCpu = lastCpu;

// 3. The same two queries on tables already in memory (the recipe's base tables built; no file reading).
const [inMemory] = await time(() =>
  withDuckDB(async (conn) => {
    await prepare(conn);
    const [, recipeOnly] = await time(() =>
      queryRows(conn, compileRecipe(readmission, { periodTypes: ['year', 'quarter'], lists })),
    );
    // The hand-written query reads the courses as loaded (the engine keeps them as course_events).
    await conn.run(`CREATE VIEW hospital_courses AS SELECT course_id, person_id,
      CAST(municipality_code AS VARCHAR) AS municipality_code, start_date AS admission_date,
      end_date AS discharge_date, acute, inpatient, psychiatric FROM course_events`);
    scan = (name: string) => name;
    const [, handOnly] = await time(() => queryRows(conn, handWrittenSql()));
    scan = fileScan;
    return { recipeOnly, handOnly };
  }),
);

const key = (r: Record<string, unknown>) => `${r.unit}|${r.period}|${r.breakdown}`;
const hand = new Map(handRows.map((r) => [key(r), r]));
let mismatches = 0;
for (const r of recipeRows) {
  const h = hand.get(key(r));
  if (!h || h.numerator !== r.numerator || h.denominator !== r.denominator) mismatches++;
}
// Rows only the hand-written query has differ too.
const recipeKeys = new Set(recipeRows.map(key));
mismatches += handRows.filter((r) => !recipeKeys.has(key(r))).length;
console.log('\nReadmission recipe vs hand-written DuckDB SQL (from the files, same output rows)');
console.log(
  `  recipe: ${recipeSeconds.toFixed(2)} s (reads and checks persons, deaths and courses); hand-written: ${handSeconds.toFixed(2)} s`,
);
console.log(`  ratio recipe / hand-written: ${(recipeSeconds / handSeconds).toFixed(2)}`);
console.log(
  `  CPU time: recipe ${recipeCpu.toFixed(1)} s, hand-written ${handCpu.toFixed(1)} s; ratio ${(recipeCpu / handCpu).toFixed(2)}`,
);
console.log('  on tables already in memory (input loaded and base tables built once, not timed):');
console.log(
  `    recipe query ${inMemory.recipeOnly.toFixed(2)} s; hand-written ${inMemory.handOnly.toFixed(2)} s; ratio ${(inMemory.recipeOnly / inMemory.handOnly).toFixed(2)}`,
);
console.log(
  `  rows: recipe ${recipeRows.length.toLocaleString('en')}, hand-written ${handRows.length.toLocaleString('en')}; rows that differ: ${mismatches}`,
);
clearInterval(sampler);
await rm(work, { recursive: true, force: true });
