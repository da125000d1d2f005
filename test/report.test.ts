// Status reports and pocket cards: a report for every unit type, every tagged number equal to the API's value,
// and PDFs with the expected pages and text (pdfinfo/pdftotext from poppler-utils).
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { importAggregates } from '../src/ingest/index.js';
import { danishNumber, gatherReport, htmlToPdf, renderPocketCard, renderReportHtml } from '../src/report/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, demoStore, runCli, serveOnEphemeralPort } from './helpers.js';

let server: RunningServer;
let dir: string;
let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  // The demo store `pejling start` makes (smaller), computed once per test run and shared with other files.
  const made = await demoStore({ persons: 6000, fromYear: 2015, toYear: 2025 });
  dir = made.dir;
  store = made.store;
  // The days since the last medication error in Viborg are the file's below, not the demo's made-up yearly ones.
  await store.replaceValues(['days-since-medication-error'], [], 'test');
  const days = [
    'indicator,unit,period,value',
    'days-since-medication-error,791,2017M05,280',
    'days-since-medication-error,791,2017M06,310',
  ].join('\n');
  await importAggregates(made.store, 'days.csv', new TextEncoder().encode(days));
  server = await serveOnEphemeralPort(made.store);
  cleanup = async () => {
    await server.close();
    await made.cleanup();
  };
}, 600_000);
afterAll(() => cleanup());

const api = async (p: string) => (await fetch(`${server.url}${p}`)).json();

async function checkNumbers(html: string): Promise<number> {
  const document = new JSDOM(html).window.document;
  const tagged = [...document.querySelectorAll('span.n[data-indicator]')];
  const cache = new Map<string, { unit: string; period: string; breakdown: string; value: number | null }[]>();
  for (const el of tagged) {
    const indicator = el.getAttribute('data-indicator') as string;
    const field = el.getAttribute('data-field') as string;
    const unit = el.getAttribute('data-unit') as string;
    const period = el.getAttribute('data-period') as string;
    const key = `${indicator}|${unit}|${period}`;
    if (!cache.has(key)) cache.set(key, await api(`/api/indicators/${indicator}/values?unit=${unit}&period=${period}`));
    const breakdown = field === 'value' ? 'total' : field;
    const row = cache.get(key)?.find((r) => r.breakdown === breakdown);
    expect(el.textContent, `${key} ${field}`).toBe(danishNumber(row?.value ?? null));
  }
  return tagged.length;
}

describe('status reports', () => {
  it.each([
    ['DK', 'National statusrapport'],
    ['1082', 'Regional statusrapport'],
    ['791', 'Kommunal statusrapport'],
  ])(
    'renders for %s with every number equal to the API',
    async (unit, title) => {
      const response = await fetch(`${server.url}/api/reports/${unit}?year=2024&format=html`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`<h1>${title} 2024:`);
      expect(html).toMatch(/er (faldet|steget|uændret)/);
      expect(html).toContain('<svg');
      expect(await checkNumbers(html)).toBeGreaterThan(20);
    },
    60_000,
  );

  it('covers all regions in the national report and a region its municipalities', async () => {
    const national = await (await fetch(`${server.url}/api/reports/DK?year=2024`)).text();
    for (const name of [
      'Region Nordjylland',
      'Region Midtjylland',
      'Region Syddanmark',
      'Region Hovedstaden',
      'Region Sjælland',
    ])
      expect(national).toContain(name);
    const regional = await (await fetch(`${server.url}/api/reports/1081?year=2024`)).text();
    for (const name of ['Aalborg', 'Hjørring', 'Læsø']) expect(regional).toContain(name);
  });

  it('writes a readable A4 PDF with page numbers, a table of contents and the numbers', async () => {
    const pdf = path.join(dir, 'national.pdf');
    const [bytes] = await htmlToPdf([renderReportHtml(await gatherReport(store, { unit: 'DK', year: 2024 }))]);
    await writeFile(pdf, bytes as Buffer);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(3);
    expect(info).toMatch(/Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('National statusrapport 2024: Danmark');
    expect(text).toContain('Indhold');
    expect(text).toContain(`Side ${pages} af ${pages}`);
    expect(text).toContain('Akutte somatiske genindlæggelser inden for 30 dage');
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/Inter-Regular\s+CID TrueType\s+Identity-H\s+yes/);
  }, 120_000);

  it('writes a pocket card with a days-since-event counter against its target', async () => {
    const out = path.join(dir, 'card.pdf');
    const [card] = await htmlToPdf([
      await renderPocketCard(store, {
        unit: '791',
        indicators: ['days-since-medication-error', 'preventable-admissions-65plus'],
      }),
    ]);
    await writeFile(out, card as Buffer);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Dage siden seneste medicineringsfejl');
    expect(text).toContain('310');
    expect(text).toContain('mål 300');
    expect(text).toContain('opfyldt');
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))?.[1])).toBe(1);
    await expect(renderPocketCard(store, { unit: '791', indicators: ['no-such'] })).rejects.toThrow(
      "Unknown indicator 'no-such'",
    );
  }, 60_000);

  it("says why a pocket card's latest quarter is hidden, and shows no number for it", async () => {
    const own = await catalogueStore();
    try {
      // 3 of 4 in 2024Q4 is a count of 1-4 persons: disclosure control hides that quarter.
      const csv = [
        'indicator,unit,period,numerator,denominator',
        'diagnostic-right-somatic,791,2024Q1,40,50',
        'diagnostic-right-somatic,791,2024Q2,42,50',
        'diagnostic-right-somatic,791,2024Q3,45,52',
        'diagnostic-right-somatic,791,2024Q4,3,4',
      ].join('\n');
      await importAggregates(own.store, 'quarters.csv', new TextEncoder().encode(csv));
      const stored = await own.store.queryValues({ indicator: 'diagnostic-right-somatic', unit: '791' });
      expect(stored.find((r) => r.period === '2024Q4')).toMatchObject({ suppressed: true, value: null });
      const html = await renderPocketCard(own.store, {
        unit: '791',
        indicators: ['diagnostic-right-somatic', 'diagnostic-right-adult-psychiatry'],
      });
      const tiles = [...new JSDOM(html).window.document.querySelectorAll('.tile')];
      const hidden = tiles[0]?.textContent?.replace(/\s+/g, ' ') ?? '';
      expect(hidden).toContain('diskretioneret');
      expect(hidden).toContain('færre end 5 personer');
      expect(hidden).toContain('2024Q4');
      expect(hidden).not.toContain('75');
      expect(tiles[0]?.querySelector('span.n')).toBeNull();
      // An indicator without values says that instead.
      expect(tiles[1]?.textContent).toContain('Ingen værdier for enheden');
      const out = path.join(dir, 'hidden-card.pdf');
      const [card] = await htmlToPdf([html]);
      await writeFile(out, card as Buffer);
      const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('diskretioneret');
      expect(text).toContain('Skjult: færre end 5 personer');
    } finally {
      await own.cleanup();
    }
  }, 60_000);

  it('runs from the CLI: report and pocket card as HTML, clear errors', async () => {
    const cli = path.join(dir, 'cli.duckdb');
    expect((await runCli(['--store', cli, 'init'])).code).toBe(0);
    const report = await runCli([
      '--store',
      cli,
      'report',
      '--unit',
      '1085',
      '--year',
      '2024',
      '--format',
      'html',
      '--out',
      path.join(dir, 'r.html'),
    ]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('Wrote 1 HTML report(s)');
    const bad = await runCli([
      '--store',
      cli,
      'report',
      '--unit',
      'XYZ',
      '--out',
      path.join(dir, 'x.html'),
      '--format',
      'html',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Unknown unit 'XYZ'");
  }, 60_000);
});
