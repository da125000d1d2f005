// The quality plan through the HTTP API on a real port, the CLI and the status report: imports with errors are
// rejected with row/column reasons and write nothing; good ones are visible; shares per region equal a count made
// here from the file; the report states the API's numbers; the same file twice records nothing; edits keep history.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { bearer, catalogueStore, runCli, serveOnEphemeralPort, tempDir, userToken } from './helpers.js';

const STANDARD = 'municipal-acute-functions';
let server: RunningServer;
let cleanup: () => Promise<void>;
let municipalities: { code: string; parent: string }[];
/** API tokens of the users who record compliance (admins of Denmark, so any municipality). */
const tokens = new Map<string, string>();

beforeAll(async () => {
  const made = await catalogueStore();
  for (const name of ['quality-admin', 'kvalitet-aalborg', 'revisor'])
    tokens.set(name, await userToken(made.store, { name, unit: 'DK', role: 'admin' }));
  server = await serveOnEphemeralPort(made.store);
  cleanup = async () => {
    await server.close();
    await made.cleanup();
  };
  municipalities = await getJson('/api/org-units?type=municipality');
});
afterAll(() => cleanup());

const get = (p: string) => fetch(`${server.url}${p}`);
const getJson = async (p: string) => {
  const response = await get(p);
  expect(response.status, p).toBe(200);
  return response.json();
};
const upload = async (name: string, content: string | Uint8Array<ArrayBuffer>, fields: Record<string, string> = {}) => {
  const form = new FormData();
  form.set('file', new File([content], name));
  const { actor = 'quality-admin', ...rest } = fields;
  for (const [k, v] of Object.entries(rest)) form.set(k, v);
  return fetch(`${server.url}/api/compliance`, {
    method: 'POST',
    body: form,
    headers: bearer(tokens.get(actor) ?? ''),
  });
};

const STATUS_WORD = ['opfyldt', 'opfyldt', 'delvist opfyldt', 'ikke opfyldt', 'ikke indberettet'] as const;
type Row = { unit: string; requirement: number; year: number; status: string };

/** A Danish CSV for 2025 (all municipalities; every sixth cell left out) and 2024 for North Jutland. */
function goodFile(): { csv: string; rows: Row[] } {
  const rows: Row[] = [];
  const lines = ['kommune;kvalitetsstandard;krav;år;status;vurderingsdato;grundlag;bemærkning'];
  for (const m of municipalities) {
    for (let r = 1; r <= 8; r++) {
      const k = (Number(m.code) * 7 + r * 3) % 6;
      if (k === 5) continue;
      const word = STATUS_WORD[k] as string;
      rows.push({ unit: m.code, requirement: r, year: 2025, status: word });
      lines.push(
        word === 'ikke indberettet'
          ? `${m.code};${STANDARD};${r};2025;${word};;;`
          : `${m.code};${STANDARD};K${r};2025;${word};15-03-2025;${k === 1 ? 'tilsyn' : 'selvevaluering'};note ${r}`,
      );
      if (m.parent === '1081') {
        rows.push({ unit: m.code, requirement: r, year: 2024, status: 'delvist opfyldt' });
        lines.push(`${m.code};${STANDARD};${r};2024;delvist opfyldt;01.12.2024;selvevaluering;`);
      }
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, rows };
}

/** Counts straight from the file rows: absent cells are not reported. */
function expectedCounts(rows: Row[], units: string[], year: number) {
  const of = (word: string) =>
    rows.filter((r) => r.year === year && units.includes(r.unit) && r.status === word).length;
  const total = units.length * 8;
  const met = of('opfyldt');
  const partlyMet = of('delvist opfyldt');
  const notMet = of('ikke opfyldt');
  return { met, partlyMet, notMet, notReported: total - met - partlyMet - notMet, total, shareMet: met / total };
}

describe('compliance import through POST /api/compliance', () => {
  it('rejects a file with errors with row and column reasons, and writes nothing', async () => {
    const bad = [
      'kommune;kvalitetsstandard;krav;år;status;vurderingsdato;grundlag',
      `101;${STANDARD};1;2025;opfyldt;15-03-2025;selvevaluering`,
      `Atlantis;${STANDARD};1;2025;opfyldt;15-03-2025;selvevaluering`,
      `101;${STANDARD};2;2025;måske;15-03-2025;selvevaluering`,
      `101;${STANDARD};9;2025;opfyldt;15-03-2025;selvevaluering`,
      `101;${STANDARD};3;2025;opfyldt;31-02-2025;selvevaluering`,
      `101;${STANDARD};4;2025;opfyldt;;selvevaluering`,
      `1081;${STANDARD};5;2025;opfyldt;15-03-2025;tilsyn`,
      `101;${STANDARD};1;2025;opfyldt;15-03-2025;selvevaluering`,
      `101;${STANDARD};6;2022;opfyldt;15-03-2022;selvevaluering`,
      `101;no-such-standard;1;2025;opfyldt;15-03-2025;selvevaluering`,
    ].join('\n');
    const response = await upload('fejl.csv', bad);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = await response.json();
    expect(problem.detail).toBe('fejl.csv has 9 problem(s); nothing was written');
    expect(problem.errors).toEqual([
      "row 3, column kommune: 'Atlantis' is not a known unit (use a municipality code like 101 or a name like København)",
      "row 4, column status: 'måske' is not a status (met, partly-met, not-met, not-reported; or opfyldt, delvist opfyldt, ikke opfyldt, ikke indberettet)",
      `row 5, column krav: '9' is not a requirement of ${STANDARD} (edition 2023 has 1, 2, 3, 4, 5, 6, 7, 8)`,
      "row 6, column vurderingsdato: '31-02-2025' is not a date (2024-03-15 or 15-03-2024)",
      "row 7, column vurderingsdato: '' is missing: a reported status needs the date of the assessment",
      `row 8, column kommune: '1081' Region Nordjylland (region) is not among the units ${STANDARD} applies to`,
      `row 9, column krav: '1' repeats 101 requirement 1 2025 from row 2`,
      `row 10, column år: '2022' is before ${STANDARD} was followed up (from 2023, edition 2023)`,
      "row 11, column kvalitetsstandard: 'no-such-standard' is not a known quality standard (municipal-acute-functions, chronic-illness-prevention)",
    ]);
    expect(problem.report.problems[0]).toMatchObject({ row: 3, column: 'kommune', value: 'Atlantis' });
    expect(await getJson('/api/compliance')).toEqual([]);
    expect(await getJson('/api/compliance/imports')).toEqual([]);
  });

  it('refuses a file without the needed columns, and a request without a file, as problem+json', async () => {
    const response = await upload('cols.csv', 'kommune;år\n101;2025\n');
    expect(response.status).toBe(400);
    expect((await response.json()).detail).toBe(
      "cols.csv has no 'standard', 'requirement', 'status' column (cols.csv:1)",
    );
    const noFile = await fetch(`${server.url}/api/compliance`, {
      method: 'POST',
      body: new FormData(),
      headers: bearer(tokens.get('quality-admin') ?? ''),
    });
    expect(noFile.status).toBe(400);
    expect(noFile.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const { csv, rows } = goodFile();
    const response = await upload('opfyldelse.csv', csv, { dryRun: 'true' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      dryRun: true,
      written: false,
      records: rows.length,
      diff: { inserted: rows.length, changed: 0, unchanged: 0 },
    });
    expect(await getJson('/api/compliance')).toEqual([]);
  });

  it('imports a good Danish file; its records are visible with who recorded them', async () => {
    const { csv, rows } = goodFile();
    const response = await upload('opfyldelse.csv', csv, { actor: 'kvalitet-aalborg' });
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report).toMatchObject({
      format: 'csv',
      delimiter: ';',
      written: true,
      importId: 1,
      diff: { inserted: rows.length, changed: 0 },
    });
    const records = await getJson(`/api/compliance?standard=${STANDARD}&unit=101&year=2025`);
    const expected = rows.filter((r) => r.unit === '101' && r.year === 2025);
    expect(records).toHaveLength(expected.length);
    const first = expected[0] as Row;
    expect(records.find((r: { requirement: number }) => r.requirement === first.requirement)).toMatchObject({
      unit: '101',
      standard: STANDARD,
      version: '2023',
      year: 2025,
      recordedBy: 'kvalitet-aalborg',
      synthetic: false,
    });
    const view = await getJson(`/api/quality-standards/${STANDARD}/compliance?unit=101&year=2025`);
    const status = {
      opfyldt: 'met',
      'delvist opfyldt': 'partly-met',
      'ikke opfyldt': 'not-met',
      'ikke indberettet': 'not-reported',
    };
    for (let r = 1; r <= 8; r++) {
      const row = expected.find((e) => e.requirement === r);
      expect(view.requirements[r - 1], `requirement ${r}`).toMatchObject({
        number: r,
        status: row ? status[row.status as keyof typeof status] : 'not-reported',
      });
    }
    expect(view.comparison.map((a: { code: string }) => a.code)).toEqual(['1084', 'DK']);
  });

  it('gives shares per region and for Denmark equal to a count made from the file', async () => {
    const { rows } = goodFile();
    const shares = await getJson(`/api/quality-standards/${STANDARD}/shares?year=2025`);
    expect(shares).toMatchObject({ standard: STANDARD, version: '2023', year: 2025 });
    const regionCodes = ['1081', '1082', '1083', '1084', '1085'];
    for (const code of regionCodes) {
      const units = municipalities.filter((m) => m.parent === code).map((m) => m.code);
      const area = shares.areas.find((a: { code: string }) => a.code === code);
      expect(area.counts, code).toEqual(expectedCounts(rows, units, 2025));
      const view = await getJson(`/api/quality-standards/${STANDARD}/compliance?unit=${code}&year=2025`);
      expect(view.unit.counts, code).toEqual(area.counts);
      expect(view.municipalities).toHaveLength(units.length);
    }
    const dk = shares.areas.find((a: { code: string }) => a.code === 'DK');
    expect(dk.counts).toEqual(
      expectedCounts(
        rows,
        municipalities.map((m) => m.code),
        2025,
      ),
    );
    expect(dk.counts.total).toBe(98 * 8);
    // Per requirement, Denmark: requirement 3.
    const met3 = rows.filter((r) => r.year === 2025 && r.requirement === 3 && r.status === 'opfyldt').length;
    expect(dk.perRequirement['3'].met).toBe(met3);
  });

  it('records nothing when the same file comes again', async () => {
    const { csv, rows } = goodFile();
    const response = await upload('opfyldelse.csv', csv);
    expect(await response.json()).toMatchObject({
      written: false,
      importId: null,
      diff: { inserted: 0, changed: 0, unchanged: rows.length },
    });
    expect(await getJson('/api/compliance/imports')).toHaveLength(1);
    expect(await getJson(`/api/compliance/history?standard=${STANDARD}`)).toHaveLength(rows.length);
  });

  it('keeps the history of an edited record', async () => {
    const response = await upload(
      'rettelse.csv',
      `kommune;kvalitetsstandard;krav;år;status;vurderingsdato;grundlag\n101;${STANDARD};1;2025;ikke opfyldt;01-06-2025;tilsyn\n`,
      { actor: 'revisor' },
    );
    const report = await response.json();
    // The good file said "delvist opfyldt" for 101's requirement 1 in 2025.
    expect(goodFile().rows.find((r) => r.unit === '101' && r.requirement === 1 && r.year === 2025)?.status).toBe(
      'delvist opfyldt',
    );
    expect(report.diff).toMatchObject({ changed: 1, inserted: 0, unchanged: 0 });
    const history = await getJson(`/api/compliance/history?standard=${STANDARD}&unit=101&requirement=1&year=2025`);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ status: 'not-met', recordedBy: 'revisor', basis: 'audit', current: true });
    expect(history[1]).toMatchObject({ status: 'partly-met', recordedBy: 'kvalitet-aalborg', current: false });
    const [current] = await getJson(`/api/compliance?standard=${STANDARD}&unit=101&requirement=1&year=2025`);
    expect(current).toMatchObject({ status: 'not-met', assessedOn: '2025-06-01', importId: 2 });
  });

  it('reads an international XLSX file with English column names and words', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('compliance');
    sheet.addRow(['unit', 'standard', 'requirement', 'year', 'status', 'assessed_on', 'basis', 'note']);
    sheet.addRow([
      'Aarhus',
      'chronic-illness-prevention',
      1,
      2024,
      'met',
      new Date(Date.UTC(2024, 10, 5)),
      'audit',
      'x',
    ]);
    sheet.addRow(['751', 'chronic-illness-prevention', 2, 2024, 'partly met', '2024-11-05', 'self-assessment', '']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const response = await upload('compliance.xlsx', bytes);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ format: 'xlsx', written: true, diff: { inserted: 2 } });
    const records = await getJson('/api/compliance?standard=chronic-illness-prevention&unit=751');
    expect(
      records.map((r: { requirement: number; status: string; assessedOn: string }) => [
        r.requirement,
        r.status,
        r.assessedOn,
      ]),
    ).toEqual([
      [1, 'met', '2024-11-05'],
      [2, 'partly-met', '2024-11-05'],
    ]);
  });
});

describe('quality standards API', () => {
  it('lists the standards and serves one with its editions', async () => {
    const list = await getJson('/api/quality-standards');
    expect(list.map((s: { id: string }) => s.id)).toEqual([STANDARD, 'chronic-illness-prevention']);
    expect(list[0]).toMatchObject({ version: '2023', requirements: 8, recommendations: 1, confidence: 'summary' });
    const one = await getJson(`/api/quality-standards/${STANDARD}`);
    expect(one).toMatchObject({ id: STANDARD, publisher: 'Sundhedsstyrelsen', current: '2023' });
    expect(one.versions[0].requirements[3].title.da).toBe('Intravenøs behandling');
    const missing = await get('/api/quality-standards/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const early = await get(`/api/quality-standards/${STANDARD}/compliance?year=2020`);
    expect(early.status).toBe(400);
    expect((await early.json()).detail).toBe(`${STANDARD} is followed up from 2023, not 2020`);
    const badUnit = await get(`/api/quality-standards/${STANDARD}/compliance?unit=Atlantis`);
    expect(badUnit.status).toBe(404);
    const doc = await getJson('/api/openapi.json');
    for (const p of ['/api/quality-standards', '/api/quality-standards/{id}/compliance', '/api/compliance'])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});

describe('the status report', () => {
  const danishPercent = (share: number) =>
    `${new Intl.NumberFormat('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share * 100)} %`;
  /** The tagged numbers of the quality-plan section: `unit|field` → text. */
  const tagged = (html: string, standard: string) => {
    const found = new Map<string, string>();
    const re = new RegExp(
      `data-standard="${standard}" data-unit="([^"]+)" data-year="(\\d+)" data-field="([^"]+)">([^<]*)<`,
      'g',
    );
    for (const m of html.matchAll(re)) found.set(`${m[1]}|${m[2]}|${m[3]}`, m[4] as string);
    return found;
  };

  it("states the API's numbers for a region, with the regions' table for Denmark", async () => {
    for (const unit of ['1081', 'DK']) {
      const html = await (await get(`/api/reports/${unit}?year=2025&format=html`)).text();
      expect(html).toContain('Kvalitetsplanen for det nære sundhedsvæsen');
      const numbers = tagged(html, STANDARD);
      const view = await getJson(`/api/quality-standards/${STANDARD}/compliance?unit=${unit}&year=2025`);
      for (const field of ['met', 'partlyMet', 'notMet', 'notReported', 'total'] as const)
        expect(numbers.get(`${unit}|2025|${field}`), `${unit} ${field}`).toBe(String(view.unit.counts[field]));
      expect(numbers.get(`${unit}|2025|shareMet`)).toBe(danishPercent(view.unit.counts.shareMet));
      for (const [number, counts] of Object.entries(view.unit.perRequirement) as [string, { met: number }][])
        expect(numbers.get(`${unit}|2025|requirement:${number}:met`)).toBe(String(counts.met));
      if (unit === 'DK')
        for (const region of view.regions)
          expect(numbers.get(`${region.code}|2025|met`), region.code).toBe(String(region.counts.met));
    }
    const nordjylland = await (await get('/api/reports/1081?year=2025&format=html')).text();
    const previous = await getJson(`/api/quality-standards/${STANDARD}/compliance?unit=1081&year=2024`);
    const now = await getJson(`/api/quality-standards/${STANDARD}/compliance?unit=1081&year=2025`);
    expect(nordjylland).toContain(
      `fra ${danishPercent(previous.unit.counts.shareMet)} i 2024 til ${danishPercent(now.unit.counts.shareMet)} i 2025`,
    );
  });

  it("names a municipality's requirements met and not met and what changed since last year", async () => {
    // Thisted (787): the file has even requirements met and odd ones not reported in 2025, all partly met in 2024.
    const unit = '787';
    const html = await (await get(`/api/reports/${unit}?year=2025&format=html`)).text();
    const view = await getJson(`/api/quality-standards/${STANDARD}/compliance?unit=${unit}&year=2025`);
    const numbers = tagged(html, STANDARD);
    expect(numbers.get(`${unit}|2025|met`)).toBe(String(view.unit.counts.met));
    expect(numbers.get(`${unit}|2025|total`)).toBe('8');
    for (const area of view.comparison)
      expect(numbers.get(`${area.code}|2025|shareMet`), area.code).toBe(danishPercent(area.counts.shareMet));
    const text = html.replace(/<[^>]+>/g, '');
    const met = view.requirements.filter((r: { status: string }) => r.status === 'met');
    expect(met.map((r: { number: number }) => r.number)).toEqual([2, 4, 6, 8]);
    for (const r of met) expect(text).toContain(`krav ${r.number} (${r.title.da})`);
    expect(text).toContain('krav 2 (Døgnbemanding) er gået fra delvist opfyldt til opfyldt');
    expect(text).toContain('krav 1 (Akutfunktion) er gået fra delvist opfyldt til ikke indberettet');
    expect(text).toContain('Ikke indberettet: krav 1 (Akutfunktion), krav 3 (Udgående funktion), krav 5');
  });
});

describe('pejling compliance import', () => {
  it('exits 1 with row/column reasons for a bad file, records a good one, and nothing the second time', async () => {
    const { dir, cleanup: done } = await tempDir();
    try {
      const store = path.join(dir, 'cli.duckdb');
      expect((await runCli(['--store', store, 'init'])).code).toBe(0);
      const bad = path.join(dir, 'bad.csv');
      await writeFile(bad, `kommune;kvalitetsstandard;krav;år;status\n101;${STANDARD};1;2025;jo\n`);
      const rejected = await runCli(['--store', store, 'compliance', 'import', bad]);
      expect(rejected.code).toBe(1);
      expect(rejected.stderr).toContain('1 problem(s); nothing was written');
      expect(rejected.stderr).toContain("row 2, column status: 'jo' is not a status");
      const good = path.join(dir, 'good.csv');
      await writeFile(
        good,
        `unit,standard,requirement,year,status,assessed_on,basis\n101,${STANDARD},1,2025,met,2025-03-15,audit\n147,${STANDARD},2,2025,not met,2025-03-15,self-assessment\n`,
      );
      const dry = await runCli(['--store', store, 'compliance', 'import', good, '--dry-run']);
      expect(dry.stdout).toContain('Would record: 2 new, 0 changed, 0 unchanged records');
      const first = await runCli(['--store', store, 'compliance', 'import', good, '--actor', 'tester']);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Recorded: 2 new, 0 changed, 0 unchanged records');
      const second = await runCli(['--store', store, 'compliance', 'import', good]);
      expect(second.stdout).toContain('Nothing to record: 0 new, 0 changed, 2 unchanged records');
      const history = await runCli([
        '--store',
        store,
        'compliance',
        'history',
        '--standard',
        STANDARD,
        '--unit',
        '101',
      ]);
      expect(history.stdout).toContain('101 2025 requirement 1: met (current) — revision 1');
      expect(history.stdout).toContain('tester, good.csv');
      const shares = await runCli(['--store', store, 'compliance', 'shares', '--standard', STANDARD, '--year', '2025']);
      expect(shares.stdout).toContain('Danmark: 1 of 784 met (0,1 %), 0 partly, 1 not met, 782 not reported');
      expect(shares.stdout).toContain(
        'Region Hovedstaden: 1 of 232 met (0,4 %), 0 partly, 1 not met, 230 not reported',
      );
    } finally {
      await done();
    }
  });
});
