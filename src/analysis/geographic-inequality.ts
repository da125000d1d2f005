// Inequality by place: the municipalities ranked from best to worst and split into fifths; the pooled value of
// the worst fifth against the best fifth (ratio and difference with 95 % intervals), and the range.
import type { Indicator } from '../catalogue/index.js';
import { rateRatio, wilsonInterval, zFor } from '../stats/index.js';
import type { IndicatorValue, Store } from '../store/index.js';

export interface Fifth {
  /** 1 = the best fifth, 5 = the worst (by the indicator's polarity; by value when it has none). */
  fifth: number;
  units: string[];
  numerator: number;
  denominator: number;
  value: number;
  ciLow: number;
  ciHigh: number;
}

export interface GeographicInequality {
  indicator: string;
  period: string | null;
  level: 'municipality' | 'region';
  fifths: Fifth[];
  /** Worst fifth / best fifth, with its 95 % interval. */
  ratio: { value: number; ciLow: number; ciHigh: number } | null;
  /** Worst fifth − best fifth, with its 95 % interval. */
  difference: { value: number; ciLow: number; ciHigh: number } | null;
  range: { lowest: { unit: string; value: number }; highest: { unit: string; value: number } } | null;
  /** Why there are no measures (e.g. an indicator without counts). */
  note?: string;
}

/**
 * Ranks the municipalities (or regions) by the indicator's total value for a period, splits them into five
 * groups of (nearly) equal size, and compares the pooled worst group with the pooled best. `within` keeps the
 * municipalities of one region.
 * @example await geographicInequality(store, indicator, { period: '2024' })
 */
export async function geographicInequality(
  store: Store,
  indicator: Indicator,
  options: { period?: string; level?: 'municipality' | 'region'; within?: string } = {},
): Promise<GeographicInequality> {
  const level = options.level ?? 'municipality';
  const units = new Set(
    (await store.listOrgUnits({ type: level }))
      .filter((u) => !options.within || options.within === 'DK' || u.parent === options.within)
      .map((u) => u.code),
  );
  const all = await store.queryValues({ indicator: indicator.id, breakdown: 'total' });
  const years = [...new Set(all.filter((r) => units.has(r.unit) && /^\d{4}$/.test(r.period)).map((r) => r.period))];
  const period = options.period ?? years.sort().at(-1) ?? null;
  const empty = (note: string): GeographicInequality => ({
    indicator: indicator.id,
    period,
    level,
    fifths: [],
    ratio: null,
    difference: null,
    range: null,
    note,
  });
  if (indicator.measure !== 'proportion' && indicator.measure !== 'rate')
    return empty('Only proportions and rates have counts to pool into fifths.');
  const rows = all.filter(
    (r): r is IndicatorValue & { numerator: number; denominator: number; value: number } =>
      r.period === period &&
      units.has(r.unit) &&
      !r.suppressed &&
      r.value !== null &&
      r.numerator !== null &&
      r.denominator !== null &&
      r.denominator > 0,
  );
  if (rows.length < 5) return empty('Fewer than five units with values.');
  const higherIsBetter = indicator.polarity === 'higher-is-better';
  rows.sort((a, b) => (higherIsBetter ? b.value - a.value : a.value - b.value));
  const m = indicator.multiplier;
  const fifths: Fifth[] = [0, 1, 2, 3, 4].map((i) => {
    const members = rows.slice(Math.round((i * rows.length) / 5), Math.round(((i + 1) * rows.length) / 5));
    const numerator = members.reduce((s, r) => s + r.numerator, 0);
    const denominator = members.reduce((s, r) => s + r.denominator, 0);
    const interval =
      indicator.measure === 'proportion'
        ? wilsonInterval(numerator, denominator)
        : (() => {
            const z = zFor(0.95);
            const se = Math.sqrt(numerator) / denominator;
            return { lower: Math.max(0, numerator / denominator - z * se), upper: numerator / denominator + z * se };
          })();
    return {
      fifth: i + 1,
      units: members.map((r) => r.unit),
      numerator,
      denominator,
      value: (numerator / denominator) * m,
      ciLow: interval.lower * m,
      ciHigh: interval.upper * m,
    };
  });
  const best = fifths[0] as Fifth;
  const worst = fifths[4] as Fifth;
  let ratio: GeographicInequality['ratio'] = null;
  if (best.numerator > 0 && worst.numerator > 0) {
    if (indicator.measure === 'proportion') {
      const z = zFor(0.95);
      const value = worst.numerator / worst.denominator / (best.numerator / best.denominator);
      const logSe = Math.sqrt(1 / worst.numerator - 1 / worst.denominator + 1 / best.numerator - 1 / best.denominator);
      ratio = { value, ciLow: value * Math.exp(-z * logSe), ciHigh: value * Math.exp(z * logSe) };
    } else {
      const r = rateRatio(worst.numerator, worst.denominator, best.numerator, best.denominator);
      ratio = { value: r.value, ciLow: r.lower, ciHigh: r.upper };
    }
  }
  const se = (f: Fifth) => {
    const p = f.numerator / f.denominator;
    return indicator.measure === 'proportion'
      ? Math.sqrt((p * (1 - p)) / f.denominator) * m
      : (Math.sqrt(f.numerator) / f.denominator) * m;
  };
  const z = zFor(0.95);
  const d = worst.value - best.value;
  const dSe = Math.sqrt(se(worst) ** 2 + se(best) ** 2);
  const byValue = [...rows].sort((a, b) => a.value - b.value);
  const low = byValue[0] as (typeof rows)[number];
  const high = byValue.at(-1) as (typeof rows)[number];
  return {
    indicator: indicator.id,
    period,
    level,
    fifths,
    ratio,
    difference: { value: d, ciLow: d - z * dSe, ciHigh: d + z * dSe },
    range: { lowest: { unit: low.unit, value: low.value }, highest: { unit: high.unit, value: high.value } },
  };
}
