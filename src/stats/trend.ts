// Linear trend of a series over time: change per year, a t-test for the slope, and a projection with its
// prediction interval.
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { studentTQuantile } from './distributions.js';
import { DEFAULT_LEVEL } from './intervals.js';

export interface TrendPoint {
  /** Time in years (e.g. 2024.5 for the year 2024). */
  t: number;
  value: number;
}

export interface Trend {
  n: number;
  slope: number;
  intercept: number;
  slopeStandardError: number;
  /** Two-sided p-value of the t-test for slope = 0 (NaN with fewer than 3 points). */
  pValue: number;
  residualStandardError: number;
  meanT: number;
  sxx: number;
}

/**
 * Ordinary least-squares line through the points.
 * @example linearTrend([{ t: 2020, value: 10 }, { t: 2021, value: 9 }, { t: 2022, value: 8.2 }]).slope // -0.9
 */
export function linearTrend(points: readonly TrendPoint[]): Trend | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const meanT = points.reduce((s, p) => s + p.t, 0) / n;
  const meanV = points.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.t - meanT) ** 2;
    sxy += (p.t - meanT) * (p.value - meanV);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = meanV - slope * meanT;
  const sse = points.reduce((s, p) => s + (p.value - (intercept + slope * p.t)) ** 2, 0);
  const df = n - 2;
  const residualStandardError = df > 0 ? Math.sqrt(sse / df) : Number.NaN;
  const slopeStandardError = df > 0 ? residualStandardError / Math.sqrt(sxx) : Number.NaN;
  let pValue = Number.NaN;
  if (df > 0) {
    if (slopeStandardError === 0) pValue = slope === 0 ? 1 : 0;
    else pValue = 2 * (1 - tCdf(Math.abs(slope / slopeStandardError), df));
  }
  return { n, slope, intercept, slopeStandardError, pValue, residualStandardError, meanT, sxx };
}

/**
 * The trend's value at time `t` with a prediction interval for a new observation (NaN limits with fewer
 * than 3 points).
 */
export function projectTrend(
  trend: Trend,
  t: number,
  level = DEFAULT_LEVEL,
): { value: number; lower: number; upper: number } {
  const value = trend.intercept + trend.slope * t;
  const df = trend.n - 2;
  if (df <= 0) return { value, lower: Number.NaN, upper: Number.NaN };
  const se = trend.residualStandardError * Math.sqrt(1 + 1 / trend.n + (t - trend.meanT) ** 2 / trend.sxx);
  const q = studentTQuantile(1 - (1 - level) / 2, df);
  return { value, lower: value - q * se, upper: value + q * se };
}
