// The unit structure over time: which units are in force on a date, who is whose parent then, which units a
// scope covers, and whether groupings hold together.
import type { GoalSet, Grouping, OrgUnit, OrgUnitGroup, Scope, Target } from './schema.js';

/** Units with their groups (named sets) and groupings (dated memberships). */
export interface UnitStructure {
  units: readonly OrgUnit[];
  groups: readonly OrgUnitGroup[];
  groupings: readonly Grouping[];
}

/** True when a thing valid from `validFrom` to `validTo` (inclusive, null = open) is in force on `at`. */
export function inForce(item: { validFrom: string; validTo: string | null }, at: string): boolean {
  return item.validFrom <= at && (item.validTo === null || at <= item.validTo);
}

/**
 * The units in force on `at`, each with the parent it has on that date: a grouping marked `parentOfMembers`
 * overrides the catalogue parent while a membership lasts (from 2027 København's parent is Region Østdanmark).
 * @example unitsAt(structure, '2027-01-01').filter((u) => u.type === 'region').length // 4
 */
export function unitsAt(structure: Pick<UnitStructure, 'units' | 'groupings'>, at: string): OrgUnit[] {
  const parentAt = new Map<string, string>();
  for (const grouping of structure.groupings) {
    if (!grouping.parentOfMembers) continue;
    for (const m of grouping.memberships) if (inForce(m, at)) parentAt.set(m.member, m.group);
  }
  return structure.units
    .filter((u) => inForce(u, at))
    .map((u) => {
      const parent = parentAt.get(u.code);
      return parent === undefined ? u : { ...u, parent };
    });
}

/**
 * A unit and everything under it: its children by parent, the members of groupings where it is the group, and
 * theirs in turn, over every date (a region's health agreement covers the municipalities it ever held).
 */
export function withMembers(code: string, structure: Pick<UnitStructure, 'units' | 'groupings'>): Set<string> {
  const children = new Map<string, string[]>();
  const add = (parent: string, child: string) => {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  };
  for (const u of structure.units) if (u.parent) add(u.parent, u.code);
  for (const g of structure.groupings) for (const m of g.memberships) add(m.group, m.member);
  const found = new Set<string>([code]);
  const queue = [code];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** The codes a scope covers (see `scopeSchema`). */
export function resolveScope(scope: Scope, structure: UnitStructure): Set<string> {
  return new Set(scopeSet(scope, structure));
}

/** The codes a scope covers, shared by every caller with the same structure: never changed, never handed out. */
function scopeSet(scope: Scope, structure: UnitStructure): ReadonlySet<string> {
  return remembered(structure, `scope ${JSON.stringify(scope)}`, () => {
    const codes = new Set<string>(scope.units ?? []);
    for (const id of scope.groups ?? []) {
      for (const member of structure.groups.find((g) => g.id === id)?.members ?? []) codes.add(member);
    }
    for (const code of scope.withMembers ?? []) for (const c of withMembers(code, structure)) codes.add(c);
    if (scope.types?.length) for (const u of structure.units) if (scope.types.includes(u.type)) codes.add(u.code);
    return codes;
  });
}

/**
 * What has been worked out about one unit structure. The dashboard asks which units a target covers hundreds of
 * times per answer, each time with a new copy of the same stored lists (the same unit, group and grouping
 * objects): the answers are kept as long as the lists hold the same objects.
 */
interface Remembered {
  units: readonly OrgUnit[];
  groups: readonly OrgUnitGroup[];
  groupings: readonly Grouping[];
  answers: Map<string, unknown>;
}
const rememberedByFirstUnit = new WeakMap<OrgUnit, Remembered>();

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function remembered<T>(structure: UnitStructure, key: string, work: () => T): T {
  const first = structure.units[0];
  if (!first) return work();
  let memory = rememberedByFirstUnit.get(first);
  if (
    !memory ||
    !sameItems(memory.units, structure.units) ||
    !sameItems(memory.groups, structure.groups) ||
    !sameItems(memory.groupings, structure.groupings)
  ) {
    memory = { units: structure.units, groups: structure.groups, groupings: structure.groupings, answers: new Map() };
    rememberedByFirstUnit.set(first, memory);
  }
  if (memory.answers.has(key)) return memory.answers.get(key) as T;
  const answer = work();
  memory.answers.set(key, answer);
  return answer;
}

/** Where a goal set applies: its own `appliesTo`, else everywhere (national) or its unit with its members. */
export function appliesToOf(goalSet: Pick<GoalSet, 'appliesTo' | 'level' | 'unit'>): Scope | null {
  if (goalSet.appliesTo) return goalSet.appliesTo;
  return goalSet.level === 'national' ? null : { withMembers: [goalSet.unit] };
}

/**
 * The units a target applies to, in catalogue order: those in its own scope and in its goal set's.
 * @example targetUnits(midtjylland, target, structure).map((u) => u.code) // ['1082', '615', …] (not '101')
 */
export function targetUnits(
  goalSet: Pick<GoalSet, 'appliesTo' | 'level' | 'unit'> | undefined,
  target: Pick<Target, 'scope'>,
  structure: UnitStructure,
): OrgUnit[] {
  const setScope = goalSet ? appliesToOf(goalSet) : null;
  const units = remembered(structure, `target ${JSON.stringify([target.scope, setScope])}`, () => {
    const own = scopeSet(target.scope, structure);
    const agreed = setScope ? scopeSet(setScope, structure) : null;
    return structure.units.filter((u) => own.has(u.code) && (!agreed || agreed.has(u.code)));
  });
  return [...units];
}

/** Whether a target applies to the unit `code`: `targetUnits` as a lookup, for asking about one unit at a time. */
export function targetCovers(
  goalSet: Pick<GoalSet, 'appliesTo' | 'level' | 'unit'> | undefined,
  target: Pick<Target, 'scope'>,
  structure: UnitStructure,
  code: string,
): boolean {
  const setScope = goalSet ? appliesToOf(goalSet) : null;
  const codes = remembered(
    structure,
    `target codes ${JSON.stringify([target.scope, setScope])}`,
    () => new Set(targetUnits(goalSet, target, structure).map((u) => u.code)),
  );
  return codes.has(code);
}

/** Whether a goal set applies to a unit at all (for overviews: show a set only where it was agreed). */
export function goalSetAppliesTo(
  goalSet: Pick<GoalSet, 'appliesTo' | 'level' | 'unit'>,
  code: string,
  structure: UnitStructure,
): boolean {
  const scope = appliesToOf(goalSet);
  return scope === null || scopeSet(scope, structure).has(code);
}

/** One problem in a grouping, with the path inside it. */
export interface GroupingProblem {
  path: string;
  message: string;
}

/**
 * Checks a grouping against the units: known group and member codes of the declared types, dates in order,
 * and — for a grouping that partitions persons — no member in two groups on the same date.
 */
export function checkGrouping(grouping: Grouping, units: readonly OrgUnit[]): GroupingProblem[] {
  const problems: GroupingProblem[] = [];
  const byCode = new Map(units.map((u) => [u.code, u]));
  grouping.memberships.forEach((m, i) => {
    const at = `memberships[${i}]`;
    const group = byCode.get(m.group);
    if (!group) problems.push({ path: `${at}.group`, message: `unknown unit '${m.group}'` });
    else if (group.type !== grouping.groupType)
      problems.push({
        path: `${at}.group`,
        message: `'${m.group}' is a ${group.type}, but this grouping's groups are of type ${grouping.groupType}`,
      });
    const member = byCode.get(m.member);
    if (!member) problems.push({ path: `${at}.member`, message: `unknown unit '${m.member}'` });
    else if (!grouping.memberTypes.includes(member.type))
      problems.push({
        path: `${at}.member`,
        message: `'${m.member}' is a ${member.type}; members must be of type ${grouping.memberTypes.join(' or ')}`,
      });
    if (m.validTo !== null && m.validTo < m.validFrom)
      problems.push({ path: `${at}.validTo`, message: `validTo ${m.validTo} is before validFrom ${m.validFrom}` });
  });
  if (grouping.partitionsPersons) {
    const seen = new Map<string, number[]>();
    grouping.memberships.forEach((m, i) => {
      for (const j of seen.get(m.member) ?? []) {
        const other = grouping.memberships[j];
        if (other && overlaps(m, other)) {
          problems.push({
            path: `memberships[${i}]`,
            message: `'${m.member}' is in '${other.group}' (memberships[${j}]) and '${m.group}' at the same time, but the grouping partitions persons`,
          });
        }
      }
      seen.set(m.member, [...(seen.get(m.member) ?? []), i]);
    });
  }
  return problems;
}

function overlaps(
  a: { validFrom: string; validTo: string | null },
  b: { validFrom: string; validTo: string | null },
): boolean {
  return (a.validTo === null || b.validFrom <= a.validTo) && (b.validTo === null || a.validFrom <= b.validTo);
}

/** A span of dates over which the unit structure does not change, with how many units of each type it has. */
export interface StructurePeriod {
  from: string;
  to: string | null;
  counts: Partial<Record<OrgUnit['type'], number>>;
}

/**
 * The successive structures: a new one starts whenever a unit or membership starts or ends.
 * @example structurePeriods(structure).at(-1) // { from: '2027-01-01', to: null, counts: { region: 4, … } }
 */
export function structurePeriods(structure: Pick<UnitStructure, 'units' | 'groupings'>): StructurePeriod[] {
  const starts = new Set<string>();
  const spans = [...structure.units, ...structure.groupings.flatMap((g) => g.memberships)];
  for (const s of spans) {
    starts.add(s.validFrom);
    if (s.validTo !== null) starts.add(nextDay(s.validTo));
  }
  const sorted = [...starts].sort();
  return sorted.map((from, i) => {
    const next = sorted[i + 1];
    const counts: StructurePeriod['counts'] = {};
    for (const u of unitsAt(structure, from)) counts[u.type] = (counts[u.type] ?? 0) + 1;
    return { from, to: next ? previousDay(next) : null, counts };
  });
}

function nextDay(date: string): string {
  return shiftDay(date, 1);
}

function previousDay(date: string): string {
  return shiftDay(date, -1);
}

function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
