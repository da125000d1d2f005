// Stored rows → the Store's types, shared by the store ports (rows arrive already as plain JS values).
import type { OrgUnit } from '../catalogue/index.js';
import type { IndicatorValue, StoredTarget } from './store.js';

export type StoredRow = Record<string, unknown>;

/** A stored value row (indicator_values or value_history columns) as an IndicatorValue. */
export function toIndicatorValue(r: StoredRow): IndicatorValue {
  return {
    indicator: String(r.indicator_id),
    unit: String(r.unit_code),
    period: String(r.period),
    breakdown: String(r.breakdown),
    numerator: (r.numerator as number | null) ?? null,
    denominator: (r.denominator as number | null) ?? null,
    value: (r.value as number | null) ?? null,
    suppressed: Boolean(r.suppressed),
    ...(r.synthetic ? { synthetic: true } : {}),
  };
}

/** An org_units row: its full definition where stored, else the columns of the first schema version. */
export function toOrgUnit(r: StoredRow): OrgUnit {
  if (r.definition) return parseDefinition<OrgUnit>(r);
  return {
    code: String(r.code),
    name: String(r.name),
    ...(r.name_en ? { nameEn: String(r.name_en) } : {}),
    type: r.type as OrgUnit['type'],
    parent: (r.parent as string | null) ?? null,
    ...(r.iso ? { iso: String(r.iso) } : {}),
    validFrom: String(r.valid_from),
    validTo: (r.valid_to as string | null) ?? null,
  };
}

/** The JSON `definition` column of a catalogue row. */
export function parseDefinition<T>(row: StoredRow): T {
  return JSON.parse(String(row.definition)) as T;
}

export function toStoredTarget(row: StoredRow): StoredTarget {
  return {
    goalSetId: String(row.goal_set_id),
    goalId: String(row.goal_id),
    target: JSON.parse(String(row.definition)),
  };
}

/** A finite number, or null (the stores keep no NaN or infinities). */
export function finiteOrNull(n: number | null): number | null {
  return n === null || !Number.isFinite(n) ? null : n;
}
