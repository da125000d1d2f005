// Disclosure control off the main thread: `pejling compute` protects one indicator's table while DuckDB
// computes the next. The step is plain JavaScript; DuckDB's queries leave the cores partly idle, and the tables
// left after the last query are protected side by side.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DisclosureCell } from './cell.js';
import { packCells } from './packed-cells.js';
import { type ProtectOptions, type ProtectResult, protectTableFully } from './protect-table.js';

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

/** Worker threads that protect tables in the order they are sent; the same result as protectTable. */
export interface DisclosureWorker {
  /** Protects the rows' table in a worker and sets each row's `suppressed` when done. */
  suppress<T extends DisclosureCell & { suppressed: boolean }>(
    rows: T[],
    options: ProtectOptions,
  ): Promise<ProtectResult>;
  close(): Promise<void>;
}

/** One worker thread and the tables it has been sent but not yet answered. */
interface Thread {
  worker: Worker | undefined;
  failed: Error | undefined;
  pending: Map<number, { resolve: (m: Reply) => void; reject: (e: Error) => void; cells: number }>;
}

/**
 * Starts `threads` worker threads for disclosure control (default 2, at most one per core): each table goes to the
 * thread with the fewest cells still waiting, so that the tables left when the computation's queries are done
 * are protected side by side. Each table's result depends on that table alone. Where no worker can start (a
 * runtime without worker threads or tsx), the tables are protected in the calling thread instead, with the same
 * result.
 * @example const worker = startDisclosureWorker(); await worker.suppress(values, options); await worker.close();
 */
export function startDisclosureWorker(threads = Math.min(2, availableParallelism())): DisclosureWorker {
  let nextId = 0;
  const pool: Thread[] = [];
  for (let t = 0; t < Math.max(1, threads); t++) {
    const thread: Thread = { worker: undefined, failed: undefined, pending: new Map() };
    try {
      const { script, eval: isCode } = workerScript();
      const worker = new Worker(script, { eval: isCode });
      worker.on('message', (reply: Reply) => {
        const waiting = thread.pending.get(reply.id);
        thread.pending.delete(reply.id);
        waiting?.resolve(reply);
      });
      const fail = (error: Error) => {
        thread.failed = error;
        for (const w of thread.pending.values()) w.reject(error);
        thread.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', () => fail(new Error('The disclosure worker thread stopped')));
      thread.worker = worker;
    } catch (error) {
      thread.failed = error instanceof Error ? error : new Error(String(error));
    }
    pool.push(thread);
  }
  const waiting = (thread: Thread) => {
    let cells = 0;
    for (const w of thread.pending.values()) cells += w.cells;
    return cells;
  };
  const inline = async <T extends DisclosureCell & { suppressed: boolean }>(rows: T[], options: ProtectOptions) => {
    const result = await protectTableFully(rows, options);
    for (const [i, row] of rows.entries()) row.suppressed = result.suppressed[i] as boolean;
    return result;
  };
  return {
    async suppress(rows, options) {
      const running = pool.filter((t) => t.worker && !t.failed);
      if (running.length === 0) return inline(rows, options);
      const thread = running.reduce((a, b) => (waiting(b) < waiting(a) ? b : a));
      const id = nextId++;
      const cells = packCells(rows);
      const reply = await new Promise<Reply>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject, cells: rows.length });
        (thread.worker as Worker).postMessage({ id, cells, options: { ...options } }, [
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
      await Promise.all(pool.map((t) => t.worker?.terminate()));
    },
  };
}

interface Reply {
  id: number;
  flags?: Uint8Array;
  result?: Omit<ProtectResult, 'suppressed'>;
  error?: string;
}
