// The import's compute thread (compute-in-worker.ts): disclosure control over an indicator's whole table and the
// sums of group units, the two pieces of an import that run long in one piece, away from the server's thread.
import { parentPort } from 'node:worker_threads';
import { type ProtectOptions, suppressValues } from '../disclosure/index.js';
import type { IndicatorValue } from '../store/index.js';
import { aggregateToGroups, type GroupOptions } from './aggregate-to-groups.js';
import { type CellColumns, fromColumns } from './cell-columns.js';

/** A piece of work, named by the id its answer carries back. */
export type ComputeTask =
  | { id: number; task: 'suppress'; cells: CellColumns; options: ProtectOptions }
  | {
      id: number;
      task: 'group sums';
      cells: CellColumns;
      indicator: { id: string; multiplier: number };
      members: Map<string, { member: string; until: string | null }[]>;
      options: GroupOptions;
    };

parentPort?.on('message', (message: ComputeTask) => {
  try {
    const cells = fromColumns(message.cells);
    if (message.task === 'suppress') {
      suppressValues(cells, message.options);
      const flags = Uint8Array.from(cells, (c) => (c.suppressed ? 1 : 0));
      parentPort?.postMessage({ id: message.id, flags }, [flags.buffer]);
    } else {
      const rows = cells as unknown as IndicatorValue[];
      const values = aggregateToGroups(rows, message.indicator, message.members, message.options);
      parentPort?.postMessage({ id: message.id, values });
    }
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
