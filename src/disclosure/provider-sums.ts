// The sums over providers an outsider can form from published values: Denmark = Σ hospitals, Denmark = Σ
// practices, a municipality = Σ the practices grouped under it. They are candidates: each table keeps those
// that hold up to a remainder (withRemainders).
import { laterEnd } from '../domain/period.js';
import type { PracticeSum } from './practice-sums.js';
import type { UnitPartition } from './relations.js';

/** Provider unit types whose sums disclosure control uses by default (compute and every import). */
export const DEFAULT_PROVIDER_TYPES: readonly string[] = ['hospital', 'gp-practice'];

/**
 * The provider sums of a unit structure for the given provider types (`hospital`, `gp-practice`): the nation
 * over every unit of each type, and, for practices with `byMunicipality`, each municipality over the practices a
 * grouping of practices by municipality lists under it. Compute and imports leave `byMunicipality` off: on
 * small registries the patterns it needs run through Denmark's yearly totals (docs/disclosure.md).
 * @example providerSumsOf(units, groupings) // [{ total: 'DK', members: ['AH8201', …] }, { total: '101', members: ['GP0001', …] }, …]
 */
export function providerSumsOf(
  units: readonly { code: string; type: string }[],
  groupings: readonly {
    groupType: string;
    memberTypes: readonly string[];
    memberships: readonly { group: string; member: string }[];
  }[],
  types: readonly string[] = DEFAULT_PROVIDER_TYPES,
  byMunicipality = false,
): UnitPartition[] {
  const nation = units.find((u) => u.type === 'nation')?.code;
  const sums: UnitPartition[] = [];
  if (nation)
    for (const type of types) {
      const members = units.filter((u) => u.type === type).map((u) => u.code);
      if (members.length) sums.push({ total: nation, members });
    }
  if (byMunicipality && types.includes('gp-practice')) sums.push(...practiceSumsOf(groupings));
  return sums;
}

/**
 * Each municipality = Σ the practices a grouping of practices by municipality lists under it, and each
 * kvalitetsklynge (`gp-cluster`) = Σ its practices, a practice counted until its membership ends (as the engine
 * counts it in a kvalitetsklynge; an outsider knows the memberships). Compute and imports close these sums after the patterns are chosen (closePracticeSums) rather than
 * using them in the patterns.
 * @example practiceSumsOf(groupings) // [{ total: '101', members: ['GP0001', …] }, { total: 'KK01', members: […], until: Map {…} }, …]
 */
export function practiceSumsOf(
  groupings: readonly {
    groupType: string;
    memberTypes: readonly string[];
    memberships: readonly { group: string; member: string; validTo?: string | null }[];
  }[],
): PracticeSum[] {
  const sums: PracticeSum[] = [];
  for (const grouping of groupings) {
    if (!grouping.memberTypes.includes('gp-practice')) continue;
    if (grouping.groupType !== 'municipality' && grouping.groupType !== 'gp-cluster') continue;
    const byGroup = new Map<string, Map<string, string | null>>();
    for (const m of grouping.memberships) {
      const members = byGroup.get(m.group) ?? new Map<string, string | null>();
      const end = m.validTo ?? null;
      const known = members.get(m.member);
      // A practice with two memberships of one group counts until the later end (null: no end).
      members.set(m.member, known === undefined ? end : laterEnd(known, end));
      byGroup.set(m.group, members);
    }
    for (const [total, members] of byGroup) {
      const until = new Map([...members].filter((e): e is [string, string] => e[1] !== null));
      sums.push({
        total,
        members: [...members.keys()],
        ...(until.size ? { until } : {}),
        ...(grouping.groupType === 'gp-cluster' ? { wholeOnly: true } : {}),
      });
    }
  }
  return sums;
}
