// Funnel-plot control limits around a benchmark, at 95 % ("2 sigma", 0.025 each side) and 99.8 % ("3 sigma").
import { chiSquareQuantile, zFor } from './distributions.js';

export interface FunnelLimits {
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

/**
 * Limits for a proportion (of 1) with denominator n around benchmark p: p ± z·√(p(1−p)/n), kept within [0, 1].
 * @example proportionFunnelLimits(0.80642448, 1).lower95 // 0.03204264
 */
export function proportionFunnelLimits(p: number, n: number): FunnelLimits {
  const sd = Math.sqrt((p * (1 - p)) / n);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  const z2 = zFor(0.95);
  const z3 = zFor(0.998);
  return {
    lower95: clamp(p - z2 * sd),
    upper95: clamp(p + z2 * sd),
    lower998: clamp(p - z3 * sd),
    upper998: clamp(p + z3 * sd),
  };
}

/**
 * Limits for a rate (per `multiplier`) with population n around benchmark rate r: exact Poisson limits of the
 * expected count E = r·n/multiplier (chi-square form), turned back into rates.
 */
export function rateFunnelLimits(rate: number, population: number, multiplier: number): FunnelLimits {
  const expected = (rate * population) / multiplier;
  const toRate = (count: number) => (count / population) * multiplier;
  const lower = (level: number) => (expected === 0 ? 0 : chiSquareQuantile((1 - level) / 2, 2 * expected) / 2);
  const upper = (level: number) => chiSquareQuantile(1 - (1 - level) / 2, 2 * (expected + 1)) / 2;
  return {
    lower95: toRate(lower(0.95)),
    upper95: toRate(upper(0.95)),
    lower998: toRate(lower(0.998)),
    upper998: toRate(upper(0.998)),
  };
}

export type FunnelFlag = 'high-998' | 'high-95' | 'within' | 'low-95' | 'low-998';

/** Where a value lies against its limits. */
export function funnelFlag(value: number, limits: FunnelLimits): FunnelFlag {
  if (value > limits.upper998) return 'high-998';
  if (value > limits.upper95) return 'high-95';
  if (value < limits.lower998) return 'low-998';
  if (value < limits.lower95) return 'low-95';
  return 'within';
}
