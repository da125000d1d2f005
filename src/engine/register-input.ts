// Reads the record-level tables (CSV or Parquet) into typed DuckDB tables, validating as it goes.
// Happy path: one scan per file, whose filter raises an error at the first bad row (checks of few distinct
// values, such as diagnosis codes, run afterwards on those values only). On a problem, a second scan finds the
// first bad row in file order to name it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { AGE_GROUPS, EDUCATION_LEVELS } from '../domain/breakdowns.js';
import { UserError } from '../domain/errors.js';
import { queryRows } from '../store/duckdb/duckdb-connection.js';

export { AGE_GROUPS, EDUCATION_LEVELS };

/** `MUNICIPALITY` is the ENUM of the store's municipality codes (see createMunicipalityType). */
type SqlType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DATE' | 'BOOLEAN' | 'MUNICIPALITY';

interface ColumnSpec {
  type: SqlType;
  required: boolean;
}

interface Check {
  column: string;
  /** Written over the raw source column rather than the typed one. */
  raw?: boolean;
  /** True for a bad row; over the typed columns. */
  bad: string;
  reason: string;
  /** Checked once per distinct value after loading rather than on every row (for columns of few values). */
  distinct?: boolean;
}

export interface TableSpec {
  name: string;
  required: boolean;
  columns: Record<string, ColumnSpec>;
  checks: () => Check[];
  /** Columns whose combination must be unique. */
  key?: readonly string[];
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const col = (type: SqlType, required = true): ColumnSpec => ({ type, required });

export const TABLES: readonly TableSpec[] = [
  {
    name: 'population',
    required: true,
    columns: {
      year: col('INTEGER'),
      municipality_code: col('MUNICIPALITY'),
      sex: col('VARCHAR'),
      age_group: col('VARCHAR'),
      education: col('VARCHAR'),
      income_quartile: col('INTEGER', false),
      count: col('BIGINT'),
    },
    checks: () => [
      { column: 'sex', bad: `sex NOT IN ('M', 'F')`, reason: 'must be M or F' },
      {
        column: 'age_group',
        bad: `age_group NOT IN (${list(AGE_GROUPS)})`,
        reason: `must be one of ${AGE_GROUPS.join(', ')}`,
      },
      {
        column: 'education',
        bad: `education NOT IN (${list(EDUCATION_LEVELS)})`,
        reason: `must be one of ${EDUCATION_LEVELS.join(', ')}`,
      },
      {
        column: 'income_quartile',
        bad: 'income_quartile NOT BETWEEN 1 AND 4',
        reason: 'must be 1, 2, 3 or 4 (or empty)',
      },
      { column: 'count', bad: 'count < 0', reason: 'must not be negative' },
      { column: 'year', bad: 'year < 1900 OR year > 2200', reason: 'is not a plausible year' },
    ],
    key: ['year', 'municipality_code', 'sex', 'age_group', 'education', 'income_quartile'],
  },
  {
    name: 'persons',
    required: true,
    columns: {
      person_id: col('VARCHAR'),
      birth_date: col('DATE'),
      sex: col('VARCHAR'),
      education: col('VARCHAR'),
      gp_practice: col('VARCHAR', false),
    },
    checks: () => [
      { column: 'sex', bad: `sex NOT IN ('M', 'F')`, reason: 'must be M or F' },
      {
        column: 'education',
        bad: `education NOT IN (${list(EDUCATION_LEVELS)})`,
        reason: `must be one of ${EDUCATION_LEVELS.join(', ')}`,
      },
    ],
    key: ['person_id'],
  },
  {
    name: 'hospital_courses',
    required: true,
    columns: {
      course_id: col('VARCHAR'),
      person_id: col('VARCHAR'),
      municipality_code: col('MUNICIPALITY'),
      hospital_code: col('VARCHAR', false),
      admission_date: col('DATE'),
      discharge_date: col('DATE', false),
      acute: col('BOOLEAN'),
      inpatient: col('BOOLEAN'),
      psychiatric: col('BOOLEAN'),
      virtual: col('BOOLEAN'),
      primary_diagnosis: col('VARCHAR', false),
    },
    checks: () => [
      { column: 'discharge_date', bad: 'discharge_date < admission_date', reason: 'is before the admission date' },
      {
        column: 'primary_diagnosis',
        bad: `NOT regexp_full_match(upper(replace(primary_diagnosis, '.', '')), 'D?[A-Z][0-9][0-9A-Z]*')`,
        reason: 'is not an ICD-10 code (e.g. DJ44, J44.1)',
        distinct: true,
      },
    ],
    key: ['course_id'],
  },
  {
    // Optional: each person's income quarter by year (1 = the poorest quarter of the population, 4 the richest).
    name: 'income',
    required: false,
    columns: { person_id: col('VARCHAR'), year: col('INTEGER'), income_quartile: col('INTEGER') },
    checks: () => [
      { column: 'income_quartile', bad: 'income_quartile NOT BETWEEN 1 AND 4', reason: 'must be 1, 2, 3 or 4' },
      { column: 'year', bad: 'year < 1900 OR year > 2200', reason: 'is not a plausible year' },
    ],
    key: ['person_id', 'year'],
  },
  {
    // Optional: changes of general practice. A row says the person is listed with gp_practice from 1 January of
    // the year on (empty: listed nowhere), until the person's next row; before the first row persons.gp_practice
    // holds.
    name: 'gp_listings',
    required: false,
    columns: { person_id: col('VARCHAR'), year: col('INTEGER'), gp_practice: col('VARCHAR', false) },
    checks: () => [{ column: 'year', bad: 'year < 1900 OR year > 2200', reason: 'is not a plausible year' }],
    key: ['person_id', 'year'],
  },
  {
    name: 'deaths',
    required: false,
    columns: { person_id: col('VARCHAR'), death_date: col('DATE') },
    checks: () => [],
  },
];

/** Finds `name.csv`, `name.csv.gz` or `name.parquet` in a folder. */
export function findTableFile(dir: string, name: string): string | undefined {
  for (const ext of ['.parquet', '.csv', '.csv.gz']) {
    const file = path.join(dir, `${name}${ext}`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

function scanOf(file: string): string {
  return file.endsWith('.parquet')
    ? `read_parquet(${sqlString(file)})`
    : `read_csv(${sqlString(file)}, header = true, all_varchar = true, auto_detect = true)`;
}

/** Typed expression of a source column; municipality codes lose leading zeros (0101 → 101). */
function typedExpression(column: string, type: SqlType, sourceType?: string): string {
  const raw = `"${column}"`;
  // A source already of the wanted type (typed Parquet) needs no round trip through text.
  if (sourceType && nativelyTyped(type, sourceType))
    return type === 'BIGINT' || type === 'INTEGER' ? `CAST(${raw} AS ${type})` : raw;
  if (type === 'VARCHAR') return `nullif(trim(CAST(${raw} AS VARCHAR)), '')`;
  if (type === 'MUNICIPALITY') {
    return `TRY_CAST(nullif(ltrim(trim(CAST(${raw} AS VARCHAR)), '0'), '') AS ${MUNICIPALITY_TYPE})`;
  }
  return `TRY_CAST(nullif(trim(CAST(${raw} AS VARCHAR)), '') AS ${type})`;
}

/** The ENUM type of municipality codes: one byte per row, and an unknown code fails to convert. */
export const MUNICIPALITY_TYPE = 'municipality_code';

/** Creates the municipality ENUM from the store's codes (before loading any table). */
export async function createMunicipalityType(conn: DuckDBConnection, codes: readonly string[]): Promise<void> {
  await conn.run(`DROP TYPE IF EXISTS ${MUNICIPALITY_TYPE}`);
  await conn.run(`CREATE TYPE ${MUNICIPALITY_TYPE} AS ENUM (${codes.map(sqlString).join(', ')})`);
}

const INTEGER_TYPES = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER'];

/** Whether a source column of `sourceType` holds values of `type` without conversion. */
function nativelyTyped(type: SqlType, sourceType: string): boolean {
  if (type === 'DATE' || type === 'BOOLEAN') return sourceType === type;
  if (type === 'INTEGER' || type === 'BIGINT') return INTEGER_TYPES.includes(sourceType);
  return false;
}

/** Where a loaded table goes: by default a table of the spec's name with its typed columns. */
export interface LoadTarget {
  /** Name of the table to create (default: the spec's name). */
  table?: string;
  /** The statement's SELECT, given the typed, checked rows as a subquery (default: all of them). */
  select?: (typedRows: string) => string;
  /** Keep the distinct values a `distinct` check reads as a table (column → table with column `code`). */
  distinctTables?: Record<string, string>;
  /**
   * Optional columns not read at all (no recipe needs them): they are typed nulls in the table, and their
   * checks are not made.
   */
  skipColumns?: readonly string[];
  /**
   * Keep only the rows meeting this condition over the typed columns (default: all). Every row is still
   * checked, and keys and distinct values are checked over the whole file.
   */
  keep?: string;
}

const INVALID = 'pejling: invalid row';

/**
 * Loads one table into DuckDB in one scan of its file, typed and checked (columns, types, codes, keys).
 * Throws a UserError naming the file, the row (line in a CSV, counting the header as line 1) and the column.
 */
export async function loadTable(
  conn: DuckDBConnection,
  spec: TableSpec,
  file: string,
  target: LoadTarget = {},
): Promise<number> {
  const scan = scanOf(file);
  const fileName = path.basename(file);
  const table = target.table ?? spec.name;
  let found: string[];
  const sourceTypes = new Map<string, string>();
  try {
    const described = await queryRows(conn, `DESCRIBE SELECT * FROM ${scan}`);
    found = described.map((r) => String(r.column_name));
    for (const r of described) sourceTypes.set(String(r.column_name), String(r.column_type));
  } catch (error) {
    throw new UserError(
      `${fileName} cannot be read as ${file.endsWith('.parquet') ? 'Parquet' : 'CSV'}: ${firstLine(error)}`,
      {
        location: { file },
        hint: `Write ${spec.name} as a CSV with a header row (comma-separated, UTF-8) or as Parquet.`,
      },
    );
  }
  const skipped = (name: string) => spec.columns[name]?.required === false && target.skipColumns?.includes(name);
  const missing = Object.keys(spec.columns).filter((c) => !found.includes(c) && spec.columns[c]?.required !== false);
  if (missing.length > 0) {
    throw new UserError(`${fileName} lacks the column(s) ${missing.join(', ')}`, {
      location: { file, row: 1 },
      hint: `Expected columns: ${Object.keys(spec.columns).join(', ')}; found: ${found.join(', ')}. See docs/data-formats.md.`,
    });
  }
  const read = found.filter((name) => !skipped(name));
  const columns = Object.entries(spec.columns).filter(([name]) => read.includes(name));
  const typed = columns
    .map(([name, c]) => `${typedExpression(name, c.type, sourceTypes.get(name))} AS "${name}"`)
    .join(', ');
  const optionalNulls = Object.entries(spec.columns)
    .filter(([name]) => !read.includes(name))
    .map(([name, c]) => `CAST(NULL AS ${c.type === 'MUNICIPALITY' ? MUNICIPALITY_TYPE : c.type}) AS "${name}"`);
  const select = [typed, ...optionalNulls].join(', ');

  // Problems: a value that is present but does not convert, a required value missing, a failed check.
  const problems: Check[] = [];
  for (const [name, c] of columns) {
    const sourceType = sourceTypes.get(name) ?? 'VARCHAR';
    if (nativelyTyped(c.type, sourceType)) {
      if (c.required) problems.push({ column: name, raw: true, bad: `"${name}" IS NULL`, reason: 'is missing' });
      continue;
    }
    const rawText = `nullif(trim(CAST("${name}" AS VARCHAR)), '')`;
    if (c.type !== 'VARCHAR') {
      problems.push({
        column: name,
        raw: true,
        bad: `(${rawText} IS NOT NULL AND ${typedExpression(name, c.type)} IS NULL)`,
        reason: `is not ${describeType(c.type)}`,
      });
    }
    if (c.required) problems.push({ column: name, raw: true, bad: `${rawText} IS NULL`, reason: 'is missing' });
  }
  const checks = spec.checks().filter((c) => !skipped(c.column));
  const rowChecks = checks.filter((c) => !c.distinct);
  // One scan: raw problems are flagged beside the typed columns, typed checks are applied on top, and the
  // filter raises an error at the first bad row, so good input passes straight into the table.
  const rawFlag = problems.length ? `(${problems.map((p) => p.bad).join(' OR ')})` : 'FALSE';
  const typedBad = [`_raw_problem`, ...rowChecks.map((c) => `(${c.bad})`)].join(' OR ');
  // The kept condition is inside the same CASE, so it cannot be pushed below the checks into the scan.
  const typedRows = `SELECT * EXCLUDE (_raw_problem) FROM (SELECT ${select}, ${rawFlag} AS _raw_problem FROM ${scan})
    WHERE CASE WHEN ${typedBad} THEN error('${INVALID}') ELSE ${target.keep ?? 'TRUE'} END`;
  // Keys and distinct values are checked over every row: the table's, or the file's typed columns when the
  // table keeps only some rows (only the columns checked are read again).
  const allRows = target.keep ? `(SELECT ${select} FROM ${scan})` : `"${table}"`;
  const statement = target.select ? target.select(`(${typedRows})`) : `SELECT * FROM (${typedRows})`;
  try {
    await conn.run(`CREATE OR REPLACE TABLE "${table}" AS ${statement}`);
  } catch (error) {
    await conn.run(`DROP TABLE IF EXISTS "${table}"`);
    if (firstLine(error).includes(INVALID)) {
      throw await locateProblem(conn, scan, file, select, [...problems, ...rowChecks], undefined);
    }
    throw new UserError(`${fileName} cannot be read: ${firstLine(error)}`, { location: { file } });
  }
  // Checks of few distinct values run on those values only; the bad row is then found in the file.
  for (const check of checks.filter((c) => c.distinct)) {
    const values = target.distinctTables?.[check.column] ?? `distinct_${check.column}`;
    await conn.run(`CREATE OR REPLACE TABLE "${values}" AS
      SELECT DISTINCT "${check.column}" AS code FROM ${allRows} WHERE "${check.column}" IS NOT NULL`);
    const [bad] = await queryRows(
      conn,
      `SELECT count(*) AS n FROM (SELECT code AS "${check.column}" FROM "${values}") WHERE ${check.bad}`,
    );
    if (!target.distinctTables?.[check.column]) await conn.run(`DROP TABLE "${values}"`);
    if (Number(bad?.n ?? 0) > 0) {
      await conn.run(`DROP TABLE IF EXISTS "${table}"`);
      throw await locateProblem(conn, scan, file, select, [check], undefined);
    }
  }
  let rows: number | undefined;
  if (spec.key) {
    const { dup, total } = await findDuplicate(conn, allRows, spec.key);
    rows = total;
    if (dup) {
      await conn.run(`DROP TABLE IF EXISTS "${table}"`);
      const value = spec.key.map((k) => `${k}=${String(dup[k])}`).join(', ');
      throw new UserError(`${fileName} has ${Number(dup.n)} rows with the same ${spec.key.join(' + ')} (${value})`, {
        location: { file, column: spec.key.join(', ') },
        hint: 'Each row must be unique by these columns; remove or merge the duplicates.',
      });
    }
  }
  if (rows === undefined) {
    const [count] = await queryRows(conn, `SELECT count(*) AS n FROM ${allRows}`);
    rows = Number(count?.n ?? 0);
  }
  return rows;
}

/**
 * The first duplicate of a key, if any. The 64-bit hashes of the keys are sorted and each compared with the
 * next, which is cheaper than grouping (a hash table of every key); only when two are equal are hash
 * collisions told apart from real duplicates by grouping the few candidates by the key itself.
 */
async function findDuplicate(
  conn: DuckDBConnection,
  rows: string,
  key: readonly string[],
): Promise<{ dup: Record<string, unknown> | undefined; total: number }> {
  const keyList = key.map((k) => `"${k}"`).join(', ');
  const [equalHashes] = await queryRows(
    conn,
    `SELECT count(*) FILTER (WHERE _h = _previous) AS n, count(*) AS total
     FROM (SELECT _h, lag(_h) OVER (ORDER BY _h) AS _previous FROM (SELECT hash(${keyList}) AS _h FROM ${rows}))`,
  );
  const total = Number(equalHashes?.total ?? 0);
  if (Number(equalHashes?.n ?? 0) === 0) return { dup: undefined, total };
  const [dup] = await queryRows(
    conn,
    `WITH candidates AS (SELECT hash(${keyList}) AS h FROM ${rows} GROUP BY h HAVING count(*) > 1)
     SELECT ${keyList}, count(*) AS n FROM ${rows} WHERE hash(${keyList}) IN (SELECT h FROM candidates)
     GROUP BY ${keyList} HAVING count(*) > 1 ORDER BY ${keyList} LIMIT 1`,
  );
  return { dup, total };
}

async function locateProblem(
  conn: DuckDBConnection,
  scan: string,
  file: string,
  select: string,
  problems: Check[],
  knownTotal: number | undefined,
): Promise<UserError> {
  const isCsv = !file.endsWith('.parquet');
  // Row numbers follow the file only while insertion order is kept (the engine turns it off for speed).
  await conn.run('SET preserve_insertion_order = true');
  const rawColumns = [...new Set(problems.map((p) => p.column))].map((c) => `"${c}" AS "raw_${c}"`).join(', ');
  // Each problem's predicate is written over raw (for conversions) or typed columns (for checks).
  const predicate = (p: Check) => (p.raw ? p.bad.replaceAll(`"${p.column}"`, `"raw_${p.column}"`) : p.bad);
  const cases = problems.map((p, i) => `CASE WHEN ${predicate(p)} THEN ${i} END`).join(', ');
  let total = knownTotal ?? 0;
  if (knownTotal === undefined) {
    const [counted] = await queryRows(
      conn,
      `SELECT count(*) AS n FROM (SELECT ${rawColumns}, ${select} FROM ${scan}) WHERE coalesce(${cases}) IS NOT NULL`,
    ).catch(() => [{ n: 0 }]);
    total = Number(counted?.n ?? 0);
  }
  const sql = `WITH numbered AS (SELECT row_number() OVER () AS n, * FROM ${scan}),
    typed AS (SELECT n, ${rawColumns}, ${select} FROM numbered)
    SELECT n, coalesce(${cases}) AS problem FROM typed WHERE coalesce(${cases}) IS NOT NULL ORDER BY n LIMIT 1`;
  let rows: Record<string, unknown>[] = [];
  try {
    rows = await queryRows(conn, sql);
  } catch {
    rows = [];
  }
  const first = rows[0];
  const problem = first ? problems[Number(first.problem)] : undefined;
  if (!first || !problem) {
    return new UserError(`${path.basename(file)} has ${total} invalid row(s)`, { location: { file } });
  }
  const n = Number(first.n);
  const [valueRow] = await queryRows(
    conn,
    `SELECT CAST("${problem.column}" AS VARCHAR) AS v FROM (SELECT row_number() OVER () AS n, * FROM ${scan}) WHERE n = ?`,
    [n],
  );
  const value = valueRow?.v === null || valueRow?.v === undefined ? '(empty)' : `'${String(valueRow.v)}'`;
  return new UserError(
    `${path.basename(file)} ${isCsv ? 'line' : 'row'} ${isCsv ? n + 1 : n}, column ${problem.column}: ${value} ${problem.reason}` +
      (total > 1 ? ` (${total} problems in all; the first is shown)` : ''),
    { location: { file, row: isCsv ? n + 1 : n, column: problem.column } },
  );
}

function describeType(type: SqlType): string {
  switch (type) {
    case 'DATE':
      return 'an ISO date (YYYY-MM-DD)';
    case 'BOOLEAN':
      return 'a boolean (true/false, 1/0)';
    case 'INTEGER':
    case 'BIGINT':
      return 'a whole number';
    case 'MUNICIPALITY':
      return 'a municipality code (use the official codes, e.g. 101 or 0101)';
    default:
      return 'text';
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
