// The cells of an indicator's table in columns, as they cross into the import's compute thread
// (compute-in-worker.ts): a few arrays are copied much faster than thousands of objects.
import type { DisclosureCell } from '../disclosure/index.js';

/** Cells in columns; a missing count is NaN. */
export interface CellColumns {
  unit: string[];
  period: string[];
  breakdown: string[];
  numerator: Float64Array;
  denominator: Float64Array;
  suppressed: Uint8Array;
}

/** A cell with the flag disclosure control sets. */
export type FlaggedCell = DisclosureCell & { suppressed: boolean };

export function toColumns(cells: readonly FlaggedCell[]): CellColumns {
  const n = cells.length;
  const columns: CellColumns = {
    unit: new Array<string>(n),
    period: new Array<string>(n),
    breakdown: new Array<string>(n),
    numerator: new Float64Array(n),
    denominator: new Float64Array(n),
    suppressed: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = cells[i] as FlaggedCell;
    columns.unit[i] = c.unit;
    columns.period[i] = c.period;
    columns.breakdown[i] = c.breakdown;
    columns.numerator[i] = c.numerator ?? Number.NaN;
    columns.denominator[i] = c.denominator ?? Number.NaN;
    columns.suppressed[i] = c.suppressed ? 1 : 0;
  }
  return columns;
}

export function fromColumns(columns: CellColumns): FlaggedCell[] {
  const cells: FlaggedCell[] = new Array(columns.unit.length);
  for (let i = 0; i < cells.length; i++) {
    const numerator = columns.numerator[i] as number;
    const denominator = columns.denominator[i] as number;
    cells[i] = {
      unit: columns.unit[i] as string,
      period: columns.period[i] as string,
      breakdown: columns.breakdown[i] as string,
      numerator: Number.isNaN(numerator) ? null : numerator,
      denominator: Number.isNaN(denominator) ? null : denominator,
      suppressed: columns.suppressed[i] === 1,
    };
  }
  return cells;
}

/** The buffers of the columns, to hand over rather than copy. */
export function columnBuffers(columns: CellColumns): ArrayBuffer[] {
  return [columns.numerator.buffer, columns.denominator.buffer, columns.suppressed.buffer] as ArrayBuffer[];
}
