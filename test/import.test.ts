// Aggregate imports: every format and layout, every validation error, revisions, idempotence, dry runs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportReport, importAggregates } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, ROOT } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ store, cleanup } = await catalogueStore()));
afterAll(() => cleanup());

const text = (s: string) => new TextEncoder().encode(s);
const example = (name: string) => readFile(path.join(ROOT, 'examples', name));
const value = async (indicator: string, unit: string, period: string, breakdown = 'total') =>
  (await store.queryValues({ indicator, unit, period, breakdown }))[0];
const problems = (r: ImportReport) => r.problems.map((p) => `row ${p.row}, ${p.column}, '${p.value}': ${p.reason}`);

describe('formats and layouts', () => {
  it('reads Danish CSV: semicolons, decimal comma, thousands dots, BOM, Danish column and unit names', async () => {
    const r = await importAggregates(
      store,
      'patient-satisfaction-long-danish.csv',
      await example('patient-satisfaction-long-danish.csv'),
    );
    expect(r).toMatchObject({ format: 'csv', delimiter: ';', decimal: ',', layout: 'long', values: 5, written: true });
    expect(await value('patient-satisfaction', 'DK', '2023')).toMatchObject({
      numerator: 41250,
      denominator: 47500,
      value: 86.84,
    });
    expect(await value('patient-satisfaction', '101', '2023')).toMatchObject({ value: 84.93 });
    expect(await value('patient-satisfaction', '1082', '2023')).toMatchObject({ value: 85.71 });
  });

  it('reads international CSV and computes nothing it is not given', async () => {
    const r = await importAggregates(store, 'clinical.csv', await example('clinical-quality-international.csv'));
    expect(r).toMatchObject({ delimiter: ',', decimal: '.', values: 3 });
    expect(await value('clinical-quality-standards-met', '1084', '2023')).toMatchObject({
      numerator: 260,
      denominator: 430,
      value: 60.47,
    });
  });

  it('reads Windows-1252 text with Danish letters', async () => {
    const bytes = new Uint8Array([
      ...text('indicator;unit;period;value\r\nlife-expectancy;'),
      0x4b,
      0xf8,
      0x62,
      0x65,
      0x6e,
      0x68,
      0x61,
      0x76,
      0x6e,
      ...text(';2022;80,5\r\n'),
    ]);
    const r = await importAggregates(store, 'le.csv', bytes);
    expect(r.encoding).toBe('windows-1252');
    expect(await value('life-expectancy', '101', '2022')).toMatchObject({ value: 80.5 });
  });

  it('reads a Danmarks Statistik-style wide table with quarters as 2023K1 and ".." for missing', async () => {
    const r = await importAggregates(store, 'wide.csv', await example('waiting-time-wide-dst.csv'), {
      indicator: 'waiting-time-planned-surgery',
    });
    expect(r).toMatchObject({ layout: 'wide', rowsInFile: 4, values: 17 });
    expect(await value('waiting-time-planned-surgery', '851', '2023Q4')).toMatchObject({ value: 45 });
    expect(await value('waiting-time-planned-surgery', '851', '2023Q2')).toBeUndefined();
    expect(await value('waiting-time-planned-surgery', '1081', '2024Q1')).toMatchObject({ value: 43.5 });
  });

  it('reads the first XLSX sheet, or the one named', async () => {
    const r = await importAggregates(store, 'cancer-survival.xlsx', await example('cancer-survival.xlsx'));
    expect(r).toMatchObject({ format: 'xlsx', values: 3 });
    expect(await value('cancer-survival-5y', '1083', '2022')).toMatchObject({ value: 62.9 });
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Forside').addRow(['Ingen data her']);
    const sheet = workbook.addWorksheet('Tal');
    sheet.addRow(['indicator', 'unit', 'period', 'value']);
    sheet.addRow(['cancer-survival-1y', 'DK', 2022, 84.5]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect((await importAggregates(store, 'b.xlsx', bytes, { sheet: 'Tal' })).values).toBe(1);
    expect(await value('cancer-survival-1y', 'DK', '2022')).toMatchObject({ value: 84.5 });
  });

  it('reads a JSON array of rows with breakdowns', async () => {
    const r = await importAggregates(store, 'le.json', await example('life-expectancy.json'));
    expect(r).toMatchObject({ format: 'json', values: 4 });
    expect(await value('life-expectancy', 'DK', '2023', 'sex:F')).toMatchObject({ value: 83.2 });
  });

  it('suppresses imported counts of 1-4 in the published view and keeps them in full for recomputation', async () => {
    await importAggregates(
      store,
      'small.csv',
      text('indicator,unit,period,numerator,denominator\nhospital-acquired-infections,825,2023,3,120\n'),
    );
    expect(await value('hospital-acquired-infections', '825', '2023')).toMatchObject({
      suppressed: true,
      value: null,
      numerator: null,
      denominator: null,
    });
    const [full] = await store.queryValues({
      indicator: 'hospital-acquired-infections',
      unit: '825',
      period: '2023',
      full: true,
    });
    expect(full).toMatchObject({ suppressed: true, numerator: 3, denominator: 120, value: 2.5 });
  });
});

describe('validation: a file with any problem writes nothing', () => {
  const header = 'indicator;unit;period;breakdown;numerator;denominator;value\n';
  it.each([
    [
      'an unknown indicator',
      'no-such-indicator;DK;2023;total;;;5\n',
      "row 2, indicator, 'no-such-indicator': is not a known indicator",
    ],
    [
      'an unknown unit',
      'patient-satisfaction;Atlantis;2023;total;;;5\n',
      "row 2, unit, 'Atlantis': is not a known unit (use a code like 101 or a name like København)",
    ],
    [
      'a bad period',
      'patient-satisfaction;DK;2023Q5;total;;;5\n',
      "row 2, period, '2023Q5': is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)",
    ],
    [
      'a non-numeric value',
      'patient-satisfaction;DK;2023;total;;;fem\n',
      "row 2, value, 'fem': is not a number (decimal mark ',')",
    ],
    [
      'numerator above denominator',
      'patient-satisfaction;DK;2023;total;50;40;\n',
      "row 2, numerator, '50': is larger than the denominator (40)",
    ],
    ['a negative count', 'patient-satisfaction;DK;2023;total;-5;40;\n', "row 2, numerator, '-5': is a negative count"],
    [
      'a register indicator',
      'acute-readmission-somatic-30d;DK;2023;total;;;9\n',
      "row 2, indicator, 'acute-readmission-somatic-30d': is computed from register data; importing it would conflict with the computed values",
    ],
    [
      'a bad breakdown',
      'patient-satisfaction;DK;2023;gender:x;;;5\n',
      "row 2, breakdown, 'gender:x': is not a breakdown (total, sex:M, age_group:65-69, education:basic)",
    ],
    [
      'a value that contradicts its counts',
      'patient-satisfaction;DK;2023;total;10;40;50\n',
      "row 2, value, '50': does not match numerator/denominator × 100 = 25.0000",
    ],
  ])('reports %s with row, column, value and reason', async (_name, line, expected) => {
    const before = await store.info();
    const r = await importAggregates(store, 'bad.csv', text(header + line));
    expect(problems(r)).toEqual([expected]);
    expect(r.written).toBe(false);
    expect(await store.info()).toEqual(before);
  });

  it('reports duplicates inside the file and keeps going to list every problem', async () => {
    const r = await importAggregates(
      store,
      'dup.csv',
      text(
        `${header}patient-satisfaction;DK;2021;total;;;5\npatient-satisfaction;Hele landet;2021;total;;;6\npatient-satisfaction;XX;2021;total;;;6\n`,
      ),
    );
    expect(problems(r)).toEqual([
      "row 3, unit, 'Hele landet': repeats patient-satisfaction DK 2021 total from row 2",
      "row 4, unit, 'XX': is not a known unit (use a code like 101 or a name like København)",
    ]);
    expect(await value('patient-satisfaction', 'DK', '2021')).toBeUndefined();
  });

  it('refuses broken files with a clear error', async () => {
    await expect(importAggregates(store, 'x.json', text('{"not": "an array"}'))).rejects.toThrow(
      'x.json must be a JSON array of row objects',
    );
    await expect(importAggregates(store, 'x.csv', text('just one column\n1\n'))).rejects.toThrow(
      'x.csv has no header row with at least two columns',
    );
    await expect(importAggregates(store, 'x.xlsx', text('PK not really a zip'))).rejects.toThrow(
      /x\.xlsx cannot be read as XLSX/,
    );
    await expect(importAggregates(store, 'x.csv', text('a,b\n"unclosed,2\n'))).rejects.toThrow(
      /x\.csv is not valid CSV/,
    );
    await expect(importAggregates(store, 'empty.csv', new Uint8Array())).rejects.toThrow('empty.csv is empty');
  });
});

describe('revisions', () => {
  it('does nothing when the same file comes twice, and keeps old values when a value changes', async () => {
    const first = text(
      'indicator,unit,period,value\nrehabilitation-waiting-time,791,2023,12\nrehabilitation-waiting-time,791,2024,11\n',
    );
    const a = await importAggregates(store, 'rehab.csv', first, { actor: 'analyst', note: 'first delivery' });
    expect(a.diff).toMatchObject({ inserted: 2, changed: 0, unchanged: 0 });
    const again = await importAggregates(store, 'rehab.csv', first);
    expect(again).toMatchObject({ written: false, importId: null, diff: { inserted: 0, changed: 0, unchanged: 2 } });

    const corrected = text(
      'indicator,unit,period,value\nrehabilitation-waiting-time,791,2023,12\nrehabilitation-waiting-time,791,2024,10.5\n',
    );
    const dry = await importAggregates(store, 'rehab-v2.csv', corrected, { dryRun: true });
    expect(dry.diff).toMatchObject({
      inserted: 0,
      changed: 1,
      unchanged: 1,
      examples: [{ unit: '791', period: '2024', before: 11, after: 10.5 }],
    });
    expect(await value('rehabilitation-waiting-time', '791', '2024')).toMatchObject({ value: 11 });

    const b = await importAggregates(store, 'rehab-v2.csv', corrected, { actor: 'analyst', note: 'corrected 2024' });
    expect(b.diff).toMatchObject({ changed: 1 });
    expect(await value('rehabilitation-waiting-time', '791', '2024')).toMatchObject({ value: 10.5 });
    const history = await store.valueHistory({ indicator: 'rehabilitation-waiting-time', unit: '791', period: '2024' });
    expect(history.map((h) => [h.value, h.fileName, h.note, h.current])).toEqual([
      [10.5, 'rehab-v2.csv', 'corrected 2024', true],
      [11, 'rehab.csv', 'first delivery', false],
    ]);
    expect(history[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
