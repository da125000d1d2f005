// More hand-worked edge cases of the admission and readmission definitions (DESIGN.md): any acute admission in
// days 1-30 counts (not only the next admission), chaining compares with the previous course's discharge date,
// somatic and psychiatric courses never chain together, and a death after the discharge keeps the index.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR } from '../src/catalogue/index.js';
import { computeRegisterIndicators } from '../src/engine/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;

const COURSES = `course_id,person_id,municipality_code,hospital_code,admission_date,discharge_date,acute,inpatient,psychiatric,virtual,primary_diagnosis
c1,P1,101,H1,2024-01-01,2024-01-10,false,true,false,false,DI50
c2,P1,101,H1,2024-01-15,2024-01-16,false,true,false,false,DI50
c3,P1,101,H1,2024-01-25,2024-01-27,true,true,false,false,DI50
c4,P2,101,H1,2024-02-01,2024-02-20,false,true,false,false,DK80
c5,P2,101,H2,2024-02-05,2024-02-07,false,true,false,false,DK80
c6,P2,101,H1,2024-02-15,2024-02-16,true,true,false,false,DK80
c7,P3,101,H1,2024-03-01,2024-03-10,false,true,false,false,DC50
c8,P3,101,H3,2024-03-05,2024-03-20,true,true,true,false,DF32
c9,P4,101,H1,2024-04-01,2024-04-10,false,true,false,false,DI21
c10,P4,101,H1,2024-04-15,2024-04-17,true,true,false,false,DI21
`;

beforeAll(async () => {
  const made = await catalogueStore();
  store = made.store;
  cleanup = made.cleanup;
  const dir = path.join(made.dir, 'edges');
  await mkdir(dir);
  await writeFile(path.join(dir, 'hospital_courses.csv'), COURSES);
  await writeFile(
    path.join(dir, 'persons.csv'),
    'person_id,birth_date,sex,education\nP1,1950-01-01,M,basic\nP2,1950-01-01,F,basic\nP3,1960-01-01,M,higher\nP4,1940-01-01,F,basic\n',
  );
  await writeFile(path.join(dir, 'deaths.csv'), 'person_id,death_date\nP4,2024-04-20\n');
  await writeFile(
    path.join(dir, 'population.csv'),
    'year,municipality_code,sex,age_group,education,count\n2024,101,M,70-74,basic,100\n',
  );
  await computeRegisterIndicators({ store, dataDir: dir, catalogueDir: DEFAULT_CATALOGUE_DIR, keepSmallCounts: true });
}, 60_000);
afterAll(() => cleanup());

const counts = async (indicator: string) => {
  const [row] = await store.queryValues({ indicator, unit: 'DK', period: '2024', breakdown: 'total' });
  return [row?.numerator, row?.denominator];
};

describe('admission and readmission edge cases', () => {
  it('counts index admissions and readmissions as worked by hand', async () => {
    // Index admissions: c1 (acute c3 on day 15 although the next admission c2 is planned: readmitted), c2
    // (c3 on day 9: readmitted), c3; P2's c4+c5 (c5 starts before c4's discharge; the chain ends with c5's
    // discharge 7 February) readmitted by c6 on day 8, and c6; c7 (the psychiatric c8 does not chain with it
    // or count); P4's c9 readmitted by c10 on day 5 (death on 20 April is after both discharges), and c10.
    expect(await counts('acute-readmission-somatic-30d')).toEqual([4, 8]);
    expect(await counts('acute-readmission-psychiatric-30d')).toEqual([0, 1]);
  });

  it('takes the chain its discharge date from its last course', async () => {
    // Somatic admissions discharged in 2024: 9 + 1 + 2 + 6 (c4+c5: 1 → 7 February) + 1 + 9 + 9 + 2 = 39 days.
    expect(await counts('mean-length-of-stay-somatic')).toEqual([39, 8]);
  });

  it('counts deaths within 30 days of acute admissions', async () => {
    // Acute somatic admissions starting 2024: c3, c6, c10; P4 died 5 days after c10 started.
    expect(await counts('mortality-30d-after-admission')).toEqual([1, 3]);
  });
});
