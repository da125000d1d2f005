// Bad record-level input gets a clear error naming file, row and column, and leaves the store unchanged.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR } from '../src/catalogue/index.js';
import { UserError } from '../src/domain/errors.js';
import { computeRegisterIndicators } from '../src/engine/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, ROOT, tempDir } from './helpers.js';

const SOURCE = path.join(ROOT, 'test/fixtures/register-small');
let store: Store;
let cleanupStore: () => Promise<void>;
let dir: string;
let cleanupDir: () => Promise<void>;

beforeAll(async () => {
  ({ store, cleanup: cleanupStore } = await catalogueStore());
  ({ dir, cleanup: cleanupDir } = await tempDir());
});
afterAll(async () => {
  await cleanupStore();
  await cleanupDir();
});

async function broken(name: string, table: string, edit: (text: string) => string): Promise<string> {
  const target = path.join(dir, name);
  await cp(SOURCE, target, { recursive: true });
  const file = path.join(target, `${table}.csv`);
  await writeFile(file, edit(await readFile(file, 'utf8')));
  return target;
}

async function errorOf(dataDir: string): Promise<UserError> {
  try {
    await computeRegisterIndicators({ store, dataDir, catalogueDir: DEFAULT_CATALOGUE_DIR });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('bad input was accepted');
}

describe('record-level input validation', () => {
  it('names the line and column of a bad date', async () => {
    const d = await broken('bad-date', 'hospital_courses', (t) =>
      t.replace('c4,P2,101,H1,2024-05-01', 'c4,P2,101,H1,2024-13-01'),
    );
    const error = await errorOf(d);
    expect(error.message).toBe(
      "hospital_courses.csv line 5, column admission_date: '2024-13-01' is not an ISO date (YYYY-MM-DD)",
    );
    expect(error.location).toMatchObject({ row: 5, column: 'admission_date' });
  });

  it('names an unknown municipality code', async () => {
    const d = await broken('bad-code', 'hospital_courses', (t) => t.replace('c7,P3,751', 'c7,P3,999'));
    expect((await errorOf(d)).message).toBe(
      "hospital_courses.csv line 8, column municipality_code: '999' is not a municipality code (use the official codes, e.g. 101 or 0101)",
    );
  });

  it('names a missing column and lists what was found', async () => {
    const d = await broken('no-column', 'persons', (t) =>
      t.replace('person_id,birth_date,sex,education', 'person_id,birthdate,sex,education'),
    );
    const error = await errorOf(d);
    expect(error.message).toBe('persons.csv lacks the column(s) birth_date');
    expect(error.hint).toContain('found: person_id, birthdate, sex, education');
  });

  it('rejects a bad sex code, a bad boolean, a discharge before admission and duplicates', async () => {
    const sex = await broken('bad-sex', 'persons', (t) => t.replace('P3,1980-03-10,M', 'P3,1980-03-10,X'));
    expect((await errorOf(sex)).message).toBe("persons.csv line 4, column sex: 'X' must be M or F");
    const bool = await broken('bad-bool', 'hospital_courses', (t) =>
      t.replace('c1,P1,101,H1,2024-03-01,2024-03-10,false', 'c1,P1,101,H1,2024-03-01,2024-03-10,maybe'),
    );
    expect((await errorOf(bool)).message).toBe(
      "hospital_courses.csv line 2, column acute: 'maybe' is not a boolean (true/false, 1/0)",
    );
    const order = await broken('bad-order', 'hospital_courses', (t) =>
      t.replace('c3,P1,101,H1,2024-03-16,2024-03-20', 'c3,P1,101,H1,2024-03-16,2024-03-02'),
    );
    expect((await errorOf(order)).message).toBe(
      "hospital_courses.csv line 4, column discharge_date: '2024-03-02' is before the admission date",
    );
    const dup = await broken('dup', 'persons', (t) => `${t}P1,1950-06-15,M,basic\n`);
    expect((await errorOf(dup)).message).toBe('persons.csv has 2 rows with the same person_id (person_id=P1)');
  });

  it('checks every course when the chosen indicators keep only inpatient courses', async () => {
    const readmission = async (dataDir: string) => {
      try {
        await computeRegisterIndicators({
          store,
          dataDir,
          catalogueDir: DEFAULT_CATALOGUE_DIR,
          indicators: ['acute-readmission-somatic-30d'],
        });
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        return (error as UserError).message;
      }
      throw new Error('bad input was accepted');
    };
    // c18 and c21 are outpatient courses, which readmission does not keep.
    const bool = await broken('outpatient-bool', 'hospital_courses', (t) =>
      t.replace('c18,P7,101,H1,2024-12-30,2024-12-30,true', 'c18,P7,101,H1,2024-12-30,2024-12-30,maybe'),
    );
    expect(await readmission(bool)).toBe(
      "hospital_courses.csv line 19, column acute: 'maybe' is not a boolean (true/false, 1/0)",
    );
    const dup = await broken('outpatient-dup', 'hospital_courses', (t) => t.replace('c21,P3,101', 'c18,P3,101'));
    expect(await readmission(dup)).toBe('hospital_courses.csv has 2 rows with the same course_id (course_id=c18)');
  });

  it('gives a clear error for random bytes instead of a CSV', async () => {
    const d = await broken('random', 'population', () =>
      String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 97) % 256)),
    );
    const error = await errorOf(d);
    expect(error.message).toMatch(/^population\.csv (cannot be read|lacks the column)/);
  });

  it('leaves the stored values unchanged after a failed computation', async () => {
    await computeRegisterIndicators({
      store,
      dataDir: SOURCE,
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      keepSmallCounts: true,
    });
    const before = await store.info();
    await errorOf(await broken('late-error', 'hospital_courses', (t) => t.replace('c22,P6,751', 'c22,P6,1234')));
    expect(await store.info()).toEqual(before);
    expect(before.indicatorsWithValues).toBe(15);
  });
});

describe('Parquet input', () => {
  it('computes the same values from typed Parquet files as from CSV', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const target = path.join(dir, 'parquet');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(target, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    for (const table of ['population', 'persons', 'hospital_courses', 'deaths']) {
      await conn.run(
        `COPY (SELECT * FROM read_csv('${path.join(SOURCE, `${table}.csv`)}', header = true)) TO '${path.join(target, `${table}.parquet`)}' (FORMAT parquet)`,
      );
    }
    conn.closeSync();
    instance.closeSync();
    await computeRegisterIndicators({
      store,
      dataDir: target,
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      keepSmallCounts: true,
    });
    const [dk] = await store.queryValues({
      indicator: 'acute-readmission-somatic-30d',
      unit: 'DK',
      period: '2024',
      breakdown: 'total',
    });
    expect([dk?.numerator, dk?.denominator]).toEqual([4, 11]);
    const [chronic] = await store.queryValues({
      indicator: 'chronic-activity-copd-t2d',
      unit: '751',
      period: '2024',
      breakdown: 'total',
    });
    expect([chronic?.numerator, chronic?.denominator]).toEqual([9, 3]);
  });
});
