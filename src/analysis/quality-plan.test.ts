import { describe, expect, it } from 'vitest';
import { countStatuses } from './quality-plan.js';

describe('countStatuses', () => {
  it('counts each status and the share met of all (hand-worked)', () => {
    expect(
      countStatuses(['met', 'met', 'partly-met', 'not-met', 'not-reported', 'not-reported', 'met', 'met']),
    ).toEqual({ met: 4, partlyMet: 1, notMet: 1, notReported: 2, total: 8, shareMet: 0.5 });
  });
  it('has no share when nothing applies', () => {
    expect(countStatuses([])).toEqual({ met: 0, partlyMet: 0, notMet: 0, notReported: 0, total: 0, shareMet: null });
  });
});
