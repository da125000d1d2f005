import highsModule from 'highs';
import type { SparseSystem } from './null-space.js';

// The package's types describe its CommonJS build; imported as ESM, the default export is the loader itself.
const loadHighs = highsModule as unknown as typeof highsModule.default;
type Solver = Awaited<ReturnType<typeof loadHighs>>;
/** HiGHS (compiled to WebAssembly, about 24 MB once loaded), loaded per thread on first need; `solve` is synchronous. */
let solver: Solver | undefined;

/** Loads the solver in this thread (once). */
export async function loadSolver(): Promise<void> {
  solver ??= await loadHighs();
}

/** Whether the solver is loaded in this thread: cheapestStep needs it. */
export function solverLoaded(): boolean {
  return solver !== undefined;
}

/** How long one search may take before it gives up (seconds): it is a last resort for a few counts. */
export const STEP_TIME_LIMIT = 20;

/**
 * The cheapest whole-number step d of a system's relations (Σ coefs · d = 0 in every row) that takes variable
 * `target` one down (`direction` −1) or up (+1) while every other variable k stays ≥ 0 (d[k] ≥ −room[k]), found
 * as a mixed-integer program: minimise Σ cost[k] · |d[k]|. Undefined when there is none: then the relations and the
 * counts' bounds keep the target from moving that way (given the variables outside the system). Used where the
 * heuristic searches found no pattern.
 */
export function cheapestStep(
  system: SparseSystem,
  target: number,
  direction: 1 | -1,
  room: ArrayLike<number>,
  cost: ArrayLike<number>,
  seconds = STEP_TIME_LIMIT,
): Map<number, number> | undefined {
  const m = system.columns;
  const lines: string[] = ['Minimize', ' obj:'];
  for (let k = 0; k < m; k++) {
    const c = (cost[k] as number).toPrecision(6);
    lines.push(` + ${c} p${k} + ${c} n${k}`);
  }
  lines.push('Subject To');
  for (let r = 0; r + 1 < system.start.length; r++) {
    lines.push(` r${r}:`);
    for (let x = system.start[r] as number; x < (system.start[r + 1] as number); x++) {
      const k = system.vars[x] as number;
      const a = system.coefs[x] as number;
      lines.push(` ${a >= 0 ? '+' : '-'} ${Math.abs(a)} p${k} ${a >= 0 ? '-' : '+'} ${Math.abs(a)} n${k}`);
    }
    lines.push(' = 0');
  }
  lines.push('Bounds');
  for (let k = 0; k < m; k++) {
    if (k === target) {
      lines.push(` p${k} = ${direction === 1 ? 1 : 0}`, ` n${k} = ${direction === 1 ? 0 : 1}`);
      continue;
    }
    lines.push(` 0 <= n${k} <= ${Math.max(0, room[k] as number)}`);
  }
  lines.push('General');
  for (let k = 0; k < m; k++) lines.push(` p${k} n${k}`);
  lines.push('End');
  if (!solver) throw new Error('cheapestStep: the solver is not loaded (await loadSolver() first)');
  const solution = solver.solve(lines.join('\n'), {
    time_limit: Math.min(seconds, STEP_TIME_LIMIT),
    mip_rel_gap: 0.5,
    output_flag: false,
    log_to_console: false,
  });
  if (solution.Status !== 'Optimal' && solution.Status !== 'Time limit reached') return undefined;
  const d = new Map<number, number>();
  for (const [name, column] of Object.entries(solution.Columns)) {
    const x = Math.round((column as { Primal: number }).Primal);
    if (x === 0) continue;
    const k = Number(name.slice(1));
    d.set(k, (d.get(k) ?? 0) + (name[0] === 'p' ? x : -x));
  }
  for (const [k, w] of d) if (w === 0) d.delete(k);
  return d.get(target) === direction ? d : undefined;
}
