// Runs the reading and checking of uploads in worker threads with a memory limit of their own, a few at a
// time: a zip bomb or a million-column line fails in its worker, while the main thread keeps serving.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BusyError, UserError } from '../domain/errors.js';
import { type PackedValues, packValues } from '../store/packed-values.js';
import type { StepTimes } from './check-csv-in-duckdb.js';
import { type ImportOptions, type ImportReference, type ImportReport, validateImport } from './import-aggregates.js';
import { detectFormat } from './read-table.js';
import { overLimit, UPLOAD_LIMITS } from './upload-limits.js';
import { checkXlsxZip } from './xlsx-zip-check.js';

/** Files this small (and XLSX files that unpack to under SMALL_UNPACKED) are read in the calling thread:
 * bounded by the line and size limits, they take less time than starting a worker. */
const SMALL_FILE = 512 * 1024;
const SMALL_UNPACKED = 8 * 1024 * 1024;

/** Files read at the same time; more wait in line, up to QUEUED. */
const PARALLEL = 2;
const QUEUED = 16;

let running = 0;
const waiting: (() => void)[] = [];

/** The worker script: compiled JavaScript beside this file, or (from the sources) the TypeScript through tsx. */
function workerScript(): { script: URL | string; eval: boolean } {
  const js = new URL('./import-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL('./import-worker.ts', import.meta.url).href;
  return {
    script: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); });`,
    eval: true,
  };
}

/** A file read and checked: the report, the values in columns, and the time each step of the reading took. */
export interface Validated {
  report: ImportReport;
  packed: PackedValues;
  times: StepTimes;
}

/** A file to import: its bytes, or the path of a file on disk (read by the worker, never whole into memory). */
export type ImportSource = Uint8Array | { path: string };

/**
 * Reads and checks a file in a worker thread; the values come back packed in columns.
 * @example const { report, packed } = await validateInWorker('tal.csv', bytes, {}, reference)
 */
export async function validateInWorker(
  fileName: string,
  source: ImportSource,
  options: ImportOptions,
  reference: ImportReference,
): Promise<Validated> {
  const size = source instanceof Uint8Array ? source.byteLength : (await stat(source.path)).size;
  if (size <= SMALL_FILE) {
    const bytes = source instanceof Uint8Array ? source : await readFile(source.path);
    if (await smallWhenUnpacked(fileName, bytes, options)) {
      const t0 = performance.now();
      const { report, values } = await validateImport(fileName, bytes, options, reference);
      return { report, packed: packValues(values), times: { 'read and check': (performance.now() - t0) / 1000 } };
    }
  }
  if (running >= PARALLEL) {
    if (waiting.length >= QUEUED)
      throw new BusyError(`${running + waiting.length} uploads are being read; this one was not queued`, {
        retryAfter: 15,
        hint: 'Send it again in a little while; nothing was written.',
      });
    await new Promise<void>((go) => waiting.push(go));
  }
  running++;
  // The worker reads a file on disk (bytes are copied to one first), so that they are not copied into its
  // memory as well.
  let dir: string | undefined;
  try {
    let file: string;
    if (source instanceof Uint8Array) {
      dir = await mkdtemp(path.join(tmpdir(), 'pejling-upload-'));
      file = path.join(dir, 'upload');
      await writeFile(file, source);
    } else file = source.path;
    return await runWorker(fileName, file, options, reference);
  } finally {
    running--;
    waiting.shift()?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** True unless the file is an XLSX workbook that unpacks to more than SMALL_UNPACKED. */
async function smallWhenUnpacked(fileName: string, bytes: Uint8Array, options: ImportOptions): Promise<boolean> {
  if ((options.format ?? detectFormat(fileName, bytes)) !== 'xlsx') return true;
  try {
    await checkXlsxZip(fileName, bytes, SMALL_UNPACKED);
    return true;
  } catch (error) {
    if (error instanceof UserError && error.status === 413) return false;
    throw error;
  }
}

function runWorker(
  fileName: string,
  file: string,
  options: ImportOptions,
  reference: ImportReference,
): Promise<Validated> {
  const { script, eval: isCode } = workerScript();
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      eval: isCode,
      workerData: { fileName, file, options, reference, startedAt: Date.now() },
      resourceLimits: { maxOldGenerationSizeMb: UPLOAD_LIMITS.parserMemoryMb },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (work: () => void) => {
      if (settled) return;
      settled = true;
      work();
      void worker.terminate();
    };
    worker.once('message', (message: Partial<Validated> & { userError?: UserErrorData }) => {
      settle(() => {
        if (message.userError) reject(toUserError(message.userError));
        else if (message.report && message.packed)
          resolve({ report: message.report, packed: message.packed, times: message.times ?? {} });
        else reject(new Error('The import worker sent an empty answer'));
      });
    });
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? overLimit('parserMemoryMb', fileName, 'reading the file needs more memory than one upload may use')
            : error,
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`The import worker stopped (exit code ${code}) before it answered`))),
    );
  });
}

interface UserErrorData {
  message: string;
  status: number;
  hint?: string;
  location?: UserError['location'];
  details: readonly string[];
}

function toUserError(data: UserErrorData): UserError {
  return new UserError(data.message, {
    status: data.status,
    ...(data.hint ? { hint: data.hint } : {}),
    ...(data.location ? { location: data.location } : {}),
    details: data.details,
  });
}
