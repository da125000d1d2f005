// Disclosure control off the main thread: `pejling compute` protects one indicator's table while DuckDB
// computes the next. The step is plain JavaScript on one core; DuckDB's queries leave the other core partly idle.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DisclosureCell } from './cell.js';
import { packCells } from './packed-cells.js';
import { type ProtectOptions, type ProtectResult, protectTable } from './protect-table.js';

/** The worker script: compiled JavaScript beside this file, or (from the sources) the TypeScript through tsx. */
function workerScript(): { script: URL | string; eval: boolean } {
  const js = new URL('./protect-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL('./protect-worker.ts', import.meta.url).href;
  return {
    script: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); });`,
    eval: true,
  };
}

/** A worker thread that protects tables in the order they are sent; the same result as protectTable. */
export interface DisclosureWorker {
  /** Protects the rows' table in the worker and sets each row's `suppressed` when done. */
  suppress<T extends DisclosureCell & { suppressed: boolean }>(
    rows: T[],
    options: ProtectOptions,
  ): Promise<ProtectResult>;
  close(): Promise<void>;
}

/**
 * Starts one worker thread for disclosure control. Where no worker can start (a runtime without worker threads or
 * tsx), the tables are protected in the calling thread instead, with the same result.
 * @example const worker = startDisclosureWorker(); await worker.suppress(values, options); await worker.close();
 */
export function startDisclosureWorker(): DisclosureWorker {
  const pending = new Map<number, { resolve: (m: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let failed: Error | undefined;
  try {
    const { script, eval: isCode } = workerScript();
    worker = new Worker(script, { eval: isCode });
    worker.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      failed = error;
      for (const w of pending.values()) w.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('The disclosure worker thread stopped')));
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    worker = undefined;
  }
  const inline = <T extends DisclosureCell & { suppressed: boolean }>(rows: T[], options: ProtectOptions) => {
    const result = protectTable(rows, options);
    for (const [i, row] of rows.entries()) row.suppressed = result.suppressed[i] as boolean;
    return result;
  };
  return {
    async suppress(rows, options) {
      if (!worker || failed) return inline(rows, options);
      const id = nextId++;
      const cells = packCells(rows);
      const reply = await new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        (worker as Worker).postMessage({ id, cells, options: { ...options } }, [
          cells.numerators.buffer as ArrayBuffer,
          cells.denominators.buffer as ArrayBuffer,
        ]);
      }).catch(() => undefined);
      // A worker that could not start (no tsx for the sources) or broke: the same step in this thread.
      if (!reply) return inline(rows, options);
      if (reply.error) throw new Error(`Disclosure control failed in its worker thread: ${reply.error}`);
      const flags = reply.flags as Uint8Array;
      for (const [i, row] of rows.entries()) row.suppressed = flags[i] === 1;
      return { ...(reply.result as Omit<ProtectResult, 'suppressed'>), suppressed: Array.from(flags, (f) => f === 1) };
    },
    async close() {
      await worker?.terminate();
    },
  };
}

interface Reply {
  id: number;
  flags?: Uint8Array;
  result?: Omit<ProtectResult, 'suppressed'>;
  error?: string;
}
