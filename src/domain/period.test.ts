import { describe, expect, it } from 'vitest';
import { formatPeriod, normalisePeriod, parsePeriod, periodBounds } from './period.js';

describe('periods', () => {
  it('parses the four period types and the Danmarks Statistik quarter form', () => {
    expect(parsePeriod('2024')).toEqual({ type: 'year', year: 2024, index: 0 });
    expect(parsePeriod('2024Q3')).toEqual({ type: 'quarter', year: 2024, index: 3 });
    expect(parsePeriod('2024K1')).toEqual({ type: 'quarter', year: 2024, index: 1 });
    expect(parsePeriod('2024M01')).toEqual({ type: 'month', year: 2024, index: 1 });
    expect(parsePeriod('2024W05')).toEqual({ type: 'week', year: 2024, index: 5 });
    expect(normalisePeriod('2023k4')).toBe('2023Q4');
  });

  it('rejects what is not a period', () => {
    for (const bad of ['24', '2024Q5', '2024M13', '2024M1', '2021W53', 'abc', '2024-01']) {
      expect(parsePeriod(bad), bad).toBeUndefined();
    }
    expect(parsePeriod('2020W53')).toBeDefined(); // 2020 has 53 ISO weeks
  });

  it('gives the first and last day of each period', () => {
    expect(periodBounds(parsePeriod('2024Q1')!)).toEqual({ start: '2024-01-01', end: '2024-03-31' });
    expect(periodBounds(parsePeriod('2024M02')!)).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    // ISO week 1 of 2025 starts on Monday 30 December 2024.
    expect(periodBounds(parsePeriod('2025W01')!)).toEqual({ start: '2024-12-30', end: '2025-01-05' });
    expect(formatPeriod({ type: 'month', year: 2024, index: 7 })).toBe('2024M07');
  });
});
