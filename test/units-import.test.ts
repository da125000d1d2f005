// `pejling units import`: groupings from CSV and XLSX, reported row by row, stored all or nothing.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { ROOT, runCli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const storePath = () => path.join(dir, 'pejling.duckdb');
const cli = (...args: string[]) => runCli(['--store', storePath(), ...args]);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  expect((await cli('init')).code).toBe(0);
}, 60_000);
afterAll(() => cleanup());

async function storedGroupings() {
  const store = await openStore(storePath());
  try {
    return { groupings: await store.listGroupings(), units: await store.listOrgUnits() };
  } finally {
    await store.close();
  }
}

describe('pejling units import', () => {
  it('imports two new health councils from CSV, creating their units, and keeps them over a catalogue reload', async () => {
    const file = path.join(dir, 'raad.csv');
    await writeFile(
      file,
      'group;group_name;group_parent;member;valid_from;valid_to;confidence\n' +
        'SR01;Sundhedsråd Nord;1081;851;2027-01-01;;probable\n' +
        'SR01;Sundhedsråd Nord;1081;860;2027-01-01;;probable\n' +
        'SR02;Sundhedsråd Aarhus;1082;751;2027-01-01;;\n',
    );
    const result = await cli(
      'units',
      'import',
      file,
      '--grouping',
      'sundhedsraad-test',
      '--group-type',
      'health-cluster',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 memberships in 2 groups, 2 new unit(s)');
    expect((await cli('init')).code).toBe(0);
    const { groupings, units } = await storedGroupings();
    const imported = groupings.find((g) => g.id === 'sundhedsraad-test');
    expect(imported?.memberships).toEqual([
      { group: 'SR01', member: '851', validFrom: '2027-01-01', validTo: null, confidence: 'probable' },
      { group: 'SR01', member: '860', validFrom: '2027-01-01', validTo: null, confidence: 'probable' },
      { group: 'SR02', member: '751', validFrom: '2027-01-01', validTo: null, confidence: 'confirmed' },
    ]);
    expect(imported?.partitionsPersons).toBe(true);
    expect(units.find((u) => u.code === 'SR02')).toMatchObject({
      name: 'Sundhedsråd Aarhus',
      type: 'health-cluster',
      parent: '1082',
      validFrom: '2027-01-01',
    });
    const listed = await cli('units', 'list', '--at', '2027-06-01', '--type', 'health-cluster');
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['SR01', 'SR02']);
  }, 60_000);

  it('gives the imported health councils register values back in time: each the sum of its municipalities', async () => {
    // The hand-made registry has persons in 101 and 751: SR02 = {751}.
    const data = path.join(dir, 'register');
    await cp(path.join(ROOT, 'test/fixtures/register-small'), data, { recursive: true });
    const computed = await cli('compute', '--data', data);
    expect(computed.code, computed.stderr).toBe(0);
    const store = await openStore(storePath());
    try {
      let compared = 0;
      for (const indicator of [
        'acute-readmission-somatic-30d',
        'hospital-courses-per-citizen',
        'mortality-30d-after-admission',
      ]) {
        const of = async (unit: string) =>
          (await store.queryValues({ indicator, unit, full: true })).map((v) => ({
            period: v.period,
            breakdown: v.breakdown,
            numerator: v.numerator,
            denominator: v.denominator,
          }));
        const aarhus = await of('751');
        expect(aarhus.length, indicator).toBeGreaterThan(0);
        // Memberships start in 2027, but a group unit gets its members' earlier periods too (2024 here).
        expect(await of('SR02'), indicator).toEqual(aarhus);
        compared += aarhus.length;
      }
      expect(compared).toBeGreaterThan(10);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('imports from XLSX with date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Medlemmer');
    sheet.addRow(['gruppe', 'medlem', 'gyldig_fra', 'gyldig_til']);
    sheet.addRow(['HC8201', '791', new Date(Date.UTC(2022, 0, 1)), new Date(Date.UTC(2026, 11, 31))]);
    const file = path.join(dir, 'peer.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = await cli('units', 'import', file, '--grouping', 'xlsx-test', '--group-type', 'health-cluster');
    expect(result.stderr).toBe('');
    const { groupings } = await storedGroupings();
    expect(groupings.find((g) => g.id === 'xlsx-test')?.memberships).toEqual([
      { group: 'HC8201', member: '791', validFrom: '2022-01-01', validTo: '2026-12-31', confidence: 'confirmed' },
    ]);
  }, 60_000);

  it('creates general practices as member units with their municipality as parent', async () => {
    const file = path.join(dir, 'praksis.csv');
    await writeFile(
      file,
      'group,member,member_name,valid_from\n751,GP9001,Lægehuset Aarhus C,2020-01-01\n791,GP9002,Lægerne i Viborg,2020-01-01\n',
    );
    const result = await cli(
      'units',
      'import',
      file,
      '--grouping',
      'practices-test',
      '--group-type',
      'municipality',
      '--member-type',
      'gp-practice',
      '--no-partitions-persons',
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('2 memberships in 2 groups, 2 new unit(s) (members may overlap)');
    const { units } = await storedGroupings();
    expect(units.find((u) => u.code === 'GP9002')).toMatchObject({
      type: 'gp-practice',
      parent: '791',
      name: 'Lægerne i Viborg',
    });
  }, 60_000);

  it('reports every bad row with its row and column and stores nothing', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(
      file,
      'group,member,valid_from,valid_to,confidence\n' +
        'HC8401,101,2022-01-01,,\n' +
        'HC8401,9999,2022-01-01,,\n' +
        'HC8401,147,2022-02-30,,\n' +
        'HC8401,151,2022-01-01,2021-01-01,\n' +
        'HC8401,153,2022-01-01,,sure\n' +
        'HC8402,101,2024-01-01,,\n',
    );
    const result = await cli('units', 'import', file, '--grouping', 'bad-test', '--group-type', 'health-cluster');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.csv has 4 problem(s); nothing was stored');
    expect(result.stderr).toContain("row 3, column 'member': unknown unit '9999'");
    expect(result.stderr).toContain("row 4, column 'valid_from': '2022-02-30' is not a date (use YYYY-MM-DD)");
    expect(result.stderr).toContain("row 5, column 'valid_to': 2021-01-01 is before valid_from 2022-01-01");
    expect(result.stderr).toContain("row 6, column 'confidence': 'sure' is not confirmed, probable or uncertain");
    const overlapping = path.join(dir, 'overlap.csv');
    await writeFile(overlapping, 'group,member,valid_from\nHC8401,101,2022-01-01\nHC8402,101,2024-01-01\n');
    const overlap = await cli(
      'units',
      'import',
      overlapping,
      '--grouping',
      'bad-test',
      '--group-type',
      'health-cluster',
    );
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toContain(
      "row 3: '101' is in 'HC8401' (row 2) and 'HC8402' at the same time, but the grouping partitions persons",
    );
    const { groupings } = await storedGroupings();
    expect(groupings.some((g) => g.id === 'bad-test')).toBe(false);
  }, 60_000);
});
