// Reads a grouping (which units belong to which group unit, from when) from a CSV/XLSX table and validates it
// row by row against the stored units; new group units may be introduced by the file (e.g. the sundhedsråd).
import {
  type Confidence,
  checkGrouping,
  confidenceSchema,
  type Grouping,
  type Membership,
  type OrgUnit,
  type OrgUnitType,
} from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import type { Grid } from './read-table.js';

/** Columns of a grouping file; header names are matched case-insensitively, Danish names accepted. */
export const GROUPING_COLUMNS = {
  group: ['group', 'gruppe', 'group_code'],
  groupName: ['group_name', 'gruppenavn', 'navn'],
  groupParent: ['group_parent', 'overordnet'],
  member: ['member', 'medlem', 'municipality_code', 'kommunekode', 'practice', 'praksis'],
  memberName: ['member_name', 'medlemsnavn', 'praksisnavn'],
  validFrom: ['valid_from', 'gyldig_fra', 'fra'],
  validTo: ['valid_to', 'gyldig_til', 'til'],
  confidence: ['confidence', 'sikkerhed'],
} as const;

export interface GroupingImportOptions {
  id: string;
  name?: { da: string; en: string };
  /** The type of the group units (default: that of the stored grouping of this id, else required). */
  groupType?: OrgUnitType;
  /** The type of member units the file introduces (rows with a member_name for an unknown member). */
  memberType?: OrgUnitType;
  partitionsPersons?: boolean;
  parentOfMembers?: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An XLSX date cell read as its serial day number (44562 = 2022-01-01) as YYYY-MM-DD; other text unchanged. */
function excelDate(text: string): string {
  if (!/^\d{5}$/.test(text)) return text;
  return new Date(Date.UTC(1899, 11, 30) + Number(text) * 86_400_000).toISOString().slice(0, 10);
}

function isDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Turns a grid into a grouping and the group units it introduces; throws one UserError listing every problem
 * with its row and column, so nothing is stored unless the whole file is right.
 * @example groupingFromGrid(grid, { id: 'sundhedsraad-2027', groupType: 'health-cluster' }, units, existing)
 */
export function groupingFromGrid(
  grid: Grid,
  fileName: string,
  options: GroupingImportOptions,
  units: readonly OrgUnit[],
  existing: Grouping | undefined,
): { grouping: Grouping; newUnits: OrgUnit[] } {
  const problems: string[] = [];
  const header = grid.header.map((h) => h.trim().toLowerCase());
  const column = (key: keyof typeof GROUPING_COLUMNS): number =>
    header.findIndex((h) => (GROUPING_COLUMNS[key] as readonly string[]).includes(h));
  const idx = Object.fromEntries(
    (Object.keys(GROUPING_COLUMNS) as (keyof typeof GROUPING_COLUMNS)[]).map((k) => [k, column(k)]),
  ) as Record<keyof typeof GROUPING_COLUMNS, number>;
  for (const key of ['group', 'member', 'validFrom'] as const) {
    if (idx[key] < 0)
      problems.push(`header: no '${GROUPING_COLUMNS[key][0]}' column (found: ${grid.header.join(', ')})`);
  }
  const groupType = options.groupType ?? existing?.groupType;
  if (!groupType) problems.push('the group type is unknown: give --group-type (e.g. health-cluster, region)');
  if (problems.length) throw fileProblems(fileName, problems);

  const byCode = new Map(units.map((u) => [u.code, u]));
  const newUnits = new Map<string, OrgUnit>();
  const memberships: Membership[] = [];
  for (const { row, cells } of grid.rows) {
    const cell = (key: keyof typeof GROUPING_COLUMNS) => (idx[key] >= 0 ? (cells[idx[key]] ?? '').trim() : '');
    if (cells.every((c) => c.trim() === '')) continue;
    const at = (key: keyof typeof GROUPING_COLUMNS) => `row ${row}, column '${grid.header[idx[key]] ?? key}'`;
    const group = cell('group');
    const member = cell('member');
    const validFrom = excelDate(cell('validFrom'));
    const validTo = excelDate(cell('validTo'));
    const confidenceText = cell('confidence') || 'confirmed';
    let ok = true;
    const fail = (key: keyof typeof GROUPING_COLUMNS, message: string) => {
      problems.push(`${at(key)}: ${message}`);
      ok = false;
    };
    if (!/^[A-Z0-9]+$/.test(group)) fail('group', `'${group}' is not a unit code (upper-case letters and digits)`);
    else if (!byCode.has(group) && !newUnits.has(group)) {
      const name = cell('groupName');
      if (!name) fail('groupName', `'${group}' is a new unit: give its name in a group_name column`);
      else {
        const parent = cell('groupParent') || 'DK';
        if (!byCode.has(parent)) fail('groupParent', `unknown unit '${parent}'`);
        else if (groupType)
          newUnits.set(group, {
            code: group,
            name,
            type: groupType,
            parent,
            validFrom: validFrom && isDate(validFrom) ? validFrom : '1900-01-01',
            validTo: null,
          });
      }
    }
    const memberName = cell('memberName');
    if (!byCode.has(member) && !newUnits.has(member) && memberName) {
      if (!/^[A-Z0-9]+$/.test(member)) fail('member', `'${member}' is not a unit code (upper-case letters and digits)`);
      else if (!options.memberType) fail('memberName', 'a new member unit needs --member-type (e.g. gp-practice)');
      else
        newUnits.set(member, {
          code: member,
          name: memberName,
          type: options.memberType,
          parent: byCode.has(group) ? group : null,
          validFrom: isDate(validFrom) ? validFrom : '1900-01-01',
          validTo: validTo && isDate(validTo) ? validTo : null,
        });
    } else if (!byCode.has(member) && !newUnits.has(member)) fail('member', `unknown unit '${member}'`);
    if (!isDate(validFrom)) fail('validFrom', `'${validFrom}' is not a date (use YYYY-MM-DD)`);
    if (validTo && !isDate(validTo)) fail('validTo', `'${validTo}' is not a date (use YYYY-MM-DD, or leave empty)`);
    else if (validTo && isDate(validFrom) && validTo < validFrom)
      fail('validTo', `${validTo} is before valid_from ${validFrom}`);
    const confidence = confidenceSchema.safeParse(confidenceText);
    if (!confidence.success) fail('confidence', `'${confidenceText}' is not confirmed, probable or uncertain`);
    if (!ok) continue;
    // A new group unit starts with its earliest membership.
    const created = newUnits.get(group);
    if (created && validFrom < created.validFrom) created.validFrom = validFrom;
    memberships.push({
      group,
      member,
      validFrom,
      validTo: validTo || null,
      confidence: (confidence.data ?? 'confirmed') as Confidence,
    });
  }
  if (grid.rows.length === 0 || (memberships.length === 0 && problems.length === 0))
    problems.push('the file has no memberships');
  if (problems.length) throw fileProblems(fileName, problems);

  const typeOf = (code: string) => (byCode.get(code) ?? newUnits.get(code))?.type as OrgUnitType;
  const memberTypes = [...new Set(memberships.map((m) => typeOf(m.member)))];
  const grouping: Grouping = {
    id: options.id,
    name: options.name ?? existing?.name ?? { da: options.id, en: options.id },
    groupType: groupType as OrgUnitType,
    memberTypes,
    partitionsPersons: options.partitionsPersons ?? existing?.partitionsPersons ?? true,
    parentOfMembers: options.parentOfMembers ?? existing?.parentOfMembers ?? false,
    source: { document: fileName },
    memberships,
  };
  // Grouping-level checks (a member in two groups of a partition, group types) named by row and column.
  const rowOf = grid.rows.filter((r) => !r.cells.every((c) => c.trim() === '')).map((r) => r.row);
  const asRow = (i: string) => `row ${rowOf[Number(i)] ?? '?'}`;
  const structural = checkGrouping(grouping, [...units, ...newUnits.values()]).map(
    (p) =>
      `${p.path.replace(/^memberships\[(\d+)\](?:\.(\w+))?$/, (_, i: string, field?: string) => `${asRow(i)}${field ? `, column '${field}'` : ''}`)}: ${p.message.replace(/memberships\[(\d+)\]/, (_, i: string) => asRow(i))}`,
  );
  if (structural.length) throw fileProblems(fileName, structural);
  return { grouping, newUnits: [...newUnits.values()] };
}

function fileProblems(fileName: string, problems: string[]): UserError {
  return new UserError(`${fileName} has ${problems.length} problem(s); nothing was stored`, {
    details: problems.slice(0, 200),
    hint: 'Columns: group, member, valid_from (YYYY-MM-DD), and optionally valid_to, confidence, group_name, group_parent. See docs/catalogue.md.',
  });
}
