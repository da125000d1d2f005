import { describe, expect, it } from 'vitest';
import type { Grouping, OrgUnit, OrgUnitGroup } from './schema.js';
import { checkGrouping, resolveScope, structurePeriods, targetUnits, unitsAt, withMembers } from './unit-structure.js';

// A hand-made country: two regions A and B merge into C from 2027; municipality 3 belongs to A, 4 to B, 5 to D.
const unit = (
  code: string,
  type: OrgUnit['type'],
  parent: string | null,
  validFrom = '2007-01-01',
  validTo: string | null = null,
): OrgUnit => ({
  code,
  name: code,
  type,
  parent,
  validFrom,
  validTo,
});
const units: OrgUnit[] = [
  unit('DK', 'nation', null),
  unit('A', 'region', 'DK', '2007-01-01', '2026-12-31'),
  unit('B', 'region', 'DK', '2007-01-01', '2026-12-31'),
  unit('C', 'region', 'DK', '2027-01-01'),
  unit('D', 'region', 'DK'),
  unit('3', 'municipality', 'A'),
  unit('4', 'municipality', 'B'),
  unit('5', 'municipality', 'D'),
  unit('H1', 'hospital', 'A'),
];
const merger: Grouping = {
  id: 'merger',
  name: { da: 'x', en: 'x' },
  groupType: 'region',
  memberTypes: ['municipality'],
  partitionsPersons: true,
  parentOfMembers: true,
  memberships: [
    { group: 'C', member: '3', validFrom: '2027-01-01', validTo: null, confidence: 'confirmed' },
    { group: 'C', member: '4', validFrom: '2027-01-01', validTo: null, confidence: 'confirmed' },
  ],
};
const groups: OrgUnitGroup[] = [
  {
    id: 'agreement-a',
    name: { da: 'a', en: 'a' },
    type: 'health-agreement',
    members: ['A', '3'],
    validFrom: '2007-01-01',
    validTo: null,
  },
];
const structure = { units, groups, groupings: [merger] };

describe('the unit structure on a date', () => {
  it('has regions A, B, D up to 2026 and C, D from 2027, with the parents then', () => {
    const at2026 = unitsAt(structure, '2026-12-31');
    const at2027 = unitsAt(structure, '2027-01-01');
    expect(at2026.filter((u) => u.type === 'region').map((u) => u.code)).toEqual(['A', 'B', 'D']);
    expect(at2027.filter((u) => u.type === 'region').map((u) => u.code)).toEqual(['C', 'D']);
    expect(at2026.find((u) => u.code === '4')?.parent).toBe('B');
    expect(at2027.find((u) => u.code === '4')?.parent).toBe('C');
    expect(at2027.find((u) => u.code === '5')?.parent).toBe('D');
  });

  it('splits time into structures where anything starts or ends', () => {
    expect(structurePeriods(structure)).toEqual([
      { from: '2007-01-01', to: '2026-12-31', counts: { nation: 1, region: 3, municipality: 3, hospital: 1 } },
      { from: '2027-01-01', to: null, counts: { nation: 1, region: 2, municipality: 3, hospital: 1 } },
    ]);
  });
});

describe('scopes', () => {
  it('resolves units, groups, a unit with its members, and types', () => {
    expect([...resolveScope({ groups: ['agreement-a'] }, structure)]).toEqual(['A', '3']);
    expect([...withMembers('A', structure)].sort()).toEqual(['3', 'A', 'H1']);
    expect([...withMembers('C', structure)].sort()).toEqual(['3', '4', 'C']);
    expect([...resolveScope({ types: ['region'], units: ['5'] }, structure)].sort()).toEqual(['5', 'A', 'B', 'C', 'D']);
  });

  it("keeps a regional goal set's targets within where it was agreed", () => {
    const target = { scope: { types: ['region', 'municipality'] as OrgUnit['type'][] } };
    const regional = { level: 'regional' as const, unit: 'A' };
    expect(targetUnits(regional, target, structure).map((u) => u.code)).toEqual(['A', '3']);
    const national = { level: 'national' as const, unit: 'DK' };
    expect(targetUnits(national, target, structure).map((u) => u.code)).toEqual(['A', 'B', 'C', 'D', '3', '4', '5']);
    const explicit = { level: 'regional' as const, unit: 'A', appliesTo: { units: ['3'] } };
    expect(targetUnits(explicit, target, structure).map((u) => u.code)).toEqual(['3']);
  });

  it('answers anew when the structure holds other units, and hands out answers the caller may change', () => {
    const target = { scope: { types: ['municipality'] as OrgUnit['type'][] } };
    const national = { level: 'national' as const, unit: 'DK' };
    const first = targetUnits(national, target, structure);
    expect(first.map((u) => u.code)).toEqual(['3', '4', '5']);
    first.pop();
    // A copy of the same lists (as a store hands out) gives the same answer, untouched by the caller above.
    const copy = { units: [...structure.units], groups: [...structure.groups], groupings: [...structure.groupings] };
    expect(targetUnits(national, target, copy).map((u) => u.code)).toEqual(['3', '4', '5']);
    // The same first unit with a unit more (a later data version): the new unit is covered.
    const grown = { ...copy, units: [...structure.units, unit('6', 'municipality', 'D')] };
    expect(targetUnits(national, target, grown).map((u) => u.code)).toEqual(['3', '4', '5', '6']);
    const moved = {
      ...copy,
      units: structure.units.map((u) => (u.code === '5' ? { ...u, type: 'hospital' as const } : u)),
    };
    expect(targetUnits(national, target, moved).map((u) => u.code)).toEqual(['3', '4']);
    const scope = resolveScope({ withMembers: ['A'] }, structure);
    scope.add('X');
    expect([...resolveScope({ withMembers: ['A'] }, structure)].sort()).toEqual(['3', 'A', 'H1']);
  });
});

describe('grouping checks', () => {
  it('finds a member in two groups at once in a partition, unknown units and wrong types', () => {
    const broken: Grouping = {
      ...merger,
      memberships: [
        ...merger.memberships,
        { group: 'D', member: '3', validFrom: '2030-01-01', validTo: null, confidence: 'confirmed' },
        { group: 'C', member: 'H1', validFrom: '2027-01-01', validTo: null, confidence: 'confirmed' },
        { group: '3', member: 'X', validFrom: '2027-01-01', validTo: '2026-01-01', confidence: 'confirmed' },
      ],
    };
    expect(checkGrouping(broken, units)).toEqual([
      { path: 'memberships[3].member', message: "'H1' is a hospital; members must be of type municipality" },
      { path: 'memberships[4].group', message: "'3' is a municipality, but this grouping's groups are of type region" },
      { path: 'memberships[4].member', message: "unknown unit 'X'" },
      { path: 'memberships[4].validTo', message: 'validTo 2026-01-01 is before validFrom 2027-01-01' },
      {
        path: 'memberships[2]',
        message: "'3' is in 'C' (memberships[0]) and 'D' at the same time, but the grouping partitions persons",
      },
    ]);
    // Consecutive memberships are fine.
    const moved: Grouping = {
      ...merger,
      memberships: [
        { group: 'C', member: '3', validFrom: '2027-01-01', validTo: '2029-12-31', confidence: 'confirmed' },
        { group: 'D', member: '3', validFrom: '2030-01-01', validTo: null, confidence: 'confirmed' },
      ],
    };
    expect(checkGrouping(moved, units)).toEqual([]);
  });
});
