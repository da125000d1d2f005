// Inequality by income and place: the income breakdown of every register indicator adds up to the total and
// matches a count straight from the record-level files; SII/RII and the richest-poorest gap by income; the
// worst and best fifth of municipalities; the inequality report as HTML, PDF and from the CLI.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { DEFAULT_CATALOGUE_DIR } from '../src/catalogue/index.js';
import { computeRegisterIndicators, writeSyntheticRegistry } from '../src/engine/index.js';
import { importSyntheticAggregates } from '../src/ingest/index.js';
import { danishNumber } from '../src/report/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, runCli, serveOnEphemeralPort } from './helpers.js';

interface Row {
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

let server: RunningServer | undefined;
let store: Store;
let dir: string;
let storeFile: string;
let cleanup: () => Promise<void>;
const registry = () => path.join(dir, 'registry');

beforeAll(async () => {
  const made = await catalogueStore();
  store = made.store;
  dir = made.dir;
  storeFile = path.join(dir, 'pejling.duckdb');
  await writeSyntheticRegistry({
    outDir: registry(),
    persons: 8000,
    fromYear: 2017,
    toYear: 2024,
    seed: 11,
    catalogueDir: DEFAULT_CATALOGUE_DIR,
  });
  // Unsuppressed, so that the categories can be added up exactly.
  await computeRegisterIndicators({
    store,
    dataDir: registry(),
    catalogueDir: DEFAULT_CATALOGUE_DIR,
    keepSmallCounts: true,
  });
  await importSyntheticAggregates(store, { fromYear: 2017, toYear: 2024, seed: 2 });
  server = await serveOnEphemeralPort(store);
  cleanup = async () => {
    await server?.close();
    await made.cleanup();
  };
}, 600_000);
afterAll(async () => cleanup?.());

const get = async <T>(p: string): Promise<T> => {
  const response = await fetch(`${server?.url}${p}`);
  expect(response.status, p).toBe(200);
  return (await response.json()) as T;
};

describe('inequality by income', () => {
  it('breaks every register indicator down by income quarter, the quarters adding up to the total', async () => {
    const indicators = await get<{ id: string; origin: string; breakdowns: string[] }[]>('/api/indicators');
    const register = indicators.filter((i) => i.origin === 'register');
    expect(register.length).toBeGreaterThanOrEqual(15);
    for (const indicator of register) {
      expect(indicator.breakdowns, indicator.id).toContain('income');
      for (const unit of ['DK', '1082', '751']) {
        const rows = await get<Row[]>(`/api/indicators/${indicator.id}/values?unit=${unit}&period=2022`);
        const total = rows.find((r) => r.breakdown === 'total');
        const income = rows.filter((r) => r.breakdown.startsWith('income:'));
        expect(total, `${indicator.id} ${unit}`).toBeDefined();
        // Rare events may leave a quarter of a small unit empty; Denmark has all four.
        if (unit === 'DK')
          expect(
            income.map((r) => r.breakdown).filter((b) => b !== 'income:unknown'),
            indicator.id,
          ).toEqual(['income:Q1', 'income:Q2', 'income:Q3', 'income:Q4']);
        const sum = (field: 'numerator' | 'denominator') => income.reduce((s, r) => s + (r[field] ?? 0), 0);
        expect(sum('numerator'), `${indicator.id} ${unit} numerator`).toBeCloseTo(total?.numerator ?? Number.NaN, 6);
        if (total?.denominator !== null)
          expect(sum('denominator'), `${indicator.id} ${unit} denominator`).toBeCloseTo(total?.denominator ?? 0, 6);
      }
    }
  });

  it('counts hospital courses by income quarter as the record-level files say', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const csv = (name: string) =>
      `read_csv('${path.join(registry(), `${name}.csv`)}', header = true, all_varchar = true)`;
    const reader = await conn.runAndReadAll(
      `SELECT 'Q' || i.income_quartile AS q, count(*) AS n
       FROM ${csv('hospital_courses')} c JOIN ${csv('income')} i
         ON i.person_id = c.person_id AND CAST(i.year AS INTEGER) = year(CAST(c.admission_date AS DATE))
       WHERE year(CAST(c.admission_date AS DATE)) = 2022 GROUP BY 1`,
    );
    const expected = new Map(reader.getRowObjects().map((r) => [String(r.q), Number(r.n)]));
    const population = await conn.runAndReadAll(
      `SELECT 'Q' || income_quartile AS q, sum(CAST(count AS INTEGER)) AS n FROM ${csv('population')} WHERE year = '2022' GROUP BY 1`,
    );
    const people = new Map(population.getRowObjects().map((r) => [String(r.q), Number(r.n)]));
    conn.closeSync();
    instance.closeSync();
    const rows = await get<Row[]>('/api/indicators/hospital-courses-per-citizen/values?unit=DK&period=2022');
    for (const q of ['Q1', 'Q2', 'Q3', 'Q4']) {
      const row = rows.find((r) => r.breakdown === `income:${q}`);
      expect(row?.numerator, q).toBe(expected.get(q));
      expect(row?.denominator, q).toBe(people.get(q));
    }
  });

  it('gives the gap between the poorest and richest quarter with SII and RII', async () => {
    const q = await get<{
      dimension: string;
      groups: { category: string; value: number }[];
      measures: {
        rateRatio: { value: number; ciLow: number; ciHigh: number };
        rateDifference: { value: number };
        sii: { value: number };
        rii: { value: number };
      };
    }>('/api/indicators/hospital-courses-per-citizen/inequality?unit=DK&period=2022&by=income');
    expect(q.dimension).toBe('income');
    expect(q.groups.map((g) => g.category)).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    const [poorest, , , richest] = q.groups;
    expect(q.measures.rateDifference.value).toBeCloseTo((poorest?.value ?? 0) - (richest?.value ?? 0), 9);
    expect(q.measures.rateRatio.value).toBeCloseTo((poorest?.value ?? 0) / (richest?.value ?? 1), 9);
    // The synthetic registry gives the poorest quarter more hospital courses: a clear gradient.
    expect(q.measures.rateRatio.ciLow).toBeGreaterThan(1);
    expect(q.measures.sii.value).toBeGreaterThan(0);
    expect(q.measures.rii.value).toBeGreaterThan(1);
  });
});

describe('inequality by place', () => {
  it('compares the worst fifth of municipalities with the best, pooled, with intervals', async () => {
    const rows = (await get<Row[]>('/api/indicators/patient-satisfaction/values?period=2022&breakdown=total')).filter(
      (r) => /^\d{3}$/.test(r.unit),
    );
    expect(rows).toHaveLength(98);
    // Higher is better: best fifth = the 20 (of 98, rounded) highest values.
    const sorted = [...rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    const pool = (part: Row[]) => {
      const num = part.reduce((s, r) => s + (r.numerator ?? 0), 0);
      const den = part.reduce((s, r) => s + (r.denominator ?? 0), 0);
      return num / den;
    };
    const best = pool(sorted.slice(0, 20));
    const worst = pool(sorted.slice(78));
    const g = await get<{
      fifths: { units: string[]; value: number }[];
      ratio: { value: number; ciLow: number; ciHigh: number };
    }>('/api/indicators/patient-satisfaction/geography?period=2022');
    expect(g.fifths.map((f) => f.units.length)).toEqual([20, 19, 20, 19, 20]);
    expect(g.ratio.value).toBeCloseTo(worst / best, 9);
    expect(g.ratio.ciLow).toBeLessThan(g.ratio.value);
    expect(g.ratio.ciHigh).toBeGreaterThan(g.ratio.value);
    expect(g.ratio.value).toBeLessThan(1);
  });
});

describe('the inequality report', () => {
  it('brings education, income and place together, every number equal to the API', async () => {
    const response = await fetch(`${server?.url}/api/reports/DK?kind=inequality&year=2024&format=html`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const document = new JSDOM(html).window.document;
    expect(document.querySelector('h1')?.textContent).toBe('Ulighed i sundhed 2024: Danmark');
    const section = document.querySelector('section[data-indicator="hospital-courses-per-citizen"]');
    for (const dim of ['education', 'income', 'place'])
      expect(section?.querySelector(`tr[data-dimension="${dim}"]`), dim).not.toBeNull();
    const tagged = [...document.querySelectorAll('span.n[data-indicator]')];
    expect(tagged.length).toBeGreaterThan(40);
    for (const el of tagged.slice(0, 60)) {
      const id = el.getAttribute('data-indicator');
      const field = el.getAttribute('data-field') as string;
      const rows = await get<Row[]>(
        `/api/indicators/${id}/values?unit=${el.getAttribute('data-unit')}&period=${el.getAttribute('data-period')}`,
      );
      const row = rows.find((r) => r.breakdown === (field === 'value' ? 'total' : field));
      expect(el.textContent, `${id} ${field}`).toBe(danishNumber(row?.value ?? null));
    }
    // The key figures of the goals about equality, and synthetic values marked.
    expect(html).toContain('Forskel i middellevetid mellem rigeste og fattigste fjerdedel (mænd)');
    expect(document.querySelector('section[data-indicator="life-expectancy"] .synthetic')?.textContent).toBe(
      'Syntetiske demotal',
    );
    const pdf = await fetch(`${server?.url}/api/reports/DK?kind=inequality&year=2024&format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(dir, 'ulighed.pdf');
    await writeFile(file, new Uint8Array(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Ulighed i sundhed 2024: Danmark');
    expect(text).toContain('syntetiske demotal');
  }, 120_000);

  it('refuses a municipality with a clear problem', async () => {
    const response = await fetch(`${server?.url}/api/reports/751?kind=inequality&year=2024`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('is written by `pejling report --kind inequality`', async () => {
    await server?.close();
    server = undefined;
    await store.checkpoint();
    await store.close();
    const out = path.join(dir, 'ulighed.html');
    const run = await runCli([
      '--store',
      storeFile,
      'report',
      '--kind',
      'inequality',
      '--year',
      '2024',
      '--format',
      'html',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('inequality report');
    const bad = await runCli(['--store', storeFile, 'report', '--kind', 'equality', '--out', out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--kind must be status or inequality');
  }, 60_000);
});
