import { beforeAll, describe, expect, it } from 'vitest';
import { cheapestStep, loadSolver } from './lp-pattern.js';
import type { SparseSystem } from './null-space.js';

/** Rows of (variable, coefficient) pairs as a sparse system. */
function systemOf(columns: number, rows: [number, number][][]): SparseSystem {
  const start = [0];
  const vars: number[] = [];
  const coefs: number[] = [];
  for (const row of rows) {
    for (const [k, a] of row) {
      vars.push(k);
      coefs.push(a);
    }
    start.push(vars.length);
  }
  return { columns, start: Int32Array.from(start), vars: Int32Array.from(vars), coefs: Float64Array.from(coefs) };
}

describe('cheapestStep', () => {
  beforeAll(() => loadSolver());
  // A 2 × 2 table with its margins: cells a b / c d (0–3), row sums r1 r2 (4, 5), column sums s1 s2 (6, 7).
  // Relations: r1 = a + b, r2 = c + d, s1 = a + c, s2 = b + d.
  const table = systemOf(8, [
    [
      [4, -1],
      [0, 1],
      [1, 1],
    ],
    [
      [5, -1],
      [2, 1],
      [3, 1],
    ],
    [
      [6, -1],
      [0, 1],
      [2, 1],
    ],
    [
      [7, -1],
      [1, 1],
      [3, 1],
    ],
  ]);

  it('takes a cell down by one through the cheapest cycle of its table that keeps every count ≥ 0', () => {
    // a = 1, b = 3, c = 2, d = 0: a − 1, b + 1, c + 1, d − 1 would take d below 0; the margins must move instead.
    const room = [1, 3, 2, 0, 4, 2, 3, 3];
    const cost = [1, 1, 1, 1, 100, 100, 100, 100];
    const d = cheapestStep(table, 0, -1, room, cost);
    expect(d?.get(0)).toBe(-1);
    // Every relation holds for the step, and no count goes below 0.
    for (let r = 0; r < 4; r++) {
      let sum = 0;
      for (let x = table.start[r] as number; x < (table.start[r + 1] as number); x++)
        sum += (table.coefs[x] as number) * (d?.get(table.vars[x] as number) ?? 0);
      expect(sum).toBe(0);
    }
    for (const [k, w] of d ?? []) expect((room[k] as number) + w).toBeGreaterThanOrEqual(0);
    // d cannot move (it is 0 and would have to go down), so a margin moves: the cheapest is one row and one column.
    expect(d?.get(3) ?? 0).toBe(0);
  });

  it('takes the interior cycle when every cell has room, as it is cheaper than the margins', () => {
    const room = [1, 3, 2, 4, 4, 6, 3, 7];
    const cost = [1, 1, 1, 1, 100, 100, 100, 100];
    const d = cheapestStep(table, 0, -1, room, cost);
    expect(Object.fromEntries(d ?? [])).toEqual({ 0: -1, 1: 1, 2: 1, 3: -1 });
  });

  it('finds no step where the relations and the bounds keep the cell where it is, and a step up where only down is blocked', () => {
    // t = a + b with t held (its own row), and a = c + e: a down needs c or e down (both 0), a up needs b down (0).
    const rows: [number, number][][] = [
      [
        [2, -1],
        [0, 1],
        [1, 1],
      ],
      [[2, 1]],
      [
        [0, -1],
        [3, 1],
        [4, 1],
      ],
    ];
    const pinned = systemOf(5, rows);
    expect(cheapestStep(pinned, 0, -1, [1, 0, 1, 0, 0], [1, 1, 1, 1, 1])).toBeUndefined();
    expect(cheapestStep(pinned, 0, 1, [1, 0, 1, 0, 0], [1, 1, 1, 1, 1])).toBeUndefined();
    // With room in b, a can go up (b down, c or e up), though still not down.
    expect(cheapestStep(pinned, 0, -1, [1, 2, 1, 0, 0], [1, 1, 1, 1, 1])).toBeUndefined();
    const up = cheapestStep(pinned, 0, 1, [1, 2, 1, 0, 0], [1, 1, 1, 1, 1]);
    expect(up?.get(0)).toBe(1);
    expect(up?.get(1)).toBe(-1);
    expect((up?.get(3) ?? 0) + (up?.get(4) ?? 0)).toBe(1);
  });
});
