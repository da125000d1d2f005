// Bad input gets a clear 4xx problem naming where and why: bodies, values that do not fit their indicator,
// unknown units and benchmarks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, serveOnEphemeralPort, userToken } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
let token: string;
beforeAll(async () => {
  const made = await catalogueStore();
  ({ store, cleanup } = made);
  token = await userToken(store, { name: 'validator', unit: 'DK', role: 'admin' });
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const url = (path: string) => `${server.url}${path}`;
async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return response.json();
}

describe('request bodies', () => {
  it('answers a malformed JSON body with 400 and the wrong content type with 415', async () => {
    const malformed = await fetch(url('/api/goal-sets'), {
      method: 'POST',
      headers: bearer(token, { 'Content-Type': 'application/json' }),
      body: '{"goalSet":',
    });
    expect((await problem(malformed, 400)).detail).toMatch(/JSON/i);
    const asText = await fetch(url('/api/goal-sets'), {
      method: 'POST',
      headers: bearer(token, { 'Content-Type': 'text/plain' }),
      body: '{}',
    });
    expect((await problem(asText, 415)).detail).toContain('application/json');
    const importAsJson = await fetch(url('/api/imports'), {
      method: 'POST',
      headers: bearer(token, { 'Content-Type': 'application/json' }),
      body: '[]',
    });
    expect((await problem(importAsJson, 415)).detail).toContain('multipart/form-data');
  });
});

describe('imported values must fit their indicator', () => {
  it('names the row and column of non-finite numbers, proportions out of range and periods out of range', async () => {
    const csv = [
      'indicator,unit,period,value',
      'medical-ward-overcrowding,101,2023,1e309',
      'medical-ward-overcrowding,147,2023,150',
      'medical-ward-overcrowding,151,2023,-3',
      'medical-ward-overcrowding,153,0000,5',
      'medical-ward-overcrowding,155,2101,5',
      'medical-ward-overcrowding,157,2023,55.5',
    ].join('\n');
    const report = await importAggregates(store, 'bad.csv', new TextEncoder().encode(csv), { actor: 'test' });
    expect(report.written).toBe(false);
    const byRow = new Map(report.problems.map((p) => [p.row, p]));
    expect(byRow.get(2)).toMatchObject({ column: 'value', value: '1e309', reason: 'is too large to be a number' });
    expect(byRow.get(3)).toMatchObject({ column: 'value', value: '150' });
    expect(byRow.get(3)?.reason).toContain('outside 0–100');
    expect(byRow.get(4)).toMatchObject({ column: 'value', value: '-3' });
    expect(byRow.get(5)).toMatchObject({ column: 'period', value: '0000' });
    expect(byRow.get(6)).toMatchObject({ column: 'period', value: '2101', reason: 'is outside the years 1990–2100' });
    expect(byRow.has(7)).toBe(false);
    expect(await store.queryValues({ indicator: 'medical-ward-overcrowding' })).toEqual([]);
  });

  it('checks a value against numerator and denominator', async () => {
    const csv = 'indicator,unit,period,numerator,denominator,value\nmedical-ward-overcrowding,101,2023,10,200,7\n';
    const report = await importAggregates(store, 'mismatch.csv', new TextEncoder().encode(csv));
    expect(report.problems).toEqual([
      expect.objectContaining({ row: 2, column: 'value', value: '7', reason: expect.stringContaining('= 5.00000') }),
    ]);
  });
});

describe('queries', () => {
  it('answers an unknown unit with 404 and a hint instead of an empty list', async () => {
    const values = await problem(await fetch(url('/api/indicators/hospital-productivity/values?unit=101,9999')), 404);
    expect(values.detail).toBe("Unknown unit '9999'");
    expect(values.hint).toContain('/api/org-units');
    await problem(await fetch(url('/api/indicators/hospital-productivity/trend?unit=Mars')), 404);
    await problem(await fetch(url('/api/indicators/hospital-productivity/learn-from?unit=Mars')), 404);
    await problem(await fetch(url('/api/overview?unit=Mars')), 404);
    await problem(await fetch(url('/api/pocket-cards/Mars?indicators=hospital-productivity')), 404);
    const known = await fetch(url('/api/indicators/hospital-productivity/values?unit=101'));
    expect(known.status).toBe(200);
  });

  it('answers an unknown benchmark with 400', async () => {
    const body = await problem(await fetch(url('/api/indicators/hospital-productivity/values?benchmark=nowhere')), 400);
    expect(body.detail).toBe("'nowhere' is not a benchmark");
    expect((await fetch(url('/api/indicators/hospital-productivity/values?benchmark=region'))).status).toBe(200);
    expect((await fetch(url('/api/indicators/hospital-productivity/values?benchmark=1084'))).status).toBe(200);
  });

  it('caps the indicators on a pocket card', async () => {
    const many = Array.from({ length: 13 }, () => 'hospital-productivity').map((id, i) => `${id}${i ? i : ''}`);
    const body = await problem(await fetch(url(`/api/pocket-cards/101?indicators=${many.join(',')}`)), 400);
    expect(body.detail).toContain('at most 12 indicators');
  });
});
