// Checks a long table of aggregate values set-wise in a scratch, in-memory DuckDB, whatever file it came from
// (check-csv-in-duckdb.ts loads a CSV with DuckDB's reader, check-xlsx-in-duckdb.ts streams a workbook's sheet in):
// each distinct code, unit, period and breakdown is looked up once, and the numbers and their consistency are
// checked by SQL over all rows at once. A row the SQL cannot pass goes through the same row checks as every other
// reader (check-rows.ts), so the report names the same rows, columns and reasons.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { Indicator } from '../catalogue/index.js';
import { emptyPacked, type PackedValues, packedColumns, putValue, stringIndex } from '../store/packed-values.js';
import { findColumn, type Layout, readRows } from './aggregate-layout.js';
import { BREAKDOWN, FIRST_YEAR, LAST_YEAR, periodReader, rowChecker, unitResolver } from './check-rows.js';
import type { ImportOptions, ImportReference, ImportReport } from './import-aggregates.js';
import { outOfScopeError } from './out-of-scope.js';
import type { Grid } from './read-table.js';

/** Tokens that mean "no value", as parse-number.ts has them. */
const MISSING = ['', '..', '.', '-', 'NA', 'na', 'n/a'];
/** parse-number.ts's patterns (RE2 reads them alike). */
const NUMBER_PATTERN = {
  ',': '[-+]?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?',
  '.': '[-+]?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?([eE][-+]?\\d+)?',
} as const;

/** Time spent in each step, for the import benchmark. */
export type StepTimes = Record<string, number>;

/** A lap timer: each call adds the seconds since the last one (or since it was made) to `times[step]`. */
export function lapTimer(times: StepTimes): (step: string) => void {
  let t = performance.now();
  return (step) => {
    const now = performance.now();
    times[step] = (times[step] ?? 0) + (now - t) / 1000;
    t = now;
  };
}

/** The fields a long table's columns can hold, in the order the raw table keeps them. */
export const FIELDS = ['indicator', 'unit', 'period', 'breakdown', 'numerator', 'denominator', 'value'] as const;

/**
 * A long table loaded into the scratch DuckDB as the table `raw`: one VARCHAR column `c<i>` for each column `i` of
 * the header that a field is read from (`used`), and the row's number in the file given by `rowNumber` (SQL on
 * `raw`).
 */
export interface RawTable {
  fileName: string;
  sha256: string;
  format: Grid['format'];
  delimiter?: string;
  decimal: ',' | '.';
  encoding?: string;
  header: readonly string[];
  /** The header's columns loaded into `raw`, each as `c<index>`. */
  used: readonly number[];
  layout: Layout;
  /** Data rows in the file (the report's `rowsInFile`). */
  rowsInFile: number;
  /** SQL for a row's number in the file, e.g. `raw.rowid + 2`. */
  rowNumber: string;
}

/** The header's columns a long table's fields are read from. */
export function usedColumns(header: readonly string[]): number[] {
  return FIELDS.map((field) => findColumn(header, field)).filter((i) => i >= 0);
}

/** The scratch DuckDB's memory limit, and the one for a second try when a check does not fit in the first. */
export const SCRATCH_MEMORY = ['32MB', '512MB'] as const;

/**
 * Runs `work` on a scratch, in-memory DuckDB with `memoryLimit` (beyond it DuckDB spills to a temporary folder
 * rather than growing), removed afterwards; `dir` is that folder, for files the work writes.
 */
export async function withScratchDuckDB<T>(
  memoryLimit: string,
  work: (db: DuckDBConnection, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pejling-import-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memoryLimit,
    temp_directory: dir,
    preserve_insertion_order: 'true',
    // One thread: one set of the reader's buffers and one hash table per step, and the rows handed over in
    // order without holding back chunks that come early (which, with a million rows or more, would not fit).
    threads: '1',
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const db = await instance.connect();
  try {
    return await work(db, dir);
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a check within the first memory limit, and again within the second when it did not fit (very long cells,
 * say).
 */
export async function withinScratchMemory<T>(
  limits: readonly [string, string],
  check: (memoryLimit: string) => Promise<T>,
): Promise<T> {
  try {
    return await check(limits[0]);
  } catch (error) {
    if (!(error instanceof Error) || !/Out of Memory/i.test(error.message)) throw error;
    return await check(limits[1]);
  }
}

/**
 * Checks the loaded table `raw` (see RawTable): the report, and the values packed in columns in the order of the
 * file (none when there is a problem). A row outside the importer's units refuses the whole file (403).
 */
export async function checkRawTable(
  db: DuckDBConnection,
  table: RawTable,
  options: ImportOptions,
  reference: ImportReference,
  lap: (step: string) => void,
): Promise<{ report: ImportReport; packed: PackedValues }> {
  const { fileName, sha256, format, delimiter, decimal, encoding, header, used, layout, rowsInFile } = table;
  const grid: Grid = { format, decimal, header: [...header], rows: [] };
  const indicators = new Map(reference.indicators.map((i) => [i.id, i]));
  const at = (field: string) => findColumn(header, field);
  const cell = (field: string) => (at(field) >= 0 ? `coalesce(c${at(field)}, '')` : undefined);
  const strings: string[] = [];
  const index = stringIndex(strings);
  const scopeSet = options.allowedUnits ? new Set(options.allowedUnits) : undefined;
  const inScope = (code: string) =>
    options.unitScope ? options.unitScope.includes(code) : scopeSet ? scopeSet.has(code) : true;
  // Each distinct text of the code columns, looked up once.
  const indicatorCell = cell('indicator') ?? "''";
  await lookup(
    db,
    'indicator_map',
    indicatorCell,
    'ok BOOLEAN, id INTEGER, proportion BOOLEAN, multiplier DOUBLE, types VARCHAR',
    (raw) => {
      const indicator: Indicator | undefined = indicators.get(raw.trim() || options.indicator || '');
      const ok = indicator !== undefined && indicator.origin !== 'register';
      return ok
        ? [
            true,
            index(indicator.id),
            indicator.measure === 'proportion',
            indicator.multiplier,
            `,${indicator.periodTypes.join(',')},`,
          ]
        : [false, null, null, null, null];
    },
  );
  const resolveUnit = unitResolver(reference.units);
  await lookup(db, 'unit_map', cell('unit') ?? "''", 'code INTEGER, allowed BOOLEAN', (raw) => {
    const code = resolveUnit(raw.trim());
    return code === undefined ? [null, null] : [index(code), inScope(code)];
  });
  const periodOf = periodReader();
  await lookup(db, 'period_map', cell('period') ?? "''", 'period INTEGER, type VARCHAR, in_range BOOLEAN', (raw) => {
    const { period, type, year } = periodOf(raw.trim());
    if (!period) return [null, null, null];
    return [index(period), type ?? null, year !== undefined && year >= FIRST_YEAR && year <= LAST_YEAR];
  });
  await lookup(db, 'breakdown_map', cell('breakdown') ?? "''", 'breakdown INTEGER, ok BOOLEAN', (raw) => {
    const breakdown = raw.trim() || 'total';
    return [index(breakdown), BREAKDOWN.test(breakdown)];
  });
  lap('look up codes, units, periods');

  const number = (field: string) => {
    const c = cell(field);
    if (!c) return `NULL::DOUBLE AS n_${field}, true AS m_${field}`;
    const missing = `${c} IN (${MISSING.map(quote).join(', ')})`;
    const normal = decimal === ',' ? `replace(replace(${c}, '.', ''), ',', '.')` : `replace(${c}, ',', '')`;
    return `CASE WHEN ${missing} OR NOT regexp_full_match(${c}, ${quote(NUMBER_PATTERN[decimal])}) THEN NULL
      ELSE TRY_CAST(${normal} AS DOUBLE) END AS n_${field}, ${missing} AS m_${field}`;
  };
  // A row is clean when every check of check-rows.ts passes but the one for repeats (next); its value is the
  // given one, or the share.
  await run(
    db,
    `CREATE TABLE checked AS
     WITH parsed AS (
       SELECT ${table.rowNumber} AS row, i.ok AS indicator_ok, i.id AS indicator, i.proportion, i.multiplier, i.types,
         u.code AS unit, u.allowed, p.period, p.type, p.in_range, b.breakdown, b.ok AS breakdown_ok,
         ${number('numerator')}, ${number('denominator')}, ${number('value')}
       FROM raw
         LEFT JOIN indicator_map i ON i.raw = ${indicatorCell}
         LEFT JOIN unit_map u ON u.raw = ${cell('unit') ?? "''"}
         LEFT JOIN period_map p ON p.raw = ${cell('period') ?? "''"}
         LEFT JOIN breakdown_map b ON b.raw = ${cell('breakdown') ?? "''"}),
     v AS (
       SELECT *, (n_numerator / n_denominator) * multiplier AS computed,
         CASE WHEN n_value IS NULL AND n_numerator IS NOT NULL AND n_denominator IS NOT NULL AND n_denominator > 0
           THEN (n_numerator / n_denominator) * multiplier ELSE n_value END AS final
       FROM parsed)
     SELECT row, indicator, unit, period, breakdown, n_numerator, n_denominator, final,
       indicator_ok AND unit IS NOT NULL AND period IS NOT NULL AS keyed,
       coalesce(indicator_ok AND unit IS NOT NULL AND period IS NOT NULL AND in_range
         AND contains(types, ',' || type || ',') AND breakdown_ok
         AND (m_numerator OR isfinite(n_numerator)) AND (m_denominator OR isfinite(n_denominator))
         AND (m_value OR isfinite(n_value))
         AND coalesce(n_numerator >= 0, true) AND coalesce(n_denominator >= 0, true)
         AND (n_numerator IS NULL OR n_denominator IS NULL OR (
           n_denominator <> 0 AND NOT (proportion AND n_numerator > n_denominator)
           AND (n_value IS NULL OR abs(n_value - computed) <= 0.005 * greatest(1, abs(computed)))))
         AND final IS NOT NULL AND isfinite(final)
         AND (NOT proportion OR (final >= 0 AND final <= multiplier)), false) AS clean,
       coalesce(indicator_ok AND unit IS NOT NULL AND NOT allowed, false) AS out_of_scope
     FROM v`,
  );
  // Rows that repeat another's indicator, unit, period and breakdown go to the row checks, which name the first.
  await run(
    db,
    `CREATE TABLE repeated AS SELECT indicator, unit, period, breakdown FROM checked WHERE keyed
     GROUP BY ALL HAVING count(*) > 1`,
  );
  const [repeats] = await rows(db, 'SELECT count(*)::INTEGER FROM repeated');
  if (Number(repeats?.[0]) > 0)
    await run(
      db,
      `UPDATE checked c SET clean = false FROM repeated r WHERE c.keyed AND r.indicator = c.indicator
         AND r.unit = c.unit AND r.period = c.period AND r.breakdown = c.breakdown`,
    );
  lap('check numbers and repeats (SQL)');

  const [scope] = await rows(db, 'SELECT count(*)::INTEGER FROM checked WHERE out_of_scope');
  if (Number(scope?.[0]) > 0) {
    const outside = await rows(db, 'SELECT row::INTEGER, unit FROM checked WHERE out_of_scope ORDER BY row LIMIT 50');
    const units = await rows(db, 'SELECT unit FROM checked WHERE out_of_scope GROUP BY unit ORDER BY min(row)');
    throw outOfScopeError(
      fileName,
      Number(scope?.[0]),
      outside.map(([row, unit]) => ({ row: Number(row), unit: strings[Number(unit)] as string })),
      units.map(([unit]) => strings[Number(unit)] as string),
      options.unitScope?.description ?? options.scopeDescription ?? '',
    );
  }

  // The rows SQL could not pass, read again from their cells by the row checks.
  const checker = rowChecker({
    indicators,
    resolveUnit,
    ...(options.indicator ? { indicator: options.indicator } : {}),
    layout,
    decimal,
  });
  const cellList = used.map((i) => `coalesce(c${i}, '')`).join(', ');
  await each(
    db,
    `SELECT checked.row::INTEGER, ${cellList} FROM checked JOIN raw ON ${table.rowNumber} = checked.row
     WHERE NOT clean ORDER BY checked.row`,
    (row) => {
      const [n, ...values] = row as [number, ...string[]];
      const cells = header.map(() => '');
      for (const [k, i] of used.entries()) cells[i] = (values[k] as string).trim();
      const [raw] = readRows({ ...grid, rows: [{ row: n, cells }] }, layout);
      if (raw) checker.check(raw);
    },
  );
  lap('check the rows SQL did not pass');

  // The cells and lookups are done with: their memory goes back before the columns are made.
  for (const table of ['raw', 'repeated', 'indicator_map', 'unit_map', 'period_map', 'breakdown_map'])
    await run(db, `DROP TABLE ${table}`);
  const [cleanCount] = await rows(db, 'SELECT count(*)::INTEGER FROM checked WHERE clean');
  const clean = Number(cleanCount?.[0]);
  const report: ImportReport = {
    file: fileName,
    sha256,
    format,
    layout,
    decimal,
    ...(delimiter ? { delimiter } : {}),
    ...(encoding ? { encoding } : {}),
    rowsInFile,
    values: clean + checker.values.length,
    problems: checker.problems,
    dryRun: Boolean(options.dryRun),
    written: false,
    importId: null,
    diff: null,
  };
  if (checker.problems.length > 0) return { report, packed: emptyPacked(0, []) };
  // The clean rows and the rows the checks passed, in the order of the file: the clean ones copied a chunk at a
  // time from DuckDB's vectors, the others put in between by row number.
  const packed = emptyPacked(report.values, strings);
  const extra = checker.values;
  let next = 0;
  let i = 0;
  const putChecked = (before: number) => {
    for (; next < extra.length && (checker.rows[next] as number) < before; next++, i++) {
      putValue(packed, i, extra[next] as (typeof extra)[number], index);
    }
  };
  const targets = packedColumns(packed).slice(0, 7);
  // DuckDB keeps the rows in file order without sorting them (insertion order is preserved); should a chunk
  // come out of order, the copy starts again from a sorted query.
  const copy = async (sorted: boolean): Promise<boolean> => {
    i = 0;
    next = 0;
    let last = 0;
    const result = await db.stream(
      `SELECT row::INTEGER, indicator, unit, period, breakdown, coalesce(n_numerator, 'NaN'::DOUBLE),
         coalesce(n_denominator, 'NaN'::DOUBLE), final FROM checked WHERE clean${sorted ? ' ORDER BY row' : ''}`,
    );
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return true;
      const columns = Array.from(
        { length: 8 },
        (_, c) => (chunk.getColumnVector(c) as unknown as { items: Int32Array | Float64Array }).items,
      );
      const [rowColumn, ...values] = columns as [Int32Array, ...(Int32Array | Float64Array)[]];
      for (let k = 0; k < chunk.rowCount; k++) {
        const row = rowColumn[k] as number;
        if (row <= last) return false;
        last = row;
      }
      if (next >= extra.length || (checker.rows[next] as number) > last) {
        for (const [c, target] of targets.entries()) target.set(values[c] as Int32Array & Float64Array, i);
        i += chunk.rowCount;
        continue;
      }
      for (let k = 0; k < chunk.rowCount; k++, i++) {
        putChecked(rowColumn[k] as number);
        for (const [c, target] of targets.entries()) target[i] = (values[c] as Int32Array | Float64Array)[k] as number;
      }
    }
  };
  if (!(await copy(false))) await copy(true);
  putChecked(Number.POSITIVE_INFINITY);
  lap('hand over the values');
  return { report, packed };
}

/** A lookup table from each distinct text of a column to what `describe` says about it. */
async function lookup(
  db: DuckDBConnection,
  table: string,
  column: string,
  columns: string,
  describe: (raw: string) => DuckDBValue[],
): Promise<void> {
  const texts = (await rows(db, `SELECT DISTINCT ${column} FROM raw`)).map(([raw]) => String(raw));
  await run(db, `CREATE TABLE ${table} (raw VARCHAR, ${columns})`);
  const appender = await db.createAppender(table);
  const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
  for (const raw of texts) {
    for (const [i, value] of [raw, ...describe(raw)].entries()) appender.appendValue(value, types[i]);
    appender.endRow();
  }
  appender.closeSync();
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function run(db: DuckDBConnection, sql: string): Promise<void> {
  await db.run(sql);
}

async function rows(db: DuckDBConnection, sql: string): Promise<DuckDBValue[][]> {
  return (await db.runAndReadAll(sql)).getRows();
}

/** Each row of a query, a chunk at a time. */
async function each(db: DuckDBConnection, sql: string, visit: (row: DuckDBValue[]) => void): Promise<void> {
  const result = await db.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRows()) visit(row);
  }
}
