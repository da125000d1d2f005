// Register indicators per hospital: the same compiled recipe run over the events with the hospital in place of
// the municipality (a course counts at its hospital; an admission at the hospital of its last course, the one
// that discharged the patient), rolled up to the hospital units the catalogue knows.
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../domain/errors.js';
import { queryRows } from '../store/duckdb/duckdb-connection.js';
import type { Recipe } from './recipe.js';

/** Templates whose denominator comes from the events themselves, so a hospital value means something. */
const PER_HOSPITAL_TEMPLATES: ReadonlySet<Recipe['template']> = new Set(['event-count', 'share', 'mean', 'follow-up']);

/** Throws when a recipe asks for hospital values its template cannot give (population or person cohorts). */
export function checkByHospital(recipe: Recipe): void {
  if (recipe.byHospital && !PER_HOSPITAL_TEMPLATES.has(recipe.template)) {
    throw new UserError(`The recipe for '${recipe.indicator}' cannot be computed by hospital`, {
      hint: `byHospital needs a template whose denominator is the events (${[...PER_HOSPITAL_TEMPLATES].join(', ')}); ${recipe.template} counts persons where they live.`,
    });
  }
}

/**
 * Creates the events attributed to hospitals, once per run, in their own schema (`by_hospital`) that shadows the
 * residence tables while `queryByHospital` runs; only the given hospital units get values.
 */
export async function prepareByHospital(
  conn: DuckDBConnection,
  hospitals: readonly { code: string; validTo: string | null }[],
): Promise<void> {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  await conn.run('CREATE SCHEMA IF NOT EXISTS by_hospital');
  await conn.run(`CREATE OR REPLACE TABLE by_hospital.course_events AS
    SELECT * REPLACE (coalesce(hospital_code, '') AS municipality_code) FROM main.course_events`);
  await conn.run(`CREATE OR REPLACE TABLE by_hospital.admission_events AS
    SELECT * REPLACE (coalesce(hospital_code, '') AS municipality_code) FROM main.admission_events`);
  await conn.run(
    'CREATE OR REPLACE TABLE by_hospital.unit_map (municipality_code VARCHAR, unit_code VARCHAR, level VARCHAR, valid_to DATE)',
  );
  await conn.run(
    `INSERT INTO by_hospital.unit_map VALUES ${hospitals
      .map(
        (h) => `(${quote(h.code)}, ${quote(h.code)}, 'hospital', ${h.validTo ? `DATE ${quote(h.validTo)}` : 'NULL'})`,
      )
      .join(', ')}`,
  );
}

/** Runs `sql` (a compiled recipe) over the events attributed to hospitals (after `prepareByHospital`). */
export async function queryByHospital(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  await conn.run("SET search_path = 'by_hospital,main'");
  try {
    return await queryRows(conn, sql);
  } finally {
    await conn.run("SET search_path = 'main'");
  }
}
