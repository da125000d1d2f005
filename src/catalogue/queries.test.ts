import { describe, expect, it } from 'vitest';
import { geographyOf } from './queries.js';
import type { Grouping, OrgUnit } from './schema.js';

const unit = (code: string, type: OrgUnit['type'], parent: string | null): OrgUnit =>
  ({ code, name: code, type, parent, validFrom: '2007-01-01', validTo: null }) as OrgUnit;

const units = [
  unit('DK', 'nation', null),
  unit('1084', 'region', 'DK'),
  unit('1085', 'region', 'DK'),
  unit('OST', 'region', 'DK'),
  unit('101', 'municipality', '1084'),
  unit('147', 'municipality', '1084'),
  unit('259', 'municipality', '1085'),
  unit('HC1', 'health-cluster', '1084'),
  unit('GP1', 'gp-practice', '101'),
  unit('GP2', 'gp-practice', '147'),
];
const membership = (group: string, member: string, validFrom = '2019-01-01') => ({
  group,
  member,
  validFrom,
  validTo: null,
  confidence: 'confirmed' as const,
});
const grouping = (g: Partial<Grouping> & Pick<Grouping, 'id' | 'memberships'>): Grouping =>
  ({
    name: { da: g.id },
    groupType: 'region',
    memberTypes: ['municipality'],
    partitionsPersons: true,
    parentOfMembers: false,
    ...g,
  }) as Grouping;

describe('geographyOf', () => {
  it('keeps each municipality in its region when it also groups its general practices', () => {
    const { parents, partitions } = geographyOf(
      units,
      [],
      [
        grouping({
          id: 'regions-2027',
          memberships: ['101', '147', '259'].map((m) => membership('OST', m, '2027-01-01')),
        }),
        grouping({
          id: 'clusters',
          groupType: 'health-cluster',
          memberships: [membership('HC1', '101'), membership('HC1', '147')],
        }),
        grouping({
          id: 'gp-practices',
          groupType: 'municipality',
          memberTypes: ['gp-practice'],
          partitionsPersons: false,
          memberships: [membership('101', 'GP1'), membership('147', 'GP2')],
        }),
      ],
    );
    // Region = Σ municipalities and Denmark = Σ the regions of before 2027; Region Østdanmark and the cluster are
    // partitions of their own, not children of Denmark or the region.
    expect(parents).toEqual([
      { code: '1084', parent: 'DK' },
      { code: '1085', parent: 'DK' },
      { code: '101', parent: '1084' },
      { code: '147', parent: '1084' },
      { code: '259', parent: '1085' },
    ]);
    expect(partitions).toEqual([
      { total: 'OST', members: ['101', '147', '259'] },
      { total: 'HC1', members: ['101', '147'] },
    ]);
  });
});
