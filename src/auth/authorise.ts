// The one authorisation rule set: what each role may do, and to which unit. Routes and commands ask here.
import type { Principal } from './principal.js';
import type { UnitScope } from './unit-scope.js';

/** Things that change data. */
export type Action =
  | 'import' // import values of a unit
  | 'goal-set' // add or replace a regional or municipal goal set of a unit
  | 'goal-set.national' // a national (catalogue-level) goal set
  | 'administer'; // users, tokens, region rights, audit, restore

export type Decision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether a principal may perform an action, on a unit where the action concerns one.
 * @example authorise(editor, 'import', scope, '791') // { allowed: true }
 */
export function authorise(principal: Principal, action: Action, scope?: UnitScope, unit?: string): Decision {
  if (principal.role === 'admin') return { allowed: true };
  if (action === 'administer' || action === 'goal-set.national')
    return { allowed: false, reason: `${principal.name} is ${principal.role}; this needs an admin` };
  if (principal.role !== 'editor')
    return { allowed: false, reason: `${principal.name} is a viewer; writing needs an editor or admin` };
  if (unit !== undefined && !(scope?.includes(unit) ?? false))
    return {
      allowed: false,
      reason: `${principal.name} may write ${scope?.description ?? `unit ${principal.unit}`}, not unit ${unit}`,
    };
  return { allowed: true };
}
