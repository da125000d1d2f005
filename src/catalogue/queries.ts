// Small lookups over a loaded catalogue.
import type { GoalSet, OrgUnit, OrgUnitGroup, Scope, Source, Target } from './schema.js';

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
