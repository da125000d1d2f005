// Disclosure control over the tables an import touches: a large table in a worker thread, so that a server goes on
// answering while it is protected (the thread `pejling compute` uses, started for the first large table and
// stopped by `close`), a small one in the calling thread, where starting a thread would cost more.
import { type DisclosureCell, type ProtectOptions, suppressValues } from '../disclosure/index.js';
import { type DisclosureWorker, startDisclosureWorker } from '../disclosure/protect-in-worker.js';

/** Tables with fewer cells are protected in the calling thread. */
export const IN_THREAD_CELLS = 2_000;

export interface TableProtector {
  /** Sets each row's `suppressed` flag from disclosure control over the whole table, as `suppressValues` does. */
  protect<T extends DisclosureCell & { suppressed: boolean }>(rows: T[], options: ProtectOptions): Promise<void>;
  /** Stops the worker thread, if one was started. */
  close(): Promise<void>;
}

/**
 * A protector for one import.
 * @example const tables = tableProtector(); try { await tables.protect(rows, options) } finally { await tables.close() }
 */
export function tableProtector(): TableProtector {
  let worker: DisclosureWorker | undefined;
  return {
    async protect(rows, options) {
      if (rows.length < IN_THREAD_CELLS) {
        await suppressValues(rows, options);
        return;
      }
      worker ??= startDisclosureWorker(1);
      await worker.suppress(rows, options);
    },
    async close() {
      await worker?.close();
    },
  };
}
