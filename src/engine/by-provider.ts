// Register indicators per provider — hospital or general practice — by running the same compiled recipe over the
// events with the provider in place of the municipality, rolled up to the provider units the store knows.
// A course counts at its hospital, an admission at the hospital of its last course (the one that discharged the
// patient); for practices every event and cohort member counts at the practice the person is listed with.
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../domain/errors.js';
import { earlierEnd, laterEnd } from '../domain/period.js';
import { queryRows } from '../store/duckdb/duckdb-connection.js';
import { ageAt, ageGroupOf, type PeriodType } from './compile-recipe.js';
import type { Recipe } from './recipe.js';

export type Provider = 'hospital' | 'practice';

/**
 * Templates that make sense per provider: denominators from the events, or persons listed with a practice (a
 * cohort, or the practice's listed population in place of the population table).
 */
const TEMPLATES: Record<Provider, ReadonlySet<Recipe['template']>> = {
  hospital: new Set(['event-count', 'share', 'mean', 'follow-up']),
  practice: new Set(['event-count', 'event-rate', 'share', 'mean', 'follow-up', 'cohort-activity']),
};

const FLAG = { hospital: 'byHospital', practice: 'byPractice' } as const;

/**
 * The level each provider's values are computed, stored and published at. Hospitals are few and large: every
 * period and breakdown, like a municipality. Practices are many and small: their cells by quarter or by category
 * are nearly all counts of 1-4, and a practice-year with one patient has cells only at that person's quarter and
 * categories, where no other practice has cells to form a protecting pattern with. Practices get yearly totals
 * only, which disclosure control protects under Denmark = Σ practices (see docs/disclosure.md).
 */
export const PROVIDER_LEVEL: Record<Provider, { periodTypes: readonly PeriodType[] | 'all'; totalsOnly: boolean }> = {
  hospital: { periodTypes: 'all', totalsOnly: false },
  practice: { periodTypes: ['year'], totalsOnly: true },
};

/** The period types a provider's values are computed for, of those the indicator has (none: not computed). */
export function providerPeriodTypes(provider: Provider, periodTypes: readonly PeriodType[]): PeriodType[] {
  const level = PROVIDER_LEVEL[provider].periodTypes;
  return level === 'all' ? [...periodTypes] : periodTypes.filter((p) => level.includes(p));
}

/** Whether a recipe is computed per provider. */
export function computedBy(recipe: Recipe, provider: Provider): boolean {
  return recipe[FLAG[provider]];
}

/** Throws when a recipe asks for provider values its template cannot give (e.g. population denominators). */
export function checkByProvider(recipe: Recipe): void {
  for (const provider of ['hospital', 'practice'] as const) {
    if (computedBy(recipe, provider) && !TEMPLATES[provider].has(recipe.template)) {
      throw new UserError(`The recipe for '${recipe.indicator}' cannot be computed by ${provider}`, {
        hint: `${FLAG[provider]} needs one of the templates ${[...TEMPLATES[provider]].join(', ')}; ${recipe.template} counts the population where it lives.`,
      });
    }
  }
}

/** The practice of a row's person p: with listings, the listing l of the row's year, else persons.gp_practice. */
const listedPractice = (withListings: boolean) =>
  withListings
    ? `coalesce(CASE WHEN l.person_id IS NULL THEN p.gp_practice ELSE l.gp_practice END, '')`
    : `coalesce(p.gp_practice, '')`;

/**
 * `rows` as t with the person as p and, with listings, the person's latest gp_listings row of the year `year` (of
 * a row) or before as l.
 */
const listedIn = (rows: string, year: string, withListings: boolean) =>
  `FROM (SELECT *, ${year} AS listing_year FROM ${rows}) t
      LEFT JOIN main.persons p ON p.person_id = t.person_id${
        withListings
          ? `
      ASOF LEFT JOIN main.gp_listings l ON l.person_id = t.person_id AND t.listing_year >= l.year`
          : ''
      }`;

/**
 * SQL giving an event table's rows with the provider in place of the municipality: for hospitals the row's
 * hospital_code; for practices the practice the person is listed with, which with `withListings` is the one of
 * the year of the row (the person's latest gp_listings row of that year or before, else persons.gp_practice).
 */
function providerOf(provider: Provider, table: string, withListings: boolean): string {
  if (provider === 'hospital')
    return `SELECT * REPLACE (coalesce(hospital_code, '') AS municipality_code) FROM main.${table}`;
  if (!withListings)
    return `SELECT t.* REPLACE (${listedPractice(false)} AS municipality_code)
      FROM main.${table} t LEFT JOIN main.persons p ON p.person_id = t.person_id`;
  // latest_course_by_year (where a cohort member is counted, as of the year of the period's end) also gets a row
  // for each year the person changed practice, so the as-of join on years finds the listing of the period's year.
  if (table === 'latest_course_by_year') {
    const years = `(SELECT person_id, y FROM main.latest_course_by_year
      UNION SELECT person_id, year FROM main.gp_listings WHERE person_id IN (SELECT person_id FROM main.cohort_persons))`;
    return `SELECT t.person_id, t.y, ${listedPractice(true)} AS municipality_code ${listedIn(years, 'y', true)}`;
  }
  return `SELECT t.* EXCLUDE (listing_year) REPLACE (${listedPractice(true)} AS municipality_code)
    ${listedIn(`main.${table}`, 'CAST(extract(year FROM start_date) AS INTEGER)', true)}`;
}

/**
 * SQL giving the practices' listed population in the population table's columns: for each year of the population
 * table, the persons listed with a practice on 1 January who are alive that day (born on or before it, no death
 * before it), by sex, the age group of their age that day, education and the income quartile of the year. Counted
 * from the persons table, which must hold every resident for the counts to be whole (the synthetic registry's
 * population is counted from its persons the same way).
 */
function listedPopulation(withListings: boolean): string {
  const jan1 = 'make_date(t.year, 1, 1)';
  const personYears = `(SELECT y.year, p.person_id FROM (SELECT DISTINCT year FROM main.population) y CROSS JOIN main.persons p)`;
  return `SELECT t.year, ${listedPractice(withListings)} AS municipality_code, p.sex,
      ${ageGroupOf(ageAt(jan1, 'p.birth_date'))} AS age_group, p.education, i.income_quartile, count(*) AS count
    ${listedIn(personYears, 'year', withListings)}
      LEFT JOIN main.death_facts d ON d.person_id = t.person_id
      LEFT JOIN main.income i ON i.person_id = t.person_id AND i.year = t.year
    WHERE p.birth_date <= ${jan1} AND (d.death_date IS NULL OR d.death_date >= ${jan1})
    GROUP BY ALL HAVING municipality_code <> ''`;
}

/**
 * Creates the events attributed to providers, once per run, in their own schema (`by_hospital`, `by_practice`)
 * that shadows the residence tables while `queryByProvider` runs; only the given units get values, and the groups
 * of them given (the practices' kvalitetsklynger) the sums of their members' events while a membership lasts. The
 * events are views over the residence tables, so no copy of the courses is held in memory.
 */
export async function prepareByProvider(
  conn: DuckDBConnection,
  provider: Provider,
  units: readonly { code: string; validTo: string | null }[],
  groups: readonly ProviderGroupRow[] = [],
): Promise<void> {
  const schema = `by_${provider}`;
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  // The event tables this run built (admission_events only where a chosen recipe reads admissions), and for
  // practices the latest course per cohort.
  const existing = await queryRows(
    conn,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND (table_name IN ('course_events', 'admission_events')${
      provider === 'practice' ? " OR table_name LIKE 'latest_course_by_%'" : ''
    }) ORDER BY table_name`,
  );
  const tables = existing.map((r) => String(r.table_name));
  const withListings =
    provider === 'practice' &&
    Number((await queryRows(conn, 'SELECT count(*) AS n FROM (SELECT 1 FROM main.gp_listings LIMIT 1)'))[0]?.n) > 0;
  for (const table of tables) {
    await conn.run(`CREATE OR REPLACE VIEW ${schema}.${table} AS ${providerOf(provider, table, withListings)}`);
  }
  // A practice's population (rates per listed citizen): its listed persons, as the population table counts residents.
  const inMain = async (table: string) =>
    (
      await queryRows(
        conn,
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = '${table}'`,
      )
    ).length > 0;
  const populationRead = provider === 'practice' && (await inMain('population')) && (await inMain('persons'));
  if (populationRead)
    await conn.run(`CREATE OR REPLACE VIEW ${schema}.population AS ${listedPopulation(withListings)}`);
  await conn.run(
    `CREATE OR REPLACE TABLE ${schema}.unit_map (municipality_code VARCHAR, unit_code VARCHAR, level VARCHAR, valid_to DATE)`,
  );
  if (units.length === 0) return;
  const date = (validTo: string | null) => (validTo ? `DATE ${quote(validTo)}` : 'NULL');
  const known = new Set(units.map((u) => u.code));
  await conn.run(
    `INSERT INTO ${schema}.unit_map VALUES ${[
      ...units.map((u) => `(${quote(u.code)}, ${quote(u.code)}, '${provider}', ${date(u.validTo)})`),
      ...groups
        .filter((g) => known.has(g.member))
        .map((g) => `(${quote(g.member)}, ${quote(g.group)}, ${quote(g.level)}, ${date(g.validTo)})`),
    ].join(', ')}`,
  );
}

/** A provider counted in a group unit up to a date (null: no end): a practice in its kvalitetsklynge. */
export interface ProviderGroupRow {
  member: string;
  group: string;
  level: string;
  validTo: string | null;
}

/**
 * The groups of providers of a unit structure: each membership of a grouping whose group units are of `groupType`
 * and whose members are providers of `memberType`, until the membership or the group ends (the earlier). As for
 * municipalities' groups (unitMapRows), only an end stops a mapping, so a group has its members' earlier years too.
 * @example providerGroupRows(units, groupings, 'gp-practice', 'gp-cluster') // [{ member: 'GP0001', group: 'KK01', … }]
 */
export function providerGroupRows(
  units: readonly { code: string; type: string; validTo: string | null }[],
  groupings: readonly {
    groupType: string;
    memberships: readonly { group: string; member: string; validTo: string | null }[];
  }[],
  memberType: string,
  groupType: string,
): ProviderGroupRow[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const rows = new Map<string, ProviderGroupRow>();
  for (const grouping of groupings) {
    if (grouping.groupType !== groupType) continue;
    for (const m of grouping.memberships) {
      const group = byCode.get(m.group);
      if (byCode.get(m.member)?.type !== memberType || group?.type !== groupType) continue;
      const key = `${m.member}\u0000${m.group}`;
      const known = rows.get(key);
      const validTo = earlierEnd(m.validTo, group.validTo);
      // Two memberships of one practice in one group: counted until the later end (null: no end).
      rows.set(key, {
        member: m.member,
        group: m.group,
        level: groupType,
        validTo: known ? laterEnd(known.validTo, validTo) : validTo,
      });
    }
  }
  return [...rows.values()];
}

/** Runs `sql` (a compiled recipe) over the events attributed to providers (after `prepareByProvider`). */
export function queryByProvider(
  conn: DuckDBConnection,
  provider: Provider,
  sql: string,
): Promise<Record<string, unknown>[]> {
  return withProvider(conn, provider, () => queryRows(conn, sql));
}

/** Runs `work` with the provider's schema shadowing the residence tables (e.g. to build shared cells in it). */
export async function withProvider<T>(conn: DuckDBConnection, provider: Provider, work: () => Promise<T>): Promise<T> {
  await conn.run(`SET search_path = 'by_${provider},main'`);
  try {
    return await work();
  } finally {
    await conn.run("SET search_path = 'main'");
  }
}
