// The verdict of a target for one unit: achieved / on-track / off-track / not-assessable, with the numbers
// behind it. Pure: the series comes in, the evaluation goes out.
import type { Indicator, Target } from '../catalogue/index.js';
import { parsePeriod, periodMidpoint } from '../domain/period.js';
import { linearTrend, projectTrend } from '../stats/index.js';

export type Verdict = 'achieved' | 'on-track' | 'off-track' | 'not-assessable';
export type NotAssessableReason = 'no-data' | 'no-baseline' | 'too-few-periods' | 'suppressed-data' | 'target-pending';

export interface SeriesPoint {
  period: string;
  value: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  suppressed?: boolean;
}

export interface TargetEvaluation {
  target: string;
  unit: string;
  status: Verdict;
  reason?: NotAssessableReason;
  /** A sentence-sized explanation (English; the UI words it in Danish). */
  explanation: string;
  baseline: { period: string | null; value: number } | null;
  latest: { period: string; value: number; ciLow: number | null; ciHigh: number | null } | null;
  /** The level the target asks for at its deadline (or the next milestone's level). */
  goal: { period: string | null; value: number } | null;
  nextMilestone: { period: string; value: number; level: number } | null;
  /** The value required at the latest period on a straight path from the baseline to the next milestone. */
  required: { period: string; value: number } | null;
  /** The trend projected to the deadline (or next milestone), with a 95 % prediction interval. */
  projected: { period: string; value: number; low: number | null; high: number | null } | null;
  trend: { slopePerYear: number; pValue: number | null; periods: number } | null;
}

/** Minimum number of periods from the baseline on for a trend-based verdict. */
export const MIN_TREND_PERIODS = 3;

const timeOf = (period: string) => {
  const p = parsePeriod(period);
  return p ? periodMidpoint(p) : Number.NaN;
};
const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
const round = (n: number) => Math.round(n * 1e9) / 1e9;

/** Whether `value` meets `level` in the wanted direction. */
function meets(value: number, level: number, sense: 'increase' | 'decrease'): boolean {
  return sense === 'decrease' ? value <= level : value >= level;
}

function senseOf(target: Target, indicator: Indicator): 'increase' | 'decrease' {
  if (target.comparator) return target.comparator === '>=' ? 'increase' : 'decrease';
  if (target.direction) return target.direction;
  if (target.kind === 'relative-change' || target.kind === 'annual-relative-change') {
    return (target.value ?? 0) < 0 ? 'decrease' : 'increase';
  }
  return indicator.polarity === 'lower-is-better' ? 'decrease' : 'increase';
}

/**
 * Evaluates a target for one unit from its series (one value per period, typically years).
 * @example evaluateTarget(target, indicator, 'DK', [{ period: '2019', value: 10 }, …])
 */
export function evaluateTarget(
  target: Target,
  indicator: Indicator,
  unit: string,
  series: readonly SeriesPoint[],
): TargetEvaluation {
  const base: TargetEvaluation = {
    target: target.id,
    unit,
    status: 'not-assessable',
    explanation: '',
    baseline: null,
    latest: null,
    goal: null,
    nextMilestone: null,
    required: null,
    projected: null,
    trend: null,
  };
  const notAssessable = (reason: NotAssessableReason, explanation: string): TargetEvaluation => ({
    ...base,
    status: 'not-assessable',
    reason,
    explanation,
  });
  if (target.pending)
    return notAssessable(
      'target-pending',
      `The target's number is not yet agreed (status due ${target.pending.statusDue}).`,
    );

  const sorted = [...series]
    .filter((p) => Number.isFinite(timeOf(p.period)))
    .sort((a, b) => timeOf(a.period) - timeOf(b.period));
  const usable = sorted.filter((p) => !p.suppressed && finite(p.value)) as (SeriesPoint & { value: number })[];
  const last = sorted.at(-1);
  if (!last) return notAssessable('no-data', 'There are no values for this unit.');
  if (last.suppressed || !finite(last.value)) {
    return notAssessable(
      last.suppressed ? 'suppressed-data' : 'no-data',
      `The latest value (${last.period}) is ${last.suppressed ? 'suppressed (small numbers)' : 'missing'}.`,
    );
  }
  const latestPoint = last as SeriesPoint & { value: number };
  base.latest = {
    period: latestPoint.period,
    value: latestPoint.value,
    ciLow: latestPoint.ciLow ?? null,
    ciHigh: latestPoint.ciHigh ?? null,
  };
  const sense = senseOf(target, indicator);
  const tLatest = timeOf(latestPoint.period);

  // Baseline: given value, else the series at the baseline period.
  let baseline: { period: string | null; value: number } | null = null;
  if (target.baseline?.value !== undefined)
    baseline = { period: target.baseline.period ?? null, value: target.baseline.value };
  else if (target.baseline?.period) {
    const at = usable.find((p) => p.period === target.baseline?.period);
    if (at) baseline = { period: at.period, value: at.value };
  }
  base.baseline = baseline;
  const fromBaseline = baseline?.period
    ? usable.filter((p) => timeOf(p.period) >= timeOf(baseline.period as string))
    : usable;
  const trend = linearTrend(fromBaseline.map((p) => ({ t: timeOf(p.period), value: p.value })));
  if (trend)
    base.trend = {
      slopePerYear: trend.slope,
      pValue: Number.isFinite(trend.pValue) ? trend.pValue : null,
      periods: trend.n,
    };
  const project = (period: string) => {
    if (!trend || trend.n < MIN_TREND_PERIODS) return null;
    const p = projectTrend(trend, timeOf(period));
    return { period, value: p.value, low: finite(p.lower) ? p.lower : null, high: finite(p.upper) ? p.upper : null };
  };
  const deadlinePassed = target.deadline !== undefined && tLatest >= timeOf(target.deadline);

  switch (target.kind) {
    case 'relative-change':
    case 'annual-relative-change': {
      if (!baseline)
        return notAssessable(
          'no-baseline',
          `There is no value for the baseline period ${target.baseline?.period ?? ''}.`,
        );
      const b = baseline;
      const deadline = target.deadline as string;
      const levelAt = (_period: string, value: number) => b.value * (1 + value / 100);
      // Milestones: given, or for an annual change one per year (compounded).
      const milestones =
        target.kind === 'annual-relative-change'
          ? yearsBetween(b.period, deadline).map((year) => ({
              period: String(year),
              value: ((1 + (target.value as number) / 100) ** (year - Number(b.period)) - 1) * 100,
            }))
          : target.milestones.length > 0
            ? target.milestones
            : [{ period: deadline, value: target.value as number }];
      const final = milestones.at(-1) as { period: string; value: number };
      const finalLevel = levelAt(final.period, final.value);
      base.goal = { period: final.period, value: round(finalLevel) };
      const next = milestones.find((m) => timeOf(m.period) >= tLatest) ?? final;
      const nextLevel = levelAt(next.period, next.value);
      base.nextMilestone = { period: next.period, value: round(next.value), level: round(nextLevel) };
      const previous = [...milestones].reverse().find((m) => timeOf(m.period) < timeOf(next.period));
      const startT = previous ? timeOf(previous.period) : b.period ? timeOf(b.period) : tLatest;
      const startLevel = previous ? levelAt(previous.period, previous.value) : b.value;
      const span = timeOf(next.period) - startT;
      const fraction = span > 0 ? Math.min(1, Math.max(0, (tLatest - startT) / span)) : 1;
      base.required = { period: latestPoint.period, value: round(startLevel + (nextLevel - startLevel) * fraction) };
      base.projected = project(deadlinePassed ? final.period : next.period);
      return judge(
        base,
        latestPoint.value,
        finalLevel,
        nextLevel,
        sense,
        deadlinePassed,
        `${target.kind === 'annual-relative-change' ? `${target.value} % a year` : `${final.value} %`} from ${b.value.toPrecision(4)} (${b.period ?? 'given'})`,
      );
    }
    case 'absolute': {
      const level = target.value as number;
      base.goal = { period: target.deadline ?? null, value: level };
      if (baseline?.period && target.deadline) {
        const span = timeOf(target.deadline) - timeOf(baseline.period);
        const fraction = span > 0 ? Math.min(1, Math.max(0, (tLatest - timeOf(baseline.period)) / span)) : 1;
        base.required = {
          period: latestPoint.period,
          value: round(baseline.value + (level - baseline.value) * fraction),
        };
      }
      if (target.deadline) base.projected = project(target.deadline);
      return judge(
        base,
        latestPoint.value,
        level,
        level,
        sense,
        deadlinePassed || !target.deadline,
        `${target.comparator} ${level}`,
      );
    }
    case 'threshold': {
      const level = target.value as number;
      base.goal = { period: target.deadline ?? null, value: level };
      base.required = { period: latestPoint.period, value: level };
      const ok = meets(latestPoint.value, level, sense);
      return {
        ...base,
        status: ok ? 'achieved' : 'off-track',
        explanation: `The latest value ${ok ? 'meets' : 'does not meet'} ${target.comparator} ${level}.`,
      };
    }
    case 'days-since-event': {
      const level = target.value as number;
      base.goal = { period: null, value: level };
      if (latestPoint.value >= level)
        return {
          ...base,
          status: 'achieved',
          explanation: `${latestPoint.value} days since the last event (target ${level}).`,
        };
      const previous = usable.at(-2);
      const counting = !previous || latestPoint.value > previous.value;
      return {
        ...base,
        status: counting ? 'on-track' : 'off-track',
        explanation: counting
          ? `The count is rising (${latestPoint.value} of ${level} days).`
          : 'An event reset the count since the previous period.',
      };
    }
    case 'direction': {
      const start = baseline ?? (usable[0] ? { period: usable[0].period, value: usable[0].value } : null);
      if (!start) return notAssessable('no-baseline', 'There is no value to measure the direction from.');
      base.baseline = start;
      const from = usable.filter((p) => timeOf(p.period) >= timeOf(start.period as string));
      if (from.length < 2)
        return notAssessable('too-few-periods', 'At least two periods from the baseline are needed.');
      const better = sense === 'decrease' ? latestPoint.value < start.value : latestPoint.value > start.value;
      const slopeRight = trend ? (sense === 'decrease' ? trend.slope < 0 : trend.slope > 0) : better;
      if (target.deadline && deadlinePassed) {
        return {
          ...base,
          status: better ? 'achieved' : 'off-track',
          explanation: `By the deadline the value has ${better ? '' : 'not '}moved in the wanted direction.`,
        };
      }
      const status: Verdict = better && slopeRight ? 'on-track' : 'off-track';
      base.projected = target.deadline ? project(target.deadline) : null;
      return {
        ...base,
        status,
        explanation: `Since ${start.period} the value has ${better ? '' : 'not '}moved to ${sense === 'decrease' ? 'lower' : 'higher'} values; the trend is ${slopeRight ? '' : 'not '}in the wanted direction.`,
      };
    }
  }
}

function judge(
  base: TargetEvaluation,
  latest: number,
  finalLevel: number,
  nextLevel: number,
  sense: 'increase' | 'decrease',
  deadlinePassed: boolean,
  what: string,
): TargetEvaluation {
  if (meets(latest, finalLevel, sense))
    return { ...base, status: 'achieved', explanation: `The latest value meets the target (${what}).` };
  if (deadlinePassed)
    return {
      ...base,
      status: 'off-track',
      explanation: `The deadline has passed without the target being met (${what}).`,
    };
  if (!base.projected || (base.trend?.periods ?? 0) < MIN_TREND_PERIODS) {
    return {
      ...base,
      status: 'not-assessable',
      reason: 'too-few-periods',
      explanation: `At least ${MIN_TREND_PERIODS} periods from the baseline are needed for a projection.`,
    };
  }
  const onTrack = meets(base.projected.value, nextLevel, sense);
  return {
    ...base,
    status: onTrack ? 'on-track' : 'off-track',
    explanation: `The trend projects ${base.projected.value.toPrecision(4)} in ${base.projected.period} against ${nextLevel.toPrecision(4)} required (${what}).`,
  };
}

function yearsBetween(from: string | null, to: string): number[] {
  const start = Number(from);
  const end = Number(to);
  const years: number[] = [];
  for (let y = start + 1; y <= end; y++) years.push(y);
  return years;
}
