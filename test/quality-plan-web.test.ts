// The quality-plan pages in a real Chromium: the matrix shows the imported statuses, the year switch, the region
// filter and sorting work, English replaces Danish, the unit overview has the compliance summary, and axe finds no
// serious accessibility problem. Screenshots go to test-output/screenshots/.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { importCompliance } from '../src/ingest/index.js';
import { launchBrowser } from '../src/report/browser.js';
import { catalogueStore, ROOT, serveOnEphemeralPort } from './helpers.js';

const STANDARD = 'municipal-acute-functions';
const SHOTS = path.join(ROOT, 'test-output/screenshots');
const STATUS = ['met', 'partly-met', 'not-met', 'not-reported'] as const;
const WORD = {
  met: 'opfyldt',
  'partly-met': 'delvist opfyldt',
  'not-met': 'ikke opfyldt',
  'not-reported': 'ikke indberettet',
};
let server: RunningServer;
let browser: Browser;
let page: Page;
let cleanup: () => Promise<void>;
const errors: string[] = [];
/** What the file says: `unit|requirement|year` → status. */
const expected = new Map<string, (typeof STATUS)[number]>();
let regionOf = new Map<string, string>();

beforeAll(async () => {
  const made = await catalogueStore();
  const municipalities = await made.store.listOrgUnits({ type: 'municipality' });
  regionOf = new Map(municipalities.map((m) => [m.code, m.parent ?? '']));
  const lines = ['kommune;kvalitetsstandard;krav;år;status;vurderingsdato;grundlag'];
  for (const m of municipalities)
    for (const year of [2024, 2025])
      for (let r = 1; r <= 8; r++) {
        const status = STATUS[(Number(m.code) + r * (year - 2022)) % 4] as (typeof STATUS)[number];
        expected.set(`${m.code}|${r}|${year}`, status);
        lines.push(
          status === 'not-reported'
            ? `${m.code};${STANDARD};${r};${year};${WORD[status]};;`
            : `${m.code};${STANDARD};${r};${year};${WORD[status]};10-12-${year};selvevaluering`,
        );
      }
  const report = await importCompliance(made.store, 'web.csv', new TextEncoder().encode(lines.join('\n')), {
    actor: 'test',
  });
  expect(report.problems).toEqual([]);
  server = await serveOnEphemeralPort(made.store);
  browser = await launchBrowser();
  // bypassCSP: axe-core is injected as an inline script, which the app's Content-Security-Policy refuses.
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page.on('pageerror', (e) => errors.push(e.message));
  await mkdir(SHOTS, { recursive: true });
  cleanup = async () => {
    await browser.close();
    await server.close();
    await made.cleanup();
  };
}, 180_000);
afterAll(() => cleanup());

const api = async (p: string) => (await fetch(`${server.url}${p}`)).json();
const statusesShown = (code: string) =>
  page.$$eval(`[data-testid^="cell-${code}-"]`, (cells) =>
    cells.map((c) => [c.getAttribute('data-testid'), c.getAttribute('data-status')]),
  );

describe('quality plan in Chromium', () => {
  it('shows the matrix with the statuses of the file for the latest year, and the year switch changes them', async () => {
    await page.goto(`${server.url}/kvalitetsplan/${STANDARD}`);
    await page.getByRole('heading', { level: 1, name: 'Kvalitetsstandarder for kommunale akutfunktioner' }).waitFor();
    const matrix = page.getByTestId('compliance-matrix');
    await matrix.waitFor();
    expect(await matrix.locator('tbody tr').count()).toBe(98);
    expect(await page.getByTestId('year').inputValue()).toBe('2025');
    for (const code of ['101', '751', '851']) {
      const shown = await statusesShown(code);
      expect(shown).toEqual(
        Array.from({ length: 8 }, (_, i) => [`cell-${code}-${i + 1}`, expected.get(`${code}|${i + 1}|2025`)]),
      );
    }
    // The share column: met / 8, Danish format.
    const met101 = [1, 2, 3, 4, 5, 6, 7, 8].filter((r) => expected.get(`101|${r}|2025`) === 'met').length;
    expect(await page.getByTestId('share-101').textContent()).toBe(
      `${new Intl.NumberFormat('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format((met101 / 8) * 100)} %`,
    );
    await page.getByTestId('compliance-map').locator('svg').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'quality-plan.png'), fullPage: true });
    await page.getByTestId('year').selectOption('2024');
    await expect.poll(() => page.url()).toContain('year=2024');
    await expect
      .poll(() => statusesShown('101'))
      .toEqual(Array.from({ length: 8 }, (_, i) => [`cell-101-${i + 1}`, expected.get(`101|${i + 1}|2024`)]));
  });

  it('filters by region, sorts by share met, and shows a municipality trend', async () => {
    await page.getByTestId('region-filter').selectOption('1081');
    await expect
      .poll(() => page.getByTestId('compliance-matrix').locator('tbody tr').count())
      .toBe([...regionOf.values()].filter((r) => r === '1081').length);
    expect(page.url()).toContain('region=1081');
    const view = await api(`/api/quality-standards/${STANDARD}/compliance?unit=1081&year=2024`);
    const summary = await page.getByTestId('scope-summary').textContent();
    expect(summary).toContain(`${view.unit.counts.met} af ${view.unit.counts.total}`);
    await page.getByTestId('sort').selectOption('share-desc');
    const shares = await page.$$eval('[data-testid^="share-"]', (cells) =>
      cells.map((c) => Number((c.textContent ?? '').replace(' %', '').replace(',', '.'))),
    );
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    await page.getByTestId('matrix-row-851').getByRole('link').click();
    await page.getByTestId('unit-requirements').waitFor();
    expect(page.url()).toContain('unit=851');
    await page.getByTestId('compliance-trend').locator('svg').first().waitFor();
    expect(await page.getByTestId('linked-indicators').getByRole('link').count()).toBeGreaterThan(0);
  });

  it('switches to English and passes axe without serious problems', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Quality standards for municipal acute functions' }).waitFor();
    expect(await page.getByTestId('compliance-matrix').locator('thead').textContent()).toContain('Share met');
    const require = createRequire(import.meta.url);
    await page.addScriptTag({ content: await readFile(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const result = await (
        window as unknown as { axe: { run: (c: string) => Promise<{ violations: { id: string; impact: string }[] }> } }
      ).axe.run('#main');
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
  });

  it("puts the unit's compliance summary on the overview, with the API's numbers", async () => {
    await page.goto(`${server.url}/?unit=751`);
    const item = page.getByTestId(`quality-summary-${STANDARD}`);
    await item.waitFor();
    const view = await api(`/api/quality-standards/${STANDARD}/compliance?unit=751`);
    expect(await item.textContent()).toContain(`${view.unit.counts.met} af ${view.unit.counts.total} krav opfyldt`);
    await page.goto(`${server.url}/kvalitetsplan`);
    await page.getByTestId(`standard-${STANDARD}`).getByRole('link').click();
    await page.getByTestId('compliance-matrix').waitFor();
    expect(errors).toEqual([]);
  });
});
