import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../catalogue/index.js';
import { authorise } from './authorise.js';
import type { Principal } from './principal.js';
import { unitScope } from './unit-scope.js';

const unit = (code: string, type: OrgUnit['type'], parent: string | null): OrgUnit => ({
  code,
  name: code,
  type,
  parent,
  validFrom: '2007-01-01',
  validTo: null,
});
// A small Denmark: Midtjylland with Viborg and Aarhus, Hovedstaden with København.
const UNITS = [
  unit('DK', 'nation', null),
  unit('1082', 'region', 'DK'),
  unit('791', 'municipality', '1082'),
  unit('751', 'municipality', '1082'),
  unit('1084', 'region', 'DK'),
  unit('101', 'municipality', '1084'),
];
const who = (role: Principal['role'], unitCode: string): Principal => ({
  userId: 1,
  name: `${role}-${unitCode}`,
  unit: unitCode,
  role,
  via: 'test',
});
const right = { region: '1082', grantedBy: 'admin', grantedAt: '2026-01-01T00:00:00.000Z' };
const writable = (p: Principal, rights = [right]) =>
  UNITS.map((u) => u.code).filter((code) => unitScope(p, UNITS, rights).includes(code));

describe('unitScope', () => {
  it('gives an editor its own unit only', () => {
    expect(writable(who('editor', '791'))).toEqual(['791']);
    expect(writable(who('editor', 'DK'))).toEqual(['DK']);
  });

  it("gives a region's editor its municipalities only with the region's right", () => {
    expect(writable(who('editor', '1082'), [])).toEqual(['1082']);
    expect(writable(who('editor', '1082'))).toEqual(['1082', '791', '751']);
    expect(writable(who('editor', '1084'))).toEqual(['1084']); // the right is Midtjylland's, not Hovedstaden's
  });

  it('gives viewers nothing and admins everything', () => {
    expect(writable(who('viewer', '791'))).toEqual([]);
    expect(writable(who('admin', '791'))).toEqual(['DK', '1082', '791', '751', '1084', '101']);
  });
});

describe('authorise', () => {
  const scope = (p: Principal) => unitScope(p, UNITS, [right]);
  it('lets editors import and add goal sets in their scope, and nothing else', () => {
    const editor = who('editor', '791');
    expect(authorise(editor, 'import', scope(editor), '791')).toEqual({ allowed: true });
    expect(authorise(editor, 'import', scope(editor), '101')).toMatchObject({ allowed: false });
    expect(authorise(editor, 'goal-set', scope(editor), '751')).toMatchObject({ allowed: false });
    expect(authorise(editor, 'goal-set.national')).toMatchObject({ allowed: false });
    expect(authorise(editor, 'administer')).toMatchObject({ allowed: false });
  });

  it('refuses viewers and allows admins', () => {
    expect(authorise(who('viewer', 'DK'), 'import', scope(who('viewer', 'DK')), 'DK')).toMatchObject({
      allowed: false,
    });
    expect(authorise(who('admin', 'DK'), 'administer')).toEqual({ allowed: true });
    expect(authorise(who('admin', '791'), 'import', scope(who('admin', '791')), '101')).toEqual({ allowed: true });
  });
});
