// Reads the rows of a grid in either layout: long (one value per row) or Danmarks Statistik-style wide (units in
// rows, periods in columns). Column names may be English or Danish.
import { normalisePeriod } from '../domain/period.js';
import type { Grid } from './read-table.js';

export interface RawRow {
  row: number;
  /** Column each field came from, for problem reports. */
  columns: Partial<
    Record<'indicator' | 'unit' | 'period' | 'breakdown' | 'numerator' | 'denominator' | 'value', string>
  >;
  indicator: string | undefined;
  unit: string;
  period: string;
  breakdown: string;
  numerator: string | undefined;
  denominator: string | undefined;
  value: string | undefined;
}

export type Layout = 'long' | 'wide';

const ALIASES: Record<string, readonly string[]> = {
  indicator: ['indicator', 'indikator', 'indicator_id'],
  unit: ['unit', 'enhed', 'område', 'omraade', 'kommune', 'region', 'unit_code', 'kode', 'code'],
  period: ['period', 'periode', 'tid', 'år', 'year'],
  breakdown: ['breakdown', 'opdeling'],
  numerator: ['numerator', 'tæller', 'taeller'],
  denominator: ['denominator', 'nævner', 'naevner'],
  value: ['value', 'værdi', 'vaerdi', 'indhold'],
};

export function findColumn(header: readonly string[], field: string): number {
  const names = ALIASES[field] ?? [];
  return header.findIndex((h) => names.includes(h.trim().toLowerCase()));
}

/** Long when a period column exists; wide when some header cells are periods (2023, 2023K1, 2023M01). */
export function detectLayout(grid: Grid): Layout {
  if (findColumn(grid.header, 'period') >= 0) return 'long';
  return grid.header.some((h) => normalisePeriod(h) !== undefined) ? 'wide' : 'long';
}

/** The rows of a grid, one at a time (a million rows are never all held as objects at once). */
export function* readRows(grid: Grid, layout: Layout = detectLayout(grid)): Generator<RawRow> {
  const cell = (cells: string[], index: number) => (index >= 0 ? (cells[index] ?? '').trim() : undefined);
  const name = (index: number) => (index >= 0 ? grid.header[index] : undefined);
  if (layout === 'long') {
    const at = Object.fromEntries(Object.keys(ALIASES).map((f) => [f, findColumn(grid.header, f)])) as Record<
      string,
      number
    >;
    // One columns object shared by every row: the columns are the same on each.
    const columns: RawRow['columns'] = Object.fromEntries(
      Object.entries(at)
        .filter(([, i]) => i >= 0)
        .map(([f, i]) => [f, name(i)]),
    );
    for (const { row, cells } of grid.rows)
      yield {
        row,
        columns,
        indicator: cell(cells, at.indicator as number),
        unit: cell(cells, at.unit as number) ?? '',
        period: cell(cells, at.period as number) ?? '',
        breakdown: cell(cells, at.breakdown as number) || 'total',
        numerator: cell(cells, at.numerator as number),
        denominator: cell(cells, at.denominator as number),
        value: cell(cells, at.value as number),
      };
    return;
  }
  const periodColumns = grid.header.map((h, i) => [i, normalisePeriod(h)] as const).filter(([, p]) => p !== undefined);
  const unitIndex = Math.max(0, findColumn(grid.header, 'unit'));
  const indicatorIndex = findColumn(grid.header, 'indicator');
  const breakdownIndex = findColumn(grid.header, 'breakdown');
  for (const { row, cells } of grid.rows)
    yield* periodColumns.map(([i, period]) => ({
      row,
      columns: {
        unit: name(unitIndex),
        value: name(i),
        period: name(i),
        ...(indicatorIndex >= 0 ? { indicator: name(indicatorIndex) } : {}),
        ...(breakdownIndex >= 0 ? { breakdown: name(breakdownIndex) } : {}),
      },
      indicator: cell(cells, indicatorIndex),
      unit: cell(cells, unitIndex) ?? '',
      period: period as string,
      breakdown: cell(cells, breakdownIndex) || 'total',
      numerator: undefined,
      denominator: undefined,
      value: cell(cells, i),
    }));
}
