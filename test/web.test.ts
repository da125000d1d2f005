// The dashboard in a real Chromium: every page loads, a unit and an indicator can be clicked through, the language
// switches, and the numbers shown equal the API's. Screenshots go to test-output/screenshots/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { launchBrowser } from '../src/report/browser.js';
import { demoStore, ROOT, serveOnEphemeralPort } from './helpers.js';

const SHOTS = path.join(ROOT, 'test-output/screenshots');
let server: RunningServer;
let browser: Browser;
let page: Page;
let cleanup: () => Promise<void>;
const errors: string[] = [];

beforeAll(async () => {
  // The demo store `pejling start` makes (smaller), computed once per test run and shared with other files.
  const made = await demoStore({ persons: 6000, fromYear: 2015, toYear: 2025 });
  // One imported indicator without values, as before its first import: overview rows without data, and a target
  // that cannot be judged for want of any value.
  await made.store.replaceValues(['excess-mortality-mental-illness'], [], 'test');
  server = await serveOnEphemeralPort(made.store);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  // Every page must work under the server's Content-Security-Policy.
  page.on('console', (m) => /Content[- ]Security[- ]Policy/i.test(m.text()) && errors.push(m.text()));
  await mkdir(SHOTS, { recursive: true });
  cleanup = async () => {
    await browser.close();
    await server.close();
    await made.cleanup();
  };
}, 600_000);
afterAll(() => cleanup());

const api = async (p: string) => (await fetch(`${server.url}${p}`)).json();
const danish = (value: number, digits: number) =>
  new Intl.NumberFormat('da-DK', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
const digitsFor = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3);
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('dashboard in Chromium', () => {
  it('shows the overview with the API latest values in Danish number format', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: /Overblik: Danmark/ }).waitFor();
    const overview = await api('/api/overview?unit=DK');
    const reform = overview.goalSets.find((s: { id: string }) => s.id === 'health-reform-2022');
    const row = reform.goals[0].indicators.find((i: { id: string }) => i.id === 'acute-readmission-somatic-30d');
    const cell = page.getByTestId('row-health-reform-2022-acute-readmission-somatic-30d').getByTestId('latest-value');
    await expect.poll(() => cell.textContent()).toContain(danish(row.latest.value, digitsFor(row.latest.value)));
    expect(await cell.textContent()).toContain(`(${row.latest.period})`);
    await shot('overview');
    const rows = () => page.locator('table.overview tbody tr:not(.goal-row)').count();
    const all = await rows();
    await page.getByTestId('only-with-data').check();
    expect(await rows()).toBeLessThan(all);
    await page.getByTestId('only-with-data').uncheck();
    expect(await rows()).toBe(all);
  });

  it('switches unit from the picker, keeps it in the URL, and follows an indicator link', async () => {
    // A region: with 6,000 persons, disclosure control hides a municipality's few preventable admissions (and
    // with them its whole trend), while a region's yearly totals stay published.
    await page.getByTestId('unit-picker').selectOption('1082');
    await page.getByRole('heading', { name: /Overblik: Region Midtjylland/ }).waitFor();
    expect(page.url()).toContain('unit=1082');
    await page.getByTestId('row-national-goals-2016-preventable-admissions-65plus').getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'Forebyggelige indlæggelser blandt ældre (65+)' }).waitFor();
    expect(page.url()).toContain('/indikator/preventable-admissions-65plus?unit=1082');
    await page.getByTestId('trend-chart').locator('svg').first().waitFor();
    await page.getByTestId('map').locator('svg').first().waitFor();
    const table = page.getByTestId('values-table');
    await table.waitFor();
    const period =
      new URL(page.url()).searchParams.get('period') ?? (await page.getByTestId('period-picker').inputValue());
    const rows = await api(
      `/api/indicators/preventable-admissions-65plus/values?period=${period}&breakdown=total&unit=1082`,
    );
    const region = table.getByRole('row', { name: /^Region Midtjylland/ });
    expect(rows[0].suppressed).toBe(false);
    expect(await region.textContent()).toContain(danish(rows[0].value, digitsFor(rows[0].value)));
    await shot('indicator');
  });

  it('sorts the table by value', async () => {
    const table = page.getByTestId('values-table');
    await table.getByRole('button', { name: /^Værdi/ }).click();
    const first = await table.locator('tbody tr').first().locator('td').nth(2).textContent();
    const values = (
      await api(
        `/api/indicators/preventable-admissions-65plus/values?period=${await page.getByTestId('period-picker').inputValue()}&breakdown=total`,
      )
    )
      .filter((r: { value: number | null }) => r.value !== null)
      .map((r: { value: number }) => r.value);
    const min = Math.min(...values);
    expect(first).toBe(danish(min, digitsFor(min)));
  });

  it('switches to English and back, keeping the page', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByRole('link', { name: 'Overview' }).waitFor();
    expect(page.url()).toContain('lang=en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Preventable admissions among older citizens (65+)',
    );
    await page.getByTestId('language-switch').click();
    await page.getByRole('link', { name: 'Overblik' }).waitFor();
  });

  it('draws the funnel among general practices when that level is chosen', async () => {
    await page.goto(`${server.url}/indikator/acute-readmission-somatic-30d?unit=1082`);
    await page.getByTestId('funnel').locator('svg').first().waitFor();
    const period = await page.getByTestId('period-picker').inputValue();
    const answered = page.waitForResponse((r) => r.url().includes('/funnel?') && r.url().includes('level=gp-practice'));
    await page.getByTestId('funnel-level').selectOption('gp-practice');
    expect((await answered).status()).toBe(200);
    await page.getByTestId('funnel').locator('svg').first().waitFor();
    const funnel = await api(`/api/indicators/acute-readmission-somatic-30d/funnel?period=${period}&level=gp-practice`);
    const units = await api('/api/org-units?type=gp-practice');
    // Every point is a practice's, and the chart draws one dot per point.
    expect(funnel.points.every((p: { unit: string }) => units.some((u: { code: string }) => u.code === p.unit))).toBe(
      true,
    );
    expect(await page.getByTestId('funnel').locator('svg circle').count()).toBe(funnel.points.length);
    expect(await page.getByTestId('funnel-level').inputValue()).toBe('gp-practice');
  });

  it('shows the unit profile with its spine chart and learn-from list', async () => {
    await page.goto(`${server.url}/enhed/101`);
    await page.getByTestId('spine-chart').locator('svg').first().waitFor({ timeout: 30_000 });
    await page.getByText('Vis som tabel').first().click();
    const table = page.getByTestId('profile-table');
    // On this small demo disclosure control hides most of København's latest totals; the outpatient share is published.
    const rows = await api('/api/indicators/outpatient-course-share/values?unit=101&breakdown=total');
    const latest = rows.filter((r: { period: string }) => /^\d{4}$/.test(r.period)).at(-1);
    expect(await table.locator('tr', { hasText: 'Andel ambulante sygehusforløb' }).first().textContent()).toContain(
      danish(latest.value, digitsFor(latest.value)),
    );
    await page.getByTestId('learn-from').waitFor();
    await shot('unit-profile');
  });

  it('shows goal links in both directions', async () => {
    await page.goto(`${server.url}/maal/ng-chronic-and-elderly`);
    await page.getByRole('heading', { level: 1, name: 'Styrket indsats for kronikere og ældre patienter' }).waitFor();
    await expect
      .poll(() => page.getByTestId('pursued-by').textContent())
      .toContain('Behovet for akutte indlæggelser reduceres');
    await page
      .getByTestId('pursued-by')
      .getByRole('link', { name: 'Behovet for akutte indlæggelser reduceres' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Behovet for akutte indlæggelser reduceres' }).waitFor();
    await expect
      .poll(() => page.getByTestId('pursues').textContent())
      .toContain('Styrket indsats for kronikere og ældre patienter');
    await shot('goal-links');
  });

  it('shows a target verdict with the numbers behind it', async () => {
    // Denmark, or else the first unit with a verdict: on a small demo, disclosure control can hide Denmark's or a
    // region's yearly total (docs/disclosure.md), and the target is then not assessed there.
    const all: { unit: string; status: string }[] = await api('/api/targets/reform-acute-readmissions/evaluations');
    const assessed = all.filter((e) => e.status !== 'not-assessable');
    const unit = (assessed.find((e) => e.unit === 'DK') ?? assessed[0])?.unit;
    expect(unit).toBeDefined();
    const evaluation = await api(`/api/targets/reform-acute-readmissions/evaluation?unit=${unit}`);
    expect(evaluation.status).not.toBe('not-assessable');
    await page.goto(`${server.url}/maalsaetning/reform-acute-readmissions?unit=${unit}`);
    const labels: Record<string, string> = {
      achieved: 'Opfyldt',
      'on-track': 'På vej',
      'off-track': 'Ikke på vej',
      'not-assessable': 'Kan ikke vurderes',
    };
    await page.getByTestId('verdict').waitFor();
    expect(await page.getByTestId('verdict').textContent()).toContain(labels[evaluation.status]);
    const numbers = await page.getByTestId('target-numbers').textContent();
    expect(numbers).toContain(danish(evaluation.baseline.value, digitsFor(evaluation.baseline.value)));
    expect(numbers).toContain(danish(evaluation.latest.value, digitsFor(evaluation.latest.value)));
    await page.getByTestId('target-chart').locator('svg').first().waitFor();
    await shot('target');
  });

  it('says in Danish why a health-agreement target cannot be judged for Aarhus when its indicator has no values', async () => {
    const evaluation = await api('/api/targets/rm-excess-mortality-down/evaluation?unit=751');
    expect(evaluation).toMatchObject({ status: 'not-assessable', reason: 'no-data', valuesFor: [] });
    await page.goto(`${server.url}/maalsaetning/rm-excess-mortality-down?unit=751`);
    await expect
      .poll(() => page.getByTestId('verdict').textContent())
      .toContain('Indikatoren har endnu ingen værdier for nogen enhed.');
  });

  it('switches the unit picker to the 2027 structure: Region Østdanmark instead of 1084 and 1085', async () => {
    await page.goto(`${server.url}/?unit=DK&struktur=2026-12-31`);
    const picker = page.getByTestId('unit-picker');
    await picker.locator('option', { hasText: 'Region Hovedstaden' }).waitFor({ state: 'attached' });
    const regionsNow = await picker.locator('optgroup[label="Regioner"] option').allTextContents();
    expect(regionsNow).toHaveLength(5);
    await page.getByTestId('structure-picker').selectOption('2027-01-01');
    await picker.locator('option', { hasText: 'Region Østdanmark' }).waitFor({ state: 'attached' });
    const regions2027 = await picker.locator('optgroup[label="Regioner"] option').allTextContents();
    expect(regions2027.map((r) => r.replace(' *', ''))).toEqual([
      'Region Nordjylland',
      'Region Midtjylland',
      'Region Syddanmark',
      'Region Østdanmark',
    ]);
    expect(new URL(page.url()).searchParams.get('struktur')).toBe('2027-01-01');
    // The clusters end with 2026; the acute hospitals go on.
    expect(await picker.locator('optgroup[label="Sundhedsklynger"]').count()).toBe(0);
    expect(await picker.locator('optgroup[label="Akutsygehuse"] option').count()).toBe(21);
    await shot('unit-picker-2027');
  });

  it('draws the health clusters on the map, each one shape named and valued as the API says', async () => {
    await page.goto(`${server.url}/indikator/acute-readmission-somatic-30d?unit=DK`);
    const level = page.getByTestId('map-level');
    await level.locator('option[value="health-cluster"]').waitFor({ state: 'attached' });
    await level.selectOption('health-cluster');
    const period = await page.getByTestId('period-picker').inputValue();
    type Unit = { code: string; name: string };
    const clusters = (await api('/api/org-units?type=health-cluster')) as Unit[];
    expect(clusters.length).toBeGreaterThan(10);
    const rows = (await api(
      `/api/indicators/acute-readmission-somatic-30d/values?period=${period}&breakdown=total&unit=${clusters.map((c) => c.code).join(',')}`,
    )) as { unit: string; value: number | null; suppressed: boolean }[];
    expect(rows.filter((r) => r.value !== null).length).toBeGreaterThan(0);
    // One shape per cluster (its municipalities dissolved into one), titled with its name and value.
    const titles = page.getByTestId('map').locator('svg title');
    await expect.poll(() => titles.count()).toBe(clusters.length);
    const shown = await titles.allTextContents();
    for (const cluster of clusters) {
      const row = rows.find((r) => r.unit === cluster.code);
      const text = row?.suppressed
        ? 'Diskretioneret'
        : row?.value == null
          ? '–'
          : danish(row.value, digitsFor(row.value));
      expect(
        shown.filter((title) => title.startsWith(`${cluster.name}: ${text} `)),
        cluster.code,
      ).toHaveLength(1);
    }
    await page.getByTestId('map').screenshot({ path: path.join(SHOTS, 'map-health-clusters.png') });
  });

  it('lists the general practices in the table of every unit only when asked for', async () => {
    await page.goto(`${server.url}/indikator/acute-readmission-somatic-30d?unit=DK`);
    const table = page.getByTestId('values-table');
    await table.waitFor();
    const period = await page.getByTestId('period-picker').inputValue();
    type Unit = { code: string; type: string };
    const typeOf = new Map(((await api('/api/org-units')) as Unit[]).map((u) => [u.code, u.type]));
    const rows = (await api(
      `/api/indicators/acute-readmission-somatic-30d/values?period=${period}&breakdown=total`,
    )) as { unit: string }[];
    const practices = rows.filter((r) => typeOf.get(r.unit) === 'gp-practice');
    expect(practices.length).toBeGreaterThan(100);
    const bodyRows = table.locator('tbody tr');
    await expect.poll(() => bodyRows.count()).toBe(rows.length - practices.length);
    await page.getByTestId('table-level').selectOption('gp-practice');
    await expect.poll(() => bodyRows.count()).toBe(practices.length);
    expect(await table.getByRole('row', { name: /^Region Midtjylland/ }).count()).toBe(0);
  });

  it('finds a general practice by its code or its name and municipality, and shows its overview', async () => {
    type Unit = { code: string; name: string; parent: string | null };
    const practices = (await api('/api/org-units?type=gp-practice')) as Unit[];
    const municipalities = new Map(((await api('/api/org-units?type=municipality')) as Unit[]).map((u) => [u.code, u]));
    expect(practices.length).toBeGreaterThan(100);
    await page.goto(`${server.url}/?unit=DK`);
    const search = page.getByTestId('practice-search');
    await search.waitFor();
    // Every practice is offered in the search, none in the menu while Denmark is shown.
    const listId = (await search.getAttribute('list')) ?? '';
    await expect.poll(() => page.locator(`datalist[id="${listId}"] option`).count()).toBe(practices.length);
    const picker = page.getByTestId('unit-picker');
    expect(await picker.locator('optgroup[label="Lægepraksisser"]').count()).toBe(0);
    // By code, lower case.
    const first = practices[0] as Unit;
    await search.fill(first.code.toLowerCase());
    await page.getByRole('heading', { name: `Overblik: ${first.name}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('unit')).toBe(first.code);
    expect(await picker.inputValue()).toBe(first.code);
    expect(await picker.locator('optgroup[label="Lægepraksisser"] option').allTextContents()).toEqual([first.name]);
    // By the label the list offers: name and municipality.
    const other = practices.find((p) => p.parent !== first.parent) as Unit;
    const where = municipalities.get(other.parent ?? '')?.name;
    expect(where).toBeDefined();
    await search.fill(`${other.name}, ${where}`);
    await page.getByRole('heading', { name: `Overblik: ${other.name}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('unit')).toBe(other.code);
    // A part of a name does not jump anywhere.
    await search.fill(other.code.slice(0, 3));
    expect(new URL(page.url()).searchParams.get('unit')).toBe(other.code);
    await shot('practice-search');
  });

  it('works at phone width and by keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${server.url}/?unit=DK`);
    await page.getByRole('heading', { name: /Overblik/ }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('A');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Overblik/ }).waitFor();
    await shot('overview-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });
});
