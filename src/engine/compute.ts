// Computes every register indicator from record-level files and writes the values to the store.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { geographyOf, type Indicator } from '../catalogue/index.js';
import { suppressValues } from '../disclosure/index.js';
import { UserError } from '../domain/errors.js';
import { queryRows } from '../store/duckdb/duckdb-connection.js';
import type { IndicatorValue, Store } from '../store/index.js';
import { createBaseTables } from './base-tables.js';
import { checkByProvider, computedBy, type Provider, prepareByProvider, queryByProvider } from './by-provider.js';
import { compileRecipe, type PeriodType } from './compile-recipe.js';
import { loadRecipes, type Recipe } from './recipe.js';
import { findTableFile, loadTable, TABLES } from './register-input.js';
import { loadRegisterPractices, PRACTICES_FILE } from './register-practices.js';
import { alignSharedNumerators } from './shared-numerators.js';
import { createUnitMap } from './unit-map.js';

export interface ComputeOptions {
  store: Store;
  dataDir: string;
  catalogueDir: string;
  /** Only these indicators (default: every recipe). */
  indicators?: readonly string[];
  /** Progress messages, e.g. for a CLI. */
  onProgress?: (message: string) => void;
  /** Skip disclosure control, so every cell is published (for tests of the unsuppressed computation); default false. */
  keepSmallCounts?: boolean;
}

export interface ComputeSummary {
  indicators: { id: string; rows: number; suppressed: number; seconds: number }[];
  inputRows: Record<string, number>;
  seconds: number;
}

/** Which counts a template's suppression checks. */
function countFieldsOf(recipe: Recipe): ('numerator' | 'denominator')[] {
  switch (recipe.template) {
    case 'event-count':
    case 'event-rate':
    case 'population-count':
      return ['numerator'];
    case 'mean':
      return ['denominator'];
    default:
      return ['numerator', 'denominator'];
  }
}

/**
 * Reads population, persons, hospital_courses and deaths from `dataDir`, runs every recipe in DuckDB and
 * replaces the stored values of those indicators in one transaction.
 * @example await computeRegisterIndicators({ store, dataDir: 'data/demo', catalogueDir: DEFAULT_CATALOGUE_DIR })
 */
export async function computeRegisterIndicators(options: ComputeOptions): Promise<ComputeSummary> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const { recipes: allRecipes, lists } = await loadRecipes(options.catalogueDir);
  const recipes = options.indicators ? allRecipes.filter((r) => options.indicators?.includes(r.indicator)) : allRecipes;
  if (options.indicators) {
    const unknown = options.indicators.filter((id) => !allRecipes.some((r) => r.indicator === id));
    if (unknown.length) {
      throw new UserError(`No recipe computes ${unknown.join(', ')}`, {
        hint: `Register indicators: ${allRecipes.map((r) => r.indicator).join(', ')}`,
      });
    }
  }
  const indicators = new Map((await options.store.listIndicators()).map((i) => [i.id, i]));
  for (const recipe of recipes) {
    if (!indicators.has(recipe.indicator)) {
      throw new UserError(`The recipe for '${recipe.indicator}' has no indicator in the catalogue`, {
        hint: 'Add the indicator to catalogue/indicators.yaml and run `pejling init`.',
      });
    }
  }
  const practices = await loadRegisterPractices(options.store, options.dataDir);
  if (practices > 0) progress(`Stored ${practices} general practices from ${PRACTICES_FILE}`);
  const units = await options.store.listOrgUnits();
  const municipalities = units.filter((u) => u.type === 'municipality');
  const nation = units.find((u) => u.type === 'nation');
  if (!nation || municipalities.length === 0) {
    throw new UserError('The store has no organisation units', { hint: 'Run `pejling init` first.' });
  }
  const groupings = await options.store.listGroupings();
  // Disclosure control's geography: regions, Region Østdanmark and the health clusters as sums of municipalities.
  const { parents, partitions } = geographyOf(units, await options.store.listGroups(), groupings);

  const spill = await mkdtemp(path.join(tmpdir(), 'pejling-engine-'));
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: spill });
  const conn = await instance.connect();
  try {
    const inputRows = await loadRegister(
      conn,
      options.dataDir,
      municipalities.map((m) => m.code),
      progress,
    );
    progress('Building admissions from courses');
    const quarterCohorts = recipes.some(
      (r) => r.template === 'cohort-activity' && indicators.get(r.indicator)?.periodTypes.includes('quarter'),
    );
    await createBaseTables(conn, { dailyLatestCourse: quarterCohorts });
    await createUnitMap(conn, municipalities, nation.code, { units, groupings });
    for (const recipe of recipes) checkByProvider(recipe);
    const providerType = { hospital: 'hospital', practice: 'gp-practice' } as const;
    const providers: Provider[] = [];
    for (const provider of ['hospital', 'practice'] as const) {
      const known = units.filter((u) => u.type === providerType[provider]);
      if (known.length === 0 || !recipes.some((r) => computedBy(r, provider))) continue;
      await prepareByProvider(conn, provider, known);
      providers.push(provider);
    }

    const all: IndicatorValue[] = [];
    const summary: ComputeSummary['indicators'] = [];
    for (const [i, recipe] of recipes.entries()) {
      const t0 = performance.now();
      const indicator = indicators.get(recipe.indicator) as Indicator;
      progress(`[${i + 1}/${recipes.length}] ${recipe.indicator}`);
      const periodTypes = indicator.periodTypes.filter((p): p is PeriodType => p === 'year' || p === 'quarter');
      const sql = compileRecipe(recipe, { periodTypes: periodTypes.length ? periodTypes : ['year'], lists });
      const rows = await queryRows(conn, sql);
      // Row by row: spreading a provider's hundreds of thousands of rows into push() overflows the call stack.
      for (const provider of providers) {
        if (computedBy(recipe, provider)) for (const row of await queryByProvider(conn, provider, sql)) rows.push(row);
      }
      const values = toValues(recipe, indicator, rows);
      const suppressed = options.keepSmallCounts
        ? 0
        : suppressValues(values, { countFields: countFieldsOf(recipe), parents, partitions }).hidden;
      for (const value of values) all.push(value);
      summary.push({ id: recipe.indicator, rows: values.length, suppressed, seconds: (performance.now() - t0) / 1000 });
    }
    if (!options.keepSmallCounts) {
      alignSharedNumerators(all, recipes);
      for (const s of summary) s.suppressed = all.filter((v) => v.indicator === s.id && v.suppressed).length;
    }
    progress(`Writing ${all.length} values to the store`);
    await options.store.replaceValues(
      recipes.map((r) => r.indicator),
      all,
      'register',
    );
    return { indicators: summary, inputRows, seconds: (performance.now() - started) / 1000 };
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}

/**
 * Loads the record-level tables of `dataDir` into a DuckDB connection as typed tables (population, persons,
 * hospital_courses, deaths); returns the row count of each.
 */
export async function loadRegister(
  conn: DuckDBConnection,
  dataDir: string,
  municipalityCodes: readonly string[],
  progress: (message: string) => void = () => {},
): Promise<Record<string, number>> {
  const inputRows: Record<string, number> = {};
  for (const spec of TABLES) {
    const file = findTableFile(dataDir, spec.name);
    if (!file) {
      if (spec.required) {
        throw new UserError(`${dataDir} has no ${spec.name} table`, {
          hint: `Add ${spec.name}.csv or ${spec.name}.parquet (see docs/data-formats.md), or create demo data with \`pejling demo-data\`.`,
        });
      }
      const columns = Object.entries(spec.columns).map(([name, c]) => `"${name}" ${c.type}`);
      await conn.run(`CREATE TABLE "${spec.name}" (${columns.join(', ')})`);
      inputRows[spec.name] = 0;
      continue;
    }
    progress(`Reading ${path.basename(file)}`);
    inputRows[spec.name] = await loadTable(conn, spec, file, municipalityCodes);
  }
  return inputRows;
}

function toValues(recipe: Recipe, indicator: Indicator, rows: Record<string, unknown>[]): IndicatorValue[] {
  const values: IndicatorValue[] = [];
  for (const row of rows) {
    const numerator = row.numerator === null ? null : Number(row.numerator);
    let denominator = row.denominator === null ? null : Number(row.denominator);
    let value: number | null;
    if (recipe.template === 'event-count' || recipe.template === 'population-count') {
      if (denominator === null && numerator === 0) continue;
      denominator = null;
      value = numerator;
    } else {
      if (denominator === null || denominator === 0 || numerator === null) continue;
      value = (numerator / denominator) * indicator.multiplier;
    }
    values.push({
      indicator: recipe.indicator,
      unit: String(row.unit),
      period: String(row.period),
      breakdown: String(row.breakdown),
      numerator,
      denominator,
      value,
      suppressed: false,
    });
  }
  return values;
}
