// A value's revision history in SQL that both store kinds run (`?` placeholders; the PostgreSQL store numbers
// them): the statement, and the mapping of its rows to revisions as the published view shows them.
import { publishedView } from '../disclosure/index.js';
import type { ValueRevision } from './store.js';
import { type StoredRow, toIndicatorValue } from './stored-rows.js';

export interface ValueHistoryQuery {
  indicator: string;
  unit?: string;
  period?: string;
  breakdown?: string;
}

/**
 * The history statement and its parameters; `orderBy` writes the ordering of a text column (PostgreSQL adds
 * COLLATE "C", so that both kinds order byte by byte).
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
