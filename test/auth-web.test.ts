// Sign-in and upload in a real Chromium: an editor signs in, chooses a file, sees what would change (new, changed
// old → new, unchanged), confirms; a post without the CSRF token is refused; no page breaks the CSP.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { importAggregates } from '../src/ingest/index.js';
import { launchBrowser } from '../src/report/browser.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, ROOT, serveOnEphemeralPort, userToken } from './helpers.js';

const SHOTS = path.join(ROOT, 'test-output/screenshots');
const PASSWORD = 'viborg har en lang adgangskode';
let server: RunningServer;
let store: Store;
let browser: Browser;
let page: Page;
let cleanup: () => Promise<void>;
const cspViolations: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  const made = await catalogueStore();
  store = made.store;
  await userToken(store, { name: 'viborg', unit: '791', role: 'editor', password: PASSWORD });
  // Values already stored for Viborg 2022 and 2023 (the upload changes 2023 and adds 2024), and a few for charts.
  const csv = ['indicator,unit,period,value', 'patient-satisfaction,791,2022,84', 'patient-satisfaction,791,2023,85'];
  for (const unit of ['DK', '1082', '751', '101'])
    for (const y of [2021, 2022, 2023]) csv.push(`patient-satisfaction,${unit},${y},${80 + (y % 5)}`);
  await importAggregates(store, 'seed.csv', new TextEncoder().encode(`${csv.join('\n')}\n`), { actor: 'seed' });
  server = await serveOnEphemeralPort(store);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => /Content[- ]Security[- ]Policy/i.test(m.text()) && cspViolations.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await mkdir(SHOTS, { recursive: true });
  cleanup = async () => {
    await browser.close();
    await server.close();
    await made.cleanup();
  };
}, 120_000);
afterAll(() => cleanup());

const chooseFile = (name: string, text: string) =>
  page.getByTestId('upload-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('sign-in and upload in Chromium', () => {
  it('signs in, shows the user in the header, and refuses a wrong password', async () => {
    await page.goto(`${server.url}/log-ind`);
    await page.getByLabel('Brugernavn').fill('viborg');
    await page.getByLabel('Adgangskode').fill('forkert forkert forkert');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('Forkert brugernavn');
    await page.getByLabel('Adgangskode').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('heading', { name: 'Indlæs tal' }).waitFor();
    await expect.poll(() => page.getByTestId('session-user').textContent()).toContain('viborg (791)');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'pejling_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('shows the dry-run diff, writes only after confirming, and records the signed-in editor', async () => {
    await chooseFile(
      'viborg.csv',
      'indikator;enhed;periode;værdi\npatient-satisfaction;791;2022;84\npatient-satisfaction;791;2023;86,5\npatient-satisfaction;791;2024;88\n',
    );
    await page.getByTestId('upload-check').click();
    await expect.poll(() => page.getByTestId('upload-counts').textContent()).toBe('1 nye, 1 ændrede, 1 uændrede');
    expect(await page.getByTestId('upload-diff').locator('td.num').textContent()).toBe('85,0 → 86,5');
    // Nothing written yet.
    expect(await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2024' })).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'upload-diff.png'), fullPage: true });
    await page.getByTestId('upload-confirm').click();
    await page.getByTestId('upload-written').waitFor();
    const [value] = await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2024' });
    expect(value?.value).toBe(88);
    const [revision] = await store.valueHistory({ indicator: 'patient-satisfaction', unit: '791', period: '2023' });
    expect(revision).toMatchObject({ value: 86.5, actor: 'viborg' });
  });

  it("refuses København's rows with the rows named", async () => {
    await chooseFile(
      'kbh.csv',
      'indicator,unit,period,value\npatient-satisfaction,791,2020,80\npatient-satisfaction,101,2024,99\n',
    );
    await page.getByTestId('upload-check').click();
    const problem = page.getByTestId('upload-problem');
    await expect.poll(() => problem.textContent()).toContain('(403)');
    expect(await problem.textContent()).toContain('row 3: unit 101');
  });

  it('refuses a post from the signed-in page without the CSRF token', async () => {
    const status = await page.evaluate(async () => {
      const form = new FormData();
      form.append('file', new Blob(['indicator,unit,period,value\npatient-satisfaction,791,2019,70\n']), 'x.csv');
      return (await fetch('/api/imports', { method: 'POST', body: form })).status;
    });
    expect(status).toBe(403);
    expect(await store.queryValues({ indicator: 'patient-satisfaction', unit: '791', period: '2019' })).toEqual([]);
  });

  it('works under the Content-Security-Policy: overview and indicator page with charts', async () => {
    await page.goto(`${server.url}/?unit=791`);
    await page.getByRole('heading', { name: /Overblik: Viborg/ }).waitFor();
    await page.goto(`${server.url}/indikator/patient-satisfaction?unit=791`);
    await page.getByTestId('trend-chart').locator('svg').first().waitFor();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-link').waitFor();
    expect(cspViolations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
