// Computes every register indicator from record-level files and writes the values to the store.
import { geographyOf, type Indicator } from '../catalogue/index.js';
import { practiceSumsOf, providerSumsOf } from '../disclosure/index.js';
import { startDisclosureWorker } from '../disclosure/protect-in-worker.js';
import { UserError } from '../domain/errors.js';
import { parsePeriod } from '../domain/period.js';
import type { IndicatorValue, Store } from '../store/index.js';
import { type BaseTableNeeds, preparationWeight, prepareRegister, STEP_WEIGHTS } from './base-tables.js';
import {
  checkByProvider,
  computedBy,
  PROVIDER_LEVEL,
  type Provider,
  prepareByProvider,
  providerGroupRows,
  providerPeriodTypes,
  queryByProvider,
  withProvider,
} from './by-provider.js';
import {
  COHORT_PASS,
  cohortCodes,
  compileCohortCells,
  compileFollowUpHits,
  compileRecipe,
  compileSharedCells,
  type PeriodType,
  sharedPassOf,
} from './compile-recipe.js';
import { defaultTempDir, openEngineDatabase } from './engine-database.js';
import { type DiagnosisList, type EventFilter, loadRecipes, type Recipe } from './recipe.js';
import { CLUSTERS_FILE, loadRegisterPractices, PRACTICES_FILE } from './register-practices.js';
import { alignSharedNumerators } from './shared-numerators.js';

export interface ComputeOptions {
  store: Store;
  dataDir: string;
  catalogueDir: string;
  /** Only these indicators (default: every recipe). */
  indicators?: readonly string[];
  /**
   * Only the periods of these years: their values are replaced, all others kept. The files are still read
   * whole, so chains, follow-up windows and cohort lookbacks that reach outside the years count as in a full run.
   * Disclosure control runs over each indicator's whole table (the kept values beside the new ones), so the
   * kept values' suppression flags are re-checked and written too, as an import does.
   */
  years?: { from: number; to: number };
  /** Progress: the step starting and the share of the work done before it (0-1; 1 when finished). */
  onProgress?: (step: string, share: number) => void;
  /** Skip disclosure control, so every cell is published (for tests of the unsuppressed computation); default false. */
  keepSmallCounts?: boolean;
  /** DuckDB memory limit such as `6GB` (default: a quarter of the machine's memory); beyond it DuckDB spills to disk. */
  memoryLimit?: string;
  /** Folder for spill files (default: the store's folder). */
  tempDir?: string;
  /** DuckDB worker threads (default: one per core). */
  threads?: number;
}

export interface ComputeSummary {
  indicators: { id: string; rows: number; suppressed: number; seconds: number }[];
  /**
   * Time of each step (reading each file, each base table, each shared pass, each recipe, writing): wall time,
   * and CPU time of the process's threads (steadier than wall time on a shared machine).
   */
  steps: { name: string; seconds: number; cpuSeconds: number }[];
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
  const loaded = await loadRegisterPractices(options.store, options.dataDir);
  if (loaded.practices > 0) progress(`Stored ${loaded.practices} general practices from ${PRACTICES_FILE}`, 0);
  if (loaded.clusters > 0) progress(`Stored ${loaded.clusters} kvalitetsklynger from ${CLUSTERS_FILE}`, 0);
  const units = await options.store.listOrgUnits();
  const municipalities = units.filter((u) => u.type === 'municipality');
  const nation = units.find((u) => u.type === 'nation');
  if (!nation || municipalities.length === 0) {
    throw new UserError('The store has no organisation units', { hint: 'Run `pejling init` first.' });
  }
  const groupings = await options.store.listGroupings();
  // Disclosure control's geography: regions, Region Østdanmark and the health clusters as sums of municipalities.
  const { parents, partitions } = geographyOf(units, await options.store.listGroups(), groupings);
  // And Denmark = Σ hospitals, Denmark = Σ practices and a municipality = Σ its practices, each up to a remainder.
  const providerSums = providerSumsOf(units, groupings);
  const practiceSums = practiceSumsOf(groupings);
  for (const recipe of recipes) checkByProvider(recipe);
  const providerType = { hospital: 'hospital', practice: 'gp-practice' } as const;
  const providers = (['hospital', 'practice'] as const).filter(
    (provider) => units.some((u) => u.type === providerType[provider]) && recipes.some((r) => computedBy(r, provider)),
  );
  if (options.years && !(options.years.from <= options.years.to)) {
    throw new UserError(
      `--years must run from an earlier to a later year; got ${options.years.from}-${options.years.to}`,
    );
  }
  const yearsOption = options.years ? { years: options.years } : {};
  // A kept value of a practice or kvalitetsklynge below the practices' level (stored by an earlier version) is not kept.
  const practiceCodes = new Set(
    units.filter((u) => u.type === providerType.practice || u.type === 'gp-cluster').map((u) => u.code),
  );
  const practiceLevel = PROVIDER_LEVEL.practice;
  const atProviderLevel = (v: IndicatorValue) => {
    if (!practiceCodes.has(v.unit)) return true;
    const type = parsePeriod(v.period)?.type;
    return (
      (!practiceLevel.totalsOnly || v.breakdown === 'total') &&
      (practiceLevel.periodTypes === 'all' || practiceLevel.periodTypes.some((p) => p === type))
    );
  };

  const periodTypesOf = (recipe: Recipe): PeriodType[] => {
    const types = (indicators.get(recipe.indicator) as Indicator).periodTypes.filter(
      (p): p is PeriodType => p === 'year' || p === 'quarter',
    );
    return types.length ? types : ['year'];
  };
  const needs = baseTableNeeds(recipes, lists, (r) => periodTypesOf(r).includes('quarter'), {
    hospital: providers.includes('hospital'),
  });
  // Recipes reading the same events by the same date share one pass.
  const passes = new Map<string, Recipe[]>();
  for (const recipe of recipes) {
    const key = sharedPassOf(recipe);
    if (key) passes.set(key, [...(passes.get(key) ?? []), recipe]);
  }

  // A pass's cells; the cohort pass is made for every period type one of its recipes is computed for (by a
  // provider: at the provider's level).
  const sharedCells = (key: string, group: readonly Recipe[], hits?: (string | undefined)[], provider?: Provider) =>
    key === COHORT_PASS
      ? compileCohortCells(group, {
          lists,
          periodTypes: [
            ...new Set(
              group.flatMap((r) => (provider ? providerPeriodTypes(provider, periodTypesOf(r)) : periodTypesOf(r))),
            ),
          ],
        })
      : compileSharedCells(group, { lists, ...yearsOption, ...(hits ? { hits } : {}) });

  const db = await openEngineDatabase({
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    tempDir: options.tempDir ?? defaultTempDir(options.store.location),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const conn = db.conn;
  const steps: ComputeSummary['steps'] = [];
  let spilledBytes = 0;
  let current: { name: string; started: number; cpu: NodeJS.CpuUsage } | undefined;
  const endStep = async () => {
    if (current) {
      const cpu = process.cpuUsage(current.cpu);
      steps.push({
        name: current.name,
        seconds: (performance.now() - current.started) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      });
    }
    current = undefined;
    spilledBytes = Math.max(spilledBytes, await db.spilledBytes());
  };
  const totalWeight =
    preparationWeight(needs) +
    [...passes.keys(), ...providerPasses(providers, passes).map(([, key]) => key)].reduce(
      (sum, key) => sum + (key === COHORT_PASS ? STEP_WEIGHTS.cohortPass : STEP_WEIGHTS.sharedPass),
      0,
    ) +
    recipes.length * STEP_WEIGHTS.recipe +
    STEP_WEIGHTS.write;
  let doneWeight = 0;
  let currentWeight = 0;
  const startStep = async (name: string, weight: number) => {
    await endStep();
    doneWeight += currentWeight;
    currentWeight = weight;
    current = { name, started: performance.now(), cpu: process.cpuUsage() };
    progress(name, Math.min(1, doneWeight / totalWeight));
  };
  // Worker threads for disclosure control, fed one indicator at a time (none when small counts are kept).
  const disclosure = options.keepSmallCounts ? undefined : startDisclosureWorker();
  try {
    const inputRows = await prepareRegister(conn, {
      dataDir: options.dataDir,
      municipalities,
      nationCode: nation.code,
      structure: { units, groupings },
      needs,
      ...(options.years ? { years: options.years } : {}),
      onStep: (name, weight) => startStep(name, weight),
    });
    await endStep();
    for (const provider of providers) {
      await prepareByProvider(
        conn,
        provider,
        units.filter((u) => u.type === providerType[provider]),
        provider === 'practice' ? providerGroupRows(units, groupings, 'gp-practice', 'gp-cluster') : [],
      );
    }
    const sharedTables = new Map<string, string>();
    // Follow-up hits of a pass that is also made by provider are kept as tables, found once for both.
    const hitTables = new Map<string, (string | undefined)[]>();
    const byProvider = new Set(providerPasses(providers, passes).map(([, key]) => key));
    for (const [key, group] of passes) {
      const table = `cells_${sharedTables.size}`;
      await startStep(
        `One pass over ${passName(key)} for ${group.map((r) => r.indicator).join(', ')}`,
        key === COHORT_PASS ? STEP_WEIGHTS.cohortPass : STEP_WEIGHTS.sharedPass,
      );
      if (byProvider.has(key) && group.some((r) => r.template === 'follow-up')) {
        const hits = group.map((r, i) => (r.template === 'follow-up' ? `main.hits_${table}_${i}` : undefined));
        for (const [i, name] of hits.entries()) {
          const recipe = group[i];
          if (name && recipe)
            await conn.run(
              `CREATE OR REPLACE TABLE ${name} AS ${compileFollowUpHits(recipe, { lists, ...yearsOption })}`,
            );
        }
        hitTables.set(key, hits);
      }
      await conn.run(`CREATE OR REPLACE TABLE ${table} AS ${sharedCells(key, group, hitTables.get(key))}`);
      sharedTables.set(key, table);
    }
    // The same passes over the events attributed to providers, under the same table names in the provider's
    // schema, so a recipe's query reads them when it runs there.
    for (const [provider, key] of providerPasses(providers, passes)) {
      const group = passes.get(key) ?? [];
      await startStep(
        `One pass over ${passName(key)} by ${provider}`,
        key === COHORT_PASS ? STEP_WEIGHTS.cohortPass : STEP_WEIGHTS.sharedPass,
      );
      await withProvider(conn, provider, () =>
        conn.run(
          `CREATE OR REPLACE TABLE by_${provider}.${sharedTables.get(key)} AS ${sharedCells(key, group, hitTables.get(key), provider)}`,
        ),
      );
    }
    await endStep();

    const summary: ComputeSummary['indicators'] = [];
    const computed: IndicatorValue[][] = [];
    const protecting: Promise<void>[] = [];
    const scopePeriods = options.years ? new Set(periodsOf(options.years)) : undefined;
    for (const [i, recipe] of recipes.entries()) {
      const t0 = performance.now();
      const indicator = indicators.get(recipe.indicator) as Indicator;
      await startStep(`[${i + 1}/${recipes.length}] ${recipe.indicator}`, STEP_WEIGHTS.recipe);
      const key = sharedPassOf(recipe);
      const table = key ? sharedTables.get(key) : undefined;
      const compileOptions = {
        lists,
        ...yearsOption,
        ...(key && table ? { shared: { table, index: passes.get(key)?.indexOf(recipe) ?? 0 } } : {}),
      };
      const sql = compileRecipe(recipe, { ...compileOptions, periodTypes: periodTypesOf(recipe) });
      // With --years, disclosure control sees the indicator's whole table: the stored values of the other
      // periods are kept beside the new ones and written back with their (re-checked) flags.
      const values: IndicatorValue[] = scopePeriods
        ? (await options.store.queryValues({ indicator: recipe.indicator, full: true }))
            .filter((v) => !scopePeriods.has(v.period) && atProviderLevel(v))
            .map(({ synthetic: _synthetic, ...v }) => v)
        : [];
      const result = await conn.stream(sql);
      for await (const rows of result.yieldRowObjectJs()) values.push(...toValues(recipe, indicator, rows));
      for (const provider of providers) {
        // Each provider at its level: hospitals in full, practices' yearly totals only.
        const periodTypes = providerPeriodTypes(provider, periodTypesOf(recipe));
        if (!computedBy(recipe, provider) || periodTypes.length === 0) continue;
        const providerSql = compileRecipe(recipe, {
          ...compileOptions,
          periodTypes,
          totalsOnly: PROVIDER_LEVEL[provider].totalsOnly,
        });
        // Row by row: spreading a provider's hundreds of thousands of rows into push() overflows the call stack.
        for (const v of toValues(recipe, indicator, await queryByProvider(conn, provider, providerSql))) values.push(v);
      }
      // Disclosure control runs in its worker threads while DuckDB computes the next indicator.
      const entry = { id: recipe.indicator, rows: 0, suppressed: 0, seconds: 0 };
      if (disclosure) {
        const done = disclosure
          .suppress(values, {
            countFields: countFieldsOf(recipe),
            parents,
            partitions,
            providerSums,
            practiceSums,
            solverFirst: true,
          })
          .then((r) => {
            entry.suppressed = r.hidden;
          });
        done.catch(() => {}); // awaited below; an error before then must not go unhandled
        protecting.push(done);
      }
      computed.push(values);
      entry.rows = scopePeriods ? values.filter((v) => scopePeriods.has(v.period)).length : values.length;
      entry.seconds = (performance.now() - t0) / 1000;
      summary.push(entry);
    }
    if (disclosure) {
      // What is left of disclosure control after the last query.
      await startStep('Disclosure control', 0);
      await Promise.all(protecting);
    }
    // Indicators counting the same events hide the same cells (the values of every indicator are needed first).
    if (!options.keepSmallCounts) {
      alignSharedNumerators(computed.flat(), recipes);
      for (const [i, s] of summary.entries()) s.suppressed = (computed[i] ?? []).filter((v) => v.suppressed).length;
    }
    await startStep('Writing to the store', STEP_WEIGHTS.write);
    // One indicator at a time is handed to the store, which replaces the stored values in one transaction.
    async function* chunks(): AsyncGenerator<IndicatorValue[]> {
      yield* computed;
    }
    await options.store.replaceValuesIn({ indicators: recipes.map((r) => r.indicator) }, chunks(), 'register');
    await endStep();
    progress('Done', 1);
    return {
      indicators: summary,
      steps,
      inputRows,
      seconds: (performance.now() - started) / 1000,
      memoryLimit: db.memoryLimit,
      spilledBytes,
    };
  } catch (error) {
    if (error instanceof Error && /Out of Memory Error/.test(error.message)) {
      throw new UserError(`The computation needs more memory than the limit of ${db.memoryLimit} allows`, {
        hint: 'Raise --memory-limit (DuckDB spills to --temp-dir beyond it, but some steps need a minimum), or use fewer --threads.',
        details: [error.message.split('\n')[0] ?? ''],
      });
    }
    throw error;
  } finally {
    await disclosure?.close();
    await db.close();
  }
}

/**
 * The base tables a set of recipes needs (`byQuarter`: whether a recipe is computed by quarter too;
 * `hospital`: whether values by hospital are computed, which read the courses' hospital codes).
 */
export function baseTableNeeds(
  recipes: readonly Recipe[],
  lists: ReadonlyMap<string, DiagnosisList>,
  byQuarter: (recipe: Recipe) => boolean,
  options: { hospital?: boolean } = {},
): BaseTableNeeds {
  const filters = recipes.flatMap(filtersOf);
  return {
    courseColumns: {
      hospital: options.hospital ?? false,
      virtual: filters.some((f) => f.virtual !== undefined),
      diagnosis:
        filters.some((f) => f.diagnoses !== undefined) || recipes.some((r) => r.template === 'cohort-activity'),
    },
    inpatientOnly: recipes.every(
      (r) =>
        r.template === 'population-count' ||
        (r.template !== 'cohort-activity' &&
          r.events === 'admissions' &&
          (r.template !== 'follow-up' || r.followUp.events === 'admissions')),
    ),
    population: recipes.some((r) => r.template === 'population-count' || r.template === 'event-rate'),
    courses: recipes.some((r) => r.template !== 'population-count'),
    admissions: recipes.some(
      (r) =>
        r.template !== 'population-count' &&
        (r.events === 'admissions' || (r.template === 'follow-up' && r.followUp.events === 'admissions')),
    ),
    cohortCodes: [...new Set(recipes.flatMap((r) => cohortCodes(r, lists)))],
    dailyLatestCourse: recipes.some((r) => r.template === 'cohort-activity' && byQuarter(r)),
  };
}

/** A pass's name in the steps: 'admissions by discharge date', 'cohorts'. */
function passName(key: string): string {
  return key === COHORT_PASS ? 'the cohorts' : `${key.replace(':', ' by ')} date`;
}

/** Every event filter of a recipe: its events', its numerator's and its follow-up events'. */
function filtersOf(recipe: Recipe): EventFilter[] {
  return [
    recipe.filter,
    ...(recipe.template === 'share' ? [recipe.numerator] : []),
    ...(recipe.template === 'follow-up' ? [recipe.followUp.filter] : []),
  ];
}

/** Every year and quarter of a range of years, as period codes. */
export function periodsOf(years: { from: number; to: number }): string[] {
  const periods: string[] = [];
  for (let y = years.from; y <= years.to; y++) periods.push(String(y), ...[1, 2, 3, 4].map((q) => `${y}Q${q}`));
  return periods;
}

/** The shared passes each provider needs: those with a recipe computed by the provider. */
function providerPasses(
  providers: readonly Provider[],
  passes: ReadonlyMap<string, readonly Recipe[]>,
): [Provider, string][] {
  return providers.flatMap((provider) =>
    [...passes]
      .filter(([, group]) => group.some((r) => computedBy(r, provider)))
      .map(([key]): [Provider, string] => [provider, key]),
  );
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
