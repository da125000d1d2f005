// An indicator's cells in columns, as they travel to and from the disclosure worker thread.
import type { DisclosureCell } from './cell.js';
import type { ProtectOptions } from './protect-table.js';

/** Cells in columns: codes as strings, counts as numbers with NaN for empty. */
export interface PackedCells {
  units: string[];
  periods: string[];
  breakdowns: string[];
  numerators: Float64Array;
  denominators: Float64Array;
}

/** One table to protect. */
export interface ProtectRequest {
  cells: PackedCells;
  options: ProtectOptions;
}

/** Packs the fields disclosure control reads; nothing else of the rows travels. */
export function packCells(cells: readonly DisclosureCell[]): PackedCells {
  const n = cells.length;
  const packed: PackedCells = {
    units: new Array(n),
    periods: new Array(n),
    breakdowns: new Array(n),
    numerators: new Float64Array(n),
    denominators: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = cells[i] as DisclosureCell;
    packed.units[i] = c.unit;
    packed.periods[i] = c.period;
    packed.breakdowns[i] = c.breakdown;
    packed.numerators[i] = c.numerator ?? Number.NaN;
    packed.denominators[i] = c.denominator ?? Number.NaN;
  }
  return packed;
}

export function unpackCells(packed: PackedCells): DisclosureCell[] {
  const count = (x: number) => (Number.isNaN(x) ? null : x);
  return packed.units.map((unit, i) => ({
    unit,
    period: packed.periods[i] as string,
    breakdown: packed.breakdowns[i] as string,
    numerator: count(packed.numerators[i] as number),
    denominator: count(packed.denominators[i] as number),
  }));
}
