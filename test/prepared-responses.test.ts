// Answers prepared once per data version: one computation for many askers, ETag/304, and a new answer after
// every write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/index.js';
import { importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, userToken } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  await importAggregates(
    store,
    'a.csv',
    new TextEncoder().encode('indicator,unit,period,value\nhospital-productivity,101,2023,98\n'),
  );
});
afterAll(() => cleanup());

/** The store, counting the value queries made through it. */
function counted(): { store: Store; queries: () => number } {
  let n = 0;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'queryValues')
        return (...args: unknown[]) => {
          n++;
          return value.apply(target, args);
        };
      return value.bind(target);
    },
  });
  return { store: proxy, queries: () => n };
}

describe('prepared answers', () => {
  it('computes an overview once however many ask for it at the same moment', async () => {
    const one = counted();
    const single = await createApp(one.store).request('/api/overview?unit=101');
    expect(single.status).toBe(200);
    const perOverview = one.queries();
    expect(perOverview).toBeGreaterThan(5);

    const many = counted();
    const app = createApp(many.store);
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.request('/api/overview?unit=101')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const bodies = new Set(await Promise.all(answers.map((a) => a.text())));
    expect(bodies.size).toBe(1);
    expect(many.queries()).toBe(perOverview);
  });

  it('answers 304 to a current ETag, and a new answer with a new ETag after a write', async () => {
    const app = createApp(store);
    const first = await app.request('/api/indicators/hospital-productivity/values?unit=101');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toContain('no-cache');
    expect((await first.json())[0]).toMatchObject({ period: '2023', value: 98 });

    const again = await app.request('/api/indicators/hospital-productivity/values?unit=101', {
      headers: { 'If-None-Match': etag as string },
    });
    expect(again.status).toBe(304);

    await importAggregates(
      store,
      'b.csv',
      new TextEncoder().encode('indicator,unit,period,value\nhospital-productivity,101,2023,103\n'),
    );
    const after = await app.request('/api/indicators/hospital-productivity/values?unit=101', {
      headers: { 'If-None-Match': etag as string },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await after.json())[0]).toMatchObject({ period: '2023', value: 103 });
  });

  it('answers anew after an import through the API', async () => {
    const app = createApp(store);
    const token = await userToken(store, { name: 'importer', unit: 'DK', role: 'admin' });
    expect((await (await app.request('/api/imports')).json()).length).toBe(2);
    const form = new FormData();
    form.append(
      'file',
      new Blob(['indicator,unit,period,value\nhospital-productivity,101,2024,1\n'], { type: 'text/csv' }),
      'c.csv',
    );
    expect((await app.request('/api/imports', { method: 'POST', body: form, headers: bearer(token) })).status).toBe(
      200,
    );
    const listed = await app.request('/api/imports');
    expect((await listed.json()).map((i: { fileName: string }) => i.fileName)).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });
});
