import { describe, expect, it } from 'vitest';
import { unitDimension } from './relations.js';
import { repairedVectors } from './repaired-vectors.js';

describe('repairedVectors', () => {
  // DK = A + B; A = GP1 + GP2, B = GP3 + GP4 and DK = GP1 + GP2 + GP3 + GP4 (sums over practices).
  const units = ['DK', 'A', 'B', 'GP1', 'GP2', 'GP3', 'GP4'];
  const dim = unitDimension(
    units,
    [
      { code: 'A', parent: 'DK' },
      { code: 'B', parent: 'DK' },
    ],
    [
      { total: 'DK', members: ['GP1', 'GP2', 'GP3', 'GP4'] },
      { total: 'A', members: ['GP1', 'GP2'] },
      { total: 'B', members: ['GP3', 'GP4'] },
    ],
  );
  const at = (code: string) => units.indexOf(code);
  const named = (v: readonly (readonly [number, number])[]) => v.map(([c, s]) => `${units[c]}${s > 0 ? '+' : '-'}`);
  /** Σ parts − total of every relation under the vector's signs (all 0 for a null vector). */
  const imbalances = (v: readonly (readonly [number, number])[]) => {
    const sign = new Map(v.map(([c, s]) => [c, s]));
    return dim.relations.map((r) => r.parts.reduce((n, p) => n + (sign.get(p) ?? 0), 0) - (sign.get(r.total) ?? 0));
  };

  it('completes a sibling pair of municipalities with a practice of each, which keeps Denmark = Σ practices', () => {
    // From {A +1, B −1}: A = Σ its practices needs a practice of A up (GP1, the first); B's needs one of B down, and
    // GP3 also balances Denmark = Σ practices, which GP1 had unbalanced.
    const [first] = repairedVectors(
      dim,
      [
        [
          [at('A'), 1],
          [at('B'), -1],
        ],
      ],
      () => true,
    );
    expect(named(first ?? [])).toEqual(['A+', 'B-', 'GP1+', 'GP3-']);
    expect(imbalances(first ?? [])).toEqual([0, 0, 0, 0]);
  });

  it('pairs a practice with another of its municipality, and uses only usable units', () => {
    const vectors = repairedVectors(dim, [[[at('GP1'), 1]]], (c) => c !== at('GP2'));
    // GP2 is not usable, so GP1 must move with A, and A with B and one of B's practices… and Denmark stays.
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      expect(v.some(([c]) => c === at('GP2'))).toBe(false);
      expect(imbalances(v)).toEqual([0, 0, 0, 0]);
    }
    expect(named(repairedVectors(dim, [[[at('GP1'), 1]]], () => true)[0] ?? [])).toEqual(['GP1+', 'GP2-']);
  });
});
