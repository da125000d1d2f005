// The reference cache answers value queries from its in-memory totals exactly as the store's own SQL does,
// and carries an indicator's totals (and, inside a computation, its stored value counts) over to a new data
// version only when the write did not change them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAggregates } from '../src/ingest/index.js';
import { atDataVersion, type Store, withReferenceCache } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';

const A = 'hospital-productivity';
const B = 'patient-satisfaction';
let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  const rows = ['indicator,unit,period,value'];
  for (const unit of ['101', '147', '751', 'DK', '1084', '461'])
    for (const period of ['2021', '2022', '2023']) rows.push(`${A},${unit},${period},${90 + Number(period) - 2020}`);
  rows.push(`${B},101,2023,80`);
  await importAggregates(store, 'start.csv', new TextEncoder().encode(`${rows.join('\n')}\n`));
});
afterAll(() => cleanup());

describe('the reference cache', () => {
  it('answers queries for a list of units as the store does', async () => {
    const cached = withReferenceCache(store);
    for (const unit of [['DK'], ['751', '101'], ['461', 'DK', '101', '101', 'nowhere'], [], ['nowhere']])
      for (const period of [undefined, '2022'])
        for (const indicator of [A, B]) {
          const query = { indicator, unit, breakdown: 'total', ...(period ? { period } : {}) };
          expect(await cached.queryValues(query)).toEqual(await store.queryValues(query));
        }
  });

  it('reads again only the totals of the indicator a write changed', async () => {
    const reads: string[] = [];
    const counting = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'queryValues') return typeof value === 'function' ? value.bind(target) : value;
        return (query: { indicator: string }) => {
          reads.push(query.indicator);
          return store.queryValues(query as never);
        };
      },
    });
    const cached = withReferenceCache(counting);
    const totals = (indicator: string) => cached.queryValues({ indicator, unit: '101', breakdown: 'total' });
    expect((await totals(A)).map((v) => v.value)).toEqual([91, 92, 93]);
    expect((await totals(B)).map((v) => v.value)).toEqual([80]);
    expect(reads).toEqual([A, B]);
    await importAggregates(store, 'a.csv', new TextEncoder().encode(`indicator,unit,period,value\n${A},101,2023,50\n`));
    expect((await totals(A)).map((v) => v.value)).toEqual([91, 92, 50]);
    expect((await totals(B)).map((v) => v.value)).toEqual([80]);
    expect(reads).toEqual([A, B, A]);
  });

  it('asks for stored value counts once per version and list of units in a computation, and again after a write of them', async () => {
    const asked: string[] = [];
    const counting = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'storedValueCounts') return typeof value === 'function' ? value.bind(target) : value;
        return (indicator: string, units?: readonly string[]) => {
          asked.push(`${indicator} ${units?.join(',') ?? '*'}`);
          return store.storedValueCounts(indicator, units);
        };
      },
    });
    const cached = withReferenceCache(counting);
    /** The counts as a computation of an answer asks for them (pinned to the current version). */
    const counts = async (indicator: string, units?: string[]) =>
      atDataVersion(await store.dataVersion(), () => cached.storedValueCounts(indicator, units));
    // Hand-counted from the rows above: A has 3 periods for 101 and 147, B one row for 101.
    expect((await counts(A, ['101', '147'])).values).toBe(6);
    expect((await counts(A, ['101', '147'])).values).toBe(6);
    expect((await counts(B, ['101', '147'])).values).toBe(1);
    expect((await counts(A)).values).toBe(await store.storedValueCounts(A).then((c) => c.values));
    expect(asked).toEqual([`${A} 101,147`, `${B} 101,147`, `${A} *`]);
    // Outside a computation (an import deciding on disclosure control) the store is asked each time.
    await cached.storedValueCounts(B, ['101']);
    await cached.storedValueCounts(B, ['101']);
    expect(asked.slice(3)).toEqual([`${B} 101`, `${B} 101`]);
    // A write of A's values: A's counts are asked again, B's stay.
    await importAggregates(
      store,
      'a2.csv',
      new TextEncoder().encode(`indicator,unit,period,value\n${A},147,2024,70\n`),
    );
    expect((await counts(A, ['101', '147'])).values).toBe(7);
    expect((await counts(B, ['101', '147'])).values).toBe(1);
    expect(asked.slice(5)).toEqual([`${A} 101,147`]);
  });
});
