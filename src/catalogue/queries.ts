// Small lookups over a loaded catalogue.
import type { GoalSet, Grouping, OrgUnit, OrgUnitGroup, Scope, Source, Target } from './schema.js';

/**
 * A citation as a reader knows it: the document's title, year and section (never an internal id).
 * @example citationOf({ document: 'x', citation: 'Aftale om nationale mål for sundhedsvæsenet (2016), punkt 1' })
 */
export function citationOf(source: Source): string {
  return source.citation ?? [source.document, source.section].filter(Boolean).join(', ');
}

/** Every target in the catalogue with the goal set and goal it belongs to. */
export function targetsOf(goalSets: readonly GoalSet[]): { goalSetId: string; goalId: string; target: Target }[] {
  return goalSets.flatMap((set) =>
    set.goals.flatMap((goal) => goal.targets.map((target) => ({ goalSetId: set.id, goalId: goal.id, target }))),
  );
}

/** The units a target's scope covers. */
export function unitsInScope(scope: Scope, units: readonly OrgUnit[]): OrgUnit[] {
  return units.filter((u) => scope.units?.includes(u.code) || scope.types?.includes(u.type));
}

/** The groups whose members partition a unit (those with a `totalUnit`), as additive relations for disclosure control. */
export function partitionsOf(groups: readonly OrgUnitGroup[]): { total: string; members: string[] }[] {
  return groups.flatMap((g) =>
    g.totalUnit ? [{ total: g.totalUnit, members: g.members.filter((m) => m !== g.totalUnit) }] : [],
  );
}

/** The unit types whose parent relation adds up persons: municipality → region → nation. */
const ADDITIVE_PARENT_TYPES = new Set<string>(['municipality', 'region']);

/**
 * The geography of disclosure control: each unit's parent where persons add up (municipalities in regions,
 * regions in the nation; not hospitals, practices or clusters, which are not where persons are counted), and
 * the partitions: groups with a `totalUnit`, and every group unit of a grouping that partitions persons (Region
 * Østdanmark, the health clusters) as the sum of its members. Group units of groupings are left out of the
 * parent relations, so Region Østdanmark is not counted twice in Denmark. A group whose members moved between
 * groups or leave at different dates adds no relation: its total is not the sum of one fixed set of members.
 */
export function geographyOf(
  units: readonly OrgUnit[],
  groups: readonly OrgUnitGroup[],
  groupings: readonly Grouping[],
): { parents: { code: string; parent: string | null }[]; partitions: { total: string; members: string[] }[] } {
  // Only groups of units that count persons (Region Østdanmark, the health clusters) would be counted twice; a
  // municipality that groups its general practices stays in its region.
  const groupUnits = new Set(
    groupings
      .filter((g) => g.memberTypes.some((type) => ADDITIVE_PARENT_TYPES.has(type)))
      .flatMap((g) => g.memberships.map((m) => m.group)),
  );
  const parents = units
    .filter((u) => ADDITIVE_PARENT_TYPES.has(u.type) && !groupUnits.has(u.code))
    .map((u) => ({ code: u.code, parent: u.parent }));
  const partitions = partitionsOf(groups);
  for (const grouping of groupings) {
    // Groups of general practices (kvalitetsklynger) are closed after the patterns (closePracticeSums), not in them.
    if (!grouping.partitionsPersons || grouping.memberTypes.every((type) => type === 'gp-practice')) continue;
    const groupsOf = new Map<string, Set<string>>();
    for (const m of grouping.memberships) groupsOf.set(m.member, (groupsOf.get(m.member) ?? new Set()).add(m.group));
    const byGroup = new Map<string, typeof grouping.memberships>();
    for (const m of grouping.memberships) byGroup.set(m.group, [...(byGroup.get(m.group) ?? []), m]);
    for (const [group, memberships] of byGroup) {
      const fixed =
        memberships.every((m) => groupsOf.get(m.member)?.size === 1) &&
        new Set(memberships.map((m) => m.validTo ?? '')).size === 1 &&
        new Set(memberships.map((m) => m.member)).size === memberships.length;
      if (fixed) partitions.push({ total: group, members: memberships.map((m) => m.member) });
    }
  }
  return { parents, partitions };
}
