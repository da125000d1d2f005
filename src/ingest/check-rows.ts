// The checks of one row of aggregate values, in the order a report names them: indicator, unit, period,
// breakdown, numbers and their consistency, repeats. Shared by the row-by-row reader and the set-wise one (which
// hands over only the rows its SQL could not pass, so both report the same problems).
import type { Indicator, OrgUnit } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { normalisePeriod, parsePeriod } from '../domain/period.js';
import type { IndicatorValue } from '../store/index.js';
import type { Layout, RawRow } from './aggregate-layout.js';
import { parseNumber } from './parse-number.js';

export interface ImportProblem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export const BREAKDOWN =
  /^(total|sex:(M|F)|age_group:(\d{1,2}-\d{1,2}|85\+)|education:(basic|vocational|higher|unknown)|income:(Q[1-4]|unknown))$/;
export const MAX_PROBLEMS = 1000;
/** Periods outside these years are typing errors (0000, 20244 → 2024?), not data. */
export const FIRST_YEAR = 1990;
export const LAST_YEAR = 2100;

/** Unit lookup by code (101, 0101, DK, 1082) or Danish/English name (København, Region Midtjylland, Hele landet). */
export function unitResolver(units: readonly OrgUnit[]): (text: string) => string | undefined {
  const byKey = new Map<string, string>();
  const key = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/\s+kommune$/, '')
      .replace(/\s+/g, ' ');
  for (const u of units) {
    byKey.set(key(u.code), u.code);
    byKey.set(key(u.name), u.code);
    if (u.nameEn) byKey.set(key(u.nameEn), u.code);
  }
  for (const alias of ['hele landet', 'danmark', 'denmark', 'dk', 'landet']) byKey.set(alias, 'DK');
  const cache = new Map<string, string | undefined>();
  return (text) => {
    if (cache.has(text)) return cache.get(text);
    const trimmed = text.trim();
    const code = /^\d+$/.test(trimmed) ? byKey.get(String(Number(trimmed))) : byKey.get(key(trimmed));
    cache.set(text, code);
    return code;
  };
}

/** A period cell read: its normal form, type and year (undefined where it is not a period). */
export interface PeriodFacts {
  period: string | undefined;
  type: string | undefined;
  year: number | undefined;
}

/** Reads period cells, each distinct text once. */
export function periodReader(): (text: string) => PeriodFacts {
  const periods = new Map<string, PeriodFacts>();
  return (text) => {
    let p = periods.get(text);
    if (!p) {
      const period = normalisePeriod(text);
      const parsed = period ? parsePeriod(period) : undefined;
      p = { period, type: parsed?.type, year: parsed?.year };
      periods.set(text, p);
    }
    return p;
  };
}

export interface RowCheckContext {
  indicators: ReadonlyMap<string, Indicator>;
  resolveUnit: (text: string) => string | undefined;
  /** The indicator of files without an indicator column (--indicator). */
  indicator?: string;
  layout: Layout;
  decimal: ',' | '.';
  /** The units the importer may write; rows outside are collected in `outOfScope`. */
  scope?: { includes(unit: string): boolean };
}

/**
 * Checks rows one at a time, collecting the values of good rows, up to MAX_PROBLEMS problems and the rows
 * outside the importer's scope.
 * @example const checker = rowChecker(context); for (const r of readRows(grid)) checker.check(r);
 */
export function rowChecker(context: RowCheckContext) {
  const { indicators, resolveUnit, layout, scope } = context;
  const decimal = context.decimal;
  const values: IndicatorValue[] = [];
  /** The file row of each value. */
  const rows: number[] = [];
  const problems: ImportProblem[] = [];
  const outOfScope: { row: number; unit: string }[] = [];
  const seen = new Map<string, number>();
  const periodOf = periodReader();
  const problem = (row: number, column: string | undefined, value: string | undefined, reason: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ row, column: column ?? '(none)', value: value ?? '', reason });
  };
  const check = (r: RawRow): void => {
    const problemsBefore = problems.length;
    const indicatorId = r.indicator || context.indicator || '';
    const indicator: Indicator | undefined = indicators.get(indicatorId);
    if (!indicator) {
      problem(r.row, r.columns.indicator, indicatorId, 'is not a known indicator');
      return;
    }
    if (indicator.origin === 'register') {
      problem(
        r.row,
        r.columns.indicator ?? '(--indicator)',
        indicatorId,
        'is computed from register data; importing it would conflict with the computed values',
      );
      return;
    }
    const unit = resolveUnit(r.unit);
    if (unit && scope && !scope.includes(unit)) outOfScope.push({ row: r.row, unit });
    if (!unit)
      problem(r.row, r.columns.unit, r.unit, 'is not a known unit (use a code like 101 or a name like København)');
    const { period, type, year } = periodOf(r.period);
    if (!period)
      problem(r.row, r.columns.period, r.period, 'is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)');
    else if (year === undefined || year < FIRST_YEAR || year > LAST_YEAR)
      problem(r.row, r.columns.period, r.period, `is outside the years ${FIRST_YEAR}–${LAST_YEAR}`);
    else {
      if (type && !indicator.periodTypes.includes(type as 'year'))
        problem(
          r.row,
          r.columns.period,
          r.period,
          `is a ${type}; ${indicator.id} is reported by ${indicator.periodTypes.join(', ')}`,
        );
    }
    if (!BREAKDOWN.test(r.breakdown))
      problem(
        r.row,
        r.columns.breakdown,
        r.breakdown,
        'is not a breakdown (total, sex:M, age_group:65-69, education:basic)',
      );
    const number = (text: string | undefined, column: string | undefined): number | null | undefined => {
      if (text === undefined) return undefined;
      const n = parseNumber(text, decimal);
      if (n !== null && Number.isNaN(n)) {
        problem(r.row, column, text, `is not a number (decimal mark '${decimal}')`);
        return undefined;
      }
      if (n !== null && !Number.isFinite(n)) {
        problem(r.row, column, text, 'is too large to be a number');
        return undefined;
      }
      return n;
    };
    const numerator = number(r.numerator, r.columns.numerator);
    const denominator = number(r.denominator, r.columns.denominator);
    let value = number(r.value, r.columns.value);
    if (layout === 'wide' && value === null) return; // ".." in a wide table: no value for that period
    for (const [n, column, text] of [
      [numerator, r.columns.numerator, r.numerator],
      [denominator, r.columns.denominator, r.denominator],
    ] as const) {
      if (typeof n === 'number' && n < 0) problem(r.row, column, text, 'is a negative count');
    }
    if (typeof numerator === 'number' && typeof denominator === 'number') {
      if (indicator.measure === 'proportion' && numerator > denominator)
        problem(r.row, r.columns.numerator, r.numerator, `is larger than the denominator (${r.denominator})`);
      if (denominator === 0) problem(r.row, r.columns.denominator, r.denominator, 'is zero');
      const computed = denominator > 0 ? (numerator / denominator) * indicator.multiplier : undefined;
      if (value === undefined || value === null) value = computed ?? null;
      else if (computed !== undefined && Math.abs(value - computed) > 0.005 * Math.max(1, Math.abs(computed))) {
        problem(
          r.row,
          r.columns.value,
          r.value,
          `does not match numerator/denominator × ${indicator.multiplier} = ${computed.toPrecision(6)}`,
        );
      }
    }
    if (
      indicator.measure === 'proportion' &&
      problems.length === problemsBefore &&
      typeof value === 'number' &&
      (value < 0 || value > indicator.multiplier)
    ) {
      problem(
        r.row,
        r.columns.value ?? r.columns.numerator,
        r.value ?? r.numerator,
        `is outside 0–${indicator.multiplier}, the range of ${indicator.id} (a proportion${indicator.multiplier === 100 ? ' in %' : ''})`,
      );
      return;
    }
    if (value === undefined || value === null) {
      if (problems.length === problemsBefore)
        problem(r.row, r.columns.value ?? '(value)', r.value, 'no value: give a value, or numerator and denominator');
      return;
    }
    if (!unit || !period) return;
    const key = `${indicator.id}\u0000${unit}\u0000${period}\u0000${r.breakdown}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problem(
        r.row,
        r.columns.unit,
        r.unit,
        `repeats ${indicator.id} ${unit} ${period} ${r.breakdown} from row ${first}`,
      );
      return;
    }
    seen.set(key, r.row);
    rows.push(r.row);
    values.push({
      indicator: indicator.id,
      unit,
      period,
      breakdown: r.breakdown,
      numerator: numerator ?? null,
      denominator: denominator ?? null,
      value,
      suppressed: false,
    });
  };
  return { check, values, rows, problems, outOfScope };
}

/**
 * Refuses a file whose columns cannot be read at all: an unknown --indicator, a long table without a period
 * column, or rows without an indicator column and no --indicator. `columns` is undefined for a file without rows.
 */
export function checkShape(
  fileName: string,
  layout: Layout,
  columns: RawRow['columns'] | undefined,
  indicator: string | undefined,
  indicators: ReadonlyMap<string, Indicator>,
): void {
  if (indicator && !indicators.has(indicator)) {
    throw new UserError(`Unknown indicator '${indicator}'`, {
      hint: 'GET /api/indicators or `pejling catalogue list` lists them.',
    });
  }
  if (layout === 'long' && columns && !columns.period) {
    throw new UserError(`${fileName} has neither a period column nor periods as column headers`, {
      hint: 'Long layout: indicator, unit, period, breakdown, numerator, denominator, value. Wide layout: unit, 2023, 2024 … (or 2023K1, 2023M01).',
    });
  }
  if (columns && !columns.indicator && !indicator) {
    throw new UserError(`${fileName} has no indicator column`, {
      hint: 'Add an indicator column or give --indicator ID.',
    });
  }
}
