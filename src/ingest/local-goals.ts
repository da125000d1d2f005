// Goals that a region or municipality adds under the national ones, validated like the catalogue.
import { z } from 'zod';
import { type GoalLink, type GoalSet, goalLinkSchema, goalSetSchema } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';

const bodySchema = z.object({ goalSet: goalSetSchema, links: z.array(goalLinkSchema).default([]) }).strict();

/**
 * Validates and stores a local goal set with its links to other goals (e.g. a municipal goal → a national one).
 * @example await addLocalGoalSet(store, { goalSet: { schemaVersion: 1, id: 'aarhus-2025', … }, links: [...] })
 */
export async function addLocalGoalSet(
  store: Store,
  body: unknown,
  options: { allowNational?: boolean } = {},
): Promise<{ goalSet: GoalSet; links: GoalLink[] }> {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    throw new UserError('The goal set does not follow the catalogue schema', {
      status: 422,
      details: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`),
    });
  }
  const { goalSet, links } = parsed.data;
  const problems: string[] = [];
  if (goalSet.level === 'national' && !options.allowNational)
    problems.push('goalSet.level: local goal sets are regional or municipal');
  const indicators = new Set((await store.listIndicators()).map((i) => i.id));
  const units = await store.listOrgUnits();
  const unitCodes = new Set(units.map((u) => u.code));
  const groupIds = new Set((await store.listGroups()).map((g) => g.id));
  if (!unitCodes.has(goalSet.unit)) problems.push(`goalSet.unit: unknown unit '${goalSet.unit}'`);
  const existingSets = await store.listGoalSets();
  const otherGoals = new Set(existingSets.filter((s) => s.id !== goalSet.id).flatMap((s) => s.goals.map((g) => g.id)));
  const otherTargets = new Set(
    (await store.listTargets()).filter((t) => t.goalSetId !== goalSet.id).map((t) => t.target.id),
  );
  goalSet.goals.forEach((goal, g) => {
    if (otherGoals.has(goal.id)) problems.push(`goalSet.goals[${g}].id: goal id '${goal.id}' is already used`);
    goal.indicators.forEach((ref, i) => {
      if (!indicators.has(ref)) problems.push(`goalSet.goals[${g}].indicators[${i}]: unknown indicator '${ref}'`);
    });
    goal.targets.forEach((t, i) => {
      if (!indicators.has(t.indicator))
        problems.push(`goalSet.goals[${g}].targets[${i}].indicator: unknown indicator '${t.indicator}'`);
      if (otherTargets.has(t.id))
        problems.push(`goalSet.goals[${g}].targets[${i}].id: target id '${t.id}' is already used`);
      for (const key of ['units', 'withMembers'] as const) {
        t.scope[key]?.forEach((code, u) => {
          if (!unitCodes.has(code))
            problems.push(`goalSet.goals[${g}].targets[${i}].scope.${key}[${u}]: unknown unit '${code}'`);
        });
      }
      t.scope.groups?.forEach((id, u) => {
        if (!groupIds.has(id))
          problems.push(`goalSet.goals[${g}].targets[${i}].scope.groups[${u}]: unknown group '${id}'`);
      });
    });
  });
  const allGoals = new Set([...otherGoals, ...goalSet.goals.map((g) => g.id)]);
  links.forEach((link, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!allGoals.has(link[end])) problems.push(`links[${i}].${end}: unknown goal '${link[end]}'`);
    }
  });
  if (problems.length)
    throw new UserError(`The goal set '${goalSet.id}' has ${problems.length} problem(s)`, {
      status: 422,
      details: problems,
    });
  await store.saveLocalGoalSet(goalSet, links);
  return { goalSet, links };
}
