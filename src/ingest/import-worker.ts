// The worker thread that reads and checks one uploaded file (see import-worker-pool.ts); it answers with the
// report and the values packed in columns, or with the user error that stopped it.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../domain/errors.js';
import { type ImportOptions, type ImportReference, validateImport } from './import-aggregates.js';
import { packValues } from './packed-values.js';

const { fileName, bytes, options, reference } = workerData as {
  fileName: string;
  bytes: Uint8Array;
  options: ImportOptions;
  reference: ImportReference;
};

try {
  const { report, values } = await validateImport(fileName, bytes, options, reference);
  const packed = packValues(values);
  parentPort?.postMessage({ report, packed }, packed.transfer);
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
