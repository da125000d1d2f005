// Reading stored values and their revision history in SQL that both store kinds run (`?` placeholders; the
// PostgreSQL store numbers them): the statements, and the mapping of their rows as the published view shows them.
// `orderBy` writes the ordering of a text column: PostgreSQL adds COLLATE "C", so that both kinds order codes byte
// by byte whatever the database's locale.
import { publishedView } from '../disclosure/index.js';
import type { IndicatorValue, ValueQuery, ValueRevision } from './store.js';
import { type StoredRow, toIndicatorValue } from './stored-rows.js';

export interface ValueHistoryQuery {
  indicator: string;
  unit?: string;
  period?: string;
  breakdown?: string;
}

/**
 * The statement for the values a query asks for, and its parameters; undefined when it asks for no unit at all.
 * @example valuesSql({ indicator: 'x', unit: ['751', '791'] }, (c) => c)
 */
export function valuesSql(
  query: ValueQuery,
  orderBy: (column: string) => string,
): { sql: string; params: unknown[] } | undefined {
  const where = ['indicator_id = ?'];
  const params: unknown[] = [query.indicator];
  if (query.unit !== undefined) {
    const units = typeof query.unit === 'string' ? [query.unit] : query.unit;
    if (units.length === 0) return undefined;
    where.push(`unit_code IN (${units.map(() => '?').join(', ')})`);
    params.push(...units);
  }
  if (query.period !== undefined) {
    where.push('period = ?');
    params.push(query.period);
  }
  if (query.breakdown !== undefined) {
    where.push('breakdown = ?');
    params.push(query.breakdown);
  }
  return {
    sql: `SELECT indicator_id, unit_code, period, breakdown, numerator, denominator, value, suppressed,
         origin = 'synthetic' AS synthetic
       FROM indicator_values WHERE ${where.join(' AND ')}
       ORDER BY ${['unit_code', 'period', 'breakdown'].map(orderBy).join(', ')}`,
    params,
  };
}

/** Stored rows as values: all of them for `full`, else as the published view shows them. */
export function toValues(rows: readonly StoredRow[], full: boolean | undefined): IndicatorValue[] {
  const values = rows.map(toIndicatorValue);
  return full ? values : values.map(publishedView);
}

/**
 * The history statement and its parameters.
 * @example valueHistorySql({ indicator: 'x', unit: '751' }, (c) => c)
 */
export function valueHistorySql(
  query: ValueHistoryQuery,
  orderBy: (column: string) => string,
): { sql: string; params: unknown[] } {
  const where = ['h.indicator_id = ?'];
  const params: unknown[] = [query.indicator];
  for (const [column, value] of [
    ['unit_code', query.unit],
    ['period', query.period],
    ['breakdown', query.breakdown],
  ] as const) {
    if (value !== undefined) {
      where.push(`h.${column} = ?`);
      params.push(value);
    }
  }
  const order = ['h.unit_code', 'h.period', 'h.breakdown'].map(orderBy).join(', ');
  return {
    sql: `SELECT h.*, CAST(h.recorded_at AS VARCHAR) AS recorded, i.file_name, i.sha256, i.actor, i.note,
         h.import_id = max(h.import_id) OVER (PARTITION BY h.indicator_id, h.unit_code, h.period, h.breakdown) AS current,
         h.suppressed OR coalesce(v.suppressed, false) AS hidden
       FROM value_history h JOIN imports i ON i.id = h.import_id
       LEFT JOIN indicator_values v ON v.indicator_id = h.indicator_id AND v.unit_code = h.unit_code
         AND v.period = h.period AND v.breakdown = h.breakdown
       WHERE ${where.join(' AND ')}
       ORDER BY ${order}, h.import_id DESC`,
    params,
  };
}

/** A row of the history statement as a revision; a hidden value shows as the published view shows it. */
export function toValueRevision(r: StoredRow): ValueRevision {
  return {
    ...publishedView({ ...toIndicatorValue(r), suppressed: Boolean(r.hidden) }),
    importId: Number(r.import_id),
    recordedAt: String(r.recorded),
    fileName: String(r.file_name),
    sha256: String(r.sha256),
    actor: String(r.actor),
    note: (r.note as string | null) ?? null,
    current: Boolean(r.current),
  };
}
