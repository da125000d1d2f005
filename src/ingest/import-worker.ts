// The worker thread that reads and checks one uploaded file (see import-worker-pool.ts); it answers with the
// report and the values packed in columns, or with the user error that stopped it. Long tables in CSV or XLSX are
// read and checked set-wise in a scratch DuckDB; other files row by row.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../domain/errors.js';
import { packValues, transferList } from '../store/packed-values.js';
import { checkCsvInDuckDB, type StepTimes } from './check-csv-in-duckdb.js';
import { checkXlsxInDuckDB } from './check-xlsx-in-duckdb.js';
import type { ImportOptions, ImportReference } from './import-aggregates.js';

// The upload comes as the path of a copy on disk: its bytes are read here only when the file is read row by row.
const { fileName, file, options, reference, startedAt } = workerData as {
  startedAt: number;
  fileName: string;
  file: string;
  options: ImportOptions;
  reference: ImportReference;
};

try {
  const times: StepTimes = { 'start the thread, load its code': (Date.now() - startedAt) / 1000 };
  let checked = await checkCsvInDuckDB(fileName, { path: file }, options, reference, times);
  // A workbook is read whole into memory (compressed; its sheet is streamed from there).
  let bytes: Uint8Array | undefined;
  if (!checked) {
    bytes = await readFile(file);
    checked = await checkXlsxInDuckDB(fileName, bytes, options, reference, times);
  }
  if (!checked) {
    const t0 = performance.now();
    // Loaded only for files the set-wise readers leave: it brings the whole reading machinery.
    const { validateImport } = await import('./import-aggregates.js');
    const { report, values } = await validateImport(fileName, bytes ?? (await readFile(file)), options, reference);
    checked = { report, packed: packValues(values) };
    times['read and check row by row'] = (performance.now() - t0) / 1000;
  }
  parentPort?.postMessage({ report: checked.report, packed: checked.packed, times }, transferList(checked.packed));
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  parentPort?.postMessage({
    userError: {
      message: error.message,
      status: error.status,
      hint: error.hint,
      location: error.location,
      details: error.details,
    },
  });
}
