// Synthetic demo values for the imported indicators: plausible levels, trends, variation between units and
// sampling noise, written as an ordinary long-layout CSV and imported through the normal import path with
// every value marked synthetic.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_CATALOGUE_DIR, type Indicator, type OrgUnit } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { type Random, seededRandom } from '../stats/random.js';
import type { Store } from '../store/index.js';
import { type ImportReport, importAggregates } from './import-aggregates.js';

const unitTypeSchema = z.enum(['nation', 'region', 'municipality']);
const aggregateSchema = z
  .object({
    indicator: z.string(),
    levels: z.array(unitTypeSchema).min(1),
    start: z.number().positive(),
    trend: z.number(),
    spread: z.number().min(0),
    perCitizen: z.number().positive().optional(),
    breakdowns: z.record(z.string(), z.record(z.string(), z.number().positive())).optional(),
  })
  .strict();
export type SyntheticAggregate = z.infer<typeof aggregateSchema>;
const fileSchema = z.object({ schemaVersion: z.literal(1), aggregates: z.array(aggregateSchema) }).strict();

/** Shares of the denominator by category, for indicators broken down by sex or education. */
const CATEGORY_SHARES: Record<string, Record<string, number>> = {
  sex: { M: 0.495, F: 0.505 },
  education: { basic: 0.27, vocational: 0.38, higher: 0.3, unknown: 0.05 },
};

export interface SyntheticOptions {
  fromYear: number;
  toYear: number;
  seed: number;
  catalogueDir?: string;
}

interface Cell {
  numerator: number | null;
  denominator: number | null;
  value: number;
}

/** Reads the demo parameters (catalogue/demo/synthetic-aggregates.yaml). */
export async function loadSyntheticAggregates(catalogueDir = DEFAULT_CATALOGUE_DIR): Promise<SyntheticAggregate[]> {
  const file = path.join(catalogueDir, 'demo', 'synthetic-aggregates.yaml');
  const parsed = fileSchema.safeParse(parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    throw new UserError(`${file} is not a valid demo parameter file`, {
      details: parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`),
    });
  }
  return parsed.data.aggregates;
}

/** Municipality populations of the demo (catalogue/demo/municipality-population.csv), in persons. */
async function loadPopulation(catalogueDir: string): Promise<Map<string, number>> {
  const text = await readFile(path.join(catalogueDir, 'demo', 'municipality-population.csv'), 'utf8');
  const population = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [code, , thousands] = line.split(',');
    if (code && /^\d+$/.test(code) && thousands) population.set(code, Number(thousands) * 1000);
  }
  return population;
}

/**
 * The CSV (long layout) of synthetic values for every imported indicator the parameters name, every unit of
 * its levels and every year. Values are built per municipality and summed (counts) or population-weighted
 * (means) up to the regions and Denmark, so the levels agree.
 * @example const csv = await syntheticAggregatesCsv(indicators, units, { fromYear: 2015, toYear: 2025, seed: 1 })
 */
export async function syntheticAggregatesCsv(
  indicators: readonly Indicator[],
  units: readonly OrgUnit[],
  options: SyntheticOptions,
): Promise<{ csv: string; indicators: string[] }> {
  const catalogueDir = options.catalogueDir ?? DEFAULT_CATALOGUE_DIR;
  const params = await loadSyntheticAggregates(catalogueDir);
  const population = await loadPopulation(catalogueDir);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const municipalities = units.filter((u) => u.type === 'municipality' && population.has(u.code));
  const regions = units.filter((u) => u.type === 'region');
  const lines = ['indicator,unit,period,breakdown,numerator,denominator,value'];
  const done: string[] = [];
  for (const [index, p] of params.entries()) {
    const indicator = byId.get(p.indicator);
    if (indicator?.origin !== 'imported') continue;
    const rng = seededRandom(options.seed * 1000 + index + 1);
    // Persistent deviations: a regional part and a local part, so neighbours resemble each other.
    const regionEffect = new Map(regions.map((r) => [r.code, rng.normal(0, 0.6)]));
    const effect = new Map(
      municipalities.map((m) => [
        m.code,
        Math.max(0.2, 1 + p.spread * ((regionEffect.get(m.parent ?? '') ?? 0) + rng.normal(0, 0.8))),
      ]),
    );
    const categories = Object.entries(p.breakdowns ?? {}).filter(([dim]) =>
      indicator.breakdowns.includes(dim as 'sex'),
    );
    for (let year = options.fromYear; year <= options.toYear; year++) {
      const level = p.start * (1 + p.trend / 100) ** (year - options.fromYear);
      const cellsOf = (factor: number, share: number) => {
        const cells = new Map<string, Cell>();
        for (const m of municipalities) {
          const pop = (population.get(m.code) ?? 0) * share;
          cells.set(m.code, municipalityCell(indicator, p, rng, level * factor * (effect.get(m.code) ?? 1), pop));
        }
        return aggregate(indicator, cells, municipalities, regions, population);
      };
      const rows: [string, string, Cell][] = [];
      const total = cellsOf(1, 1);
      for (const [unit, cell] of total) rows.push([unit, 'total', cell]);
      for (const [dim, factors] of categories) {
        for (const [category, factor] of Object.entries(factors)) {
          const share = CATEGORY_SHARES[dim]?.[category] ?? 1 / Object.keys(factors).length;
          for (const [unit, cell] of cellsOf(factor, share)) rows.push([unit, `${dim}:${category}`, cell]);
        }
      }
      const wanted = new Set(units.filter((u) => p.levels.includes(u.type as 'nation')).map((u) => u.code));
      for (const [unit, breakdown, cell] of rows) {
        if (!wanted.has(unit)) continue;
        lines.push(
          [p.indicator, unit, year, breakdown, cell.numerator ?? '', cell.denominator ?? '', round(cell.value)].join(
            ',',
          ),
        );
      }
    }
    done.push(p.indicator);
  }
  return { csv: `${lines.join('\n')}\n`, indicators: done };
}

/** One municipality's value: counts drawn from the true level (binomial, Poisson), a mean with a little noise. */
function municipalityCell(indicator: Indicator, p: SyntheticAggregate, rng: Random, truth: number, pop: number): Cell {
  const m = indicator.multiplier;
  switch (indicator.measure) {
    case 'proportion': {
      const denominator = Math.max(1, Math.round(pop * (p.perCitizen ?? 0.01)));
      const share = Math.min(0.999, Math.max(0.001, truth / m));
      const numerator = binomial(rng, denominator, share);
      return { numerator, denominator, value: (numerator / denominator) * m };
    }
    case 'rate': {
      const denominator = Math.max(1, Math.round(pop * (p.perCitizen ?? 1)));
      const numerator = rng.poisson((denominator * truth) / m);
      return { numerator, denominator, value: (numerator / denominator) * m };
    }
    case 'count': {
      const numerator = rng.poisson((truth * pop) / 5_900_000);
      return { numerator, denominator: null, value: numerator };
    }
    case 'days-since-event': {
      // The days since the last event are exponential around the typical gap.
      return { numerator: null, denominator: null, value: Math.round(-Math.log(1 - rng.next()) * truth) };
    }
    default:
      return { numerator: null, denominator: null, value: truth * (1 + rng.normal(0, 0.01)) };
  }
}

/** The municipalities' cells with their regions' and Denmark's added. */
function aggregate(
  indicator: Indicator,
  cells: Map<string, Cell>,
  municipalities: readonly OrgUnit[],
  regions: readonly OrgUnit[],
  population: Map<string, number>,
): Map<string, Cell> {
  const combine = (members: readonly OrgUnit[]): Cell => {
    const parts = members.map((u) => ({ cell: cells.get(u.code) as Cell, pop: population.get(u.code) ?? 0 }));
    if (indicator.measure === 'days-since-event')
      return { numerator: null, denominator: null, value: Math.min(...parts.map((x) => x.cell.value)) };
    if (indicator.measure === 'count') {
      const n = parts.reduce((s, x) => s + (x.cell.numerator ?? 0), 0);
      return { numerator: n, denominator: null, value: n };
    }
    if (indicator.measure === 'proportion' || indicator.measure === 'rate') {
      const num = parts.reduce((s, x) => s + (x.cell.numerator ?? 0), 0);
      const den = parts.reduce((s, x) => s + (x.cell.denominator ?? 0), 0);
      return { numerator: num, denominator: den, value: (num / den) * indicator.multiplier };
    }
    const weight = parts.reduce((s, x) => s + x.pop, 0);
    return { numerator: null, denominator: null, value: parts.reduce((s, x) => s + x.cell.value * x.pop, 0) / weight };
  };
  const out = new Map(cells);
  for (const r of regions) {
    const members = municipalities.filter((m) => m.parent === r.code);
    if (members.length) out.set(r.code, combine(members));
  }
  out.set('DK', combine(municipalities));
  return out;
}

function binomial(rng: Random, n: number, p: number): number {
  const variance = n * p * (1 - p);
  if (variance > 25) return Math.min(n, Math.max(0, Math.round(rng.normal(n * p, Math.sqrt(variance)))));
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.chance(p)) k++;
  return k;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * Fills every imported indicator the demo parameters name with synthetic values, through the normal import
 * path (one revision, actor `pejling demo`), every value marked synthetic.
 * @example await importSyntheticAggregates(store, { fromYear: 2015, toYear: 2025, seed: 1 })
 */
export async function importSyntheticAggregates(store: Store, options: SyntheticOptions): Promise<ImportReport> {
  const { csv } = await syntheticAggregatesCsv(await store.listIndicators(), await store.listOrgUnits(), options);
  const report = await importAggregates(store, 'synthetic-demo-aggregates.csv', new TextEncoder().encode(csv), {
    actor: 'pejling demo',
    note: 'Synthetic demo values (catalogue/demo/synthetic-aggregates.yaml); not measured data.',
    synthetic: true,
  });
  if (report.problems.length > 0) {
    throw new UserError('The synthetic demo values did not import', {
      details: report.problems.slice(0, 20).map((p) => `row ${p.row}, ${p.column} '${p.value}': ${p.reason}`),
    });
  }
  return report;
}
