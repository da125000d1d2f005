import { describe, expect, it } from 'vitest';
import { partitionsOf } from '../catalogue/index.js';
import { axisVectors } from './null-vectors.js';
import { breakdownDimension, periodDimension, unitDimension } from './relations.js';

const named = (coords: string[], relations: { total: number; parts: number[] }[]) =>
  relations.map((r) => `${coords[r.total]} = ${r.parts.map((p) => coords[p]).join(' + ')}`);

describe('relations derived from the data', () => {
  it('sums each breakdown dimension to the total, whatever its prefix', () => {
    const d = breakdownDimension(['total', 'sex:M', 'sex:F', 'income:low', 'income:high', 'education:basic']);
    expect(named(d.coords, d.relations)).toEqual([
      'total = sex:M + sex:F',
      'total = income:low + income:high',
      'total = education:basic',
    ]);
  });

  it('sums quarters to their year and months to their quarter; weeks form none', () => {
    const d = periodDimension(['2024', '2024Q1', '2024Q2', '2024M01', '2024M02', '2024M04', '2023', '2023W05']);
    expect(named(d.coords, d.relations)).toEqual([
      '2024 = 2024Q1 + 2024Q2',
      '2024Q1 = 2024M01 + 2024M02',
      '2024Q2 = 2024M04',
    ]);
  });

  it('sums children to their parent and members to a partition total', () => {
    const d = unitDimension(
      ['DK', 'R1', 'A', 'B', 'K1'],
      [
        { code: 'R1', parent: 'DK' },
        { code: 'A', parent: 'R1' },
        { code: 'B', parent: 'R1' },
        { code: 'C', parent: 'R1' },
      ],
      [{ total: 'K1', members: ['A', 'B'] }],
    );
    expect(named(d.coords, d.relations)).toEqual(['DK = R1', 'R1 = A + B', 'K1 = A + B']);
  });
});

describe('catalogue groups as partitions', () => {
  it('makes a relation of every group with a totalUnit, and none of the others', () => {
    const group = { name: { da: 'K', en: 'K' }, validFrom: '2027-01-01', validTo: null } as const;
    expect(
      partitionsOf([
        { ...group, id: 'cluster-k1', type: 'health-cluster', members: ['K1', 'A', 'B'], totalUnit: 'K1' },
        { ...group, id: 'agreement', type: 'health-agreement', members: ['R1', 'A', 'B'] },
      ]),
    ).toEqual([{ total: 'K1', members: ['A', 'B'] }]);
  });
});

describe('axis null vectors', () => {
  it('balance every relation of the axis', () => {
    const d = unitDimension(
      ['DK', 'R1', 'R2', 'A', 'B', 'C'],
      [
        { code: 'R1', parent: 'DK' },
        { code: 'R2', parent: 'DK' },
        { code: 'A', parent: 'R1' },
        { code: 'B', parent: 'R1' },
        { code: 'C', parent: 'R2' },
      ],
      [],
    );
    const vectors = axisVectors(d, d.coords.indexOf('A'));
    expect(vectors.length).toBeGreaterThan(1);
    for (const v of vectors) {
      const sign = new Map(v);
      expect(sign.get(d.coords.indexOf('A'))).toBe(1);
      for (const r of d.relations) {
        const parts = r.parts.reduce((s, p) => s + (sign.get(p) ?? 0), 0);
        expect(parts).toBe(sign.get(r.total) ?? 0);
      }
    }
    // The sibling pattern comes first: A up, B down.
    expect(vectors[0]).toEqual([
      [d.coords.indexOf('A'), 1],
      [d.coords.indexOf('B'), -1],
    ]);
  });
});
