// The funnel plot compares general practices too, like municipalities, regions, clusters and hospitals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import type { IndicatorValue, Store } from '../src/store/index.js';
import { catalogueStore, savePractices, serveOnEphemeralPort } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  await savePractices(store, { '101': ['PA'], '751': ['PB'] });
  const row = (unit: string, numerator: number, denominator: number): IndicatorValue => ({
    indicator: 'preventable-admissions-65plus',
    unit,
    period: '2024',
    breakdown: 'total',
    numerator,
    denominator,
    value: (1000 * numerator) / denominator,
    suppressed: false,
  });
  await store.replaceValues(
    ['preventable-admissions-65plus'],
    [row('DK', 10000, 200000), row('101', 500, 10000), row('PA', 30, 400), row('PB', 12, 600)],
    'register',
  );
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe('a funnel plot of general practices', () => {
  it('places every practice around Denmark and no other kind of unit', async () => {
    const response = await fetch(
      `${server.url}/api/indicators/preventable-admissions-65plus/funnel?period=2024&level=gp-practice`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      level: string;
      benchmark: { unit: string; value: number };
      points: { unit: string; value: number; denominator: number }[];
    };
    expect(body.level).toBe('gp-practice');
    expect(body.benchmark).toEqual({ unit: 'DK', value: 50 });
    expect(body.points.map((p) => [p.unit, p.value, p.denominator])).toEqual([
      ['PA', 75, 400],
      ['PB', 20, 600],
    ]);
  });
});
