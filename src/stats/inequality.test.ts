// SII and RII against the published test values: point estimates to 6+ significant digits; the simulated
// intervals (published with 100,000 random repetitions) within 3 % of their width.
import { describe, expect, it } from 'vitest';
import { readSheet } from '../../test/fixtures/stats/read-xlsx.js';
import { slopeIndexOfInequality } from './inequality.js';

describe('slope and relative index of inequality', async () => {
  const rows = await readSheet('testdata_SII.xlsx', 'testdata_SII');
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    if (r.Value === null || r.Value === undefined || r.Population === null || r.Population === undefined) continue;
    const key = `${r.TestDescription} | ${r.Area} | ${r.Grouping1} | ${r.Grouping2}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  // Pejling computes SII/RII on the untransformed scale; the published log/logit-transform and multiplier
  // variants are other methods.
  const cases = [...groups.entries()].filter(
    ([key, g]) => typeof g[0]?.sii === 'number' && !/transform|multiplier/i.test(key),
  );

  it('has published cases to check', () => expect(cases.length).toBeGreaterThan(10));

  it.each(cases)('%s', (_key, group) => {
    const sorted = [...group].sort((a, b) => Number(a.Quantile) - Number(b.Quantile));
    const result = slopeIndexOfInequality(
      sorted.map((r) => ({ population: Number(r.Population), value: Number(r.Value) })),
    );
    const first = sorted[0] as Record<string, unknown>;
    expect(Math.abs((result?.sii ?? Number.NaN) - Number(first.sii))).toBeLessThanOrEqual(
      1e-6 * Math.max(1, Math.abs(Number(first.sii))),
    );
    expect(Math.abs((result?.rii ?? Number.NaN) - Number(first.rii))).toBeLessThanOrEqual(
      1e-6 * Math.abs(Number(first.rii)),
    );
  });

  it('simulates an interval close to the published one', () => {
    const [, group] = cases[0] as [string, Record<string, unknown>[]];
    const sorted = [...group].sort((a, b) => Number(a.Quantile) - Number(b.Quantile));
    const result = slopeIndexOfInequality(
      sorted.map((r) => ({
        population: Number(r.Population),
        value: Number(r.Value),
        standardError: Number(r.StandardError),
      })),
      { repetitions: 20_000 },
    );
    const first = sorted[0] as Record<string, unknown>;
    const width = Number(first.sii_uppercl_1) - Number(first.sii_lowercl_1);
    expect(Math.abs((result?.siiLow ?? 0) - Number(first.sii_lowercl_1))).toBeLessThan(0.03 * width);
    expect(Math.abs((result?.siiHigh ?? 0) - Number(first.sii_uppercl_1))).toBeLessThan(0.03 * width);
  });
});
