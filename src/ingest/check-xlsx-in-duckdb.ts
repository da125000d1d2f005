// Reads and checks a long table of aggregate values in an XLSX workbook set-wise: the chosen sheet is streamed
// (read-table.ts's xlsxRows, with its limits on uncompressed size, rows, columns and cell length) into a scratch,
// in-memory DuckDB a row at a time, where check-table-in-duckdb.ts checks it as it checks a CSV file. The rows
// are never all held in JavaScript. A sheet in the wide layout, or without a header and data rows, returns
// undefined and is read row by row.
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PackedValues } from '../store/packed-values.js';
import { detectLayout, readRows } from './aggregate-layout.js';
import { checkShape } from './check-rows.js';
import {
  checkRawTable,
  SCRATCH_MEMORY,
  type StepTimes,
  usedColumns,
  withinScratchMemory,
  withScratchDuckDB,
} from './check-table-in-duckdb.js';
import type { ImportOptions, ImportReference, ImportReport } from './import-aggregates.js';
import { detectFormat, type Grid, MAX_IMPORT_BYTES, xlsxRows } from './read-table.js';

/**
 * The report and the packed values of a long table in an XLSX workbook, or undefined when the file is not one
 * this reader takes (not XLSX, the wide layout, no data rows).
 * @example const checked = await checkXlsxInDuckDB('tal.xlsx', bytes, {}, reference)
 */
export async function checkXlsxInDuckDB(
  fileName: string,
  bytes: Uint8Array,
  options: ImportOptions,
  reference: ImportReference,
  times: StepTimes = {},
  memoryLimits: readonly [string, string] = SCRATCH_MEMORY,
): Promise<{ report: ImportReport; packed: PackedValues } | undefined> {
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_IMPORT_BYTES) return undefined;
  if ((options.format ?? detectFormat(fileName, bytes)) !== 'xlsx') return undefined;
  return withinScratchMemory(memoryLimits, (limit) =>
    withScratchDuckDB(limit, (db) => checkWithin(db, fileName, bytes, options, reference, times)),
  );
}

async function checkWithin(
  db: DuckDBConnection,
  fileName: string,
  bytes: Uint8Array,
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
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const rows = xlsxRows(fileName, bytes, options);
  try {
    const first = await rows.next();
    if (first.done) return undefined;
    const header = first.value.cells;
    if (header.length < 2) return undefined;
    // Numbers in XLSX cells are real numbers, written with a decimal point.
    const grid: Grid = { format: 'xlsx', decimal: '.', header, rows: [] };
    const layout = detectLayout(grid);
    if (layout !== 'long') return undefined;
    const probe = readRows({ ...grid, rows: [{ row: 2, cells: [] }] }, layout).next().value;
    const indicators = new Map(reference.indicators.map((i) => [i.id, i]));
    checkShape(fileName, layout, probe?.columns, options.indicator, indicators);

    // Only the columns the layout reads are kept, with each row's number in the sheet.
    const used = usedColumns(header);
    await db.run(`CREATE TABLE raw (file_row INTEGER, ${used.map((i) => `c${i} VARCHAR`).join(', ')})`);
    const appender = await db.createAppender('raw');
    let count = 0;
    // Rows numbered 2, 3, 4, … (no blank row in between) are numbered by their place in the table, as a CSV
    // file's are: the check then keeps within the same memory as for CSV (numbered by the column, it needs more).
    let contiguous = true;
    try {
      for await (const { row, cells } of rows) {
        contiguous &&= row === count + 2;
        appender.appendInteger(row);
        for (const i of used) appender.appendVarchar(cells[i] ?? '');
        appender.endRow();
        count++;
      }
    } finally {
      appender.closeSync();
    }
    if (count === 0) return undefined;
    lap('parse (streamed XLSX)');
    return await checkRawTable(
      db,
      {
        fileName,
        sha256,
        format: 'xlsx',
        decimal: '.',
        header,
        used,
        layout,
        rowsInFile: count,
        rowNumber: contiguous ? 'raw.rowid + 2' : 'raw.file_row',
      },
      options,
      reference,
      lap,
    );
  } finally {
    await rows.return(undefined);
  }
}
