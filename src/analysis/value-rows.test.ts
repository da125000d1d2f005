import { describe, expect, it } from 'vitest';
import { ownRegions } from './value-rows.js';

describe('ownRegions', () => {
  const units = [
    { code: 'DK', type: 'nation', parent: null },
    { code: '1084', type: 'region', parent: 'DK' },
    { code: '101', type: 'municipality', parent: '1084' },
    { code: 'AH8401', type: 'hospital', parent: '1084' },
    { code: 'GP1', type: 'gp-practice', parent: '101' },
    { code: 'HC8401', type: 'health-cluster', parent: null },
  ];
  const regionOf = ownRegions(units);

  it("gives a municipality's and a hospital's parent region, and a practice its municipality's region", () => {
    expect(regionOf('101')).toBe('1084');
    expect(regionOf('AH8401')).toBe('1084');
    expect(regionOf('GP1')).toBe('1084');
  });

  it('gives a unit without a region above it its parent (a region: Denmark), and an unknown one none', () => {
    expect(regionOf('1084')).toBe('DK');
    expect(regionOf('DK')).toBeNull();
    expect(regionOf('HC8401')).toBeNull();
    expect(regionOf('nowhere')).toBeNull();
  });

  it('stops on a cycle of parents', () => {
    const looped = ownRegions([
      { code: 'A', type: 'municipality', parent: 'B' },
      { code: 'B', type: 'municipality', parent: 'A' },
    ]);
    expect(looped('A')).toBe('B');
  });
});
