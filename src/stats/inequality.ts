// Inequality across ordered groups (e.g. education levels, deprivation quintiles): slope and relative index
// of inequality (SII, RII), and the rate ratio and difference between the extreme groups.

import { DEFAULT_LEVEL } from './intervals.js';
import { seededRandom } from './random.js';

export interface OrderedGroup {
  /** Population (or denominator) of the group; the groups are given in order, most disadvantaged first. */
  population: number;
  value: number;
  /** Standard error of the value, for the simulated interval. */
  standardError?: number;
}

export interface InequalityIndex {
  sii: number;
  rii: number;
  siiLow: number | null;
  siiHigh: number | null;
  riiLow: number | null;
  riiHigh: number | null;
}

/** Weighted least-squares line through (cumulative population midpoint, value), weights = population. */
function fitLine(groups: readonly OrderedGroup[], values: readonly number[]): { slope: number; intercept: number } {
  const total = groups.reduce((s, g) => s + g.population, 0);
  let cumulative = 0;
  const x = groups.map((g) => {
    const midpoint = (cumulative + g.population / 2) / total;
    cumulative += g.population;
    return midpoint;
  });
  const w = groups.map((g) => g.population);
  const sw = w.reduce((a, b) => a + b, 0);
  const mx = w.reduce((s, wi, i) => s + wi * (x[i] as number), 0) / sw;
  const my = w.reduce((s, wi, i) => s + wi * (values[i] as number), 0) / sw;
  let sxy = 0;
  let sxx = 0;
  w.forEach((wi, i) => {
    sxy += wi * ((x[i] as number) - mx) * ((values[i] as number) - my);
    sxx += wi * ((x[i] as number) - mx) ** 2;
  });
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * SII: the slope of the population-weighted regression of the value on the cumulative population midpoint
 * (from the most to the least disadvantaged group); RII = (intercept + SII) / intercept, the ratio of the
 * fitted values at the two ends. The interval is simulated (each group's value drawn from a normal with its
 * standard error; `repetitions` draws with a fixed seed, percentile limits).
 * @example sii([{ population: 1000, value: 10, standardError: 1 }, …])
 */
export function slopeIndexOfInequality(
  groups: readonly OrderedGroup[],
  options: { level?: number; repetitions?: number; seed?: number } = {},
): InequalityIndex | undefined {
  if (groups.length < 2 || groups.some((g) => !(g.population > 0) || !Number.isFinite(g.value))) return undefined;
  const { slope, intercept } = fitLine(
    groups,
    groups.map((g) => g.value),
  );
  const result: InequalityIndex = {
    sii: slope,
    rii: (intercept + slope) / intercept,
    siiLow: null,
    siiHigh: null,
    riiLow: null,
    riiHigh: null,
  };
  if (groups.some((g) => g.standardError === undefined || !Number.isFinite(g.standardError))) return result;
  const repetitions = options.repetitions ?? 10_000;
  const rng = seededRandom(options.seed ?? 1);
  const siis: number[] = [];
  const riis: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const draw = groups.map((g) => rng.normal(g.value, g.standardError as number));
    const f = fitLine(groups, draw);
    siis.push(f.slope);
    riis.push((f.intercept + f.slope) / f.intercept);
  }
  const alpha = 1 - (options.level ?? DEFAULT_LEVEL);
  const quantile = (xs: number[], p: number) => {
    const sorted = xs.sort((a, b) => a - b);
    const pos = (sorted.length - 1) * p;
    const lo = Math.floor(pos);
    return (
      (sorted[lo] as number) +
      ((sorted[Math.min(lo + 1, sorted.length - 1)] as number) - (sorted[lo] as number)) * (pos - lo)
    );
  };
  result.siiLow = quantile(siis, alpha / 2);
  result.siiHigh = quantile(siis, 1 - alpha / 2);
  result.riiLow = quantile(riis, alpha / 2);
  result.riiHigh = quantile(riis, 1 - alpha / 2);
  return result;
}
