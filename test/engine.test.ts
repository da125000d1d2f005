// Each recipe against answers worked out by hand on test/fixtures/register-small (see the comments there and
// below for every case: transfers, day 1/30/31, chained hospitals, deaths, year boundary, moves, open courses,
// diagnosis spellings DJ441 / J44.1 / j441).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR } from '../src/catalogue/index.js';
import { computeRegisterIndicators } from '../src/engine/index.js';
import type { IndicatorValue, Store } from '../src/store/index.js';
import { catalogueStore, ROOT } from './helpers.js';

const DATA = path.join(ROOT, 'test/fixtures/register-small');
let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  await computeRegisterIndicators({ store, dataDir: DATA, catalogueDir: DEFAULT_CATALOGUE_DIR, keepSmallCounts: true });
});
afterAll(() => cleanup());

async function value(
  indicator: string,
  unit: string,
  period: string,
  breakdown = 'total',
): Promise<IndicatorValue | undefined> {
  const [row] = await store.queryValues({ indicator, unit, period, breakdown });
  return row;
}
async function counts(indicator: string, unit: string, period: string, breakdown = 'total') {
  const row = await value(indicator, unit, period, breakdown);
  return row ? [row.numerator, row.denominator] : undefined;
}

describe('acute-readmission-somatic-30d', () => {
  const id = 'acute-readmission-somatic-30d';
  // 2024 index admissions: P1 c1+c2 (transfer on the discharge day; readmitted day 1 by c3) and c3; P2 c4
  // (readmitted day 30 by c5) and c5; c16 has no discharge (out); P3 c6 (acute c7 on day 31: no) and c7 (moved
  // to 751); P4 c8+c9+c10 chained across three hospitals (readmitted day 8 by c11) and c11; P5 c12 died on the
  // discharge day (out); P6 c13 died day 15 without readmission (in; the psychiatric c17 does not count);
  // P7 c14 readmitted across the year boundary by c15 (2025); P8 c19.
  it('counts index admissions and readmissions per municipality, region and Denmark', async () => {
    expect(await counts(id, '101', '2024')).toEqual([3, 7]);
    expect(await counts(id, '751', '2024')).toEqual([1, 4]);
    expect(await counts(id, '1084', '2024')).toEqual([3, 7]);
    expect(await counts(id, '1082', '2024')).toEqual([1, 4]);
    expect(await counts(id, 'DK', '2024')).toEqual([4, 11]);
    expect((await value(id, 'DK', '2024'))?.value).toBeCloseTo((4 / 11) * 100, 10);
    expect(await counts(id, 'DK', '2025')).toEqual([0, 1]);
  });

  it('breaks down by sex and by quarter of discharge', async () => {
    expect(await counts(id, 'DK', '2024', 'sex:M')).toEqual([2, 5]);
    expect(await counts(id, 'DK', '2024', 'sex:F')).toEqual([2, 6]);
    expect(await counts(id, 'DK', '2024Q1')).toEqual([1, 2]);
    expect(await counts(id, 'DK', '2024Q2')).toEqual([1, 3]);
    expect(await counts(id, 'DK', '2024Q3')).toEqual([1, 4]);
    expect(await counts(id, 'DK', '2024Q4')).toEqual([1, 2]);
  });
});

describe('acute-readmission-psychiatric-30d', () => {
  it('keeps psychiatric and somatic admissions apart', async () => {
    expect(await counts('acute-readmission-psychiatric-30d', 'DK', '2024')).toEqual([0, 1]);
    expect(await counts('acute-readmission-psychiatric-30d', '751', '2024')).toEqual([0, 1]);
  });
});

describe('preventable-admissions-65plus', () => {
  // Acute somatic admissions of 65+ with a listed first diagnosis: c3 (DN390, 73 y), c5 (J18.1, 84 y), c19 (dn30,
  // 65 on the day) in 101; P4's chain (DS720, 68 y) and c13 (DE86, 79 y) in 751. Not: c1+c2 (first course not
  // acute), c7 (44 y), c11 (DI21), c12 (64 y, born 29 February).
  it('counts per 1,000 citizens aged 65+', async () => {
    const id = 'preventable-admissions-65plus';
    expect(await counts(id, '101', '2024')).toEqual([3, 1800]);
    expect(await counts(id, '751', '2024')).toEqual([2, 1000]);
    expect((await value(id, 'DK', '2024'))?.value).toBeCloseTo((5 / 2800) * 1000, 10);
    expect(await counts(id, '101', '2024', 'sex:M')).toEqual([1, 1000]);
    expect(await counts(id, '101', '2024', 'sex:F')).toEqual([2, 800]);
    expect(await counts(id, '101', '2024', 'age_group:65-69')).toEqual([1, 300]);
    expect(await counts(id, '751', '2024', 'age_group:75-79')).toEqual([1, 600]);
    expect(await counts('preventable-admissions-65plus-count', 'DK', '2024')).toEqual([5, null]);
  });
});

describe('hospital-courses-per-citizen and virtual-course-share', () => {
  it('counts every course starting in the period', async () => {
    expect(await counts('hospital-courses-per-citizen', '101', '2024')).toEqual([11, 3800]);
    expect(await counts('hospital-courses-per-citizen', '751', '2024')).toEqual([8, 3200]);
    expect(await counts('hospital-courses-per-citizen', 'DK', '2024')).toEqual([19, 7000]);
    expect(await counts('virtual-course-share', '101', '2024')).toEqual([1, 11]);
    expect(await counts('virtual-course-share', 'DK', '2024')).toEqual([1, 19]);
    expect((await value('virtual-course-share', 'DK', '2024'))?.value).toBeCloseTo((1 / 19) * 100, 10);
  });
});

describe('chronic-activity-copd-t2d', () => {
  const id = 'chronic-activity-copd-t2d';
  // 2024 cohort: P3 (DJ441 on c6), P4 (J44.1 on c9, the second course of a chain), P6 (j441 in 2020, alive on
  // 1 January). P2's DE11 on 2019-12-31 is just outside the five years. Units from the latest course: P3 moved
  // to 751 (c7), so all three persons count in 751: courses 3 + 4 + 2 = 9.
  it('follows persons with COPD or type 2 diabetes in the five years up to the period end', async () => {
    expect(await counts(id, '751', '2024')).toEqual([9, 3]);
    expect(await value(id, '101', '2024')).toBeUndefined();
    expect(await counts(id, 'DK', '2024')).toEqual([9, 3]);
    // 2023: P2 (E11 on 2019-12-31 is inside) in 101 and P6 in 751, no courses.
    expect(await counts(id, '101', '2023')).toEqual([0, 1]);
    expect(await counts(id, '751', '2023')).toEqual([0, 1]);
    // 2025: P6 died in 2024, so only P3 and P4.
    expect(await counts(id, 'DK', '2025')).toEqual([0, 2]);
    // 2020: P6's own course c22 is the activity.
    expect(await counts(id, '751', '2020')).toEqual([1, 1]);
    expect(await counts(id, 'DK', '2020')).toEqual([1, 2]);
  });

  it('counts acute admissions of the COPD cohort', async () => {
    // COPD persons 2024: P3 (acute c7), P4 (acute chain c8-c10 and c11), P6 (acute c13) → 4 per 3 persons.
    expect(await counts('acute-admissions-copd-per-1000', 'DK', '2024')).toEqual([4, 3]);
    expect(await counts('acute-admissions-t2d-per-1000', 'DK', '2023')).toEqual([0, 1]);
  });
});

describe('other register indicators', () => {
  it('computes 30-day mortality after acute admission and mean length of stay', async () => {
    // Acute somatic admissions starting 2024: c3, c5, c7, P4 chain, c11, c12, c13, c16, c19; deaths within 30
    // days: c12 (9 days) and c13 (19 days).
    expect(await counts('mortality-30d-after-admission', 'DK', '2024')).toEqual([2, 9]);
    // Somatic admissions discharged 2024: 14+4+4+2+1+1+11+2+9+4+8+2 = 62 days over 12 admissions.
    expect(await counts('mean-length-of-stay-somatic', 'DK', '2024')).toEqual([62, 12]);
    expect(await counts('acute-admissions-per-1000', '101', '2024')).toEqual([4, 3800]);
  });
});
