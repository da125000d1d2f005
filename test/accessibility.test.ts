// Every dashboard page in Chromium checked by axe-core against the WCAG 2.1 A and AA rules (0 violations), the
// page for unknown addresses, and the accessibility statement linked from the footer.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { launchBrowser } from '../src/report/browser.js';
import { demoStore, serveOnEphemeralPort } from './helpers.js';

const require = createRequire(import.meta.url);
let axeSource: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const made = await demoStore({ persons: 6000, fromYear: 2015, toYear: 2025 });
  server = await serveOnEphemeralPort(made.store);
  browser = await launchBrowser();
  // axe-core is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  cleanup = async () => {
    await browser.close();
    await server.close();
    await made.cleanup();
  };
}, 600_000);
afterAll(async () => cleanup?.());

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page with the WCAG 2.1 A and AA rules. */
async function axeViolations(): Promise<Violation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
  });
}

const PAGES: [string, string][] = [
  ['/', 'overview'],
  ['/?unit=791', 'overview'],
  ['/?unit=1082&lang=en', 'overview'],
  ['/indikator/acute-readmission-somatic-30d?unit=DK', 'indicator'],
  ['/indikator/patient-satisfaction?unit=751', 'indicator'],
  ['/indikator/life-expectancy?unit=DK', 'indicator'],
  ['/enhed/101', 'unit profile'],
  ['/enhed/1082', 'unit profile'],
  ['/maal/ng-chronic-and-elderly', 'goal'],
  ['/maalsaetning/reform-acute-readmissions?unit=DK', 'target'],
  ['/maalsaetning/viborg-preventable-admissions-minus-10-yearly?unit=791', 'target'],
  ['/tilgaengelighed', 'accessibility statement'],
  ['/ulighed?unit=DK&year=2024', 'inequality'],
  ['/ulighed?unit=1082&year=2023&lang=en', 'inequality'],
  ['/findes/ikke', 'not found'],
];

describe('accessibility', () => {
  it.each(PAGES)(
    '%s (%s) has no WCAG 2.1 A/AA violations',
    async (url) => {
      await page.goto(`${server.url}${url}`, { waitUntil: 'networkidle' });
      await page.locator('main h1').first().waitFor();
      // Charts and tables fill in after their data arrive.
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const violations = await axeViolations();
      expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    },
    60_000,
  );

  it('answers an unknown path with "Siden findes ikke" and a link home', async () => {
    await page.goto(`${server.url}/ingen/side/her`);
    await page.getByRole('heading', { name: 'Siden findes ikke' }).waitFor();
    expect(await page.getByTestId('not-found').textContent()).toContain('/ingen/side/her');
    await page.getByRole('link', { name: 'Gå til forsiden' }).click();
    await page.getByRole('heading', { name: /Overblik: Danmark/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('links the accessibility statement from the footer of every page', async () => {
    await page.goto(`${server.url}/enhed/101`);
    await page.getByTestId('accessibility-link').click();
    await page.getByRole('heading', { name: 'Tilgængelighedserklæring' }).waitFor();
    const text = await page.getByTestId('accessibility-statement').textContent();
    expect(text).toContain('WCAG 2.1');
    expect(text).toContain('Digitaliseringsstyrelsen');
  });

  it('shows the principles of the five-principles statement on a national goal, cited by title', async () => {
    await page.goto(`${server.url}/maal/ng-coherent-pathways`);
    const principles = page.getByTestId('principles');
    await principles.waitFor();
    const text = await principles.textContent();
    expect(text).toContain('Indikatorerne i tilknytning til de nationale mål kan udvikles løbende');
    expect(text).toContain('Fem principper for styring af et sammenhængende sundhedsvæsen (2018)');
    expect(await page.locator('main').textContent()).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
  });

  it('shows inequality by education, income and place in the dashboard', async () => {
    await page.goto(`${server.url}/ulighed?unit=DK&year=2024`);
    const section = page.getByTestId('inequality-hospital-courses-per-citizen');
    await section.waitFor();
    for (const dim of ['education', 'income', 'place']) await section.getByTestId(`dimension-${dim}`).waitFor();
    expect(await page.getByTestId('inequality-pdf').getAttribute('href')).toBe(
      '/api/reports/DK?kind=inequality&year=2024&format=pdf',
    );
  });

  it('marks synthetic values on the overview and the indicator page', async () => {
    await page.goto(`${server.url}/?unit=DK`);
    await page.getByRole('heading', { name: /Overblik: Danmark/ }).waitFor();
    const row = page.getByTestId('row-national-goals-2016-patient-satisfaction');
    await row.getByTestId('synthetic-mark').waitFor();
    expect(
      await page
        .getByTestId('row-health-reform-2022-acute-readmission-somatic-30d')
        .getByTestId('synthetic-mark')
        .count(),
    ).toBe(0);
    await page.goto(`${server.url}/indikator/patient-satisfaction?unit=DK`);
    await page.getByTestId('synthetic-notice').waitFor();
  });
});
