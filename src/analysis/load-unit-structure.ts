// The stored unit structure (units, groups, groupings) in one call, for scope and membership questions.
import type { UnitStructure } from '../catalogue/index.js';
import type { Store } from '../store/index.js';

/** Every stored unit (whatever its dates), group and grouping. */
export async function loadUnitStructure(store: Store): Promise<UnitStructure> {
  const [units, groups, groupings] = await Promise.all([
    store.listOrgUnits(),
    store.listGroups(),
    store.listGroupings(),
  ]);
  return { units, groups, groupings };
}
