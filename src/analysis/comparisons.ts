// Funnels, trends, inequality and "learn from" for one indicator, from stored values.
import type { Indicator, OrgUnit } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { parsePeriod, periodBounds, periodMidpoint } from '../domain/period.js';
import {
  type FunnelFlag,
  funnelFlag,
  linearTrend,
  proportionFunnelLimits,
  rateFunnelLimits,
  rateRatio,
  slopeIndexOfInequality,
  zFor,
} from '../stats/index.js';
import type { Store } from '../store/index.js';
import { ownRegions, type ValueRow, valueRows } from './value-rows.js';

async function latestYear(store: Store, indicator: Indicator): Promise<string> {
  const rows = await store.queryValues({ indicator: indicator.id, unit: 'DK', breakdown: 'total' });
  const years = rows
    .filter((r) => /^\d{4}$/.test(r.period) && r.value !== null)
    .map((r) => r.period)
    .sort();
  const last = years.at(-1);
  if (!last) throw new UserError(`Indicator '${indicator.id}' has no yearly values for Denmark yet`, { status: 404 });
  return last;
}

export interface FunnelPoint {
  unit: string;
  value: number;
  numerator: number;
  denominator: number;
  flag: FunnelFlag;
}

/** Unit levels a funnel plot or table can compare. */
export type ComparisonLevel = 'municipality' | 'region' | 'health-cluster' | 'hospital' | 'gp-practice' | 'gp-cluster';

/**
 * The units to compare for a period: the structure in force at the period's end (5 regions in 2022, 4 in 2027),
 * or today's when no unit of the type was in force then (health clusters before 2022 have values back in time).
 */
export async function unitsForPeriod(store: Store, period: string, type?: OrgUnit['type']): Promise<OrgUnit[]> {
  const parsed = parsePeriod(period);
  const at = parsed ? periodBounds(parsed).end : new Date().toISOString().slice(0, 10);
  const then = await store.listOrgUnits({ at, ...(type ? { type } : {}) });
  if (then.length > 0 || !type) return then;
  return store.listOrgUnits({ at: new Date().toISOString().slice(0, 10), type });
}

/** Funnel plot of all municipalities (or regions, health clusters, hospitals, general practices) around Denmark for one period. */
export async function funnelOf(
  store: Store,
  indicator: Indicator,
  options: { period?: string; level?: ComparisonLevel },
) {
  if (indicator.measure !== 'proportion' && indicator.measure !== 'rate') {
    throw new UserError(`Funnel plots need a proportion or a rate; '${indicator.id}' is a ${indicator.measure}`);
  }
  const period = options.period ?? (await latestYear(store, indicator));
  const level = options.level ?? 'municipality';
  const units = (await unitsForPeriod(store, period, level)).map((u) => u.code);
  const rows = await store.queryValues({ indicator: indicator.id, unit: [...units, 'DK'], period, breakdown: 'total' });
  const dk = rows.find((r) => r.unit === 'DK');
  if (!dk || dk.numerator === null || !dk.denominator)
    throw new UserError(`No value for Denmark in ${period}`, { status: 404 });
  const m = indicator.multiplier;
  const benchmark = dk.numerator / dk.denominator;
  const limitsAt = (n: number) => {
    const l =
      indicator.measure === 'proportion' ? proportionFunnelLimits(benchmark, n) : rateFunnelLimits(benchmark * m, n, m);
    const scale = indicator.measure === 'proportion' ? m : 1;
    return {
      lower95: l.lower95 * scale,
      upper95: l.upper95 * scale,
      lower998: l.lower998 * scale,
      upper998: l.upper998 * scale,
    };
  };
  const points: FunnelPoint[] = [];
  for (const r of rows) {
    if (r.unit === 'DK' || r.suppressed || r.numerator === null || !r.denominator || r.value === null) continue;
    points.push({
      unit: r.unit,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      flag: funnelFlag(r.value, limitsAt(r.denominator)),
    });
  }
  const maxN = Math.max(dk.denominator / 4, ...points.map((p) => p.denominator));
  const minN = Math.max(1, Math.min(...points.map((p) => p.denominator), maxN) / 2);
  const curve = Array.from({ length: 60 }, (_, i) => {
    const n = Math.round(minN * (maxN / minN) ** (i / 59));
    return { denominator: n, ...limitsAt(n) };
  });
  return { indicator: indicator.id, period, level, benchmark: { unit: 'DK', value: benchmark * m }, points, curve };
}

/** The yearly series of a unit with its linear trend. */
export async function trendOf(store: Store, indicator: Indicator, unit: string) {
  const rows = (await valueRows(store, indicator, { unit, breakdown: 'total' })).filter((r) =>
    /^\d{4}$/.test(r.period),
  );
  const points = rows
    .filter((r) => r.value !== null && !r.suppressed)
    .map((r) => ({
      t: periodMidpoint(parsePeriod(r.period) as NonNullable<ReturnType<typeof parsePeriod>>),
      value: r.value as number,
    }));
  const trend = linearTrend(points);
  const direction =
    !trend || !Number.isFinite(trend.pValue) || trend.pValue >= 0.05
      ? 'no-significant-change'
      : trend.slope > 0
        ? 'increasing'
        : 'decreasing';
  return {
    indicator: indicator.id,
    unit,
    series: rows,
    trend: trend
      ? {
          slopePerYear: trend.slope,
          pValue: Number.isFinite(trend.pValue) ? trend.pValue : null,
          periods: trend.n,
          direction,
        }
      : null,
  };
}

/** The ordered groups of each social dimension, most disadvantaged first. */
export const INEQUALITY_ORDER = {
  education: ['basic', 'vocational', 'higher'],
  income: ['Q1', 'Q2', 'Q3', 'Q4'],
} as const;
export type InequalityDimension = keyof typeof INEQUALITY_ORDER;

/**
 * Inequality by education (basic vs higher) or income (poorest vs richest quarter): the ratio and difference
 * between the extreme groups and SII/RII across all groups.
 * @example await inequalityOf(store, indicator, 'DK', '2024', 'income')
 */
export async function inequalityOf(
  store: Store,
  indicator: Indicator,
  unit: string,
  period?: string,
  dimension: InequalityDimension = 'education',
) {
  const chosen = period ?? (await latestYear(store, indicator));
  const rows = await store.queryValues({ indicator: indicator.id, unit, period: chosen });
  const order: readonly string[] = INEQUALITY_ORDER[dimension];
  const label = (i: number) =>
    dimension === 'education' ? { education: order[i], category: order[i] } : { category: order[i] };
  const groups = order.map((level) => rows.find((r) => r.breakdown === `${dimension}:${level}`));
  if (groups.some((g) => !g || g.suppressed || g.value === null || g.numerator === null || !g.denominator)) {
    return {
      indicator: indicator.id,
      unit,
      period: chosen,
      dimension,
      groups: groups.map((g, i) => ({
        ...label(i),
        value: g?.value ?? null,
        suppressed: g?.suppressed ?? false,
      })),
      measures: null,
    };
  }
  const full = groups as NonNullable<(typeof groups)[number]>[];
  const m = indicator.multiplier;
  const lowest = full[0] as (typeof full)[number];
  const highest = full[full.length - 1] as (typeof full)[number];
  const z = zFor(0.95);
  const se = (g: (typeof full)[number]) => {
    const p = (g.numerator as number) / (g.denominator as number);
    return indicator.measure === 'proportion'
      ? Math.sqrt((p * (1 - p)) / (g.denominator as number)) * m
      : (Math.sqrt(g.numerator as number) / (g.denominator as number)) * m;
  };
  const [x1, n1, x2, n2] = [
    lowest.numerator,
    lowest.denominator,
    highest.numerator,
    highest.denominator,
  ] as number[] as [number, number, number, number];
  let ratio: { value: number; lower: number; upper: number } | null = null;
  if (x1 > 0 && x2 > 0) {
    if (indicator.measure === 'proportion') {
      // Risk ratio with the log standard error √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂).
      const value = x1 / n1 / (x2 / n2);
      const logSe = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
      ratio = { value, lower: value * Math.exp(-z * logSe), upper: value * Math.exp(z * logSe) };
    } else {
      ratio = rateRatio(x1, n1, x2, n2);
    }
  }
  const difference = (lowest.value as number) - (highest.value as number);
  const differenceSe = Math.sqrt(se(lowest) ** 2 + se(highest) ** 2);
  const sii = slopeIndexOfInequality(
    full.map((g) => ({ population: g.denominator as number, value: g.value as number, standardError: se(g) })),
  );
  return {
    indicator: indicator.id,
    unit,
    period: chosen,
    dimension,
    groups: full.map((g, i) => ({
      ...label(i),
      value: g.value,
      numerator: g.numerator,
      denominator: g.denominator,
      suppressed: false,
    })),
    measures: {
      rateRatio: ratio ? { value: ratio.value, ciLow: ratio.lower, ciHigh: ratio.upper } : null,
      rateDifference: {
        value: difference,
        ciLow: difference - z * differenceSe,
        ciHigh: difference + z * differenceSe,
      },
      sii: sii
        ? {
            value: -sii.sii,
            ciLow: sii.siiHigh === null ? null : -sii.siiHigh,
            ciHigh: sii.siiLow === null ? null : -sii.siiLow,
          }
        : null,
      rii: sii
        ? {
            value: 1 / sii.rii,
            ciLow: sii.riiHigh === null ? null : 1 / sii.riiHigh,
            ciHigh: sii.riiLow === null ? null : 1 / sii.riiLow,
          }
        : null,
    },
  };
}

/**
 * Peers that do significantly better than the unit: in the same region (municipalities) or all regions, whose
 * interval lies wholly on the better side of the unit's value.
 */
export async function learnFrom(
  store: Store,
  indicator: Indicator,
  unit: string,
  options: { period?: string; peers?: 'region' | 'all' },
) {
  if (indicator.polarity === 'none')
    return {
      indicator: indicator.id,
      unit,
      period: options.period ?? null,
      peers: [] as ValueRow[],
      note: 'The indicator has no polarity.',
    };
  if (indicator.measure === 'count' || indicator.measure === 'days-since-event')
    return {
      indicator: indicator.id,
      unit,
      period: options.period ?? null,
      peers: [] as ValueRow[],
      note: 'Counts depend on the size of the unit and are not compared.',
    };
  const period = options.period ?? (await latestYear(store, indicator));
  const self = (await store.listOrgUnits()).find((u) => u.code === unit);
  if (!self) throw new UserError(`Unknown unit '${unit}'`, { status: 404 });
  // Peers of the same type in the structure in force then, in the same region (a hospital's parent, a general
  // practice's municipality's), or under the same parent where there is none (the regions, under Denmark).
  const inForce = await unitsForPeriod(store, period, self.type);
  const all = await store.listOrgUnits();
  const regionOf = ownRegions([...inForce, ...all.filter((u) => !inForce.some((f) => f.code === u.code))]);
  const region = regionOf(unit);
  const peers = inForce
    .filter((u) => u.type === self.type && u.code !== unit && (options.peers === 'all' || regionOf(u.code) === region))
    .map((u) => u.code);
  const rows = await valueRows(store, indicator, { unit: [unit, ...peers], period, breakdown: 'total' });
  const own = rows.find((r) => r.unit === unit);
  if (!own || own.value === null)
    return { indicator: indicator.id, unit, period, peers: [], note: 'The unit has no value for the period.' };
  const better = rows
    .filter((r) => r.unit !== unit && r.ciLow !== null && r.ciHigh !== null)
    .filter((r) =>
      indicator.polarity === 'lower-is-better'
        ? (r.ciHigh as number) < (own.value as number)
        : (r.ciLow as number) > (own.value as number),
    )
    .sort((a, b) =>
      indicator.polarity === 'lower-is-better'
        ? (a.value as number) - (b.value as number)
        : (b.value as number) - (a.value as number),
    );
  return { indicator: indicator.id, unit, period, own, peers: better };
}
