// Reads and checks a long CSV table of aggregate values set-wise in a scratch, in-memory DuckDB: DuckDB's CSV
// reader parses the file, each distinct code, unit, period and breakdown is looked up once, and the numbers and
// their consistency are checked by SQL over all rows at once. A row the SQL cannot pass goes through the same
// row checks as every other reader (check-rows.ts), so the report names the same rows, columns and reasons.
// Files this reader does not take (quotes, other encodings, the wide layout) return undefined and are read row
// by row.
import { Buffer, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { Indicator } from '../catalogue/index.js';
import { emptyPacked, type PackedValues, packedColumns, putValue, stringIndex } from '../store/packed-values.js';
import { detectLayout, findColumn, readRows } from './aggregate-layout.js';
import { BREAKDOWN, checkShape, FIRST_YEAR, LAST_YEAR, periodReader, rowChecker, unitResolver } from './check-rows.js';
import type { ImportOptions, ImportReference, ImportReport } from './import-aggregates.js';
import { outOfScopeError } from './out-of-scope.js';
import { detectDelimiter, detectFormat, type Grid, MAX_IMPORT_BYTES } from './read-table.js';
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
 * The file comes as bytes, or as the path of a file on disk, which is then read a chunk at a time (never whole)
 * and handed to DuckDB's reader as it is.
 * @example const checked = await checkCsvInDuckDB('tal.csv', { path: '/tmp/upload.csv' }, {}, reference)
 */
export async function checkCsvInDuckDB(
  fileName: string,
  source: Uint8Array | { path: string },
  options: ImportOptions,
  reference: ImportReference,
  times: StepTimes = {},
  memoryLimits: readonly [string, string] = SCRATCH_MEMORY,
): Promise<{ report: ImportReport; packed: PackedValues } | undefined> {
  try {
    return await checkWithin(memoryLimits[0], fileName, source, options, reference, times);
  } catch (error) {
    // A file whose check does not fit (very long cells, say) is checked again with room to spare.
    if (!(error instanceof Error) || !/Out of Memory/i.test(error.message)) throw error;
    return await checkWithin(memoryLimits[1], fileName, source, options, reference, times);
  }
}

/** The scratch DuckDB's memory limit, and the one for a second try when a check does not fit in the first. */
const SCRATCH_MEMORY = ['32MB', '512MB'] as const;

async function checkWithin(
  memoryLimit: string,
  fileName: string,
  source: Uint8Array | { path: string },
  options: ImportOptions,
  reference: ImportReference,
  times: StepTimes,
): Promise<{ report: ImportReport; packed: PackedValues } | undefined> {
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    times[step] = (times[step] ?? 0) + (now - t) / 1000;
    t = now;
  };
  if (options.encoding === 'windows-1252') return undefined;
  // The bytes are scanned, not decoded: a file over a limit, or one this reader does not take, is read row by
  // row, which refuses it with the same message as before.
  const shape = await scanShape(fileName, source, options);
  if (!shape) return undefined;
  const delimiter = options.delimiter ?? detectDelimiter(shape.firstLine);
  const decimal = options.decimal ?? (delimiter === ';' ? ',' : '.');
  const header = shape.header.split(delimiter).map((h) => h.trim());
  if (header.length < 2 || header.length > UPLOAD_LIMITS.columns || shape.records < 2) return undefined;
  const grid: Grid = { format: 'csv', delimiter, decimal, encoding: 'utf-8', header, rows: [] };
  const layout = detectLayout(grid);
  if (layout !== 'long') return undefined;
  const probe = readRows({ ...grid, rows: [{ row: 2, cells: [] }] }, layout).next().value;
  const indicators = new Map(reference.indicators.map((i) => [i.id, i]));
  checkShape(fileName, layout, probe?.columns, options.indicator, indicators);
  const sha256 = shape.sha256;
  lap('scan the bytes');

  const dir = await mkdtemp(path.join(tmpdir(), 'pejling-import-'));
  // In memory, with a limit: beyond it DuckDB spills to the temporary folder rather than growing.
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
    let file: string;
    if (source instanceof Uint8Array) {
      file = path.join(dir, 'upload.csv');
      await writeFile(file, source);
    } else file = source.path;
    const columnTypes = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    // Only the columns the layout reads are kept.
    const used = ['indicator', 'unit', 'period', 'breakdown', 'numerator', 'denominator', 'value']
      .map((field) => findColumn(header, field))
      .filter((i) => i >= 0);
    try {
      await run(
        db,
        `CREATE TABLE raw AS SELECT ${used.map((i) => `c${i}`).join(', ')} FROM read_csv(${quote(file)}, delim = ${quote(delimiter)}, header = false,
          skip = 1, quote = '', escape = '', auto_detect = false, null_padding = true, buffer_size = 4194304, columns = {${columnTypes}})`,
      );
    } catch (error) {
      if (error instanceof Error && /Out of Memory/i.test(error.message)) throw error;
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
    // A row is clean when every check of check-rows.ts passes but the one for repeats (next); its value is the
    // given one, or the share.
    await run(
      db,
      `CREATE TABLE checked AS
       WITH parsed AS (
         SELECT raw.rowid + 2 AS row, i.ok AS indicator_ok, i.id AS indicator, i.proportion, i.multiplier, i.types,
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
      `SELECT checked.row::INTEGER, ${cellList} FROM checked JOIN raw ON raw.rowid + 2 = checked.row
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
          for (const [c, target] of targets.entries())
            target[i] = (values[c] as Int32Array | Float64Array)[k] as number;
        }
      }
    };
    if (!(await copy(false))) await copy(true);
    putChecked(Number.POSITIVE_INFINITY);
    lap('hand over the values');
    return { report, packed };
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the row-by-row reader would see first, and the file's SHA-256. */
interface PlainShape {
  firstLine: string;
  header: string;
  records: number;
  sha256: string;
}

/**
 * The shape of a file this reader takes (see ShapeScanner), from its bytes or read from disk a chunk at a time;
 * undefined for an empty file, one over the size limit, not CSV, not UTF-8 or otherwise not plain.
 */
async function scanShape(
  fileName: string,
  source: Uint8Array | { path: string },
  options: ImportOptions,
): Promise<PlainShape | undefined> {
  const scanner = new ShapeScanner();
  const isCsv = (head: Uint8Array) => (options.format ?? detectFormat(fileName, head)) === 'csv';
  if (source instanceof Uint8Array) {
    if (source.byteLength === 0 || source.byteLength > MAX_IMPORT_BYTES || !isCsv(source)) return undefined;
    scanner.push(Buffer.from(source.buffer, source.byteOffset, source.byteLength));
    return scanner.end();
  }
  const { size } = await stat(source.path);
  if (size === 0 || size > MAX_IMPORT_BYTES) return undefined;
  // One buffer, read into again and again: the scan leaves no garbage the size of the file.
  const handle = await open(source.path, 'r');
  try {
    const buffer = Buffer.alloc(SCAN_CHUNK);
    for (let first = true; ; first = false) {
      const { bytesRead } = await handle.read(buffer, 0, SCAN_CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (first && !isCsv(chunk)) return undefined;
      if (!scanner.push(chunk)) return undefined;
    }
  } finally {
    await handle.close();
  }
  return scanner.end();
}

/** Bytes read at a time when a file is scanned from disk. */
const SCAN_CHUNK = 1024 * 1024;

/**
 * Scans a text a chunk at a time for what the row-by-row reader would see first: the first line (for the
 * separator), the header and the number of records (non-empty lines). It takes only UTF-8, no quotes, line ends
 * all \n or all \r\n, no line of white space only (the CSV parser skips those its own way), and stays within the
 * line limits. Lines are checked whole: a chunk's last, unfinished line waits for the next chunk (a line feed is
 * never part of a UTF-8 sequence, so each run of whole lines is valid UTF-8 exactly when the file is).
 */
class ShapeScanner {
  private readonly hash = createHash('sha256');
  private rest: Buffer = Buffer.alloc(0);
  private failed = false;
  private started = false;
  private readonly decoder = new TextDecoder();
  private records = 0;
  private lines = 0;
  private newlines = 0;
  /** Line feeds with a carriage return before them, and carriage returns in all. */
  private crlfs = 0;
  private returns = 0;
  private firstLine: string | undefined;
  private header: string | undefined;

  /** Takes the next chunk; false once the text is known not to be one this reader takes. */
  push(chunk: Buffer): boolean {
    this.hash.update(chunk);
    if (this.failed) return false;
    if (chunk.indexOf(0x22) >= 0) return this.fail();
    for (let i = chunk.indexOf(13); i >= 0; i = chunk.indexOf(13, i + 1)) this.returns++;
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const cut = data.lastIndexOf(10);
    if (cut < 0) {
      this.rest = data === chunk ? Buffer.from(chunk) : data; // the chunk's buffer is read into again
      // A line longer than the limit (a byte-order mark aside) is not taken.
      return this.rest.length > UPLOAD_LIMITS.lineChars + 3 ? this.fail() : true;
    }
    this.rest = Buffer.from(data.subarray(cut + 1));
    return this.scanLines(data.subarray(0, cut + 1));
  }

  /** The shape, once every chunk is in; undefined if the text is not one this reader takes. */
  end(): PlainShape | undefined {
    if (!this.failed && this.rest.length > 0) this.scanLines(this.rest);
    if (this.failed) return undefined;
    if (this.returns > 0 && (this.crlfs !== this.newlines || this.returns !== this.newlines)) return undefined;
    const { firstLine, header, records } = this;
    return firstLine === undefined || header === undefined
      ? undefined
      : { firstLine, header, records, sha256: this.hash.digest('hex') };
  }

  private fail(): false {
    this.failed = true;
    return false;
  }

  /** Whole lines (each ending in \n), or the text's last line. */
  private scanLines(bytes: Buffer): boolean {
    if (!isUtf8(bytes)) return this.fail();
    let start = 0;
    if (!this.started) {
      this.started = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    }
    while (start < bytes.length) {
      const end = bytes.indexOf(10, start);
      const stop = end < 0 ? bytes.length : end;
      this.lines++;
      if (stop - start > UPLOAD_LIMITS.lineChars || this.lines > UPLOAD_LIMITS.rows + 1) return this.fail();
      let lineEnd = stop;
      if (end >= 0) {
        this.newlines++;
        if (stop > start && bytes[stop - 1] === 13) {
          this.crlfs++;
          lineEnd = stop - 1;
        }
      }
      this.firstLine ??= this.decoder.decode(bytes.subarray(start, lineEnd));
      if (lineEnd > start) {
        const first = bytes[start] as number;
        if ((first <= 32 || first >= 0x80) && !hasVisibleAscii(bytes, start, lineEnd)) return this.fail();
        this.header ??= this.decoder.decode(bytes.subarray(start, lineEnd));
        this.records++;
      }
      start = stop + 1;
    }
    return true;
  }
}

function hasVisibleAscii(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b > 32 && b < 127) return true;
  }
  return false;
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
