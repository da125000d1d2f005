// Quantile functions of the distributions the methods need (from @stdlib, a maintained numerical library).
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Two-sided critical value of the standard normal for a confidence level (0.95 → 1.959964). */
export function zFor(level: number): number {
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

export function chiSquareQuantile(p: number, df: number): number {
  return chisquareQuantile(p, df);
}

export function studentTQuantile(p: number, df: number): number {
  return tQuantile(p, df);
}

export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}
