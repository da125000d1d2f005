// Runs the long pieces of an import that follow the reading of the file (disclosure control over an indicator's
// whole table, the sums of group units) in one thread kept for them, so that a server goes on answering while an
// import with counts is written. Small tables are computed in the calling thread: handing them over would cost
// more than computing them. The thread holds the process open only while it has work.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ProtectOptions, suppressValues } from '../disclosure/index.js';
import type { IndicatorValue } from '../store/index.js';
import { aggregateToGroups, type GroupOptions } from './aggregate-to-groups.js';
import { columnBuffers, type FlaggedCell, toColumns } from './cell-columns.js';
import type { ComputeTask } from './compute-worker.js';

/** Tables with fewer cells than this are computed in the calling thread. */
export const IN_THREAD_CELLS = 2_000;

type Answer = { id: number; flags?: Uint8Array; values?: IndicatorValue[]; error?: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();

/** The worker script: compiled JavaScript beside this file, or (from the sources) the TypeScript through tsx. */
function workerScript(): { script: URL | string; eval: boolean } {
  const js = new URL('./compute-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL('./compute-worker.ts', import.meta.url).href;
  return {
    script: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); });`,
    eval: true,
  };
}

function started(): Worker {
  if (worker) return worker;
  const { script, eval: isCode } = workerScript();
  const thread = new Worker(script, { eval: isCode, stdout: false, stderr: false });
  const fail = (error: Error) => {
    if (worker === thread) worker = undefined;
    for (const [, waiting] of pending) waiting.reject(error);
    pending.clear();
  };
  thread.on('message', (answer: Answer) => {
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (pending.size === 0) thread.unref();
    waiting?.resolve(answer);
  });
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`The import's compute thread stopped (exit code ${code})`)));
  worker = thread;
  return thread;
}

async function run(task: DistributiveOmit<ComputeTask, 'id'>, transfer: ArrayBuffer[]): Promise<Answer> {
  const thread = started();
  const id = ++nextId;
  const answer = new Promise<Answer>((resolve, reject) => pending.set(id, { resolve, reject }));
  thread.ref();
  thread.postMessage({ ...task, id }, transfer);
  const done = await answer;
  if (done.error !== undefined) throw new Error(`Computing an import failed: ${done.error}`);
  return done;
}

/**
 * Disclosure control over one indicator's whole table: sets each cell's `suppressed` flag, as `suppressValues` does.
 * @example await suppressCells([...stored, ...imported], { countFields: ['numerator'], parents })
 */
export async function suppressCells(cells: FlaggedCell[], options: ProtectOptions): Promise<void> {
  if (cells.length < IN_THREAD_CELLS) {
    suppressValues(cells, options);
    return;
  }
  const columns = toColumns(cells);
  const { flags } = await run({ task: 'suppress', cells: columns, options }, columnBuffers(columns));
  if (!flags || flags.length !== cells.length) throw new Error('The compute thread sent no flags for the table');
  for (const [i, cell] of cells.entries()) cell.suppressed = flags[i] === 1;
}

/**
 * The values of group units summed from their members' values, as `aggregateToGroups` makes them.
 * @example await groupSums(rows, indicator, groupMembers(units, groupings), { skip })
 */
export async function groupSums(
  rows: readonly IndicatorValue[],
  indicator: { id: string; multiplier: number },
  members: Map<string, { member: string; until: string | null }[]>,
  options: GroupOptions,
): Promise<IndicatorValue[]> {
  if (rows.length < IN_THREAD_CELLS) return aggregateToGroups(rows, indicator, members, options);
  const columns = toColumns(rows);
  const { id, multiplier } = indicator;
  const { values } = await run(
    { task: 'group sums', cells: columns, indicator: { id, multiplier }, members, options },
    columnBuffers(columns),
  );
  if (!values) throw new Error('The compute thread sent no group values');
  return values;
}
