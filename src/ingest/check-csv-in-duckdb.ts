// Reads and checks a long CSV table of aggregate values set-wise in a scratch, in-memory DuckDB: DuckDB's CSV
// reader parses the file, each distinct code, unit, period and breakdown is looked up once, and the numbers and
// their consistency are checked by SQL over all rows at once. A row the SQL cannot pass goes through the same
// row checks as every other reader (check-rows.ts), so the report names the same rows, columns and reasons.
// Files this reader does not take (quotes, other encodings, the wide layout) return undefined and are read row
// by row.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { Indicator } from '../catalogue/index.js';
import { detectLayout, findColumn, readRows } from './aggregate-layout.js';
import { BREAKDOWN, checkShape, FIRST_YEAR, LAST_YEAR, periodReader, rowChecker, unitResolver } from './check-rows.js';
import type { ImportOptions, ImportReference, ImportReport } from './import-aggregates.js';
import { outOfScopeError } from './out-of-scope.js';
import { emptyPacked, type PackedValues, stringIndex } from './packed-values.js';
import { checkLines, decodeText, detectDelimiter, detectFormat, type Grid, MAX_IMPORT_BYTES } from './read-table.js';
import { UPLOAD_LIMITS } from './upload-limits.js';

/** Tokens that mean "no value", as parse-number.ts has them. */
const MISSING = ['', '..', '.', '-', 'NA', 'na', 'n/a'];
/** parse-number.ts's patterns (RE2 reads them alike). */
const NUMBER_PATTERN = {
  ',': '[-+]?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?',
  '.': '[-+]?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?([eE][-+]?\\d+)?',
} as const;

/** Time spent in each step, for the import benchmark. */
export type StepTimes = Record<string, number>;

/**
 * The report and the packed values of a long CSV table, or undefined when the file is not one this reader takes.
 * @example const checked = await checkCsvInDuckDB('tal.csv', bytes, {}, reference)
 */
export async function checkCsvInDuckDB(
  fileName: string,
  bytes: Uint8Array,
  options: ImportOptions,
  reference: ImportReference,
  times: StepTimes = {},
): Promise<{ report: ImportReport; packed: PackedValues } | undefined> {
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    times[step] = (times[step] ?? 0) + (now - t) / 1000;
    t = now;
  };
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_IMPORT_BYTES) return undefined;
  if ((options.format ?? detectFormat(fileName, bytes)) !== 'csv' || options.encoding === 'windows-1252')
    return undefined;
  let text: string;
  try {
    const decoded = decodeText(bytes, options.encoding);
    if (decoded.encoding !== 'utf-8') return undefined;
    text = decoded.text;
  } catch {
    return undefined;
  }
  checkLines(fileName, text);
  const shape = plainShape(text);
  if (!shape) return undefined;
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const decimal = options.decimal ?? (delimiter === ';' ? ',' : '.');
  const header = shape.firstLine.split(delimiter).map((h) => h.trim());
  if (header.length < 2 || header.length > UPLOAD_LIMITS.columns || shape.records < 2) return undefined;
  const grid: Grid = { format: 'csv', delimiter, decimal, encoding: 'utf-8', header, rows: [] };
  const layout = detectLayout(grid);
  if (layout !== 'long') return undefined;
  const probe = readRows({ ...grid, rows: [{ row: 2, cells: [] }] }, layout).next().value;
  const indicators = new Map(reference.indicators.map((i) => [i.id, i]));
  checkShape(fileName, layout, probe?.columns, options.indicator, indicators);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  lap('read the text');

  const dir = await mkdtemp(path.join(tmpdir(), 'pejling-import-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: '256MB',
    temp_directory: dir,
    preserve_insertion_order: 'true',
  });
  const db = await instance.connect();
  try {
    const file = path.join(dir, 'upload.csv');
    await writeFile(file, bytes);
    const columnTypes = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    try {
      await run(
        db,
        `CREATE TABLE raw AS SELECT * FROM read_csv(${quote(file)}, delim = ${quote(delimiter)}, header = false,
          skip = 1, quote = '', escape = '', auto_detect = false, null_padding = true, columns = {${columnTypes}})`,
      );
    } catch {
      return undefined; // rows longer than the header, or anything else DuckDB's reader refuses: read row by row
    }
    const [counted] = await rows(db, 'SELECT count(*)::INTEGER AS n FROM raw');
    if (Number(counted?.[0]) !== shape.records - 1) return undefined;
    lap('parse (DuckDB read_csv)');

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
    await run(
      db,
      `CREATE TABLE parsed AS SELECT raw.rowid + 2 AS row, i.ok AS indicator_ok, i.id AS indicator, i.proportion,
         i.multiplier, i.types, u.code AS unit, u.allowed, p.period, p.type, p.in_range, b.breakdown,
         b.ok AS breakdown_ok, ${number('numerator')}, ${number('denominator')}, ${number('value')}
       FROM raw
         LEFT JOIN indicator_map i ON i.raw = ${indicatorCell}
         LEFT JOIN unit_map u ON u.raw = ${cell('unit') ?? "''"}
         LEFT JOIN period_map p ON p.raw = ${cell('period') ?? "''"}
         LEFT JOIN breakdown_map b ON b.raw = ${cell('breakdown') ?? "''"}`,
    );
    // A row is clean when every check of check-rows.ts passes; the value is the given one, or the share.
    await run(
      db,
      `CREATE TABLE checked AS
       WITH v AS (
         SELECT *, CASE WHEN n_value IS NULL AND n_numerator IS NOT NULL AND n_denominator IS NOT NULL
             AND n_denominator > 0 THEN (n_numerator / n_denominator) * multiplier ELSE n_value END AS final,
           (n_numerator / n_denominator) * multiplier AS computed,
           CASE WHEN indicator_ok AND unit IS NOT NULL AND period IS NOT NULL
             THEN count(*) OVER (PARTITION BY indicator, unit, period, breakdown) ELSE 1 END AS copies
         FROM parsed)
       SELECT row, indicator, unit, period, breakdown, n_numerator, n_denominator, final,
         coalesce(indicator_ok AND unit IS NOT NULL AND period IS NOT NULL AND in_range
           AND contains(types, ',' || type || ',') AND breakdown_ok
           AND (m_numerator OR isfinite(n_numerator)) AND (m_denominator OR isfinite(n_denominator))
           AND (m_value OR isfinite(n_value))
           AND coalesce(n_numerator >= 0, true) AND coalesce(n_denominator >= 0, true)
           AND (n_numerator IS NULL OR n_denominator IS NULL OR (
             n_denominator <> 0 AND NOT (proportion AND n_numerator > n_denominator)
             AND (n_value IS NULL OR abs(n_value - computed) <= 0.005 * greatest(1, abs(computed)))))
           AND final IS NOT NULL AND isfinite(final)
           AND (NOT proportion OR (final >= 0 AND final <= multiplier))
           AND copies = 1, false) AS clean,
         indicator_ok AND unit IS NOT NULL AND NOT allowed AS out_of_scope
       FROM v`,
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
        options.scopeDescription ?? options.unitScope?.description ?? '',
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
    const cellList = header.map((_, i) => `coalesce(c${i}, '')`).join(', ');
    await each(
      db,
      `SELECT checked.row::INTEGER, ${cellList} FROM checked JOIN raw ON raw.rowid + 2 = checked.row
       WHERE NOT clean ORDER BY checked.row`,
      (row) => {
        const [n, ...cells] = row as [number, ...string[]];
        const [raw] = readRows({ ...grid, rows: [{ row: n, cells: cells.map((c) => c.trim()) }] }, layout);
        if (raw) checker.check(raw);
      },
    );
    lap('check the rows SQL did not pass');

    const [cleanCount] = await rows(db, 'SELECT count(*)::INTEGER FROM checked WHERE clean');
    const clean = Number(cleanCount?.[0]);
    const report: ImportReport = {
      file: fileName,
      sha256,
      format: 'csv',
      layout,
      decimal,
      delimiter,
      encoding: 'utf-8',
      rowsInFile: shape.records - 1,
      values: clean + checker.values.length,
      problems: checker.problems,
      dryRun: Boolean(options.dryRun),
      written: false,
      importId: null,
      diff: null,
    };
    if (checker.problems.length > 0) return { report, packed: emptyPacked(0, []) };
    // The clean rows and the rows the checks passed, in the order of the file.
    const packed = emptyPacked(report.values, strings);
    const extra = checker.values;
    let next = 0;
    let i = 0;
    const put = (v: {
      indicator: number;
      unit: number;
      period: number;
      breakdown: number;
      n: unknown;
      d: unknown;
      value: unknown;
    }) => {
      packed.indicator[i] = v.indicator;
      packed.unit[i] = v.unit;
      packed.period[i] = v.period;
      packed.breakdown[i] = v.breakdown;
      packed.numerator[i] = v.n === null ? Number.NaN : Number(v.n);
      packed.denominator[i] = v.d === null ? Number.NaN : Number(v.d);
      packed.value[i] = v.value === null ? Number.NaN : Number(v.value);
      i++;
    };
    const putChecked = (limit: number) => {
      while (next < extra.length && (checker.rows[next] as number) < limit) {
        const v = extra[next++];
        if (!v) break;
        put({
          indicator: index(v.indicator),
          unit: index(v.unit),
          period: index(v.period),
          breakdown: index(v.breakdown),
          n: v.numerator,
          d: v.denominator,
          value: v.value,
        });
      }
    };
    await each(
      db,
      `SELECT row::INTEGER, indicator, unit, period, breakdown, n_numerator, n_denominator, final
       FROM checked WHERE clean ORDER BY row`,
      ([row, indicator, unit, period, breakdown, n, d, value]) => {
        putChecked(Number(row));
        put({
          indicator: Number(indicator),
          unit: Number(unit),
          period: Number(period),
          breakdown: Number(breakdown),
          n,
          d,
          value,
        });
      },
    );
    putChecked(Number.POSITIVE_INFINITY);
    lap('hand over the values');
    return { report, packed };
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The first line and the number of records of a text this reader takes: no quotes, line ends all \n or all
 * \r\n, no line starting with white space (the row-by-row reader trims and skips such lines its own way).
 */
function plainShape(text: string): { firstLine: string; records: number } | undefined {
  if (text.includes('"')) return undefined;
  const crlf = text.includes('\r');
  let records = 0;
  let newlines = 0;
  let start = 0;
  let firstLine: string | undefined;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    let lineEnd = stop;
    if (end >= 0) {
      newlines++;
      if (crlf) {
        if (text.charCodeAt(stop - 1) !== 13) return undefined;
        lineEnd = stop - 1;
      }
    }
    if (lineEnd > start) {
      const first = text.charCodeAt(start);
      if (first <= 32 || first === 0xa0 || first === 0xfeff) return undefined;
      if (firstLine === undefined) firstLine = text.slice(start, lineEnd);
      records++;
    }
    start = stop + 1;
  }
  if (crlf) {
    let returns = 0;
    for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) returns++;
    if (returns !== newlines) return undefined;
  }
  return firstLine === undefined ? undefined : { firstLine, records };
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
