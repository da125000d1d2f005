// The unit map: which units a municipality's persons are counted in, and until when. One table the engine's
// roll-up joins to, built from the stored units and groupings, so any grouping loaded later gets values too.
import type { DuckDBConnection } from '@duckdb/node-api';
import { earlierEnd, laterEnd } from '../domain/period.js';

/** A unit a municipality's persons are counted in, up to a date (null: no end). */
export interface UnitMapRow {
  municipality: string;
  unit: string;
  level: string;
  /** Periods starting after this date are not counted in the unit (it or the membership has ended). */
  validTo: string | null;
}

/**
 * The unit map as data: every municipality maps to itself, Denmark, its catalogue region and every group unit
 * it is a member of in a grouping (new regions, health clusters, sundhedsråd). Validity only ends a mapping:
 * a unit that starts later (Region Østdanmark in 2027) gets the earlier periods of its members too, so series
 * exist back in time; a unit or membership that ends (Region Hovedstaden on 2026-12-31) stops there.
 */
export function unitMapRows(
  units: readonly { code: string; type: string; parent: string | null; validTo: string | null }[],
  groupings: readonly { memberships: readonly { group: string; member: string; validTo: string | null }[] }[],
  nationCode: string,
): UnitMapRow[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const rows = new Map<string, UnitMapRow>();
  const add = (municipality: string, unit: string, level: string, validTo: string | null) => {
    const key = `${municipality}\u0000${unit}`;
    const known = rows.get(key);
    rows.set(key, { municipality, unit, level, validTo: known ? laterEnd(known.validTo, validTo) : validTo });
  };
  for (const m of units) {
    if (m.type !== 'municipality') continue;
    add(m.code, m.code, 'municipality', m.validTo);
    add(m.code, nationCode, 'nation', null);
    const region = m.parent ? byCode.get(m.parent) : undefined;
    if (region && region.code !== nationCode)
      add(m.code, region.code, region.type, earlierEnd(m.validTo, region.validTo));
  }
  for (const grouping of groupings) {
    for (const membership of grouping.memberships) {
      const member = byCode.get(membership.member);
      const group = byCode.get(membership.group);
      if (member?.type !== 'municipality' || !group) continue;
      add(member.code, group.code, group.type, earlierEnd(membership.validTo, group.validTo));
    }
  }
  return [...rows.values()];
}

/** SQL: the first day of a cell's period ('2024' → 2024-01-01, '2024Q3' → 2024-07-01), for the unit map's dates. */
export const PERIOD_START_SQL = (alias: string) =>
  `make_date(CAST(left(${alias}.period, 4) AS INTEGER), CASE WHEN ${alias}.period_type = 'quarter' THEN 3 * CAST(right(${alias}.period, 1) AS INTEGER) - 2 ELSE 1 END, 1)`;

/** The stored units and groupings the unit map is built from. */
export interface UnitMapStructure {
  units: readonly { code: string; type: string; parent: string | null; validTo: string | null }[];
  groupings: readonly { memberships: readonly { group: string; member: string; validTo: string | null }[] }[];
}

/** Creates the unit map table from `unitMapRows` (municipality_code, unit_code, level, valid_to). */
export async function createUnitMap(
  conn: DuckDBConnection,
  municipalities: readonly { code: string; parent: string | null }[],
  nationCode: string,
  structure: UnitMapStructure = {
    units: municipalities.map((m) => ({ ...m, type: 'municipality', validTo: null })),
    groupings: [],
  },
): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TABLE unit_map (municipality_code VARCHAR, unit_code VARCHAR, level VARCHAR, valid_to DATE)',
  );
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const rows = unitMapRows(structure.units, structure.groupings, nationCode);
  // Without the full structure (older callers), regions come from the municipalities' parents.
  const known = new Set(structure.units.map((u) => u.code));
  for (const m of municipalities) {
    if (m.parent && m.parent !== nationCode && !known.has(m.parent))
      rows.push({ municipality: m.code, unit: m.parent, level: 'region', validTo: null });
  }
  const values = rows.map(
    (r) =>
      `(${quote(r.municipality)}, ${quote(r.unit)}, ${quote(r.level)}, ${r.validTo ? `DATE ${quote(r.validTo)}` : 'NULL'})`,
  );
  await conn.run(`INSERT INTO unit_map VALUES ${values.join(', ')}`);
}
