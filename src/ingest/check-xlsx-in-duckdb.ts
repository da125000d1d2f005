// Reads and checks a long table of aggregate values in an XLSX workbook set-wise: the chosen sheet is streamed
// (read-table.ts's xlsxRows, with its limits on uncompressed size, rows, columns and cell length) into a
// temporary file of quoted cells, a batch of rows at a time, which DuckDB's CSV reader loads into a scratch,
// in-memory DuckDB, where check-table-in-duckdb.ts checks it as it checks a CSV file. The rows are never all held
// in JavaScript. A sheet in the wide layout, or without a header and data rows, returns undefined and is read row
// by row.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
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
import { detectFormat, type Grid, MAX_IMPORT_BYTES, xlsxRows } from './read-table.js';

/** Characters of rows written to the temporary file at a time. */
const BATCH_CHARS = 1024 * 1024;

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
    withScratchDuckDB(limit, (db, dir) => checkWithin(db, dir, fileName, bytes, options, reference, times)),
  );
}

async function checkWithin(
  db: DuckDBConnection,
  dir: string,
  fileName: string,
  bytes: Uint8Array,
  options: ImportOptions,
  reference: ImportReference,
  times: StepTimes,
): Promise<{ report: ImportReport; packed: PackedValues } | undefined> {
  const lap = lapTimer(times);
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

    // Only the columns the layout reads are kept, after each row's number in the sheet; every cell is quoted, so
    // that any text (separators, quotes, line breaks) comes back as it was.
    const used = usedColumns(header);
    const file = path.join(dir, 'sheet.csv');
    const out = createWriteStream(file);
    let count = 0;
    // Rows numbered 2, 3, 4, … (no blank row in between) are numbered by their place in the table, as a CSV
    // file's are: the check then keeps within the same memory as for CSV (numbered by the column, it needs more).
    let contiguous = true;
    try {
      let batch = '';
      for await (const { row, cells } of rows) {
        contiguous &&= row === count + 2;
        batch += String(row);
        for (const i of used) batch += `,"${(cells[i] ?? '').replaceAll('"', '""')}"`;
        batch += '\n';
        count++;
        if (batch.length >= BATCH_CHARS) {
          if (!out.write(batch)) await once(out, 'drain');
          batch = '';
        }
      }
      out.end(batch);
      await once(out, 'finish');
    } finally {
      out.destroy();
    }
    if (count === 0) return undefined;
    lap('parse (streamed XLSX)');
    const columns = ["'file_row': 'INTEGER'", ...used.map((i) => `'c${i}': 'VARCHAR'`)].join(', ');
    // The same reader, and so the same memory, as a CSV file's (check-csv-in-duckdb.ts): rows appended one by one
    // instead need more than the scratch DuckDB's first limit for a few hundred thousand rows.
    await db.run(
      `CREATE TABLE raw AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', delim = ',', header = false,
        quote = '"', escape = '"', auto_detect = false, buffer_size = 4194304, columns = {${columns}})`,
    );
    const counted = (await db.runAndReadAll('SELECT count(*)::INTEGER FROM raw')).getRows()[0];
    if (Number(counted?.[0]) !== count) throw new Error(`${fileName}: ${count} rows streamed, ${counted?.[0]} loaded`);
    lap('load into DuckDB');
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
