// Compiles recipes to SQL over the engine's base tables (see base-tables.ts). Recipes that read the same events
// by the same date share one pass (compileSharedCells), which groups the events once into small cells with a
// numerator and denominator column per recipe; each recipe's query then rolls its columns up into rows
// (unit, period_type, period, breakdown, numerator, denominator) for every unit level and breakdown.
import { UserError } from '../domain/errors.js';
import type { DiagnosisList, EventFilter, Recipe } from './recipe.js';
import { PERIOD_START_SQL } from './unit-map.js';

export type PeriodType = 'year' | 'quarter';

export interface CompileOptions {
  periodTypes: readonly PeriodType[];
  lists: ReadonlyMap<string, DiagnosisList>;
  /** Only periods of these years. */
  years?: { from: number; to: number };
  /** The recipe's columns in a table made by compileSharedCells (default: a pass of its own). */
  shared?: { table: string; index: number };
  /** Rows for the overall total only, no breakdown categories (the yearly level practices are published at). */
  totalsOnly?: boolean;
}

/** The breakdown dimensions, in the order of their rows; each is a column of the cells. */
export const BREAKDOWNS = ['sex', 'age_group', 'education', 'income'] as const;

/**
 * Recipes whose events are grouped in one pass have the same key: events and period date; all cohort recipes
 * share one pass over their cohorts.
 */
export function sharedPassOf(recipe: Recipe): string | undefined {
  if (recipe.template === 'population-count') return undefined;
  if (recipe.template === 'cohort-activity') return COHORT_PASS;
  return `${recipe.events}:${recipe.periodDate}`;
}

/** The key of the one pass of every cohort recipe. */
export const COHORT_PASS = 'cohorts';

/** SQL for the age group label of an age band (age in whole years / 5, capped at 17 for 85+). */
const ageBandLabel = (band: string) =>
  `CASE WHEN ${band} IS NULL THEN 'unknown' WHEN ${band} >= 17 THEN '85+' ELSE CAST(${band} * 5 AS VARCHAR) || '-' || CAST(${band} * 5 + 4 AS VARCHAR) END`;

/** SQL for the age in whole years on `date` of a person born on `birth`. */
export function ageAt(date: string, birth: string): string {
  return `(extract(year FROM ${date}) - extract(year FROM ${birth}) - CASE WHEN extract(month FROM ${date}) * 100 + extract(day FROM ${date}) < extract(month FROM ${birth}) * 100 + extract(day FROM ${birth}) THEN 1 ELSE 0 END)`;
}

/** SQL for the five-year age group ('0-4' … '85+') of an age expression; 'unknown' when it is null. */
export function ageGroupOf(age: string): string {
  return `CASE WHEN ${age} IS NULL THEN 'unknown' WHEN ${age} >= 85 THEN '85+' ELSE CAST(CAST(floor(${age} / 5) * 5 AS INTEGER) AS VARCHAR) || '-' || CAST(CAST(floor(${age} / 5) * 5 + 4 AS INTEGER) AS VARCHAR) END`;
}

/** SQL for the income breakdown category ('Q1' … 'Q4', 'unknown') of a row alias with `income_quartile`. */
export const INCOME_OF = (alias: string) => `coalesce('Q' || CAST(${alias}.income_quartile AS VARCHAR), 'unknown')`;

const yearOf = (date: string) => `CAST(extract(year FROM ${date}) AS INTEGER)`;
const quarterOf = (date: string) => `CAST(extract(quarter FROM ${date}) AS INTEGER)`;
/** Quarters counted from year 0: year × 4 + quarter − 1, so consecutive quarters differ by one. */
const quarterNumber = (date: string) => `(${yearOf(date)} * 4 + ${quarterOf(date)} - 1)`;

/**
 * Expands additive cells kept by (year, quarter) to the requested period types; the year cells are the sums
 * of their quarters, so events are grouped only once.
 */
function expandPeriods(cells: string, periodTypes: readonly PeriodType[]): string {
  const dims = `municipality_code, ${BREAKDOWNS.join(', ')}`;
  const selects: string[] = [];
  if (periodTypes.includes('year')) {
    selects.push(
      `SELECT ${dims}, 'year' AS period_type, CAST(y AS VARCHAR) AS period, sum(num) AS num, sum(den) AS den FROM q GROUP BY ${dims}, y`,
    );
  }
  if (periodTypes.includes('quarter')) {
    // Quarters are totals only, so their cells are summed over the breakdowns straight away.
    selects.push(`SELECT municipality_code, ${QUARTER_DIMS}, 'quarter', CAST(y AS VARCHAR) || 'Q' || CAST(qu AS VARCHAR),
      sum(num), sum(den) FROM q GROUP BY municipality_code, y, qu`);
  }
  return `WITH q AS (${cells}) ${selects.join(' UNION ALL ')}`;
}

/** The breakdown columns of quarter cells, which have none ('*'). */
const QUARTER_DIMS = BREAKDOWNS.map((b) => `'*' AS ${b}`).join(', ');

/** Normalises a diagnosis code as the base tables do: upper case, no dot, no leading SKS 'D' (DJ441 → J441). */
export function normaliseDiagnosisCode(code: string): string {
  return code
    .trim()
    .toUpperCase()
    .replaceAll('.', '')
    .replace(/^D([A-Z])/, '$1');
}

function diagnosisCodes(
  diagnoses: NonNullable<EventFilter['diagnoses']>,
  lists: ReadonlyMap<string, DiagnosisList>,
): string[] {
  if ('codes' in diagnoses) return diagnoses.codes.map(normaliseDiagnosisCode);
  const list = lists.get(diagnoses.list);
  if (!list) {
    throw new UserError(`The recipe names the diagnosis list '${diagnoses.list}', which does not exist`, {
      hint: `Known lists: ${[...lists.keys()].join(', ')} (catalogue/diagnosis-lists/).`,
    });
  }
  return list.groups.flatMap((g) => g.codes.map(normaliseDiagnosisCode));
}

/** SQL: the raw diagnosis column matches one of the normalised codes by prefix (through diagnosis_codes). */
function diagnosisMatch(column: string, codes: readonly string[]): string {
  const like = codes.map((c) => `normalised LIKE '${c.replaceAll("'", '')}%'`).join(' OR ');
  return `${column} IN (SELECT code FROM diagnosis_codes WHERE ${like})`;
}

/** The normalised codes a cohort recipe follows (for the base tables of cohort persons). */
export function cohortCodes(recipe: Recipe, lists: ReadonlyMap<string, DiagnosisList>): string[] {
  return recipe.template === 'cohort-activity' ? diagnosisCodes(recipe.cohort.diagnoses, lists) : [];
}

/** SQL conditions of a filter over the event alias `e`. */
export function compileFilter(filter: EventFilter, e: string, lists: ReadonlyMap<string, DiagnosisList>): string {
  const parts: string[] = [];
  if (filter.kind) parts.push(filter.kind === 'psychiatric' ? `${e}.psychiatric` : `NOT ${e}.psychiatric`);
  for (const flag of ['acute', 'inpatient', 'virtual'] as const) {
    const wanted = filter[flag];
    if (wanted !== undefined) parts.push(wanted ? `${e}.${flag}` : `NOT ${e}.${flag}`);
  }
  const age = `${e}.start_age`;
  if (filter.minAge !== undefined) parts.push(`${age} >= ${filter.minAge}`);
  if (filter.maxAge !== undefined) parts.push(`${age} <= ${filter.maxAge}`);
  if (filter.diagnoses) {
    const codes = diagnosisCodes(filter.diagnoses, lists);
    parts.push(diagnosisMatch(`${e}.primary_diagnosis`, codes));
  }
  if (filter.discharged !== undefined) parts.push(`${e}.end_date IS ${filter.discharged ? 'NOT ' : ''}NULL`);
  if (filter.aliveAtDischarge) parts.push(`(${e}.death_date IS NULL OR ${e}.death_date > ${e}.end_date)`);
  if (filter.diedWithinDays) {
    const { from, to } = filter.diedWithinDays;
    parts.push(`(${e}.death_date IS NOT NULL AND ${e}.death_date - ${e}.start_date BETWEEN ${from} AND ${to})`);
  }
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

const eventTable = (events: 'courses' | 'admissions') => (events === 'courses' ? 'course_events' : 'admission_events');

function populationCells(
  periodTypes: readonly PeriodType[],
  years: CompileOptions['years'],
  minAge?: number,
  maxAge?: number,
): string {
  for (const bound of [minAge, maxAge === undefined ? undefined : maxAge + 1]) {
    if (bound !== undefined && (bound % 5 !== 0 || bound > 85)) {
      throw new UserError(`A population age limit must fall on an age-group boundary (0, 5, …, 85); got ${bound}`);
    }
  }
  const lower = `CAST(split_part(replace(p.age_group, '+', ''), '-', 1) AS INTEGER)`;
  const conditions = [
    minAge !== undefined ? `${lower} >= ${minAge}` : undefined,
    maxAge !== undefined ? `${lower} + 4 <= ${maxAge} AND p.age_group <> '85+'` : undefined,
    years ? `p.year BETWEEN ${years.from} AND ${years.to}` : undefined,
  ].filter(Boolean);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const selects: string[] = [];
  if (periodTypes.includes('year')) {
    selects.push(
      `SELECT p.municipality_code, 'year' AS period_type, CAST(p.year AS VARCHAR) AS period, p.sex, p.age_group, p.education, ${INCOME_OF('p')} AS income, p.count FROM population p ${where}`,
    );
  }
  if (periodTypes.includes('quarter')) {
    selects.push(`SELECT p.municipality_code, 'quarter', CAST(p.year AS VARCHAR) || 'Q' || CAST(q.q AS VARCHAR), ${QUARTER_DIMS}, p.count
      FROM population p CROSS JOIN (VALUES (1), (2), (3), (4)) q(q) ${where}`);
  }
  return `SELECT municipality_code, period_type, period, ${BREAKDOWNS.join(', ')}, sum(count) AS den
    FROM (${selects.join(' UNION ALL ')}) x GROUP BY municipality_code, period_type, period, ${BREAKDOWNS.join(', ')}`;
}

/** The `cells` query: numerator and denominator per municipality, period and person attributes. */
function cellsSql(recipe: Recipe, options: CompileOptions): string {
  const { periodTypes } = options;
  if (recipe.template === 'population-count') {
    return `SELECT municipality_code, period_type, period, ${BREAKDOWNS.join(', ')}, den AS num, CAST(NULL AS BIGINT) AS den
      FROM (${populationCells(
        periodTypes.filter((t) => t === 'year'),
        options.years,
      )}) p`;
  }
  if (recipe.template === 'cohort-activity') {
    const shared = options.shared ?? {
      table: `(${compileCohortCells([recipe], { ...options, periodTypes })})`,
      index: 0,
    };
    const i = shared.index;
    return `SELECT municipality_code, period_type, period, ${BREAKDOWNS.join(', ')}, num_${i} AS num, den_${i} AS den
      FROM ${shared.table} s WHERE den_${i} > 0 AND period_type IN (${periodTypes.map((t) => `'${t}'`).join(', ')})`;
  }

  const shared = options.shared ?? { table: `(${compileSharedCells([recipe], options)})`, index: 0 };
  const i = shared.index;
  const cells = `SELECT municipality_code, y, qu, CAST(sex AS VARCHAR) AS sex, ${ageBandLabel('age_band')} AS age_group,
      CAST(education AS VARCHAR) AS education, ${INCOME_OF('s')} AS income, num_${i} AS num, den_${i} AS den
    FROM ${shared.table} s WHERE ${recipe.template === 'event-count' || recipe.template === 'event-rate' ? `num_${i}` : `den_${i}`} > 0`;
  const periodCells = `SELECT municipality_code, period_type, period, ${BREAKDOWNS.join(', ')}, num, den
    FROM (${expandPeriods(cells, periodTypes)}) x`;
  if (recipe.template === 'event-count' || recipe.template === 'event-rate') {
    const population = recipe.template === 'event-rate' ? recipe.denominator.population : {};
    return `WITH ev AS (${periodCells}),
      pop AS (${populationCells(periodTypes, options.years, population.minAge, population.maxAge)})
      SELECT municipality_code, period_type, period, ${BREAKDOWNS.join(', ')},
        coalesce(ev.num, 0) AS num, pop.den AS den
      FROM ev FULL OUTER JOIN pop USING (municipality_code, period_type, period, ${BREAKDOWNS.join(', ')})`;
  }
  return periodCells;
}

/**
 * One pass for every cohort recipe: the union of their cohorts is formed once, per person and period (years and
 * the quarters asked for), with `in_i` telling whether the person belongs to the i-th recipe's cohort (its
 * diagnoses within its lookback, alive at the period's start); each member is placed in the municipality of
 * their latest course up to the period's end, their events of every recipe are counted in one grouping per
 * event table, and the members are grouped once into cells with `num_i` (the i-th recipe's events of its
 * members) and `den_i` (its members).
 */
export function compileCohortCells(
  recipes: readonly Recipe[],
  options: Pick<CompileOptions, 'lists' | 'periodTypes'>,
): string {
  const cohorts = recipes.map((r) => {
    if (r.template !== 'cohort-activity') throw new Error('compileCohortCells: cohort recipes only');
    return r;
  });
  const { lists, periodTypes } = options;
  const longest = Math.max(...cohorts.map((r) => r.cohort.lookbackYears));
  const matches = cohorts.map((r) => diagnosisMatch('k.primary_diagnosis', diagnosisCodes(r.cohort.diagnoses, lists)));
  const each = (sql: (i: number, recipe: (typeof cohorts)[number]) => string) =>
    cohorts.map((r, i) => sql(i, r)).join(', ');
  const pend = 'c.pend';
  const quarters = periodTypes.includes('quarter');
  // Each event table once, with a count per recipe reading it, by year (and quarter when quarters are asked for).
  const eventCounts = (['courses', 'admissions'] as const)
    .filter((events) => cohorts.some((r) => r.events === events))
    .map((events) => {
      const mine = (r: Recipe) => r.events === events;
      const filters = cohorts.map((r) => (mine(r) ? `(${compileFilter(r.filter, 'e', lists)})` : 'FALSE'));
      return `SELECT e.person_id, ${yearOf('e.start_date')} AS y, ${quarters ? `${quarterOf('e.start_date')} AS qu,` : ''}
          ${each((i, r) => `${mine(r) ? `count(*) FILTER (WHERE ${filters[i]})` : '0'} AS n_${i}`)}
        FROM ${eventTable(events)} e
        WHERE e.person_id IN (SELECT person_id FROM dx_years) AND (${filters.filter((f) => f !== 'FALSE').join(' OR ')})
        GROUP BY ALL`;
    });
  return `WITH dx AS (
      SELECT k.person_id, k.start_date, ${each((i) => `bool_or(${matches[i]}) AS m_${i}`)}
      FROM cohort_diagnoses k WHERE ${matches.map((m) => `(${m})`).join(' OR ')} GROUP BY 1, 2),
    -- For a year Y the window (31 Dec of Y−L, 31 Dec of Y] holds exactly the years Y−L+1 … Y, so yearly
    -- membership is an equality join on years. Likewise a quarter's end less L years is the end of the same
    -- quarter L years before (quarters end on 31 Mar, 30 Jun, 30 Sep, 31 Dec), so the window holds exactly the
    -- 4L quarters up to it: an equality join on quarter numbers (year × 4 + quarter − 1).
    dx_years AS (SELECT person_id, ${yearOf('start_date')} AS dy, ${each((i) => `bool_or(m_${i}) AS m_${i}`)} FROM dx GROUP BY 1, 2),
    dx_quarters AS (SELECT person_id, ${quarterNumber('start_date')} AS dq, ${each((i) => `bool_or(m_${i}) AS m_${i}`)} FROM dx GROUP BY 1, 2),
    cohort AS (${[
      periodTypes.includes('year')
        ? `SELECT p.period_type, p.period, p.pstart, p.pend, d.person_id,
             ${each((i, r) => `bool_or(d.m_${i} AND d.k < ${r.cohort.lookbackYears}) AS in_${i}`)}
           FROM (SELECT *, dy + k AS py FROM (SELECT *, unnest(range(0, ${longest})) AS k FROM dx_years)) d
           JOIN (SELECT *, ${yearOf('pstart')} AS py FROM engine_periods WHERE period_type = 'year') p ON p.py = d.py
           GROUP BY 1, 2, 3, 4, 5`
        : undefined,
      periodTypes.includes('quarter')
        ? `SELECT p.period_type, p.period, p.pstart, p.pend, d.person_id,
             ${each((i, r) => `bool_or(d.m_${i} AND d.k < ${4 * r.cohort.lookbackYears}) AS in_${i}`)}
           FROM (SELECT *, dq + k AS pq FROM (SELECT *, unnest(range(0, ${4 * longest})) AS k FROM dx_quarters)) d
           JOIN (SELECT *, ${quarterNumber('pstart')} AS pq FROM engine_periods WHERE period_type = 'quarter') p
             ON p.pq = d.pq
           GROUP BY 1, 2, 3, 4, 5`
        : undefined,
    ]
      .filter(Boolean)
      .join(' UNION ALL ')}),
    alive AS (
      SELECT c.* FROM cohort c LEFT JOIN death_facts d ON d.person_id = c.person_id
      WHERE d.death_date IS NULL OR d.death_date >= c.pstart),
    located AS (${[
      periodTypes.includes('year')
        ? `SELECT a.*, k.municipality_code FROM (SELECT * FROM alive WHERE period_type = 'year') a
           ASOF JOIN latest_course_by_year k ON a.person_id = k.person_id AND ${yearOf('a.pend')} >= k.y`
        : undefined,
      periodTypes.includes('quarter')
        ? `SELECT a.*, k.municipality_code FROM (SELECT * FROM alive WHERE period_type = 'quarter') a
           ASOF JOIN latest_course_by_date k ON a.person_id = k.person_id AND a.pend >= k.start_date`
        : undefined,
    ]
      .filter(Boolean)
      .join(' UNION ALL ')}),
    ${
      quarters
        ? `events_by_quarter AS (
      SELECT person_id, y, qu, ${each((i) => `sum(n_${i}) AS n_${i}`)}
      FROM (${eventCounts.join(' UNION ALL ')}) x GROUP BY 1, 2, 3),
    events_by_year AS (SELECT person_id, y, ${each((i) => `sum(n_${i}) AS n_${i}`)} FROM events_by_quarter GROUP BY 1, 2),`
        : `events_by_year AS (
      SELECT person_id, y, ${each((i) => `sum(n_${i}) AS n_${i}`)}
      FROM (${eventCounts.join(' UNION ALL ')}) x GROUP BY 1, 2),`
    }
    activity AS (${[
      `SELECT l.*, ${each((i) => `coalesce(v.n_${i}, 0) AS n_${i}`)}
      FROM located l LEFT JOIN events_by_year v ON v.person_id = l.person_id AND v.y = ${yearOf('l.pstart')}
      WHERE l.period_type = 'year'`,
      quarters
        ? `SELECT l.*, ${each((i) => `coalesce(v.n_${i}, 0)`)}
      FROM located l LEFT JOIN events_by_quarter v
        ON v.person_id = l.person_id AND v.y = ${yearOf('l.pstart')} AND v.qu = ${quarterOf('l.pstart')}
      WHERE l.period_type = 'quarter'`
        : undefined,
    ]
      .filter(Boolean)
      .join(' UNION ALL ')})
    SELECT c.municipality_code, c.period_type, c.period, coalesce(p.sex, 'unknown') AS sex,
      ${ageGroupOf(ageAt(pend, 'p.birth_date'))} AS age_group, coalesce(p.education, 'unknown') AS education,
      ${INCOME_OF('i')} AS income,
      ${each((i) => `sum(c.n_${i}) FILTER (WHERE c.in_${i}) AS num_${i}, count(*) FILTER (WHERE c.in_${i}) AS den_${i}`)}
    FROM activity c LEFT JOIN persons p ON p.person_id = c.person_id
      LEFT JOIN income i ON i.person_id = c.person_id AND i.year = ${yearOf(pend)}
    GROUP BY 1, 2, 3, 4, 5, 6, 7`;
}

/**
 * The course ids of a follow-up recipe's index events with a hit: an as-of join of its index events with the
 * first following event on or after the discharge date + fromDay, a hit when it starts no later than the
 * discharge date + toDay. The hits are the same whichever unit the events are counted in, so a pass by
 * provider can reuse those of the pass by residence.
 */
export function compileFollowUpHits(recipe: Recipe, options: Pick<CompileOptions, 'lists' | 'years'>): string {
  if (recipe.template !== 'follow-up') throw new Error('compileFollowUpHits: follow-up recipes only');
  const { lists } = options;
  const date = recipe.periodDate === 'discharge' ? 'e.end_date' : 'e.start_date';
  const years = options.years ? ` AND ${yearOf(date)} BETWEEN ${options.years.from} AND ${options.years.to}` : '';
  const fu = recipe.followUp;
  return `SELECT x.course_id FROM (
      SELECT e.person_id, e.course_id, e.end_date, e.end_date + ${fu.fromDay} AS follow_from
      FROM ${eventTable(recipe.events)} e WHERE ${date} IS NOT NULL${years} AND (${compileFilter(recipe.filter, 'e', lists)})) x
    ASOF JOIN (SELECT f.person_id, f.start_date FROM ${eventTable(fu.events)} f
      WHERE ${compileFilter(fu.filter, 'f', lists)}) h
      ON x.person_id = h.person_id AND x.follow_from <= h.start_date
    WHERE h.start_date - x.end_date <= ${fu.toDay}`;
}

/**
 * One pass over a table of events for several recipes with the same events and period date: the events are
 * grouped once by municipality, year, quarter, sex, age band, education and income quartile, with `num_i` and `den_i` for the
 * i-th recipe. A follow-up recipe's hit is an as-of join: the first following event on or after the discharge
 * date + fromDay, a hit when it starts no later than the discharge date + toDay (exactly "any following event
 * in days fromDay-toDay"). Events are told apart by course_id (an admission's is its first course's).
 */
export function compileSharedCells(
  recipes: readonly Recipe[],
  options: Pick<CompileOptions, 'lists' | 'years'> & {
    /** Tables of the follow-up recipes' hits made by compileFollowUpHits, by index (default: found in the pass). */
    hits?: readonly (string | undefined)[];
  },
): string {
  const first = recipes[0];
  if (!first || recipes.some((r) => sharedPassOf(r) !== sharedPassOf(first))) {
    throw new Error('compileSharedCells: recipes must share their events and period date');
  }
  const { lists } = options;
  const date = sharedPassOf(first)?.endsWith(':discharge') ? 'e.end_date' : 'e.start_date';
  const filters = recipes.map((r) => `(${compileFilter(r.filter, 'e', lists)})`);
  const hits: string[] = [];
  const years = options.years ? ` AND ${yearOf(date)} BETWEEN ${options.years.from} AND ${options.years.to}` : '';
  const measures = recipes.map((r, i) => {
    const f = filters[i];
    switch (r.template) {
      case 'event-count':
      case 'event-rate':
        return `count(*) FILTER (WHERE ${f}) AS num_${i}, 0 AS den_${i}`;
      case 'share':
        return `count(*) FILTER (WHERE ${f} AND ${compileFilter(r.numerator, 'e', lists)}) AS num_${i}, count(*) FILTER (WHERE ${f}) AS den_${i}`;
      case 'mean': {
        const kept = `${f} AND e.end_date IS NOT NULL`;
        return `sum(e.end_date - e.start_date) FILTER (WHERE ${kept}) AS num_${i}, count(*) FILTER (WHERE ${kept}) AS den_${i}`;
      }
      case 'follow-up': {
        const hitsTable = options.hits?.[i];
        if (!hitsTable) hits.push(`hits_${i} AS (${compileFollowUpHits(r, options)})`);
        const hit = `e.course_id IN (SELECT course_id FROM ${hitsTable ?? `hits_${i}`})`;
        return `count(*) FILTER (WHERE ${f} AND ${hit}) AS num_${i}, count(*) FILTER (WHERE ${f}) AS den_${i}`;
      }
      default:
        throw new Error(`compileSharedCells: ${r.template} has no shared pass`);
    }
  });
  const events = `SELECT e.* FROM ${eventTable(first.events)} e
    WHERE ${date} IS NOT NULL${years} AND (${filters.join(' OR ')})`;
  return `${hits.length ? `WITH ${hits.join(', ')} ` : ''}SELECT e.municipality_code, ${yearOf(date)} AS y,
      ${quarterOf(date)} AS qu, e.sex, CAST(least(floor(e.start_age / 5), 17) AS SMALLINT) AS age_band, e.education,
      e.income_quartile, ${measures.join(', ')}
    FROM (${events}) e
    GROUP BY 1, 2, 3, 4, 5, 6, 7`;
}

/**
 * The full query of a recipe: cells rolled up to municipality, region and Denmark, overall and by each
 * breakdown. Breakdowns are produced for years; quarters are overall only (so only years are grouped by them).
 * With `totalsOnly`, only the overall totals.
 */
export function compileRecipe(recipe: Recipe, options: CompileOptions): string {
  return `WITH cells AS (${cellsSql(recipe, options)}),
    municipal AS (
      SELECT c.municipality_code, c.period_type, c.period,
        ${options.totalsOnly ? `'total'` : `CASE ${BREAKDOWNS.map((b) => `WHEN grouping(c.${b}) = 0 THEN '${b}:' || c.${b}`).join(' ')} ELSE 'total' END`} AS breakdown,
        sum(c.num) AS num, sum(c.den) AS den
      FROM cells c WHERE c.period_type = 'year'
      GROUP BY GROUPING SETS ((c.municipality_code, c.period_type, c.period)${
        options.totalsOnly
          ? ''
          : `, ${BREAKDOWNS.map((b) => `(c.municipality_code, c.period_type, c.period, c.${b})`).join(', ')}`
      })
      UNION ALL
      SELECT c.municipality_code, c.period_type, c.period, 'total', sum(c.num), sum(c.den)
      FROM cells c WHERE c.period_type = 'quarter'
      GROUP BY c.municipality_code, c.period_type, c.period),
    -- Regions, groups and Denmark are sums of their municipalities' rows, for the periods each mapping is valid.
    rolled AS (
      SELECT m.unit_code AS unit, c.period_type, c.period, c.breakdown, sum(c.num) AS numerator, sum(c.den) AS denominator
      FROM municipal c JOIN unit_map m ON m.municipality_code = CAST(c.municipality_code AS VARCHAR)
        AND (m.valid_to IS NULL OR m.valid_to >= ${PERIOD_START_SQL('c')})
      GROUP BY m.unit_code, c.period_type, c.period, c.breakdown)
    SELECT unit, period_type, period, breakdown, CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator
    FROM rolled ORDER BY unit, period, breakdown`;
}
