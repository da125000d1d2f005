// Periods: year `2024`, quarter `2024Q1`, month `2024M01`, ISO week `2024W05`; Danmarks Statistik `2024K1` accepted.

export type PeriodType = 'year' | 'quarter' | 'month' | 'week';

export interface Period {
  type: PeriodType;
  year: number;
  /** Quarter 1-4, month 1-12 or ISO week 1-53; 0 for a year. */
  index: number;
}

const PATTERNS: readonly [RegExp, PeriodType][] = [
  [/^(\d{4})$/, 'year'],
  [/^(\d{4})[QK]([1-4])$/i, 'quarter'],
  [/^(\d{4})M(0[1-9]|1[0-2])$/i, 'month'],
  [/^(\d{4})W(0[1-9]|[1-4]\d|5[0-3])$/i, 'week'],
];

/**
 * Parses a period code, or returns undefined when it is not one.
 * @example parsePeriod('2024K1') // { type: 'quarter', year: 2024, index: 1 }
 */
export function parsePeriod(text: string): Period | undefined {
  const trimmed = text.trim();
  for (const [pattern, type] of PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match) {
      const period = { type, year: Number(match[1]), index: match[2] ? Number(match[2]) : 0 };
      if (type === 'week' && period.index > isoWeeksInYear(period.year)) return undefined;
      return period;
    }
  }
  return undefined;
}

/** The canonical code of a period: `2024`, `2024Q1`, `2024M01`, `2024W05`. */
export function formatPeriod(period: Period): string {
  switch (period.type) {
    case 'year':
      return String(period.year);
    case 'quarter':
      return `${period.year}Q${period.index}`;
    case 'month':
      return `${period.year}M${String(period.index).padStart(2, '0')}`;
    case 'week':
      return `${period.year}W${String(period.index).padStart(2, '0')}`;
  }
}

/** Normalises any accepted period code to its canonical form, or undefined. */
export function normalisePeriod(text: string): string | undefined {
  const period = parsePeriod(text);
  return period ? formatPeriod(period) : undefined;
}

/** First and last day (ISO dates) of a period. */
export function periodBounds(period: Period): { start: string; end: string } {
  const { year, index } = period;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  switch (period.type) {
    case 'year':
      return { start: `${year}-01-01`, end: `${year}-12-31` };
    case 'quarter':
      return {
        start: iso(new Date(Date.UTC(year, (index - 1) * 3, 1))),
        end: iso(new Date(Date.UTC(year, index * 3, 0))),
      };
    case 'month':
      return {
        start: iso(new Date(Date.UTC(year, index - 1, 1))),
        end: iso(new Date(Date.UTC(year, index, 0))),
      };
    case 'week': {
      const monday = isoWeekMonday(year, index);
      return { start: iso(monday), end: iso(new Date(monday.getTime() + 6 * 86_400_000)) };
    }
  }
}

/** The year a period belongs to, as a decimal point in time at its middle (for trend fitting). */
export function periodMidpoint(period: Period): number {
  switch (period.type) {
    case 'year':
      return period.year + 0.5;
    case 'quarter':
      return period.year + (period.index - 0.5) / 4;
    case 'month':
      return period.year + (period.index - 0.5) / 12;
    case 'week':
      return period.year + (period.index - 0.5) / isoWeeksInYear(period.year);
  }
}

function isoWeekMonday(year: number, week: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dayOfWeek = (jan4.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(year, 0, 4 - dayOfWeek + (week - 1) * 7));
}

function isoWeeksInYear(year: number): number {
  const dec28 = new Date(Date.UTC(year, 11, 28));
  const jan4 = isoWeekMonday(year, 1);
  return Math.floor((dec28.getTime() - jan4.getTime()) / (7 * 86_400_000)) + 1;
}

/**
 * The earlier of two end dates (YYYY-MM-DD; null: no end), e.g. a membership's and its group's.
 * @example earlierEnd('2026-12-31', null) // '2026-12-31'
 */
export const earlierEnd = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

/**
 * The later of two end dates (null: no end), e.g. of two memberships of one member in one group.
 * @example laterEnd('2023-12-31', null) // null
 */
export const laterEnd = (a: string | null, b: string | null): string | null =>
  a === null || b === null ? null : a > b ? a : b;
