// Confidence intervals for proportions (Wilson), counts and crude rates (exact Poisson / Byar's), ratios of rates.
import { chiSquareQuantile, zFor } from './distributions.js';

export interface Interval {
  lower: number;
  upper: number;
}

/** Confidence levels Pejling uses: 95 % by default, 99.8 % for funnel "3 sigma" limits. */
export const DEFAULT_LEVEL = 0.95;

/**
 * Wilson score interval for a proportion x/n (as proportions of 1).
 * @example wilsonInterval(65, 100) // { lower: 0.552544…, upper: 0.736357… }
 */
export function wilsonInterval(x: number, n: number, level = DEFAULT_LEVEL): Interval {
  if (!(n > 0) || x < 0 || x > n) throw new RangeError(`Wilson interval needs 0 ≤ x ≤ n and n > 0; got x=${x}, n=${n}`);
  const z = zFor(level);
  const z2 = z * z;
  const centre = 2 * x + z2;
  const spread = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const denominator = 2 * (n + z2);
  return { lower: Math.max(0, (centre - spread) / denominator), upper: Math.min(1, (centre + spread) / denominator) };
}

/**
 * Exact (Garwood) Poisson interval for an observed count, from chi-square quantiles.
 * @example exactPoissonInterval(1) // { lower: 0.0253178…, upper: 5.5716434… }
 */
export function exactPoissonInterval(observed: number, level = DEFAULT_LEVEL): Interval {
  if (observed < 0) throw new RangeError(`a count cannot be negative; got ${observed}`);
  const alpha = 1 - level;
  return {
    lower: observed === 0 ? 0 : chiSquareQuantile(alpha / 2, 2 * observed) / 2,
    upper: chiSquareQuantile(1 - alpha / 2, 2 * (observed + 1)) / 2,
  };
}

/**
 * Byar's approximation to the Poisson interval for an observed count.
 * @example byarsInterval(65) // { lower: 50.1631877…, upper: 82.8491385… }
 */
export function byarsInterval(observed: number, level = DEFAULT_LEVEL): Interval {
  if (observed < 0) throw new RangeError(`a count cannot be negative; got ${observed}`);
  const z = zFor(level);
  // When the cubed term is negative the approximation has no lower limit (NaN), as in the published method.
  const base = 1 - 1 / (9 * observed) - z / (3 * Math.sqrt(observed));
  const lower = observed === 0 ? 0 : base < 0 ? Number.NaN : observed * base ** 3;
  const o1 = observed + 1;
  const upper = o1 * (1 - 1 / (9 * o1) + z / (3 * Math.sqrt(o1))) ** 3;
  return { lower, upper };
}

/** The interval Pejling uses for a count: exact below 10 events, Byar's from 10. */
export function poissonInterval(observed: number, level = DEFAULT_LEVEL): Interval {
  return observed < 10 ? exactPoissonInterval(observed, level) : byarsInterval(observed, level);
}

/**
 * Crude rate (count / population × multiplier) with its Poisson interval.
 * @example crudeRateInterval(20, 100, 100) // { value: 20, lower: 12.2114…, upper: 30.8898… }
 */
export function crudeRateInterval(count: number, population: number, multiplier: number, level = DEFAULT_LEVEL) {
  if (!(population > 0)) throw new RangeError(`a rate needs a positive population; got ${population}`);
  const { lower, upper } = poissonInterval(count, level);
  return {
    value: (count / population) * multiplier,
    lower: (lower / population) * multiplier,
    upper: (upper / population) * multiplier,
  };
}

/**
 * Ratio of two rates (o1/n1) / (o2/n2) with a log-normal interval (standard error √(1/o1 + 1/o2)).
 * @example rateRatio(30, 1000, 20, 1000) // { value: 1.5, lower: 0.85…, upper: 2.64… }
 */
export function rateRatio(o1: number, n1: number, o2: number, n2: number, level = DEFAULT_LEVEL) {
  if (!(o1 > 0 && o2 > 0 && n1 > 0 && n2 > 0))
    throw new RangeError('a rate ratio needs positive counts and populations');
  const value = o1 / n1 / (o2 / n2);
  const se = Math.sqrt(1 / o1 + 1 / o2);
  const z = zFor(level);
  return { value, lower: value * Math.exp(-z * se), upper: value * Math.exp(z * se) };
}
