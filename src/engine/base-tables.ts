// The engine's base tables, derived once per run from the loaded record-level tables:
// course_events, admission_events (chained inpatient courses), death_facts, latest_course_by_date,
// and engine_periods (the unit map is in unit-map.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import { ageAt, INCOME_OF } from './compile-recipe.js';

/** SQL normalising a diagnosis column: upper case, no dot, no leading SKS 'D' (DJ441, J44.1, j441 → J441). */
export const NORMALISED_DIAGNOSIS = `regexp_replace(upper(replace(trim(c.primary_diagnosis), '.', '')), '^D([A-Z])', '\\1')`;

/** Course order within a person and kind: by admission date, then discharge date (open courses last), then id. */
const COURSE_ORDER = 'ORDER BY start_date, end_date NULLS LAST, course_id';

export const BASE_TABLE_STATEMENTS: readonly string[] = [
  `CREATE OR REPLACE TABLE death_facts AS SELECT person_id, min(death_date) AS death_date FROM deaths GROUP BY person_id`,
  `CREATE OR REPLACE TABLE course_events AS
    SELECT c.course_id, c.person_id, c.municipality_code, c.hospital_code, c.admission_date AS start_date, c.discharge_date AS end_date,
      c.acute, c.inpatient, c.psychiatric, c.virtual, ${NORMALISED_DIAGNOSIS} AS diagnosis,
      p.birth_date, coalesce(p.sex, 'unknown') AS sex, coalesce(p.education, 'unknown') AS education, d.death_date,
      ${ageAt('c.admission_date', 'p.birth_date')} AS start_age, ${INCOME_OF('i')} AS income
    FROM hospital_courses c
    LEFT JOIN persons p ON p.person_id = c.person_id
    LEFT JOIN death_facts d ON d.person_id = c.person_id
    LEFT JOIN income i ON i.person_id = c.person_id AND i.year = CAST(extract(year FROM c.admission_date) AS INTEGER)`,
  // An admission chains a person's inpatient courses of one kind while each starts on or before the previous
  // one's discharge date; it takes acute flag, municipality and diagnosis of its first course and the discharge
  // date of its last. A course with no discharge date yet ends its chain (nothing can start "before" it).
  `CREATE OR REPLACE TABLE admission_events AS
    WITH ordered AS (
      SELECT *,
        row_number() OVER (PARTITION BY person_id, psychiatric ${COURSE_ORDER}) AS seq,
        lag(end_date) OVER (PARTITION BY person_id, psychiatric ${COURSE_ORDER}) AS previous_end
      FROM course_events WHERE inpatient),
    chained AS (
      SELECT *, sum(CASE WHEN previous_end IS NOT NULL AND start_date <= previous_end THEN 0 ELSE 1 END)
        OVER (PARTITION BY person_id, psychiatric ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS chain
      FROM ordered)
    SELECT person_id, psychiatric, chain,
      first(course_id ORDER BY seq) AS course_id,
      first(municipality_code ORDER BY seq) AS municipality_code,
      last(hospital_code ORDER BY seq) AS hospital_code,
      first(start_date ORDER BY seq) AS start_date,
      last(end_date ORDER BY seq) AS end_date,
      first(acute ORDER BY seq) AS acute,
      TRUE AS inpatient,
      first(virtual ORDER BY seq) AS virtual,
      first(diagnosis ORDER BY seq) AS diagnosis,
      count(*) AS course_count,
      any_value(birth_date) AS birth_date, any_value(sex) AS sex, any_value(education) AS education,
      any_value(death_date) AS death_date,
      first(start_age ORDER BY seq) AS start_age,
      first(income ORDER BY seq) AS income
    FROM chained GROUP BY person_id, psychiatric, chain`,
  // For "the municipality of the person's latest course up to a date": one course per person and start date
  // (the highest course id among courses starting the same day).
  `CREATE OR REPLACE TABLE latest_course_by_date AS
    SELECT person_id, start_date, last(municipality_code ORDER BY course_id) AS municipality_code
    FROM course_events GROUP BY person_id, start_date`,
  // The same per person and year (the latest course of the year), for yearly periods.
  `CREATE OR REPLACE TABLE latest_course_by_year AS
    SELECT person_id, CAST(extract(year FROM start_date) AS INTEGER) AS y,
      last(municipality_code ORDER BY start_date, course_id) AS municipality_code
    FROM course_events GROUP BY 1, 2`,
  `CREATE OR REPLACE TABLE engine_periods AS
    WITH years AS (
      SELECT range AS year FROM range(
        (SELECT CAST(min(extract(year FROM start_date)) AS BIGINT) FROM course_events),
        (SELECT CAST(max(extract(year FROM start_date)) AS BIGINT) + 1 FROM course_events)))
    SELECT 'year' AS period_type, CAST(year AS VARCHAR) AS period,
      make_date(CAST(year AS INTEGER), 1, 1) AS pstart, make_date(CAST(year AS INTEGER), 12, 31) AS pend FROM years
    UNION ALL
    SELECT 'quarter', CAST(year AS VARCHAR) || 'Q' || CAST(q AS VARCHAR),
      make_date(CAST(year AS INTEGER), 3 * q - 2, 1),
      CAST(make_date(CAST(year AS INTEGER) + CASE WHEN q = 4 THEN 1 ELSE 0 END, CASE WHEN q = 4 THEN 1 ELSE 3 * q + 1 END, 1) - INTERVAL 1 DAY AS DATE)
    FROM years CROSS JOIN (VALUES (1), (2), (3), (4)) quarters(q)`,
];

/**
 * Creates the base tables. The per-day latest course is only built when a recipe needs it (cohorts by quarter).
 */
export async function createBaseTables(
  conn: DuckDBConnection,
  options: { dailyLatestCourse?: boolean } = {},
): Promise<void> {
  for (const statement of BASE_TABLE_STATEMENTS) {
    if (!options.dailyLatestCourse && statement.includes('TABLE latest_course_by_date')) continue;
    await conn.run(statement);
  }
}
