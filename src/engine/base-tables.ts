// The engine's base tables, built once per run and only as far as the selected recipes need them:
// population, persons, income, gp_listings, death_facts, course_events (each course with its person's attributes,
// read and checked in the same scan as the file), diagnosis_codes (each distinct code with its normalised form),
// admission_events (chained inpatient courses), cohort_diagnoses and the latest course per cohort person and year
// (or day), engine_periods (the unit map is in unit-map.ts).
// Columns are narrow: municipality codes, sex and education as ENUMs (one byte), dates, booleans, small ages,
// the income quartile as a small integer (null: unknown).
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EDUCATION_LEVELS } from '../domain/breakdowns.js';
import { UserError } from '../domain/errors.js';
import { ageAt } from './compile-recipe.js';
import { createMunicipalityType, findTableFile, loadTable, MUNICIPALITY_TYPE, TABLES } from './register-input.js';
import { createUnitMap, type UnitMapStructure } from './unit-map.js';

/** SQL normalising a diagnosis column: upper case, no dot, no leading SKS 'D' (DJ441, J44.1, j441 → J441). */
export const normalisedDiagnosis = (column: string) =>
  `regexp_replace(upper(replace(trim(${column}), '.', '')), '^D([A-Z])', '\\1')`;

/** Course order within a person and kind: by admission date, then discharge date (open courses last), then id. */
const COURSE_ORDER = 'ORDER BY start_date, end_date NULLS LAST, course_id';

/** What the selected recipes need built. */
export interface BaseTableNeeds {
  /** The population table (rates, population counts). */
  population: boolean;
  /** Persons, deaths and course_events (every recipe on courses or admissions). */
  courses: boolean;
  /** admission_events. */
  admissions: boolean;
  /** Normalised diagnosis codes of the cohorts; their persons get the latest-course tables. */
  cohortCodes: readonly string[];
  /** The latest course per person and day (cohorts by quarter). */
  dailyLatestCourse: boolean;
  /**
   * The optional course columns some recipe reads (hospital_code for values by hospital, virtual,
   * primary_diagnosis); the others are not read from the file, and not checked (default: all are read).
   */
  courseColumns?: { hospital: boolean; virtual: boolean; diagnosis: boolean };
  /**
   * Only inpatient courses are kept in course_events, when the recipes read admissions alone (every course is
   * still read and checked; default false).
   */
  inpatientOnly?: boolean;
}

export interface PrepareOptions {
  dataDir: string;
  municipalities: readonly { code: string; parent: string | null }[];
  nationCode: string;
  /** The stored units and groupings, for the unit map (default: municipalities, their regions and Denmark). */
  structure?: UnitMapStructure;
  needs: BaseTableNeeds;
  /** Only periods of these years (default: every year with courses). */
  years?: { from: number; to: number };
  /** Called when a step starts, with its name and its weight (see STEP_WEIGHTS). */
  onStep?: (step: string, weight: number) => void | Promise<void>;
}

/** Rough relative cost of each step, measured on the synthetic registry; for progress, not for results. */
export const STEP_WEIGHTS = {
  read: {
    hospital_courses: 12,
    persons: 1,
    income: 1,
    gp_listings: 0.2,
    deaths: 0.2,
    population: 0.3,
  } as Record<string, number>,
  diagnoses: 0.3,
  admissions: 3,
  latestCourse: 2,
  sharedPass: 2,
  recipe: 0.6,
  cohortPass: 4,
  write: 1,
};

/** The summed weight of the steps prepareRegister takes for these needs. */
export function preparationWeight(needs: BaseTableNeeds): number {
  const w = STEP_WEIGHTS;
  return (
    (needs.population ? (w.read.population ?? 0) : 0) +
    (needs.courses
      ? (w.read.persons ?? 0) +
        (w.read.income ?? 0) +
        (w.read.gp_listings ?? 0) +
        (w.read.deaths ?? 0) +
        (w.read.hospital_courses ?? 0) +
        w.diagnoses
      : 0) +
    (needs.admissions ? w.admissions : 0) +
    (needs.cohortCodes.length > 0 ? w.latestCourse : 0)
  );
}

const TABLE = Object.fromEntries(TABLES.map((t) => [t.name, t]));

/**
 * Reads the record-level files (each in one scan, checked as it is read) and builds the base tables the needs
 * name; returns the row count of each file read.
 */
export async function prepareRegister(
  conn: DuckDBConnection,
  options: PrepareOptions,
): Promise<Record<string, number>> {
  const { needs, dataDir } = options;
  const step = options.onStep ?? (() => {});
  const inputRows: Record<string, number> = {};
  await createMunicipalityType(
    conn,
    options.municipalities.map((m) => m.code),
  );
  await conn.run(`CREATE OR REPLACE TYPE sex_code AS ENUM ('F', 'M', 'unknown')`);
  await conn.run(`CREATE OR REPLACE TYPE education_code AS ENUM (${EDUCATION_LEVELS.map((e) => `'${e}'`).join(', ')})`);
  const read = async (name: string, target?: Parameters<typeof loadTable>[3]) => {
    const spec = TABLE[name];
    if (!spec) throw new Error(`unknown table ${name}`);
    const file = findTableFile(dataDir, name);
    if (!file) {
      if (spec.required) {
        throw new UserError(`${dataDir} has no ${name} table`, {
          hint: `Add ${name}.csv or ${name}.parquet (see docs/data-formats.md), or create demo data with \`pejling demo-data\`.`,
        });
      }
      const columns = Object.entries(spec.columns).map(
        ([column, c]) => `"${column}" ${c.type === 'MUNICIPALITY' ? MUNICIPALITY_TYPE : c.type}`,
      );
      await step(`No ${name} table`, STEP_WEIGHTS.read[name] ?? 0);
      await conn.run(`CREATE OR REPLACE TABLE "${name}" (${columns.join(', ')})`);
      inputRows[name] = 0;
      return;
    }
    await step(`Reading ${path.basename(file)}`, STEP_WEIGHTS.read[name] ?? 0);
    inputRows[name] = await loadTable(conn, spec, file, target);
  };

  if (needs.population) await read('population');
  if (needs.courses) {
    await read('persons');
    await read('income');
    await read('gp_listings');
    await read('deaths');
    await conn.run(
      'CREATE OR REPLACE TABLE death_facts AS SELECT person_id, min(death_date) AS death_date FROM deaths GROUP BY person_id',
    );
    // Each person's attributes and death in one table (a person may have a death and no persons row), so the
    // courses need one join, not two.
    await conn.run(`CREATE OR REPLACE TABLE person_facts AS
      SELECT coalesce(p.person_id, d.person_id) AS person_id, p.birth_date,
        CAST(coalesce(p.sex, 'unknown') AS sex_code) AS sex,
        CAST(coalesce(p.education, 'unknown') AS education_code) AS education, d.death_date
      FROM persons p FULL OUTER JOIN death_facts d ON d.person_id = p.person_id`);
    // The courses go straight from the file into course_events, with the person's attributes joined on.
    // The person's income quartile in the year the course starts (null: unknown).
    const columns = needs.courseColumns ?? { hospital: true, virtual: true, diagnosis: true };
    const skipColumns = [
      ...(columns.hospital ? [] : ['hospital_code']),
      ...(columns.virtual ? [] : ['virtual']),
      ...(columns.diagnosis ? [] : ['primary_diagnosis']),
    ];
    await read('hospital_courses', {
      table: 'course_events',
      select: (courses) => `SELECT c.course_id, c.person_id, c.municipality_code, c.hospital_code,
          c.admission_date AS start_date, c.discharge_date AS end_date, c.acute, c.inpatient, c.psychiatric,
          c.virtual, c.primary_diagnosis,
          coalesce(p.sex, CAST('unknown' AS sex_code)) AS sex,
          coalesce(p.education, CAST('unknown' AS education_code)) AS education, p.death_date,
          CAST(${ageAt('c.admission_date', 'p.birth_date')} AS SMALLINT) AS start_age,
          CAST(i.income_quartile AS TINYINT) AS income_quartile
        FROM ${courses} c LEFT JOIN person_facts p ON p.person_id = c.person_id
          LEFT JOIN income i ON i.person_id = c.person_id AND i.year = CAST(extract(year FROM c.admission_date) AS INTEGER)`,
      distinctTables: { primary_diagnosis: 'diagnosis_values' },
      skipColumns,
      ...(needs.inpatientOnly ? { keep: 'inpatient' } : {}),
    });
    await conn.run('DROP TABLE person_facts');
    await step('Building diagnosis codes', STEP_WEIGHTS.diagnoses);
    await conn.run(`CREATE OR REPLACE TABLE diagnosis_codes AS
      SELECT code, ${normalisedDiagnosis('code')} AS normalised FROM ${columns.diagnosis ? 'diagnosis_values' : '(SELECT CAST(NULL AS VARCHAR) AS code WHERE FALSE)'}`);
  }
  if (needs.admissions) {
    await step('Building admissions', STEP_WEIGHTS.admissions);
    await conn.run(ADMISSIONS);
  }
  if (needs.cohortCodes.length > 0) {
    await step('Building the latest course of cohort persons', STEP_WEIGHTS.latestCourse);
    const codes = needs.cohortCodes.map((c) => `normalised LIKE '${c.replaceAll("'", '')}%'`).join(' OR ');
    // The courses with a cohort diagnosis (few), which each cohort recipe reads instead of every course.
    await conn.run(`CREATE OR REPLACE TABLE cohort_diagnoses AS
      SELECT person_id, start_date, primary_diagnosis FROM course_events
      WHERE primary_diagnosis IN (SELECT code FROM diagnosis_codes WHERE ${codes})`);
    await conn.run('CREATE OR REPLACE TABLE cohort_persons AS SELECT DISTINCT person_id FROM cohort_diagnoses');
    // "The municipality of the person's latest course up to a date", per year (the latest course of the year)
    // and, for quarters, per day (among courses starting the same day, the highest course id).
    // With the daily table, the yearly one is its latest day of each year (one row per day), without a second
    // read of every course.
    if (needs.dailyLatestCourse) {
      await conn.run(`CREATE OR REPLACE TABLE latest_course_by_date AS
        SELECT person_id, start_date, arg_max(municipality_code, course_id) AS municipality_code
        FROM course_events WHERE person_id IN (SELECT person_id FROM cohort_persons) GROUP BY 1, 2`);
    }
    await conn.run(`CREATE OR REPLACE TABLE latest_course_by_year AS
      SELECT person_id, CAST(extract(year FROM start_date) AS INTEGER) AS y,
        ${
          needs.dailyLatestCourse
            ? 'arg_max(municipality_code, start_date) AS municipality_code FROM latest_course_by_date'
            : `arg_max(municipality_code, {'start_date': start_date, 'course_id': course_id}) AS municipality_code
               FROM course_events WHERE person_id IN (SELECT person_id FROM cohort_persons)`
        } GROUP BY 1, 2`);
  }
  if (needs.courses) await createPeriods(conn, options.years);
  await createUnitMap(conn, options.municipalities, options.nationCode, options.structure);
  return inputRows;
}

// An admission chains a person's inpatient courses of one kind while each starts on or before the previous one's
// discharge date; it takes acute flag, municipality, diagnosis and income of its first course and the discharge
// date and hospital of its last (the hospital that discharged the patient). A course with no discharge date ends its chain (nothing can start "before" it). One sorted pass marks
// each course as first and/or last of its chain; a second, over the marked courses only, gives each first course
// the discharge date of its chain's last.
const ADMISSIONS = `CREATE OR REPLACE TABLE admission_events AS
  WITH marked AS (
    SELECT *,
      NOT coalesce(start_date <= lag(end_date) OVER chain, FALSE) AS is_first,
      NOT coalesce(lead(start_date) OVER chain <= end_date, FALSE) AS is_last
    FROM course_events WHERE inpatient
    WINDOW chain AS (PARTITION BY person_id, psychiatric ${COURSE_ORDER})),
  ends AS (
    SELECT *,
      CASE WHEN is_last THEN end_date ELSE lead(end_date) OVER last_course END AS admission_end,
      CASE WHEN is_last THEN hospital_code ELSE lead(hospital_code) OVER last_course END AS admission_hospital
    FROM marked WHERE is_first OR is_last
    WINDOW last_course AS (PARTITION BY person_id, psychiatric ${COURSE_ORDER}))
  SELECT course_id, person_id, psychiatric, municipality_code, admission_hospital AS hospital_code, start_date,
    admission_end AS end_date, acute, TRUE AS inpatient, virtual, primary_diagnosis, sex, education, death_date,
    start_age, income_quartile
  FROM ends WHERE is_first`;

/** Years and quarters from the first to the last year with courses (or the years asked for). */
async function createPeriods(conn: DuckDBConnection, years?: { from: number; to: number }): Promise<void> {
  const range = years
    ? `range(${years.from}, ${years.to + 1})`
    : `range(
        (SELECT CAST(min(extract(year FROM start_date)) AS BIGINT) FROM course_events),
        (SELECT CAST(max(extract(year FROM start_date)) AS BIGINT) + 1 FROM course_events))`;
  await conn.run(`CREATE OR REPLACE TABLE engine_periods AS
    WITH years AS (SELECT range AS year FROM ${range})
    SELECT 'year' AS period_type, CAST(year AS VARCHAR) AS period,
      make_date(CAST(year AS INTEGER), 1, 1) AS pstart, make_date(CAST(year AS INTEGER), 12, 31) AS pend FROM years
    UNION ALL
    SELECT 'quarter', CAST(year AS VARCHAR) || 'Q' || CAST(q AS VARCHAR),
      make_date(CAST(year AS INTEGER), 3 * q - 2, 1),
      CAST(make_date(CAST(year AS INTEGER) + CASE WHEN q = 4 THEN 1 ELSE 0 END, CASE WHEN q = 4 THEN 1 ELSE 3 * q + 1 END, 1) - INTERVAL 1 DAY AS DATE)
    FROM years CROSS JOIN (VALUES (1), (2), (3), (4)) quarters(q)`);
}
