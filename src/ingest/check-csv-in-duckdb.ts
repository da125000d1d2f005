// Reads and checks a long CSV table of aggregate values set-wise: DuckDB's CSV reader parses the file into a
// scratch, in-memory DuckDB, where check-table-in-duckdb.ts checks it. Files this reader does not take (quotes,
// other encodings, the wide layout) return undefined and are read row by row.
import { Buffer, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackedValues } from '../store/packed-values.js';
import { detectLayout, readRows } from './aggregate-layout.js';
import { checkShape } from './check-rows.js';
import {
  checkRawTable,
  lapTimer,
  SCRATCH_MEMORY,
  type StepTimes,
  usedColumns,
  withinScratchMemory,
  withScratchDuckDB,
} from './check-table-in-duckdb.js';
import type { ImportOptions, ImportReference, ImportReport } from './import-aggregates.js';
import { detectDelimiter, detectFormat, type Grid, MAX_IMPORT_BYTES } from './read-table.js';
import { UPLOAD_LIMITS } from './upload-limits.js';

export type { StepTimes } from './check-table-in-duckdb.js';

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
  return withinScratchMemory(memoryLimits, (limit) => checkWithin(limit, fileName, source, options, reference, times));
}

async function checkWithin(
  memoryLimit: string,
  fileName: string,
  source: Uint8Array | { path: string },
  options: ImportOptions,
  reference: ImportReference,
  times: StepTimes,
): Promise<{ report: ImportReport; packed: PackedValues } | undefined> {
  const lap = lapTimer(times);
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
  lap('scan the bytes');

  return withScratchDuckDB(memoryLimit, async (db, dir) => {
    let file: string;
    if (source instanceof Uint8Array) {
      file = path.join(dir, 'upload.csv');
      await writeFile(file, source);
    } else file = source.path;
    const columnTypes = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    // Only the columns the layout reads are kept.
    const used = usedColumns(header);
    try {
      await db.run(
        `CREATE TABLE raw AS SELECT ${used.map((i) => `c${i}`).join(', ')} FROM read_csv(${quote(file)}, delim = ${quote(delimiter)}, header = false,
          skip = 1, quote = '', escape = '', auto_detect = false, null_padding = true, buffer_size = 4194304, columns = {${columnTypes}})`,
      );
    } catch (error) {
      if (error instanceof Error && /Out of Memory/i.test(error.message)) throw error;
      return undefined; // rows longer than the header, or anything else DuckDB's reader refuses: read row by row
    }
    const counted = (await db.runAndReadAll('SELECT count(*)::INTEGER AS n FROM raw')).getRows()[0];
    if (Number(counted?.[0]) !== shape.records - 1) return undefined;
    lap('parse (DuckDB read_csv)');
    return checkRawTable(
      db,
      {
        fileName,
        sha256: shape.sha256,
        format: 'csv',
        delimiter,
        decimal,
        encoding: 'utf-8',
        header,
        used,
        layout,
        rowsInFile: shape.records - 1,
        rowNumber: 'raw.rowid + 2',
      },
      options,
      reference,
      lap,
    );
  });
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

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
