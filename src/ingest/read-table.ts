// Turns an uploaded file (CSV as Danes or others write it, XLSX, JSON) into a grid of text cells with the
// settings that were detected, so the layout reader never sees bytes.

import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { UserError } from '../domain/errors.js';
import { overLimit, UPLOAD_LIMITS } from './upload-limits.js';
import { checkXlsxZip } from './xlsx-zip-check.js';

export type FileFormat = 'csv' | 'xlsx' | 'json';

export interface ReadOptions {
  format?: FileFormat;
  delimiter?: ';' | ',' | '\t';
  decimal?: ',' | '.';
  encoding?: 'utf-8' | 'windows-1252';
  sheet?: string;
}

export interface Grid {
  format: FileFormat;
  delimiter?: string;
  decimal: ',' | '.';
  encoding?: string;
  header: string[];
  /** Data rows with their row number in the file (header = 1 for CSV and XLSX; 1-based index for JSON). */
  rows: { row: number; cells: string[] }[];
}

/** Files larger than this are refused before parsing. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  const first = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  return first.startsWith('[') ? 'json' : 'csv';
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252. */
export function decodeText(bytes: Uint8Array, encoding?: ReadOptions['encoding']): { text: string; encoding: string } {
  if (encoding === 'windows-1252') return { text: new TextDecoder('windows-1252').decode(bytes), encoding };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    if (encoding === 'utf-8')
      throw new UserError('The file is not valid UTF-8', {
        hint: 'Save it as UTF-8, or give --encoding windows-1252.',
      });
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

export function detectDelimiter(text: string): ';' | ',' | '\t' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const counts: [';' | ',' | '\t', number][] = [
    [';', count(';')],
    ['\t', count('\t')],
    [',', count(',')],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[1] ? counts[0][0] : ',';
}

const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('result' in (value as object)) return cellText((value as { result: unknown }).result);
    if ('richText' in (value as object))
      return (value as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
    if ('text' in (value as object)) return String((value as { text: unknown }).text);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value);
};

/**
 * Reads a file into a grid.
 * @example readTable('tal.csv', bytes) // { format: 'csv', delimiter: ';', decimal: ',', header: [...], rows: [...] }
 */
/** Characters of CSV parsed between two turns of the event loop. */
const CSV_SLICE = 16 * 1024;

/**
 * CSV text as records. A text without quotes has one record per line, so it is parsed a slice of whole lines at a
 * time with a turn of the event loop between slices (a small upload is read on the server's thread); a text with
 * quotes, and any text with an error (for the error's exact line), is parsed whole.
 */
async function parseCsv(text: string, options: Parameters<typeof parse>[1]): Promise<string[][]> {
  if (text.length <= 2 * CSV_SLICE || text.includes('"')) return parse(text, options) as string[][];
  const records: string[][] = [];
  try {
    for (let start = 0; start < text.length; ) {
      const cut = text.indexOf('\n', start + CSV_SLICE);
      const end = cut < 0 ? text.length : cut + 1;
      for (const record of parse(text.slice(start, end), options) as string[][]) records.push(record);
      start = end;
      if (start < text.length) await setImmediate();
    }
  } catch {
    return parse(text, options) as string[][];
  }
  return records;
}

export async function readTable(fileName: string, bytes: Uint8Array, options: ReadOptions = {}): Promise<Grid> {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    throw new UserError(
      `${fileName} is ${(bytes.byteLength / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
      {
        status: 413,
        hint: 'Split the file, or load record-level data with `pejling compute`.',
      },
    );
  }
  if (bytes.byteLength === 0) throw new UserError(`${fileName} is empty`);
  const format = options.format ?? detectFormat(fileName, bytes);
  if (format === 'xlsx') return readXlsx(fileName, bytes, options);
  const { text, encoding } = decodeText(bytes, options.encoding);
  if (format === 'json') return readJson(fileName, text, encoding);
  checkLines(fileName, text);
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let records: string[][];
  try {
    records = await parseCsv(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      // A quoted field may span lines; it still may not outgrow one line's limit.
      max_record_size: UPLOAD_LIMITS.lineChars,
    });
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new UserError(`${fileName} is not valid CSV: ${e.message.split('\n')[0]}`, {
      ...(e.lines ? { location: { file: fileName, row: e.lines } } : { location: { file: fileName } }),
      hint: 'Check quotes and separators; Pejling reads ; or , separated text.',
    });
  }
  for (const [i, record] of records.entries()) {
    if (record.length > UPLOAD_LIMITS.columns)
      throw overLimit('columns', fileName, `row ${i + 1} has ${record.length.toLocaleString('en')} columns`, {
        row: i + 1,
      });
  }
  const [header, ...data] = records;
  if (!header || header.length < 2)
    throw new UserError(`${fileName} has no header row with at least two columns`, {
      location: { file: fileName, row: 1 },
    });
  return {
    format,
    delimiter,
    encoding,
    decimal: options.decimal ?? (delimiter === ';' ? ',' : '.'),
    header: header.map((h) => h.trim()),
    rows: data.map((cells, i) => ({ row: i + 2, cells })),
  };
}

/** Refuses text with a line longer, or more lines, than the limits, before the CSV parser sees it. */
function checkLines(fileName: string, text: string): void {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    line++;
    if (stop - start > UPLOAD_LIMITS.lineChars)
      throw overLimit(
        'lineChars',
        fileName,
        `line ${line} has ${(stop - start).toLocaleString('en')} characters${
          line === 1
            ? ` (${text
                .slice(start, stop)
                .split(/[;,\t]/)
                .length.toLocaleString('en')} columns)`
            : ''
        }`,
        { row: line },
      );
    if (line > UPLOAD_LIMITS.rows + 1)
      throw overLimit('rows', fileName, `the file has more than ${UPLOAD_LIMITS.rows.toLocaleString('en')} rows`);
    start = stop + 1;
  }
}

/** Streams the chosen sheet (default the first) row by row, after the zip container has been checked. */
async function readXlsx(fileName: string, bytes: Uint8Array, options: ReadOptions): Promise<Grid> {
  const rows: { row: number; cells: string[] }[] = [];
  let header: string[] | undefined;
  for await (const row of xlsxRows(fileName, bytes, options)) {
    if (header) rows.push(row);
    else header = row.cells;
  }
  if (!header || header.length < 2)
    throw new UserError(`${fileName} has no header row with at least two columns`, {
      location: { file: fileName, row: 1 },
    });
  // Numbers in XLSX cells are real numbers, written with a decimal point.
  return { format: 'xlsx', decimal: '.', header, rows };
}

/**
 * The non-empty rows of an XLSX file's chosen sheet (default the first), the header first, each with its row
 * number in the sheet and its cells as trimmed text, read as a stream after the zip container has been checked.
 * Refuses (413) a workbook over the uncompressed size, a row with too many columns, a cell with too many
 * characters and a sheet with too many rows; anything unreadable is a 400 naming the file.
 * @example for await (const { row, cells } of xlsxRows('tal.xlsx', bytes)) …
 */
export async function* xlsxRows(
  fileName: string,
  bytes: Uint8Array,
  options: ReadOptions = {},
): AsyncGenerator<{ row: number; cells: string[] }> {
  await checkXlsxZip(fileName, bytes);
  // Loaded when a workbook comes: the library takes seconds to load, which every reading thread would pay.
  const { default: ExcelJS } = await import('exceljs');
  // exceljs's streaming reader now and then parses a sheet before the workbook part it needs, and fails on a sound
  // file (a race, exceljs issue #3064): a workbook that fails before its first row is read once more.
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const row of sheetRows(ExcelJS, fileName, bytes, options)) {
        yielded = true;
        yield row;
      }
      return;
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (!yielded && attempt < 2) continue;
      throw new UserError(`${fileName} cannot be read as XLSX: ${(error as Error).message.split('\n')[0]}`, {
        location: { file: fileName },
      });
    }
  }
}

/** One streaming read of the rows of a workbook's chosen sheet (see xlsxRows); errors of the library pass through. */
async function* sheetRows(
  ExcelJS: typeof import('exceljs'),
  fileName: string,
  bytes: Uint8Array,
  options: ReadOptions,
): AsyncGenerator<{ row: number; cells: string[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles are read so that date cells come back as dates, not as Excel's day numbers.
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const names: string[] = [];
  let found = false;
  let dataRows = -1;
  for await (const sheet of reader) {
    const name = (sheet as unknown as { name: string }).name;
    names.push(name);
    const wanted = !found && (options.sheet ? name === options.sheet : true);
    for await (const row of sheet as unknown as AsyncIterable<import('exceljs').Row>) {
      if (!wanted) continue;
      const values = row.values as unknown[];
      if (values.length - 1 > UPLOAD_LIMITS.columns)
        throw overLimit('columns', fileName, `row ${row.number} has ${values.length - 1} columns`, {
          row: row.number,
        });
      // Dense: a cell left empty in the middle of a row is '' (not a hole that header lookups would trip on).
      const cells = Array.from(values.slice(1), (v) => {
        const text = cellText(v).trim();
        if (text.length > UPLOAD_LIMITS.cellChars)
          throw overLimit('cellChars', fileName, `a cell in row ${row.number} has ${text.length} characters`, {
            row: row.number,
          });
        return text;
      });
      if (cells.every((c) => c === '')) continue;
      if (++dataRows > UPLOAD_LIMITS.rows)
        throw overLimit('rows', fileName, `the sheet has more than ${UPLOAD_LIMITS.rows.toLocaleString('en')} rows`);
      yield { row: row.number, cells };
    }
    if (wanted) found = true;
  }
  if (!found) {
    throw new UserError(`${fileName} has no sheet ${options.sheet ? `'${options.sheet}'` : ''}`.trim(), {
      hint: `Sheets: ${names.join(', ')}`,
    });
  }
}

function readJson(fileName: string, text: string, encoding: string): Grid {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${fileName} is not valid JSON: ${(error as Error).message}`, { location: { file: fileName } });
  }
  if (!Array.isArray(data) || data.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new UserError(`${fileName} must be a JSON array of row objects`, {
      hint: 'e.g. [{"indicator": "...", "unit": "101", "period": "2024", "value": 12.5}]',
    });
  }
  const header = [...new Set((data as Record<string, unknown>[]).flatMap((r) => Object.keys(r)))];
  return {
    format: 'json',
    encoding,
    decimal: '.',
    header,
    rows: (data as Record<string, unknown>[]).map((r, i) => ({ row: i + 1, cells: header.map((h) => cellText(r[h])) })),
  };
}
