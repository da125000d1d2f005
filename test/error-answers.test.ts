// Every error the API gives is a problem document, uploads with bad values included, and a query naming a unit
// that does not exist is a 404 wherever a unit can be named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import type { Store } from '../src/store/index.js';
import { bearer, catalogueStore, serveOnEphemeralPort, userToken } from './helpers.js';

let server: RunningServer;
let store: Store;
let cleanup: () => Promise<void>;
let token: string;
beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  token = await userToken(store, { name: 'aarhus-editor', unit: '751', role: 'editor' });
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const url = (path: string) => `${server.url}${path}`;
async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await response.json();
  expect(body).toMatchObject({ status, type: 'about:blank' });
  return body;
}
function upload(name: string, text: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/csv' }), name);
  return form;
}

describe('an import with bad values', () => {
  it('is a 422 problem document naming each row, with the import report beside it', async () => {
    const csv = [
      'indicator,unit,period,breakdown,value',
      'daily-smokers,751,2024,total,1e309',
      'daily-smokers,751,2024,sex:F,150',
      'daily-smokers,751,0000,total,20',
    ].join('\n');
    const response = await fetch(url('/api/imports'), {
      method: 'POST',
      headers: bearer(token),
      body: upload('bad.csv', csv),
    });
    const body = await problem(response, 422);
    expect(body.detail).toBe('bad.csv has 3 problem(s); nothing was written');
    expect(body.errors).toEqual([
      "row 2, column value: '1e309' is too large to be a number",
      expect.stringMatching(/^row 3, column value: '150' .*outside 0–100/),
      expect.stringMatching(/^row 4, column period: '0000' /),
    ]);
    // The upload page reads the report's own fields.
    expect(body).toMatchObject({ file: 'bad.csv', written: false, importId: null, rowsInFile: 3 });
    expect(body.problems.map((p: { row: number }) => p.row)).toEqual([2, 3, 4]);
    expect(await store.queryValues({ indicator: 'daily-smokers' })).toEqual([]);
  });

  it('still answers a good file with the plain report', async () => {
    const response = await fetch(url('/api/imports'), {
      method: 'POST',
      headers: bearer(token),
      body: upload('good.csv', 'indicator,unit,period,breakdown,value\ndaily-smokers,751,2024,total,20\n'),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ written: true, problems: [] });
  });
});

describe('unknown units in a query', () => {
  it('are 404 for the history of values and for the geography of an indicator', async () => {
    const history = await problem(await fetch(url('/api/indicators/daily-smokers/history?unit=9999')), 404);
    expect(history.detail).toBe("Unknown unit '9999'");
    expect(history.hint).toContain('/api/org-units');
    await problem(await fetch(url('/api/indicators/daily-smokers/geography?period=2024&within=9999')), 404);
    expect((await fetch(url('/api/indicators/daily-smokers/history?unit=751'))).status).toBe(200);
    expect((await fetch(url('/api/indicators/daily-smokers/geography?period=2024&within=1082'))).status).toBe(200);
  });

  it('are 404 for compliance records and their history', async () => {
    const records = await problem(await fetch(url('/api/compliance?unit=9999')), 404);
    expect(records.detail).toBe("Unknown unit '9999'");
    await problem(await fetch(url('/api/compliance/history?unit=9999')), 404);
    expect((await fetch(url('/api/compliance?unit=751'))).status).toBe(200);
    expect((await fetch(url('/api/compliance/history?unit=751'))).status).toBe(200);
  });
});
