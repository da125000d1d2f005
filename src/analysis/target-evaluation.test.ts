// Evaluation rules on constructed series; expected numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import type { Indicator, Target } from '../catalogue/index.js';
import { evaluateTarget, type SeriesPoint } from './target-evaluation.js';

const indicator = { id: 'x', polarity: 'lower-is-better', measure: 'proportion', multiplier: 100 } as Indicator;
const reform: Target = {
  id: 'reform',
  name: { da: 'x', en: 'x' },
  indicator: 'x',
  kind: 'relative-change',
  direction: 'decrease',
  scope: { types: ['nation'] },
  baseline: { period: '2019' },
  value: -15,
  deadline: '2035',
  milestones: [
    { period: '2026', value: -5 },
    { period: '2030', value: -10 },
    { period: '2035', value: -15 },
  ],
  source: { document: 'd' },
};
const series = (values: Record<string, number | null>): SeriesPoint[] =>
  Object.entries(values).map(([period, value]) => ({ period, value }));

describe('relative-change target with milestones (−5 % 2026, −10 % 2030, −15 % 2035 from 2019)', () => {
  it('is on track when the trend reaches the next milestone', () => {
    // Baseline 10.0; falling 0.1 a year: projection to 2026 is 9.3 ≤ 9.5 (the 2026 milestone).
    const e = evaluateTarget(reform, indicator, 'DK', series({ 2019: 10, 2020: 9.9, 2021: 9.8, 2022: 9.7, 2023: 9.6 }));
    expect(e.status).toBe('on-track');
    expect(e.baseline).toEqual({ period: '2019', value: 10 });
    expect(e.nextMilestone).toEqual({ period: '2026', value: -5, level: 9.5 });
    expect(e.goal).toEqual({ period: '2035', value: 8.5 });
    // Straight path from 10 (2019.5) to 9.5 (2026.5): at 2023.5 → 10 − 0.5 · 4/7.
    expect(e.required?.value).toBeCloseTo(10 - 0.5 * (4 / 7), 9);
    expect(e.projected?.value).toBeCloseTo(9.3, 9);
    expect(e.trend?.slopePerYear).toBeCloseTo(-0.1, 9);
  });

  it('is off track when the trend misses the next milestone', () => {
    const e = evaluateTarget(reform, indicator, 'DK', series({ 2019: 10, 2020: 10.1, 2021: 10, 2022: 10.2 }));
    expect(e.status).toBe('off-track');
    expect(e.projected?.value).toBeGreaterThan(9.5);
  });

  it('is achieved when the latest value meets the final target', () => {
    expect(evaluateTarget(reform, indicator, 'DK', series({ 2019: 10, 2022: 9, 2024: 8.4 })).status).toBe('achieved');
  });

  it('is not assessable with too short a series, without a baseline, or with a suppressed latest value', () => {
    expect(evaluateTarget(reform, indicator, 'DK', series({ 2019: 10, 2020: 9.9 }))).toMatchObject({
      status: 'not-assessable',
      reason: 'too-few-periods',
    });
    expect(evaluateTarget(reform, indicator, 'DK', series({ 2020: 10, 2021: 9.9, 2022: 9 }))).toMatchObject({
      status: 'not-assessable',
      reason: 'no-baseline',
    });
    expect(
      evaluateTarget(reform, indicator, 'DK', [
        ...series({ 2019: 10, 2020: 9 }),
        { period: '2021', value: null, suppressed: true },
      ]),
    ).toMatchObject({ status: 'not-assessable', reason: 'suppressed-data' });
    expect(evaluateTarget(reform, indicator, 'DK', [])).toMatchObject({ status: 'not-assessable', reason: 'no-data' });
  });

  it('is judged against the final target once the deadline has passed', () => {
    const short: Target = { ...reform, deadline: '2022', value: -15, milestones: [{ period: '2022', value: -15 }] };
    expect(evaluateTarget(short, indicator, 'DK', series({ 2019: 10, 2020: 9.8, 2021: 9.5, 2022: 9 })).status).toBe(
      'off-track',
    );
  });
});

describe('annual-relative-change target (−10 % a year 2016-2019 from 2015)', () => {
  const viborg: Target = {
    id: 'v',
    name: { da: 'x', en: 'x' },
    indicator: 'x',
    kind: 'annual-relative-change',
    direction: 'decrease',
    scope: { units: ['791'] },
    baseline: { period: '2015' },
    value: -10,
    deadline: '2019',
    milestones: [],
    source: { document: 'd' },
  };
  it('compounds the yearly change', () => {
    const e = evaluateTarget(viborg, indicator, '791', series({ 2015: 100, 2016: 90, 2017: 81, 2018: 72.9 }));
    expect(e.goal?.value).toBeCloseTo(65.61, 9);
    expect(e.nextMilestone).toMatchObject({ period: '2018', level: 72.9 });
    expect(e.status).toBe('on-track');
  });
  it('is off track when the count stays flat', () => {
    expect(evaluateTarget(viborg, indicator, '791', series({ 2015: 100, 2016: 99, 2017: 101, 2018: 98 })).status).toBe(
      'off-track',
    );
  });
});

describe('absolute, threshold, direction and days-since-event targets', () => {
  const gps: Target = {
    id: 'g',
    name: { da: 'x', en: 'x' },
    indicator: 'x',
    kind: 'absolute',
    comparator: '>=',
    scope: { units: ['DK'] },
    baseline: { period: '2022' },
    value: 6500,
    deadline: '2035',
    milestones: [],
    source: { document: 'd' },
  };
  const up = { ...indicator, polarity: 'higher-is-better' } as Indicator;
  it('absolute: on track when the trend reaches the level by the deadline, achieved when reached', () => {
    // +150 a year from 4,550 (2022): 2035 projects 6,500.
    const e = evaluateTarget(gps, up, 'DK', series({ 2022: 4550, 2023: 4700, 2024: 4850 }));
    expect(e.status).toBe('on-track');
    expect(e.projected?.value).toBeCloseTo(6500, 6);
    expect(e.required?.value).toBeCloseTo(4550 + (6500 - 4550) * (2 / 13), 6);
    expect(evaluateTarget(gps, up, 'DK', series({ 2022: 4550, 2023: 4600, 2024: 4650 })).status).toBe('off-track');
    expect(evaluateTarget(gps, up, 'DK', series({ 2022: 4550, 2030: 6600 })).status).toBe('achieved');
  });

  it('threshold: achieved or off track on the latest value; pending targets are not assessable', () => {
    const t: Target = { ...gps, kind: 'threshold', value: 70, deadline: '2017' };
    expect(evaluateTarget(t, up, '791', series({ 2017: 72 })).status).toBe('achieved');
    expect(evaluateTarget(t, up, '791', series({ 2017: 65 })).status).toBe('off-track');
    const pending: Target = { ...t, value: undefined, pending: { statusDue: '2024', note: 'n' } };
    expect(evaluateTarget(pending, up, 'DK', series({ 2024: 50 }))).toMatchObject({
      status: 'not-assessable',
      reason: 'target-pending',
    });
  });

  it('direction: on track when better than the baseline with the trend in the wanted direction', () => {
    const d: Target = {
      ...gps,
      kind: 'direction',
      direction: 'decrease',
      comparator: undefined,
      value: undefined,
      deadline: undefined,
      baseline: { period: '2019' },
    };
    expect(evaluateTarget(d, indicator, 'DK', series({ 2019: 1.0, 2020: 0.95, 2021: 0.9 })).status).toBe('on-track');
    expect(evaluateTarget(d, indicator, 'DK', series({ 2019: 1.0, 2020: 1.05, 2021: 1.1 })).status).toBe('off-track');
    expect(evaluateTarget(d, indicator, 'DK', series({ 2019: 1.0 }))).toMatchObject({
      status: 'not-assessable',
      reason: 'too-few-periods',
    });
  });

  it('days since event: achieved at the target, on track while counting, off track after a reset', () => {
    const days: Target = { ...gps, kind: 'days-since-event', value: 300, comparator: '>=', deadline: undefined };
    expect(evaluateTarget(days, up, '791', series({ '2017M01': 280, '2017M02': 310 })).status).toBe('achieved');
    expect(evaluateTarget(days, up, '791', series({ '2017M01': 100, '2017M02': 131 })).status).toBe('on-track');
    expect(evaluateTarget(days, up, '791', series({ '2017M01': 100, '2017M02': 12 })).status).toBe('off-track');
  });
});
