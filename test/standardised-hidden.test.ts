// An age-standardised rate is made from every age group or not at all: a hidden age group stops the rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { AGE_GROUPS } from '../src/domain/breakdowns.js';
import type { IndicatorValue, Store } from '../src/store/index.js';
import { catalogueStore, serveOnEphemeralPort } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  // Two municipalities with 50 courses per 100 citizens in every age group; in Frederiksberg (147) the youngest
  // age group is hidden.
  const rows: IndicatorValue[] = ['101', '147'].flatMap((unit) =>
    AGE_GROUPS.map((age, i) => ({
      indicator: 'hospital-courses-per-citizen',
      unit,
      period: '2023',
      breakdown: `age_group:${age}`,
      numerator: 50,
      denominator: 100,
      value: 0.5,
      suppressed: unit === '147' && i === 0,
    })),
  );
  await store.replaceValues(['hospital-courses-per-citizen'], rows, 'register');
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe('age-standardised rates over hidden age groups', () => {
  it('gives no rate where an age group is hidden, and the common rate where none is', async () => {
    const response = await fetch(
      `${server.url}/api/indicators/hospital-courses-per-citizen/standardised?period=2023&standard=european-2013`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rows: { unit: string; value: number | null; reason?: string }[] };
    const byUnit = new Map(body.rows.map((r) => [r.unit, r]));
    // The same rate in every age group is the standardised rate, whatever the weights.
    expect(byUnit.get('101')?.value).toBeCloseTo(0.5, 12);
    expect(byUnit.get('147')).toMatchObject({
      value: null,
      ciLow: null,
      ciHigh: null,
      reason: 'suppressed-age-groups',
    });
  });
});
