// What an import would change is shown as published: the upload preview never shows the number of a hidden cell,
// neither the stored one it replaces nor the new one.
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

type Example = { unit: string; period: string; breakdown: string; before: number | null; after: number | null };
async function post(csv: string, dryRun: boolean) {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'smokers.csv');
  if (dryRun) form.append('dryRun', 'true');
  const response = await fetch(`${server.url}/api/imports`, { method: 'POST', headers: bearer(token), body: form });
  expect(response.status).toBe(200);
  return (await response.json()) as { written: boolean; diff: { changed: number; examples: Example[] } };
}
const smokers = (rows: [string, number, number][]) =>
  [
    'indicator,unit,period,breakdown,numerator,denominator,value',
    ...rows.map(([b, n, d]) => `daily-smokers,751,2024,${b},${n},${d},${(100 * n) / d}`),
  ].join('\n');

describe('the changes an import shows', () => {
  it('give no number for a cell that is hidden before or after', async () => {
    // Women 3 of 40 are a count of 1-4; total = women + men, so the men are hidden with them.
    expect(
      (
        await post(
          smokers([
            ['total', 20, 100],
            ['sex:F', 3, 40],
            ['sex:M', 17, 60],
          ]),
          false,
        )
      ).written,
    ).toBe(true);
    const published = await (await fetch(`${server.url}/api/indicators/daily-smokers/values?unit=751`)).json();
    const hidden = new Set(
      published.filter((r: { suppressed: boolean }) => r.suppressed).map((r: Example) => r.breakdown),
    );
    expect([...hidden].sort()).toEqual(['sex:F', 'sex:M']);

    // New figures: women 4 of 40 (hidden again), men 18 of 60, total 22 of 100.
    const preview = await post(
      smokers([
        ['total', 22, 100],
        ['sex:F', 4, 40],
        ['sex:M', 18, 60],
      ]),
      true,
    );
    expect(preview.diff.changed).toBe(3);
    const byBreakdown = new Map(preview.diff.examples.map((e) => [e.breakdown, e]));
    expect(byBreakdown.get('total')).toMatchObject({ before: 20, after: 22 });
    expect(byBreakdown.get('sex:F')).toMatchObject({ before: null, after: null });
    expect(byBreakdown.get('sex:M')).toMatchObject({ before: null, after: null });
  });
});
