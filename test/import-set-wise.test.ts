// The set-wise reader of long CSV tables (a scratch DuckDB, check-csv-in-duckdb.ts): the same report as the
// row-by-row reader for hand-made files with known errors, the same values for clean ones, and through the
// import on both store kinds: a failing file leaves the store as it was, the same file twice writes nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../src/catalogue/index.js';
import { checkCsvInDuckDB } from '../src/ingest/check-csv-in-duckdb.js';
import { type ImportReference, importAggregates, validateImport } from '../src/ingest/import-aggregates.js';
import type { ImportReport } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { unpackValues } from '../src/store/packed-values.js';
import { catalogueStore } from './helpers.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const text = (s: string) => new TextEncoder().encode(s);
const problems = (r: ImportReport) => r.problems.map((p) => `row ${p.row}, ${p.column}, '${p.value}': ${p.reason}`);
let reference: ImportReference;
beforeAll(async () => {
  const catalogue = await loadCatalogue();
  reference = { indicators: catalogue.indicators, units: catalogue.units };
});

const HEADER = 'indikator;enhed;periode;opdeling;tæller;nævner;værdi';
const TOO_LARGE = '9'.repeat(310);
// Row numbers count the header as row 1.
const BAD_FILE = [
  HEADER,
  'patient-satisfaction;101;2023;total;412;500;', // 2: fine, 412/500 × 100
  'ukendt-indikator;101;2023;total;;;5', // 3
  'population;101;2023;total;;;5000', // 4: computed from registers
  'patient-satisfaction;Atlantis;2023;total;;;50', // 5
  'patient-satisfaction;101;2023Q5;total;;;50', // 6
  'patient-satisfaction;101;1889;total;;;50', // 7
  'life-expectancy;101;2023K1;total;;;80,5', // 8: a quarter for a yearly indicator
  'patient-satisfaction;101;2022;køn:M;;;50', // 9: a value, but a bad breakdown
  'patient-satisfaction;101;2021;total;;;halvtreds', // 10
  `waiting-time-planned-surgery;101;2023;total;;;${TOO_LARGE}`, // 11
  'patient-satisfaction;101;2020;total;-3;40;', // 12
  'patient-satisfaction;101;2019;total;50;40;', // 13
  'patient-satisfaction;101;2018;total;0;0;', // 14
  'patient-satisfaction;101;2017;total;10;40;50', // 15
  'patient-satisfaction;101;2016;total;;;150', // 16
  'patient-satisfaction;101;2015;total;;;', // 17
  'patient-satisfaction;0101;2023;total;;;82,4', // 18: row 2 again (0101 is 101)
  'waiting-time-planned-surgery; København ;2014;total;;;1.234,5', // 19: fine
  'waiting-time-planned-surgery;101;2024M01;sex:F;; ;12,5', // 20: fine (a blank cell)
  'waiting-time-planned-surgery;101;2024M02;total;;;..', // 21: ".." is no value
].join('\n');

const BAD_FILE_PROBLEMS = [
  "row 3, indikator, 'ukendt-indikator': is not a known indicator",
  "row 4, indikator, 'population': is computed from register data; importing it would conflict with the computed values",
  "row 5, enhed, 'Atlantis': is not a known unit (use a code like 101 or a name like København)",
  "row 6, periode, '2023Q5': is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)",
  "row 7, periode, '1889': is outside the years 1990–2100",
  "row 8, periode, '2023K1': is a quarter; life-expectancy is reported by year",
  "row 9, opdeling, 'køn:M': is not a breakdown (total, sex:M, age_group:65-69, education:basic)",
  "row 10, værdi, 'halvtreds': is not a number (decimal mark ',')",
  `row 11, værdi, '${TOO_LARGE}': is too large to be a number`,
  "row 12, tæller, '-3': is a negative count",
  "row 13, tæller, '50': is larger than the denominator (40)",
  "row 14, nævner, '0': is zero",
  "row 15, værdi, '50': does not match numerator/denominator × 100 = 25.0000",
  "row 16, værdi, '150': is outside 0–100, the range of patient-satisfaction (a proportion in %)",
  "row 17, værdi, '': no value: give a value, or numerator and denominator",
  "row 18, enhed, '0101': repeats patient-satisfaction 101 2023 total from row 2",
  "row 21, værdi, '..': no value: give a value, or numerator and denominator",
];

describe('the set-wise reader', () => {
  it('names every problem of a hand-made file with row, column, value and reason, as the row-by-row reader does', async () => {
    const bytes = text(BAD_FILE);
    const setWise = await checkCsvInDuckDB('bad.csv', bytes, {}, reference);
    expect(setWise).toBeDefined();
    expect(problems(setWise?.report as ImportReport)).toEqual(BAD_FILE_PROBLEMS);
    // Rows 2, 7, 8, 9, 12, 13, 15, 19 and 20 have a value (those between 7 and 15 with a problem too).
    expect(setWise?.report).toMatchObject({ rowsInFile: 20, values: 9, format: 'csv', delimiter: ';', decimal: ',' });
    const rowByRow = await validateImport('bad.csv', bytes, {}, reference);
    expect(setWise?.report).toEqual(rowByRow.report);
  });

  it('reads a clean file to the same values, in file order, with CRLF line ends, blanks and thousands dots', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 300; i++) {
      const unit = ['101', '751', 'Aarhus', 'Region Midtjylland', 'DK'][i % 5];
      const year = 1995 + Math.floor(i / 5);
      if (i % 3 === 0) lines.push(`patient-satisfaction;${unit};${year};total;${i};${i + 7};`);
      else if (i % 3 === 1)
        lines.push(`waiting-time-planned-surgery;${unit};${year}M0${(i % 9) + 1};sex:M;;;1.${100 + i},5`);
      else lines.push(`rehabilitation-waiting-time;${unit};${year};total;; ;${i},25`);
    }
    const bytes = text(`${lines.join('\r\n')}\r\n`);
    const setWise = await checkCsvInDuckDB('clean.csv', bytes, {}, reference);
    const rowByRow = await validateImport('clean.csv', bytes, {}, reference);
    expect(setWise?.report).toEqual(rowByRow.report);
    expect(setWise?.report.problems).toEqual([]);
    const values = [...unpackValues(setWise?.packed as NonNullable<typeof setWise>['packed'])];
    expect(values).toEqual(rowByRow.values);
    // Worked by hand: row 2 (i = 0) is 0/7 in Copenhagen, row 3 (i = 1) Aarhus's 1.101,5 days, row 7 (i = 5) 5,25.
    expect(values[0]).toMatchObject({ unit: '101', period: '1995', numerator: 0, denominator: 7, value: 0 });
    expect(values[1]).toMatchObject({ unit: '751', period: '1995M02', breakdown: 'sex:M', value: 1101.5 });
    expect(values[5]).toMatchObject({
      indicator: 'rehabilitation-waiting-time',
      unit: '101',
      period: '1996',
      value: 5.25,
    });
  });

  it('refuses rows outside the importer’s units, naming them, as the row-by-row reader does', async () => {
    const bytes = text(
      `${HEADER}\npatient-satisfaction;101;2023;total;;;50\npatient-satisfaction;751;2023;total;;;50\npatient-satisfaction;Aarhus;2022;total;;;50\n`,
    );
    const options = { allowedUnits: ['101'], scopeDescription: 'Københavns Kommune' };
    const expected = {
      message:
        'scope.csv has 2 row(s) for unit 751, outside what you may write (Københavns Kommune); nothing was written',
      status: 403,
      details: ['row 3: unit 751', 'row 4: unit 751'],
    };
    await expect(checkCsvInDuckDB('scope.csv', bytes, options, reference)).rejects.toMatchObject(expected);
    await expect(validateImport('scope.csv', bytes, options, reference)).rejects.toMatchObject(expected);
  });

  it('counts rows as records, skipping blank lines, as the CSV parser does', async () => {
    const bytes = text(
      `${HEADER}\npatient-satisfaction;101;2023;total;;;50\n\npatient-satisfaction;Atlantis;2023;total;;;50\n`,
    );
    const setWise = await checkCsvInDuckDB('blank.csv', bytes, {}, reference);
    expect(setWise).toBeDefined();
    expect(problems(setWise?.report as ImportReport)).toEqual([
      "row 3, enhed, 'Atlantis': is not a known unit (use a code like 101 or a name like København)",
    ]);
    expect(setWise?.report).toEqual((await validateImport('blank.csv', bytes, {}, reference)).report);
  });

  it('reads a file on disk a megabyte at a time to the same report and values as from its bytes', async () => {
    // Over 2 MB with a byte-order mark, CRLF line ends and names in UTF-8 (ø is two bytes), so that chunks end
    // inside lines and, somewhere, inside a character.
    const lines = [HEADER];
    const units = ['Brøndby', 'Aarhus', '101', 'Høje-Taastrup', 'Region Midtjylland'];
    const breakdowns = ['total', 'sex:M', 'sex:F', 'education:basic', 'education:vocational', 'education:higher'];
    for (let year = 1990; year <= 2100; year++)
      for (let m = 1; m <= 12; m++)
        for (const unit of units)
          for (const b of breakdowns)
            lines.push(`waiting-time-planned-surgery;${unit};${year}M${String(m).padStart(2, '0')};${b};;;${m},5`);
    const dir = await mkdtemp(path.join(tmpdir(), 'pejling-scan-'));
    try {
      const read = async (name: string, content: string) => {
        const bytes = text(`\uFEFF${content}`);
        const file = path.join(dir, name);
        await writeFile(file, bytes);
        return {
          bytes,
          fromBytes: await checkCsvInDuckDB(name, bytes, {}, reference),
          fromDisk: await checkCsvInDuckDB(name, { path: file }, {}, reference),
        };
      };
      const clean = await read('clean.csv', `${lines.join('\r\n')}\r\n`);
      expect(clean.bytes.byteLength).toBeGreaterThan(2 * 1024 * 1024);
      expect(clean.fromDisk?.report).toEqual(clean.fromBytes?.report);
      expect(clean.fromDisk?.report).toMatchObject({ rowsInFile: 39_960, values: 39_960, problems: [] });
      const values = [...unpackValues(clean.fromDisk?.packed as NonNullable<typeof clean.fromDisk>['packed'])];
      expect(values).toEqual([
        ...unpackValues(clean.fromBytes?.packed as NonNullable<typeof clean.fromBytes>['packed']),
      ]);
      // Row 2 is Brøndby's January 1990, 1,5 days; the last row the higher educated of Region Midtjylland.
      expect(values[0]).toMatchObject({ unit: '153', period: '1990M01', breakdown: 'total', value: 1.5 });
      expect(values.at(-1)).toMatchObject({
        unit: '1082',
        period: '2100M12',
        breakdown: 'education:higher',
        value: 12.5,
      });
      // A bad period near the end is named alike.
      const bad = await read(
        'bad.csv',
        `${[...lines.slice(0, -1), `${lines.at(-1)?.replace('2100M12', '2100M13')}`].join('\r\n')}\r\n`,
      );
      expect(problems(bad.fromDisk?.report as ImportReport)).toEqual([
        "row 39961, periode, '2100M13': is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)",
      ]);
      expect(bad.fromDisk?.report).toEqual(bad.fromBytes?.report);
      // One line end without its carriage return: neither reads it set-wise.
      const mixed = await read(
        'mixed.csv',
        `${lines.slice(0, 30_000).join('\r\n')}\n${lines.slice(30_000).join('\r\n')}\r\n`,
      );
      expect(mixed.fromBytes).toBeUndefined();
      expect(mixed.fromDisk).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks a file again with more memory when the first limit is too small, and never falls back silently', async () => {
    const bytes = text(BAD_FILE);
    // 1 MB is below what DuckDB's CSV reader needs for its buffers.
    const retried = await checkCsvInDuckDB('bad.csv', bytes, {}, reference, {}, ['1MB', '64MB']);
    expect(problems(retried?.report as ImportReport)).toEqual(BAD_FILE_PROBLEMS);
    await expect(checkCsvInDuckDB('bad.csv', bytes, {}, reference, {}, ['1MB', '1MB'])).rejects.toThrow(
      /Out of Memory/,
    );
  });

  it('leaves files it does not take to the row-by-row reader', async () => {
    const quoted = text(`${HEADER}\n"patient-satisfaction";101;2023;total;;;50\n`);
    const wide = text('enhed;2022;2023\n101;5;6\n');
    expect(await checkCsvInDuckDB('q.csv', quoted, {}, reference)).toBeUndefined();
    expect(await checkCsvInDuckDB('w.csv', wide, { indicator: 'life-expectancy' }, reference)).toBeUndefined();
    expect(await checkCsvInDuckDB('x.xlsx', quoted, {}, reference)).toBeUndefined();
  });
});

// A file over 512 KB, so that it is read in the worker thread, set-wise: 20,000 monthly waiting times of ten
// municipalities by eight breakdowns, 2000-2020; row i + 2 has i mod 97 + 0,5 days.
function bigFile(lastLine?: string): { bytes: Uint8Array; rows: number } {
  const lines = [HEADER];
  const units = ['101', '147', '151', '153', '155', '157', '159', '161', '163', '165'];
  const breakdowns = ['total', 'sex:M', 'sex:F', 'education:basic', 'education:vocational', 'education:higher'];
  breakdowns.push('age_group:65-69', 'income:Q1');
  for (let i = 0; i < 20_000; i++) {
    const year = 2000 + Math.floor(i / 960);
    const month = String((Math.floor(i / 8) % 12) + 1).padStart(2, '0');
    const unit = units[Math.floor(i / 96) % 10];
    lines.push(`waiting-time-planned-surgery;${unit};${year}M${month};${breakdowns[i % 8]};;;${i % 97},5`);
  }
  if (lastLine) lines.push(lastLine);
  return { bytes: text(`${lines.join('\n')}\n`), rows: lines.length - 1 };
}

const locations = storeLocations();
describe.each(STORE_KINDS)('set-wise imports on the %s store', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ store, cleanup } = await catalogueStore(await locations.newLocation(kind, 'setwise'))));
  afterAll(() => cleanup());
  const snapshot = async () => ({
    info: await store.info(),
    imports: await store.listImports(),
    values: await store.queryValues({ indicator: 'waiting-time-planned-surgery', full: true }),
  });

  it('counts stored values with numbers, small counts and suppressed cells, for the import to skip work', async () => {
    const row = (unit: string, numerator: number | null, denominator: number | null, suppressed: boolean) => ({
      indicator: 'hospital-acquired-infections',
      unit,
      period: '2024',
      breakdown: 'total',
      numerator,
      denominator,
      value: numerator !== null && denominator ? (numerator / denominator) * 100 : 7,
      suppressed,
    });
    await store.applyImport({ actor: 'test', fileName: 'counts.csv', sha256: 'x', rowsInFile: 5 }, [
      row('101', 3, 40, true), // small numerator
      row('147', 12, 4, false), // small denominator
      row('151', 12, 40, false),
      row('153', null, 40, false),
      row('DK', null, null, false),
    ]);
    expect(await store.storedValueCounts('hospital-acquired-infections')).toEqual({
      values: 5,
      withNumeratorAndDenominator: 3,
      withNumerator: 3,
      withDenominator: 4,
      smallNumerator: 1,
      smallDenominator: 1,
      suppressed: 1,
    });
    expect(await store.storedValueCounts('hospital-acquired-infections', ['151', '153', 'DK'])).toEqual({
      values: 3,
      withNumeratorAndDenominator: 1,
      withNumerator: 1,
      withDenominator: 2,
      smallNumerator: 0,
      smallDenominator: 0,
      suppressed: 0,
    });
    expect((await store.storedValueCounts('no-such-indicator')).values).toBe(0);
  });

  it('writes nothing when one row of a large file is wrong, then writes it whole, and nothing the second time', async () => {
    const before = await snapshot();
    const bad = bigFile('waiting-time-planned-surgery;101;2031M13;total;;;4,5');
    expect(bad.bytes.byteLength).toBeGreaterThan(512 * 1024);
    const failed = await importAggregates(store, 'big.csv', bad.bytes);
    expect(problems(failed)).toEqual([
      `row ${bad.rows + 1}, periode, '2031M13': is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)`,
    ]);
    expect(failed.written).toBe(false);
    expect(await snapshot()).toEqual(before);

    const good = bigFile();
    const first = await importAggregates(store, 'big.csv', good.bytes, { actor: 'test' });
    expect(first).toMatchObject({ written: true, values: 20_000, diff: { inserted: 20_000, changed: 0 } });
    // Row 2 is i = 0: 101, 2000M01, total, 0,5 days; row 9,602 is i = 9,600: 2010, unit 101 (9,600 / 96 = 100),
    // month 1 (9,600 / 8 = 1,200), total, 9,600 mod 97 = 94; row 20,001 is i = 19,999: 2020 (19,999 / 960 = 20.8),
    // unit 163 (19,999 / 96 = 208, the 9th unit), month 4 (19,999 / 8 = 2,499; 2,499 mod 12 = 3), income:Q1
    // (19,999 mod 8 = 7), 19,999 mod 97 = 17.
    const at = async (unit: string, period: string, breakdown = 'total') =>
      (await store.queryValues({ indicator: 'waiting-time-planned-surgery', unit, period, breakdown }))[0]?.value;
    expect(await at('101', '2000M01')).toBe(0.5);
    expect(await at('101', '2010M01')).toBe(94.5);
    expect(await at('163', '2020M04', 'income:Q1')).toBe(17.5);
    const written = await snapshot();
    expect(written.values).toHaveLength(20_000);

    const again = await importAggregates(store, 'big.csv', good.bytes, { actor: 'test' });
    expect(again).toMatchObject({
      written: false,
      importId: null,
      diff: { inserted: 0, changed: 0, unchanged: 20_000 },
    });
    expect(await snapshot()).toEqual(written);
  });
});
