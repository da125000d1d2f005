// The status report opens with a summary whose counts equal the evaluation API, keeps headings with their
// content in the PDF, and marks synthetic values on every page.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { gatherReport, htmlToPdf, renderReportHtml } from '../src/report/index.js';
import type { Store } from '../src/store/index.js';
import { demoStore, serveOnEphemeralPort } from './helpers.js';

const YEAR = 2025;
let server: RunningServer;
let store: Store;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const made = await demoStore({ persons: 6000, fromYear: 2015, toYear: YEAR });
  store = made.store;
  dir = made.dir;
  server = await serveOnEphemeralPort(store);
  cleanup = async () => {
    await server.close();
    await made.cleanup();
  };
}, 600_000);
afterAll(async () => cleanup?.());

const VERDICTS = ['achieved', 'on-track', 'off-track', 'not-assessable'] as const;

/** Every target that applies to the unit, with the verdict the evaluation API gives it. */
async function verdictsFromApi(unit: string): Promise<Map<string, string>> {
  const sets = (await (await fetch(`${server.url}/api/goal-sets?full=true`)).json()) as {
    unit: string;
    goals: { targets: { id: string }[] }[];
  }[];
  const out = new Map<string, string>();
  for (const set of sets) {
    for (const target of set.goals.flatMap((g) => g.targets)) {
      const response = await fetch(`${server.url}/api/targets/${target.id}/evaluation?unit=${unit}`);
      if (response.status === 404) continue; // not in scope for this unit
      expect(response.status, target.id).toBe(200);
      out.set(target.id, ((await response.json()) as { status: string }).status);
    }
  }
  return out;
}

describe('the report summary', () => {
  it.each(['DK', '791'])(
    'opens the %s report with counts and a target table equal to the evaluation API',
    async (unit) => {
      const html = await (await fetch(`${server.url}/api/reports/${unit}?year=${YEAR}&format=html`)).text();
      const document = new JSDOM(html).window.document;
      const summary = document.querySelector('section.summary');
      expect(summary?.querySelector('h2')?.textContent).toBe('Sammenfatning');
      // The summary comes before the table of contents and every section.
      expect(html.indexOf('Sammenfatning')).toBeLessThan(html.indexOf('<nav class="toc">'));
      const rows = [...(summary?.querySelectorAll('tr[data-target]') ?? [])].map(
        (r) => [r.getAttribute('data-target') as string, r.getAttribute('data-status') as string] as const,
      );
      const api = await verdictsFromApi(unit);
      // Each target's verdict in the summary is the API's verdict for the unit.
      expect(new Map(rows)).toEqual(new Map([...api].filter(([id]) => rows.some(([r]) => r === id))));
      expect(rows.length).toBeGreaterThan(unit === 'DK' ? 40 : 20);
      for (const verdict of VERDICTS) {
        const shown = Number(summary?.querySelector(`[data-verdict="${verdict}"] strong`)?.textContent);
        expect(shown, verdict).toBe(rows.filter(([, s]) => s === verdict).length);
      }
      const sentences = [...(summary?.querySelectorAll('p.lede span.sentence') ?? [])].map((s) => s.textContent ?? '');
      for (const s of sentences) expect(s).toMatch(/\.$/);
      expect(sentences.length).toBeGreaterThanOrEqual(3);
      expect(sentences.length).toBeLessThanOrEqual(5);
      expect(sentences.join(' ')).toMatch(/største (forbedring|forværring)/);
      expect(sentences.join(' ')).toMatch(unit === 'DK' ? /Blandt regionerne/ : /Sammenlignet med Danmark/);
    },
    120_000,
  );

  it('lists every target of the national report that the API evaluates for Denmark', async () => {
    const data = await gatherReport(store, { unit: 'DK', year: YEAR });
    const api = await verdictsFromApi('DK');
    expect(new Map(data.targets.map((t) => [t.id, t.evaluation.status]))).toEqual(api);
  }, 120_000);

  it('prints the summary on page 1, no heading as the last line of a page, synthetic values marked on every page', async () => {
    const html = renderReportHtml(await gatherReport(store, { unit: 'DK', year: YEAR }));
    const document = new JSDOM(html).window.document;
    const headings = [...document.querySelectorAll('h1, h2, h3')].map((h) =>
      (h.textContent ?? '').replace('Syntetiske demotal', '').replace(/\s+/g, ' ').trim(),
    );
    for (const section of document.querySelectorAll('section.indicator[data-synthetic]'))
      expect(section.querySelector('h3 .synthetic')?.textContent).toBe('Syntetiske demotal');
    const pdf = path.join(dir, 'national.pdf');
    const [bytes] = await htmlToPdf([html]);
    await writeFile(pdf, bytes as Buffer);
    const pages = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages[0]).toContain('Sammenfatning');
    expect(pages[0]).toMatch(/Af \d+ målsætninger/);
    for (const [i, page] of pages.entries()) {
      const lines = page
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' ').trim())
        .filter((l) => l && !/Side \d+ af \d+/.test(l));
      const last = lines.at(-1) ?? '';
      const isHeading = headings.some((h) => h === last || (last.length > 15 && h.endsWith(last)));
      expect(isHeading, `page ${i + 1} ends with the heading "${last}"`).toBe(false);
      expect(page, `page ${i + 1}`).toContain('syntetiske demotal');
    }
  }, 180_000);
});
