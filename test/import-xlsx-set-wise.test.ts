// XLSX workbooks through the set-wise check (check-xlsx-in-duckdb.ts): a hand-made table with many kinds of error,
// written once as CSV and once as XLSX (exceljs), gives the same problems and values from both files and from the
// row-by-row reader; a large workbook imported through the worker thread stores exactly what the same table as CSV
// stores, and a wrong row in it writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../src/catalogue/index.js';
import { checkCsvInDuckDB } from '../src/ingest/check-csv-in-duckdb.js';
import { checkXlsxInDuckDB } from '../src/ingest/check-xlsx-in-duckdb.js';
import { type ImportReference, importAggregates, validateImport } from '../src/ingest/import-aggregates.js';
import type { ImportReport } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { unpackValues } from '../src/store/packed-values.js';
import { catalogueStore } from './helpers.js';

type Cell = string | number;
const HEADER = ['indicator', 'unit', 'period', 'breakdown', 'numerator', 'denominator', 'value'];
const TOO_LARGE = '9'.repeat(310);

/** The table as comma-separated text (numbers written as JavaScript writes them, with a decimal point). */
const asCsv = (rows: readonly Cell[][]) =>
  new TextEncoder().encode(`${[HEADER, ...rows].map((r) => r.map(String).join(',')).join('\n')}\n`);

/** The table as a workbook with one sheet: numbers as number cells, text as text cells. */
async function asXlsx(rows: readonly Cell[][]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tal');
  sheet.addRow(HEADER);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const problems = (r: ImportReport) => r.problems.map((p) => `row ${p.row}, ${p.column}, '${p.value}': ${p.reason}`);
/** A report without what names the file itself (name, hash, format, separator, encoding). */
const content = ({ file, sha256, format, delimiter, encoding, ...rest }: ImportReport) => rest;

// Row numbers count the header as row 1.
const BAD_ROWS: Cell[][] = [
  ['patient-satisfaction', 101, 2023, 'total', 412, 500, ''], // 2: fine, 412/500 × 100
  ['ukendt-indikator', 101, 2023, 'total', '', '', 5], // 3
  ['population', 101, 2023, 'total', '', '', 5000], // 4: computed from registers
  ['patient-satisfaction', 'Atlantis', 2023, 'total', '', '', 50], // 5
  ['patient-satisfaction', 101, '2023Q5', 'total', '', '', 50], // 6
  ['patient-satisfaction', 101, 1889, 'total', '', '', 50], // 7
  ['life-expectancy', 101, '2023K1', 'total', '', '', 80.5], // 8: a quarter for a yearly indicator
  ['patient-satisfaction', 101, 2022, 'køn:M', '', '', 50], // 9: a value, but a bad breakdown
  ['patient-satisfaction', 101, 2021, 'total', '', '', 'halvtreds'], // 10
  ['waiting-time-planned-surgery', 101, 2023, 'total', '', '', TOO_LARGE], // 11
  ['patient-satisfaction', 101, 2020, 'total', -3, 40, ''], // 12
  ['patient-satisfaction', 101, 2019, 'total', 50, 40, ''], // 13
  ['patient-satisfaction', 101, 2018, 'total', 0, 0, ''], // 14
  ['patient-satisfaction', 101, 2017, 'total', 10, 40, 50], // 15
  ['patient-satisfaction', 101, 2016, 'total', '', '', 150], // 16
  ['patient-satisfaction', 101, 2015, 'total', '', '', ''], // 17
  ['patient-satisfaction', '0101', 2023, 'total', '', '', 82.4], // 18: row 2 again (0101 is 101)
  ['waiting-time-planned-surgery', 'København', 2014, 'total', '', '', 1234.5], // 19: fine
  ['waiting-time-planned-surgery', 101, '2024M01', 'sex:F', '', '', 12.5], // 20: fine
  ['waiting-time-planned-surgery', 101, '2024M02', 'total', '', '', '..'], // 21: ".." is no value
  ['hospital-acquired-infections', 751, 2022, 'total', 3, 40, 7.5], // 22: fine, 3/40 × 100
  ['hospital-acquired-infections', 751, 2023, 'total', 3.5, 40, ''], // 23: fine (a count need not be whole here)
  ['hospital-acquired-infections', 751, 2021, 'total', 'tre', 40, ''], // 24
];

const BAD_ROWS_PROBLEMS = [
  "row 3, indicator, 'ukendt-indikator': is not a known indicator",
  "row 4, indicator, 'population': is computed from register data; importing it would conflict with the computed values",
  "row 5, unit, 'Atlantis': is not a known unit (use a code like 101 or a name like København)",
  "row 6, period, '2023Q5': is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)",
  "row 7, period, '1889': is outside the years 1990–2100",
  "row 8, period, '2023K1': is a quarter; life-expectancy is reported by year",
  "row 9, breakdown, 'køn:M': is not a breakdown (total, sex:M, age_group:65-69, education:basic)",
  "row 10, value, 'halvtreds': is not a number (decimal mark '.')",
  `row 11, value, '${TOO_LARGE}': is too large to be a number`,
  "row 12, numerator, '-3': is a negative count",
  "row 13, numerator, '50': is larger than the denominator (40)",
  "row 14, denominator, '0': is zero",
  "row 15, value, '50': does not match numerator/denominator × 100 = 25.0000",
  "row 16, value, '150': is outside 0–100, the range of patient-satisfaction (a proportion in %)",
  "row 17, value, '': no value: give a value, or numerator and denominator",
  "row 18, unit, '0101': repeats patient-satisfaction 101 2023 total from row 2",
  "row 21, value, '..': no value: give a value, or numerator and denominator",
  "row 24, numerator, 'tre': is not a number (decimal mark '.')",
];

let reference: ImportReference;
beforeAll(async () => {
  const catalogue = await loadCatalogue();
  reference = { indicators: catalogue.indicators, units: catalogue.units };
});

describe('the set-wise reader of XLSX workbooks', () => {
  it('names every problem of a hand-made table as it does for the same table as CSV, and as the row-by-row reader', async () => {
    const csv = asCsv(BAD_ROWS);
    const xlsx = await asXlsx(BAD_ROWS);
    const fromXlsx = await checkXlsxInDuckDB('bad.xlsx', xlsx, {}, reference);
    const fromCsv = await checkCsvInDuckDB('bad.csv', csv, {}, reference);
    expect(fromXlsx).toBeDefined();
    expect(fromCsv).toBeDefined();
    const report = fromXlsx?.report as ImportReport;
    expect(problems(report)).toEqual(BAD_ROWS_PROBLEMS);
    // Rows 2, 7, 8, 9, 12, 13, 15, 19, 20, 22 and 23 have a value (those between 7 and 15 with a problem too).
    expect(report).toMatchObject({ rowsInFile: 23, values: 11, format: 'xlsx', decimal: '.' });
    expect(content(report)).toEqual(content(fromCsv?.report as ImportReport));
    expect(report).toEqual((await validateImport('bad.xlsx', xlsx, {}, reference)).report);
  });

  it('reads the clean rows of the table to the same values as from CSV and row by row', async () => {
    const clean = BAD_ROWS.filter((_, i) => [0, 17, 18, 20, 21].includes(i));
    const xlsx = await asXlsx(clean);
    const fromXlsx = await checkXlsxInDuckDB('clean.xlsx', xlsx, {}, reference);
    const fromCsv = await checkCsvInDuckDB('clean.csv', asCsv(clean), {}, reference);
    expect(fromXlsx?.report.problems).toEqual([]);
    const values = [...unpackValues(fromXlsx?.packed as NonNullable<typeof fromXlsx>['packed'])];
    expect(values).toEqual([...unpackValues(fromCsv?.packed as NonNullable<typeof fromCsv>['packed'])]);
    expect(values).toEqual((await validateImport('clean.xlsx', xlsx, {}, reference)).values);
    // Worked by hand: the share is numerator/denominator × 100 where no value is given; København is 101.
    expect(
      values.map((v) => [v.indicator, v.unit, v.period, v.breakdown, v.numerator, v.denominator, v.value]),
    ).toEqual([
      ['patient-satisfaction', '101', '2023', 'total', 412, 500, (412 / 500) * 100],
      ['waiting-time-planned-surgery', '101', '2014', 'total', null, null, 1234.5],
      ['waiting-time-planned-surgery', '101', '2024M01', 'sex:F', null, null, 12.5],
      ['hospital-acquired-infections', '751', '2022', 'total', 3, 40, 7.5],
      ['hospital-acquired-infections', '751', '2023', 'total', 3.5, 40, (3.5 / 40) * 100],
    ]);
  });

  it('names rows by their number in the sheet when blank rows lie between, as the row-by-row reader does', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tal');
    sheet.addRow(HEADER);
    sheet.addRow(['patient-satisfaction', 101, 2023, 'total', '', '', 50]); // row 2
    // Rows 3 and 4 left blank; row 5 has a unit with a separator, quotes and a line break in it.
    sheet.getRow(5).values = ['patient-satisfaction', 'Atl"an;tis,\n"x"', 2023, 'total', '', '', 50];
    sheet.getRow(6).values = ['patient-satisfaction', 101, 2022, 'total', '', '', 'mange']; // row 6
    sheet.getRow(7).values = ['patient-satisfaction', 751, 2022, 'total', '', '', 61.5]; // row 7: fine
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const setWise = await checkXlsxInDuckDB('gaps.xlsx', bytes, {}, reference);
    expect(problems(setWise?.report as ImportReport)).toEqual([
      `row 5, unit, 'Atl"an;tis,\n"x"': is not a known unit (use a code like 101 or a name like København)`,
      "row 6, value, 'mange': is not a number (decimal mark '.')",
    ]);
    expect(setWise?.report).toMatchObject({ rowsInFile: 4, values: 2 });
    const rowByRow = await validateImport('gaps.xlsx', bytes, {}, reference);
    expect(setWise?.report).toEqual(rowByRow.report);
  });

  it('refuses rows outside the importer’s units, naming them, as for CSV', async () => {
    const rows: Cell[][] = [
      ['patient-satisfaction', 101, 2023, 'total', '', '', 50],
      ['patient-satisfaction', 751, 2023, 'total', '', '', 50],
      ['patient-satisfaction', 'Aarhus', 2022, 'total', '', '', 50],
    ];
    const options = { allowedUnits: ['101'], scopeDescription: 'Københavns Kommune' };
    await expect(checkXlsxInDuckDB('scope.xlsx', await asXlsx(rows), options, reference)).rejects.toMatchObject({
      message:
        'scope.xlsx has 2 row(s) for unit 751, outside what you may write (Københavns Kommune); nothing was written',
      status: 403,
      details: ['row 3: unit 751', 'row 4: unit 751'],
    });
  });

  it('leaves the wide layout, and files that are not workbooks, to the row-by-row reader', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tal');
    sheet.addRow(['enhed', '2022', '2023']);
    sheet.addRow(['101', 5, 6]);
    const wide = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await checkXlsxInDuckDB('w.xlsx', wide, { indicator: 'life-expectancy' }, reference)).toBeUndefined();
    expect(await checkXlsxInDuckDB('x.csv', asCsv(BAD_ROWS), {}, reference)).toBeUndefined();
  });
});

/**
 * 40,000 monthly waiting times of ten municipalities by eight breakdowns (large enough to be read in the worker
 * thread); row i + 2 has i mod 97 + 0.5 days, and `extra` rows after them.
 */
function bigTable(extra: Cell[][] = []): Cell[][] {
  const units = [101, 147, 151, 153, 155, 157, 159, 161, 163, 165];
  const breakdowns = ['total', 'sex:M', 'sex:F', 'education:basic', 'education:vocational', 'education:higher'];
  breakdowns.push('age_group:65-69', 'income:Q1');
  const rows: Cell[][] = [];
  for (let i = 0; i < 40_000; i++) {
    const year = 1990 + Math.floor(i / 960);
    const month = String((Math.floor(i / 8) % 12) + 1).padStart(2, '0');
    const unit = units[Math.floor(i / 96) % 10] as number;
    rows.push([
      'waiting-time-planned-surgery',
      unit,
      `${year}M${month}`,
      breakdowns[i % 8] as string,
      '',
      '',
      (i % 97) + 0.5,
    ]);
  }
  return [...rows, ...extra];
}

describe('a large workbook imported through the worker thread', () => {
  const stores: Store[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const { store, cleanup } = await catalogueStore();
      stores.push(store);
      cleanups.push(cleanup);
    }
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  const stored = (store: Store) => store.queryValues({ indicator: 'waiting-time-planned-surgery', full: true });

  it('is checked set-wise and stores what the same table as CSV stores; a wrong row writes nothing', async () => {
    const [fromCsv, fromXlsx] = stores as [Store, Store];
    const steps: string[] = [];
    const onStepTime = (step: string) => steps.push(step.trim());
    const badRow: Cell[] = ['waiting-time-planned-surgery', 101, '2031M13', 'total', '', '', 4.5];
    const bad = await importAggregates(fromXlsx, 'big.xlsx', await asXlsx(bigTable([badRow])), { onStepTime });
    expect(steps).toContain('parse (streamed XLSX)');
    expect(problems(bad)).toEqual([
      "row 40002, period, '2031M13': is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)",
    ]);
    expect(content(bad)).toEqual(content(await importAggregates(fromCsv, 'big.csv', asCsv(bigTable([badRow])))));
    expect(bad.written).toBe(false);
    expect((await fromXlsx.info()).valueCount).toBe(0);

    const xlsx = await asXlsx(bigTable());
    expect(xlsx.byteLength).toBeGreaterThan(512 * 1024);
    const viaXlsx = await importAggregates(fromXlsx, 'big.xlsx', xlsx, { actor: 'test' });
    const viaCsv = await importAggregates(fromCsv, 'big.csv', asCsv(bigTable()), { actor: 'test' });
    expect(viaXlsx).toMatchObject({ written: true, values: 40_000, diff: { inserted: 40_000, changed: 0 } });
    expect(content(viaXlsx)).toEqual(content(viaCsv));
    expect(await stored(fromXlsx)).toEqual(await stored(fromCsv));
    // Row 2 is i = 0: 101, 1990M01, total, 0.5 days; row 40,001 is i = 39,999: year 1990 + 41 (39,999 / 960 =
    // 41.7), unit 159 (39,999 / 96 = 416; 416 mod 10 = 6, the 7th unit), month 8 (39,999 / 8 = 4,999; 4,999 mod
    // 12 = 7), income:Q1 (39,999 mod 8 = 7), 39,999 mod 97 = 35 days and a half.
    const at = async (unit: string, period: string, breakdown = 'total') =>
      (await fromXlsx.queryValues({ indicator: 'waiting-time-planned-surgery', unit, period, breakdown }))[0]?.value;
    expect(await at('101', '1990M01')).toBe(0.5);
    expect(await at('159', '2031M08', 'income:Q1')).toBe(35.5);
  });
});
