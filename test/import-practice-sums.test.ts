// An import's disclosure control uses Denmark = Σ practices like compute does: a file with Denmark and every
// practice, one practice with a count of 1-4, must not let Denmark minus the other practices give it away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, savePractices } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  await savePractices(store, { '101': ['PA', 'PB'], '751': ['PC'] });
});
afterAll(() => cleanup());

describe('an import of practice values', () => {
  it('hides a second practice, so Denmark − the others does not give the small one away', async () => {
    // Denmark 40/500 = PA 3/100 + PB 15/150 + PC 22/250 (every patient listed). PA's 3 is a count of 1-4. Without
    // Denmark = Σ practices only PA would be hidden, and 40 − 15 − 22 = 3. With it, {PA +1, PB −1} is the cheapest
    // pattern that keeps the sum (PB costs 16, PC 23; Denmark is kept visible).
    const csv = [
      'indicator,unit,period,breakdown,numerator,denominator',
      'hospital-acquired-infections,DK,2024,total,40,500',
      'hospital-acquired-infections,PA,2024,total,3,100',
      'hospital-acquired-infections,PB,2024,total,15,150',
      'hospital-acquired-infections,PC,2024,total,22,250',
    ].join('\n');
    const report = await importAggregates(store, 'praksis.csv', new TextEncoder().encode(`${csv}\n`));
    expect(report.written).toBe(true);
    const published = await store.queryValues({ indicator: 'hospital-acquired-infections', period: '2024' });
    const hidden = published.filter((v) => v.suppressed).map((v) => v.unit);
    expect(hidden.sort()).toEqual(['PA', 'PB']);
    expect(published.find((v) => v.unit === 'DK')).toMatchObject({ suppressed: false, numerator: 40 });
  });
});
