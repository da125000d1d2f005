// Compiles a recipe to one SQL query over the engine's base tables (see base-tables.ts). The query returns
// rows (unit, period_type, period, breakdown, numerator, denominator) for every unit level and breakdown.
import { UserError } from '../domain/errors.js';
import type { DiagnosisList, EventFilter, Recipe } from './recipe.js';
import { PERIOD_START_SQL } from './unit-map.js';

export type PeriodType = 'year' | 'quarter';

export interface CompileOptions {
  periodTypes: readonly PeriodType[];
  lists: ReadonlyMap<string, DiagnosisList>;
}

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

/**
 * Expands additive cells kept by (year, quarter) to the requested period types; the year cells are the sums
 * of their quarters, so events are grouped only once.
 */
function expandPeriods(cells: string, periodTypes: readonly PeriodType[]): string {
  const dims = 'municipality_code, sex, age_group, education, income';
  const selects: string[] = [];
  if (periodTypes.includes('year')) {
    selects.push(
      `SELECT ${dims}, 'year' AS period_type, CAST(y AS VARCHAR) AS period, sum(num) AS num, sum(den) AS den FROM q GROUP BY ${dims}, y`,
    );
  }
  if (periodTypes.includes('quarter')) {
    selects.push(`SELECT ${dims}, 'quarter', CAST(y AS VARCHAR) || 'Q' || CAST(qu AS VARCHAR), num, den FROM q`);
  }
  return `WITH q AS (${cells}) ${selects.join(' UNION ALL ')}`;
}

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
    parts.push(`(${codes.map((c) => `${e}.diagnosis LIKE '${c.replaceAll("'", '')}%'`).join(' OR ')})`);
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

function populationCells(periodTypes: readonly PeriodType[], minAge?: number, maxAge?: number): string {
  for (const bound of [minAge, maxAge === undefined ? undefined : maxAge + 1]) {
    if (bound !== undefined && (bound % 5 !== 0 || bound > 85)) {
      throw new UserError(`A population age limit must fall on an age-group boundary (0, 5, …, 85); got ${bound}`);
    }
  }
  const lower = `CAST(split_part(replace(p.age_group, '+', ''), '-', 1) AS INTEGER)`;
  const conditions = [
    minAge !== undefined ? `${lower} >= ${minAge}` : undefined,
    maxAge !== undefined ? `${lower} + 4 <= ${maxAge} AND p.age_group <> '85+'` : undefined,
  ].filter(Boolean);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const selects: string[] = [];
  if (periodTypes.includes('year')) {
    selects.push(
      `SELECT p.municipality_code, 'year' AS period_type, CAST(p.year AS VARCHAR) AS period, p.sex, p.age_group, p.education, ${INCOME_OF('p')} AS income, p.count FROM population p ${where}`,
    );
  }
  if (periodTypes.includes('quarter')) {
    selects.push(`SELECT p.municipality_code, 'quarter', CAST(p.year AS VARCHAR) || 'Q' || CAST(q.q AS VARCHAR), p.sex, p.age_group, p.education, ${INCOME_OF('p')}, p.count
      FROM population p CROSS JOIN (VALUES (1), (2), (3), (4)) q(q) ${where}`);
  }
  return `SELECT municipality_code, period_type, period, sex, age_group, education, income, sum(count) AS den
    FROM (${selects.join(' UNION ALL ')}) x GROUP BY municipality_code, period_type, period, sex, age_group, education, income`;
}

/** The `cells` query: numerator and denominator per municipality, period and person attributes. */
function cellsSql(recipe: Recipe, options: CompileOptions): string {
  const { lists, periodTypes } = options;
  if (recipe.template === 'population-count') {
    return `SELECT municipality_code, period_type, period, sex, age_group, education, income, den AS num, CAST(NULL AS BIGINT) AS den
      FROM (${populationCells(periodTypes.filter((t) => t === 'year'))}) p`;
  }
  if (recipe.template === 'cohort-activity') {
    const codes = diagnosisCodes(recipe.cohort.diagnoses, lists);
    const dx = codes.map((c) => `k.diagnosis LIKE '${c}%'`).join(' OR ');
    const pend = 'c.pend';
    return `WITH dx AS (SELECT DISTINCT k.person_id, k.start_date FROM course_events k WHERE ${dx}),
      -- For a year Y the window (31 Dec of Y−L, 31 Dec of Y] holds exactly the years Y−L+1 … Y, so yearly
      -- membership is an equality join on years; quarters use the date window.
      dx_years AS (SELECT DISTINCT person_id, ${yearOf('start_date')} AS dy FROM dx),
      cohort AS (${[
        periodTypes.includes('year')
          ? `SELECT DISTINCT p.period_type, p.period, p.pstart, p.pend, d.person_id
             FROM dx_years d CROSS JOIN range(0, ${recipe.cohort.lookbackYears}) o(k)
             JOIN engine_periods p ON p.period_type = 'year' AND p.period = CAST(d.dy + o.k AS VARCHAR)`
          : undefined,
        periodTypes.includes('quarter')
          ? `SELECT DISTINCT p.period_type, p.period, p.pstart, p.pend, dx.person_id
             FROM engine_periods p JOIN dx ON dx.start_date > p.pend - INTERVAL '${recipe.cohort.lookbackYears} years' AND dx.start_date <= p.pend
             WHERE p.period_type = 'quarter'`
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
      events_by_quarter AS (
        SELECT e.person_id, ${yearOf('e.start_date')} AS y, ${quarterOf('e.start_date')} AS qu, count(*) AS n
        FROM ${eventTable(recipe.events)} e
        WHERE e.person_id IN (SELECT person_id FROM dx_years) AND ${compileFilter(recipe.filter, 'e', lists)} GROUP BY 1, 2, 3),
      events_by_year AS (SELECT person_id, y, sum(n) AS n FROM events_by_quarter GROUP BY 1, 2),
      activity AS (
        SELECT l.period_type, l.period, l.person_id, l.municipality_code, l.pend, coalesce(v.n, 0) AS n
        FROM located l LEFT JOIN events_by_year v ON v.person_id = l.person_id AND v.y = ${yearOf('l.pstart')}
        WHERE l.period_type = 'year'
        UNION ALL
        SELECT l.period_type, l.period, l.person_id, l.municipality_code, l.pend, coalesce(v.n, 0) AS n
        FROM located l LEFT JOIN events_by_quarter v
          ON v.person_id = l.person_id AND v.y = ${yearOf('l.pstart')} AND v.qu = ${quarterOf('l.pstart')}
        WHERE l.period_type = 'quarter')
      SELECT c.municipality_code, c.period_type, c.period, coalesce(p.sex, 'unknown') AS sex,
        ${ageGroupOf(ageAt(pend, 'p.birth_date'))} AS age_group, coalesce(p.education, 'unknown') AS education,
        ${INCOME_OF('i')} AS income, sum(c.n) AS num, count(*) AS den
      FROM activity c LEFT JOIN persons p ON p.person_id = c.person_id
        LEFT JOIN income i ON i.person_id = c.person_id AND i.year = ${yearOf(pend)}
      GROUP BY 1, 2, 3, 4, 5, 6, 7`;
  }

  const date = recipe.periodDate === 'discharge' ? 'e.end_date' : 'e.start_date';
  const where = `${compileFilter(recipe.filter, 'e', lists)} AND ${date} IS NOT NULL`;
  const dims = `e.municipality_code, ${yearOf(date)} AS y, ${quarterOf(date)} AS qu, e.sex, ${ageGroupOf('e.start_age')} AS age_group, e.education, e.income`;
  const groupBy = 'GROUP BY 1, 2, 3, 4, 5, 6, 7';
  const from = `${eventTable(recipe.events)} e`;
  const cells = (select: string) =>
    `SELECT municipality_code, period_type, period, sex, age_group, education, income, num, den FROM (${expandPeriods(select, periodTypes)}) x`;

  switch (recipe.template) {
    case 'event-count':
    case 'event-rate': {
      const population = recipe.template === 'event-rate' ? recipe.denominator.population : {};
      return `WITH ev AS (${cells(`SELECT ${dims}, count(*) AS num, 0 AS den FROM ${from} WHERE ${where} ${groupBy}`)}),
        pop AS (${populationCells(periodTypes, population.minAge, population.maxAge)})
        SELECT municipality_code, period_type, period, sex, age_group, education, income,
          coalesce(ev.num, 0) AS num, pop.den AS den
        FROM ev FULL OUTER JOIN pop USING (municipality_code, period_type, period, sex, age_group, education, income)`;
    }
    case 'share':
      return cells(`SELECT ${dims}, sum(CASE WHEN ${compileFilter(recipe.numerator, 'e', lists)} THEN 1 ELSE 0 END) AS num, count(*) AS den
        FROM ${from} WHERE ${where} ${groupBy}`);
    case 'mean':
      return cells(`SELECT ${dims}, sum(e.end_date - e.start_date) AS num, count(*) AS den
        FROM ${from} WHERE ${where} AND e.end_date IS NOT NULL ${groupBy}`);
    case 'follow-up': {
      const f = recipe.followUp;
      return `WITH idx AS (
          SELECT e.*, EXISTS (
            SELECT 1 FROM ${eventTable(f.events)} f
            WHERE f.person_id = e.person_id AND ${compileFilter(f.filter, 'f', lists)}
              AND f.start_date - e.end_date BETWEEN ${f.fromDay} AND ${f.toDay}) AS hit
          FROM ${eventTable(recipe.events)} e WHERE ${where})
        SELECT * FROM (${cells(`SELECT ${dims}, sum(CASE WHEN e.hit THEN 1 ELSE 0 END) AS num, count(*) AS den FROM idx e ${groupBy}`)}) c`;
    }
  }
}

/**
 * The full query of a recipe: cells rolled up to municipality, region and Denmark, overall and by each
 * breakdown. Breakdowns are produced for years; quarters are overall only.
 */
export function compileRecipe(recipe: Recipe, options: CompileOptions): string {
  // Breakdowns are kept for years only, so quarters are summed to one cell per municipality first.
  return `WITH all_cells AS (${cellsSql(recipe, options)}),
    cells AS (
      SELECT * FROM all_cells WHERE period_type = 'year'
      UNION ALL
      SELECT municipality_code, period_type, period, NULL, NULL, NULL, NULL, sum(num), sum(den)
      FROM all_cells WHERE period_type <> 'year' GROUP BY municipality_code, period_type, period),
    rolled AS (
      SELECT m.unit_code AS unit, c.period_type, c.period,
        CASE WHEN grouping(c.sex) = 0 THEN 'sex:' || c.sex
             WHEN grouping(c.age_group) = 0 THEN 'age_group:' || c.age_group
             WHEN grouping(c.education) = 0 THEN 'education:' || c.education
             WHEN grouping(c.income) = 0 THEN 'income:' || c.income
             ELSE 'total' END AS breakdown,
        sum(c.num) AS numerator, sum(c.den) AS denominator
      FROM cells c JOIN unit_map m ON m.municipality_code = c.municipality_code
        AND (m.valid_to IS NULL OR m.valid_to >= ${PERIOD_START_SQL('c')})
      GROUP BY GROUPING SETS ((m.unit_code, c.period_type, c.period), (m.unit_code, c.period_type, c.period, c.sex),
        (m.unit_code, c.period_type, c.period, c.age_group), (m.unit_code, c.period_type, c.period, c.education),
        (m.unit_code, c.period_type, c.period, c.income)))
    SELECT unit, period_type, period, breakdown, CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator
    FROM rolled WHERE period_type = 'year' OR breakdown = 'total'
    ORDER BY unit, period, breakdown`;
}
