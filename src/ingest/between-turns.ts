// Long loops over an upload's rows on the server's thread (small files are read there, not in a worker): once a
// loop has run for a few milliseconds it waits one turn of the event loop, so requests are answered meanwhile.
import { setImmediate } from 'node:timers/promises';

/** Longest stretch of such a loop between two turns of the event loop. */
const SLICE_MS = 4;

/**
 * A function to call in a long loop: it resolves at once, or after one turn of the event loop when the loop has
 * run for SLICE_MS since its last turn.
 * @example const turn = turnTaker(); for (const row of rows) { check(row); await turn(); }
 */
export function turnTaker(): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < SLICE_MS) return undefined;
    return setImmediate().then(() => {
      since = performance.now();
    });
  };
}
