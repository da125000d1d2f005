// Value rows as the API and CLI publish them: stored numbers with their interval and comparison to a benchmark.
import type { Indicator } from '../catalogue/index.js';
import {
  type Comparison,
  compareWithBenchmark,
  DEFAULT_LEVEL,
  poissonInterval,
  wilsonInterval,
} from '../stats/index.js';
import type { IndicatorValue, Store } from '../store/index.js';

/** A stored value (without its indicator id) with its interval and comparison. */
export interface ValueRow extends Omit<IndicatorValue, 'indicator'> {
  ciLow: number | null;
  ciHigh: number | null;
  comparison: Comparison;
}

/** The interval of a stored value by the indicator's measure, or null where the numbers do not allow one. */
export function intervalOf(
  indicator: Indicator,
  v: IndicatorValue,
  level = DEFAULT_LEVEL,
): { lower: number; upper: number } | null {
  if (v.suppressed || v.value === null || v.numerator === null) return null;
  const m = indicator.multiplier;
  switch (indicator.measure) {
    case 'proportion': {
      if (v.denominator === null || v.denominator <= 0 || v.numerator > v.denominator) return null;
      const { lower, upper } = wilsonInterval(v.numerator, v.denominator, level);
      return { lower: lower * m, upper: upper * m };
    }
    case 'rate': {
      if (v.denominator === null || v.denominator <= 0 || !Number.isInteger(v.numerator)) return null;
      const { lower, upper } = poissonInterval(v.numerator, level);
      return { lower: (lower / v.denominator) * m, upper: (upper / v.denominator) * m };
    }
    case 'count': {
      if (!Number.isInteger(v.numerator) || v.numerator < 0) return null;
      return poissonInterval(v.numerator, level);
    }
    default:
      return null;
  }
}

/**
 * Adds intervals and the comparison with a benchmark (Denmark by default, another unit, or `region`: each
 * unit's own region) for the same period and breakdown.
 * @example await valueRows(store, indicator, { unit: '101' })
 */
export async function valueRows(
  store: Store,
  indicator: Indicator,
  query: { unit?: string | readonly string[]; period?: string; breakdown?: string; benchmark?: string },
): Promise<ValueRow[]> {
  const values = await store.queryValues({
    indicator: indicator.id,
    ...(query.unit !== undefined ? { unit: query.unit } : {}),
    ...(query.period !== undefined ? { period: query.period } : {}),
    ...(query.breakdown !== undefined ? { breakdown: query.breakdown } : {}),
  });
  // The benchmark is one unit (Denmark by default), or `region`: each unit against its own region (a municipality's
  // or hospital's parent, a general practice's municipality's).
  const regionOf = query.benchmark === 'region' ? ownRegions(await store.listOrgUnits()) : undefined;
  const benchmarkUnitOf = (unit: string) => (regionOf ? regionOf(unit) : (query.benchmark ?? 'DK'));
  const benchmarkUnits = [
    ...new Set(values.map((v) => benchmarkUnitOf(v.unit)).filter((u): u is string => u !== null)),
  ];
  const benchmarks = benchmarkUnits.length
    ? await store.queryValues({
        indicator: indicator.id,
        unit: benchmarkUnits,
        ...(query.period !== undefined ? { period: query.period } : {}),
        ...(query.breakdown !== undefined ? { breakdown: query.breakdown } : {}),
      })
    : [];
  const benchmarkOf = new Map(benchmarks.map((b) => [`${b.unit}\u0000${b.period}\u0000${b.breakdown}`, b]));
  return values.map((v) => {
    const interval = intervalOf(indicator, v);
    const benchmarkUnit = benchmarkUnitOf(v.unit);
    const benchmark = benchmarkOf.get(`${benchmarkUnit}\u0000${v.period}\u0000${v.breakdown}`);
    const comparison =
      v.unit === benchmarkUnit || !benchmark || benchmark.suppressed
        ? 'not-compared'
        : compareWithBenchmark(interval, benchmark.value, indicator.polarity);
    return {
      unit: v.unit,
      period: v.period,
      breakdown: v.breakdown,
      numerator: v.numerator,
      denominator: v.denominator,
      value: v.value,
      ciLow: interval?.lower ?? null,
      ciHigh: interval?.upper ?? null,
      suppressed: v.suppressed,
      ...(v.synthetic ? { synthetic: true } : {}),
      comparison,
    };
  });
}

/**
 * Each unit's own region: the nearest region among its parents (a general practice's is its municipality's parent);
 * for a unit with none (a region, Denmark), its parent.
 * @example ownRegions(units)('GP0101') // '1084'
 */
export function ownRegions(
  units: readonly { code: string; type: string; parent: string | null }[],
): (code: string) => string | null {
  const byCode = new Map(units.map((u) => [u.code, u]));
  return (code) => {
    const parent = byCode.get(code)?.parent ?? null;
    const seen = new Set<string>();
    for (let at = parent; at !== null && !seen.has(at); at = byCode.get(at)?.parent ?? null) {
      seen.add(at);
      if (byCode.get(at)?.type === 'region') return at;
    }
    return parent;
  };
}
