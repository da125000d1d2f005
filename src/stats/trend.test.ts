import { describe, expect, it } from 'vitest';
import { linearTrend, projectTrend } from './trend.js';

describe('linear trend', () => {
  // Worked by hand: t = 0..4, v = 1, 3, 2, 5, 4 → mean t 2, mean v 3, Sxx 10, Sxy 8, slope 0.8, intercept 1.4,
  // residuals -0.4, 0.8, -1, 1.2, -0.6 → SSE 3.6, s = √1.2, se(slope) = √0.12 = 0.34641, t = 2.3094, df 3,
  // p = 0.10408 (t distribution, two-sided).
  const trend = linearTrend([1, 3, 2, 5, 4].map((value, t) => ({ t, value })))!;

  it('fits slope, intercept and the t-test', () => {
    expect(trend.slope).toBeCloseTo(0.8, 12);
    expect(trend.intercept).toBeCloseTo(1.4, 12);
    expect(trend.slopeStandardError).toBeCloseTo(Math.sqrt(0.12), 12);
    expect(trend.pValue).toBeCloseTo(0.104088, 5);
  });

  it('projects with a prediction interval', () => {
    // At t = 6: 1.4 + 4.8 = 6.2; se = √1.2 · √(1 + 1/5 + 16/10) = √1.2 · √2.8 = 1.83303; t(0.975, 3) = 3.182446.
    const p = projectTrend(trend, 6);
    expect(p.value).toBeCloseTo(6.2, 12);
    expect(p.upper - p.value).toBeCloseTo(3.182446 * Math.sqrt(1.2 * 2.8), 5);
  });

  it('needs two distinct times', () => {
    expect(linearTrend([{ t: 1, value: 2 }])).toBeUndefined();
    expect(
      linearTrend([
        { t: 1, value: 2 },
        { t: 1, value: 3 },
      ]),
    ).toBeUndefined();
    expect(
      Number.isNaN(
        linearTrend([
          { t: 1, value: 2 },
          { t: 2, value: 3 },
        ])!.pValue,
      ),
    ).toBe(true);
  });
});
