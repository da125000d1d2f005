// Funnel limits for proportions against the published test values (to 6 significant digits), and the flags of
// the published areas.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { STATS_FIXTURES } from '../../test/fixtures/stats/read-xlsx.js';
import { funnelFlag, proportionFunnelLimits } from './funnel.js';

const csv = (name: string): string[][] =>
  parse(readFileSync(`${STATS_FIXTURES}/${name}`, 'utf8'), { bom: true, skip_empty_lines: true });

describe('proportion funnel limits', () => {
  const [, ...rows] = csv('testdata_funnel_prop_outputs.csv');
  it.each(rows.map((r) => [r[0], r]))('population %s', (_n, r) => {
    const [n, l2, u2, l3, u3, baseline] = (r as string[]).map(Number) as number[];
    const limits = proportionFunnelLimits((baseline as number) / 100, n as number);
    for (const [actual, expected] of [
      [limits.lower95, l2],
      [limits.upper95, u2],
      [limits.lower998, l3],
      [limits.upper998, u3],
    ] as const) {
      expect(Math.abs(actual * 100 - (expected as number))).toBeLessThanOrEqual(5e-6 * Math.max(1, expected as number));
    }
  });

  it('flags the published areas as the published significance says', () => {
    const [, ...inputs] = csv('testdata_funnel_prop_inputs.csv');
    const numerator = inputs.reduce((s, r) => s + Number(r[1]), 0);
    const denominator = inputs.reduce((s, r) => s + Number(r[2]), 0);
    const p = numerator / denominator;
    expect(p * 100).toBeCloseTo(80.642448, 5);
    for (const [area, num, den, significance] of inputs) {
      const flag = funnelFlag(Number(num) / Number(den), proportionFunnelLimits(p, Number(den)));
      const expected: Record<string, string> = {
        'High (0.001)': 'high-998',
        'High (0.025)': 'high-95',
        'Low (0.001)': 'low-998',
        'Low (0.025)': 'low-95',
        'Not significant': 'within',
      };
      expect(flag, area).toBe(expected[significance as string]);
    }
  });
});
