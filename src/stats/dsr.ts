// Directly age-standardised rates with Dobson's interval.
import { byarsInterval, DEFAULT_LEVEL, exactPoissonInterval } from './intervals.js';

export interface AgeStratum {
  count: number;
  population: number;
  /** The standard population's weight for this age group (e.g. the European Standard Population 2013). */
  standard: number;
}

export interface StandardisedRate {
  value: number;
  lower: number;
  upper: number;
  count: number;
}

/** Below this many events a DSR is not reported (too unstable). */
export const DSR_MIN_COUNT = 10;

/**
 * Directly standardised rate Σ(wᵢ·oᵢ/nᵢ)/Σwᵢ × multiplier with Dobson's interval:
 * DSR + √(var/O)·(O_limit − O)·multiplier, var = Σ(wᵢ²·oᵢ/nᵢ²)/(Σwᵢ)², O = Σoᵢ, O_limit from Byar's (or exact
 * below 10 events). Returns undefined below 10 events.
 */
export function directlyStandardisedRate(
  strata: readonly AgeStratum[],
  multiplier: number,
  level = DEFAULT_LEVEL,
): StandardisedRate | undefined {
  let weightSum = 0;
  let weighted = 0;
  let variance = 0;
  let observed = 0;
  for (const s of strata) {
    if (s.population <= 0 || s.count < 0 || s.standard < 0) {
      throw new RangeError(
        `each age group needs a positive population and non-negative count and weight; got ${JSON.stringify(s)}`,
      );
    }
    weightSum += s.standard;
    weighted += (s.standard * s.count) / s.population;
    variance += (s.standard ** 2 * s.count) / s.population ** 2;
    observed += s.count;
  }
  if (observed < DSR_MIN_COUNT || weightSum === 0) return undefined;
  const value = (weighted / weightSum) * multiplier;
  const varDsr = variance / weightSum ** 2;
  const limits = observed < 10 ? exactPoissonInterval(observed, level) : byarsInterval(observed, level);
  const scale = Math.sqrt(varDsr / observed) * multiplier;
  return {
    value,
    lower: value + scale * (limits.lower - observed),
    upper: value + scale * (limits.upper - observed),
    count: observed,
  };
}
