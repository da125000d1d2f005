// The worker thread of protectInWorker: protects the tables it is sent, one at a time, and sends the hidden cells back.
import { parentPort } from 'node:worker_threads';
import { type PackedCells, type ProtectRequest, unpackCells } from './packed-cells.js';
import { protectTableFully } from './protect-table.js';

parentPort?.on('message', async (request: ProtectRequest & { id: number }) => {
  try {
    const cells = unpackCells(request.cells as PackedCells);
    const { suppressed, ...result } = await protectTableFully(cells, request.options);
    const flags = Uint8Array.from(suppressed, (s) => (s ? 1 : 0));
    parentPort?.postMessage({ id: request.id, flags, result }, [flags.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({
      id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
