// Which units a principal may write: its own unit; a region's editors also its municipalities where an admin
// granted the region that right; admins every unit.
import type { OrgUnit } from '../catalogue/index.js';
import type { RegionRight } from '../store/index.js';
import type { Principal } from './principal.js';

export interface UnitScope {
  /** True when the principal may write values or goal sets of this unit. */
  includes(unit: string): boolean;
  /** A short description for messages, e.g. "unit 791" or "region 1082 and its municipalities". */
  description: string;
}

/**
 * The units a principal may write.
 * @example unitScope(viborgEditor, units, rights).includes('101') // false
 */
export function unitScope(principal: Principal, units: readonly OrgUnit[], rights: readonly RegionRight[]): UnitScope {
  if (principal.role === 'admin') return { includes: () => true, description: 'every unit (admin)' };
  if (principal.role !== 'editor') return { includes: () => false, description: 'no unit (viewers read only)' };
  const own = principal.unit;
  const regionMayWriteMunicipalities =
    units.some((u) => u.code === own && u.type === 'region') && rights.some((r) => r.region === own);
  const children = new Set(
    regionMayWriteMunicipalities
      ? units.filter((u) => u.parent === own && u.type === 'municipality').map((u) => u.code)
      : [],
  );
  return {
    includes: (unit) => unit === own || children.has(unit),
    description: children.size > 0 ? `unit ${own} and its ${children.size} municipalities` : `unit ${own}`,
  };
}
