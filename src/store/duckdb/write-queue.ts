// One writer at a time: writes wait their turn in a bounded queue; when it is full the caller is told to retry
// (503 with Retry-After on the API) instead of piling up work or colliding in the database.
import { BusyError } from '../../domain/errors.js';

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** @param maxWaiting how many writes may wait behind the running one */
  constructor(private readonly maxWaiting: number) {}

  /**
   * Runs `work` after every write queued before it; throws BusyError at once when the queue is full.
   * @example await queue.run(() => writeInOneTransaction());
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.pending > this.maxWaiting) {
      return Promise.reject(
        new BusyError(`The store is busy with ${this.pending} writes; this one was not queued`, {
          retryAfter: 10,
          hint: 'Send it again in a few seconds; nothing was written.',
        }),
      );
    }
    this.pending++;
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.pending--;
    });
  }
}
