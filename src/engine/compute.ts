// Computes every register indicator from record-level files and writes the values to the store.
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Indicator } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { suppressSmallCounts } from '../domain/suppression.js';
import { queryRows } from '../store/duckdb/duckdb-connection.js';
import type { IndicatorValue, Store } from '../store/index.js';
import { createBaseTables, createUnitMap } from './base-tables.js';
import { compileRecipe, type PeriodType } from './compile-recipe.js';
import { defaultTempDir, openEngineDatabase } from './engine-database.js';
import { loadRecipes, type Recipe } from './recipe.js';
import { findTableFile, loadTable, TABLES } from './register-input.js';

export interface ComputeOptions {
  store: Store;
  dataDir: string;
  catalogueDir: string;
  /** Only these indicators (default: every recipe). */
  indicators?: readonly string[];
  /** Progress messages, e.g. for a CLI. */
  onProgress?: (message: string) => void;
  /** Keep suppressed cells' numbers (for tests of the unsuppressed computation); default false. */
  keepSmallCounts?: boolean;
  /** DuckDB memory limit such as `6GB` (default: 60 % of the machine's memory); beyond it DuckDB spills to disk. */
  memoryLimit?: string;
  /** Folder for spill files (default: the store's folder). */
  tempDir?: string;
  /** DuckDB worker threads (default: one per core). */
  threads?: number;
}

export interface ComputeSummary {
  indicators: { id: string; rows: number; suppressed: number; seconds: number }[];
  inputRows: Record<string, number>;
  seconds: number;
  /** The memory limit the computation ran under, and the most it wrote to spill files (bytes). */
  memoryLimit: string;
  spilledBytes: number;
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
  const units = await options.store.listOrgUnits();
  const municipalities = units.filter((u) => u.type === 'municipality');
  const nation = units.find((u) => u.type === 'nation');
  if (!nation || municipalities.length === 0) {
    throw new UserError('The store has no organisation units', { hint: 'Run `pejling init` first.' });
  }
  const parentOf = new Map(units.map((u) => [u.code, u.parent]));

  const db = await openEngineDatabase({
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    tempDir: options.tempDir ?? defaultTempDir(options.store.location),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const conn = db.conn;
  let spilledBytes = 0;
  const noteSpill = async () => {
    spilledBytes = Math.max(spilledBytes, await db.spilledBytes());
  };
  try {
    const inputRows = await loadRegister(
      conn,
      options.dataDir,
      municipalities.map((m) => m.code),
      progress,
    );
    await noteSpill();
    progress('Building admissions from courses');
    const quarterCohorts = recipes.some(
      (r) => r.template === 'cohort-activity' && indicators.get(r.indicator)?.periodTypes.includes('quarter'),
    );
    await createBaseTables(conn, { dailyLatestCourse: quarterCohorts });
    await createUnitMap(conn, municipalities, nation.code);
    await noteSpill();

    const summary: ComputeSummary['indicators'] = [];
    // One indicator at a time: its rows are suppressed together and handed to the store, which stages them
    // and replaces the stored values in one transaction once every indicator has been computed.
    async function* computed(): AsyncGenerator<IndicatorValue[]> {
      for (const [i, recipe] of recipes.entries()) {
        const t0 = performance.now();
        const indicator = indicators.get(recipe.indicator) as Indicator;
        progress(`[${i + 1}/${recipes.length}] ${recipe.indicator}`);
        const periodTypes = indicator.periodTypes.filter((p): p is PeriodType => p === 'year' || p === 'quarter');
        const sql = compileRecipe(recipe, { periodTypes: periodTypes.length ? periodTypes : ['year'], lists });
        const values: IndicatorValue[] = [];
        const result = await conn.stream(sql);
        for await (const rows of result.yieldRowObjectJs()) values.push(...toValues(recipe, indicator, rows));
        await noteSpill();
        const suppressed = options.keepSmallCounts ? 0 : applySuppression(recipe, values, parentOf);
        summary.push({
          id: recipe.indicator,
          rows: values.length,
          suppressed,
          seconds: (performance.now() - t0) / 1000,
        });
        yield values;
      }
    }
    await options.store.replaceValuesIn({ indicators: recipes.map((r) => r.indicator) }, computed(), 'register');
    return {
      indicators: summary,
      inputRows,
      seconds: (performance.now() - started) / 1000,
      memoryLimit: db.memoryLimit,
      spilledBytes,
    };
  } finally {
    await db.close();
  }
}

/** Small-number suppression of one indicator's rows (the one place it is applied); returns how many. */
function applySuppression(
  recipe: Recipe,
  values: IndicatorValue[],
  parentOf: ReadonlyMap<string, string | null>,
): number {
  const countFields = countFieldsOf(recipe);
  const suppressed = suppressSmallCounts(values, { countFields, parentOf });
  for (const v of values) if (v.suppressed) hide(v, countFields);
  return suppressed;
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

function toValues(recipe: Recipe, indicator: Indicator, rows: readonly Record<string, unknown>[]): IndicatorValue[] {
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

/** A suppressed row keeps only what does not reveal the small count. */
function hide(value: IndicatorValue, countFields: readonly ('numerator' | 'denominator')[]): void {
  value.value = null;
  value.numerator = null;
  if (countFields.includes('denominator')) value.denominator = null;
}
