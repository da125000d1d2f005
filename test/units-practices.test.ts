// Register indicators per general practice and per hospital on a hand-made registry (test/fixtures/register-small
// with a gp_practice column, and catalogue hospital codes for its H1-H6): every expected count is worked out by
// hand below.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { DEFAULT_CATALOGUE_DIR } from '../src/catalogue/index.js';
import { computeRegisterIndicators } from '../src/engine/index.js';
import { groupingFromGrid, readTable } from '../src/ingest/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, ROOT, savePractices, serveOnEphemeralPort } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
let server: RunningServer;

// P1, P2, P3 are listed with practice PA (in København), P4, P6, P7 with PB (in Aarhus); P5 and P8 with none.
const LISTING: Record<string, string> = { P1: 'PA', P2: 'PA', P3: 'PA', P4: 'PB', P6: 'PB', P7: 'PB' };
// The fixture's hospitals as catalogue acute hospitals.
const HOSPITAL: Record<string, string> = {
  H1: 'AH8401',
  H2: 'AH8402',
  H3: 'AH8201',
  H4: 'AH8202',
  H5: 'AH8203',
  H6: 'AH8204',
};

/** The fixture with practices and catalogue hospital codes in `dir`/register (and gp_listings.csv if given). */
async function writeRegistry(dir: string, listings?: string): Promise<string> {
  const data = path.join(dir, 'register');
  await cp(path.join(ROOT, 'test/fixtures/register-small'), data, { recursive: true });
  const persons = (await readFile(path.join(data, 'persons.csv'), 'utf8')).trim().split('\n');
  await writeFile(
    path.join(data, 'persons.csv'),
    `${[`${persons[0]},gp_practice`, ...persons.slice(1).map((l) => `${l},${LISTING[l.split(',')[0] ?? ''] ?? ''}`)].join('\n')}\n`,
  );
  const courses = await readFile(path.join(data, 'hospital_courses.csv'), 'utf8');
  await writeFile(
    path.join(data, 'hospital_courses.csv'),
    courses.replace(/,H([1-6]),/g, (_, k: string) => `,${HOSPITAL[`H${k}`]},`),
  );
  if (listings) await writeFile(path.join(data, 'gp_listings.csv'), listings);
  return data;
}

beforeAll(async () => {
  let dir: string;
  ({ store, dir, cleanup } = await catalogueStore());
  const data = await writeRegistry(dir);
  await savePractices(store, { '101': ['PA'], '751': ['PB'] });
  // Kvalitetsklynger as `pejling units import --group-type gp-cluster` reads them: KK1 holds PA and PB; KK2 holds
  // PB until the end of 2023.
  const file = 'kvalitetsklynger.csv';
  const { grouping, newUnits } = groupingFromGrid(
    await readTable(
      file,
      Buffer.from(
        'gruppe,gruppenavn,overordnet,praksis,gyldig_fra,gyldig_til\n' +
          'KK1,Klynge 1,DK,PA,2019-01-01,\nKK1,Klynge 1,DK,PB,2019-01-01,\nKK2,Klynge 2,DK,PB,2019-01-01,2023-12-31\n',
      ),
    ),
    file,
    { id: 'kvalitetsklynger-test', groupType: 'gp-cluster', partitionsPersons: false },
    await store.listOrgUnits(),
    undefined,
  );
  await store.saveGrouping(grouping, newUnits);
  await computeRegisterIndicators({ store, dataDir: data, catalogueDir: DEFAULT_CATALOGUE_DIR, keepSmallCounts: true });
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server?.close();
  await cleanup();
});

const countsIn = async (from: Store, indicator: string, unit: string, period: string) => {
  const [row] = await from.queryValues({ indicator, unit, period, breakdown: 'total' });
  return row ? [row.numerator, row.denominator] : undefined;
};
const counts = (indicator: string, unit: string, period: string) => countsIn(store, indicator, unit, period);

describe('general practices', () => {
  it('count acute somatic readmissions at the practice of the index patient', async () => {
    // 2024 index admissions (discharged in 2024, alive at discharge) and readmissions 1-30 days after:
    // P1: c1+c2 (readmitted by c3 next day), c3 → 2, 1.  P2: c4 (c5 on day 30), c5 → 2, 1 (c16 is open).
    // P3: c6 (c7 on day 31: no), c7 → 2, 0.  PA = 6 index admissions, 2 readmitted.
    // P4: c8+c9+c10 (c11 on day 8), c11 → 2, 1.  P6: c13 (died day 15; c17 is psychiatric) → 1, 0.
    // P7: c14 (c15 on day 13, in 2025) → 1, 1.  PB = 4 index admissions, 2 readmitted.
    expect(await counts('acute-readmission-somatic-30d', 'PA', '2024')).toEqual([2, 6]);
    expect(await counts('acute-readmission-somatic-30d', 'PB', '2024')).toEqual([2, 4]);
  });

  it('count preventable acute admissions 65+ at the practice', async () => {
    // Acute somatic admissions starting in 2024, aged 65+, first diagnosis on the preventable list:
    // P1 (73): c1+c2 starts with c1 (not acute); c3 acute N39.0 → 1.  P2 (84): c5 acute J18.1 → 1; c16 acute I50
    // is not on the list.  PA = 2.  P4 (68): c8+c9+c10 acute S72.0 (a fracture) → 1; c11 I21 no.
    // P6 (79): c13 acute E86 → 1.  P7 (54) is under 65.  PB = 2.
    expect((await counts('preventable-admissions-65plus-count', 'PA', '2024'))?.[0]).toBe(2);
    expect((await counts('preventable-admissions-65plus-count', 'PB', '2024'))?.[0]).toBe(2);
  });

  it('count acute admissions of the COPD and type 2 diabetes cohorts at the practice the person is listed with', async () => {
    // COPD cohort 2024 (J44 in the five years up to 2024-12-31, alive on 1 January): P3 (DJ441 on c6) at PA; P4
    // (J44.1 on c9) and P6 (j441 in 2020) at PB. Their acute somatic admissions starting in 2024: P3 c7 → 1;
    // P4 the chain c8-c10 (starts acute) and c11 → 2; P6 c13 → 1 (c17 is psychiatric). PA = 1 per 1, PB = 3 per 2.
    expect(await counts('acute-admissions-copd-per-1000', 'PA', '2024')).toEqual([1, 1]);
    expect(await counts('acute-admissions-copd-per-1000', 'PB', '2024')).toEqual([3, 2]);
    const [pb] = await store.queryValues({ indicator: 'acute-admissions-copd-per-1000', unit: 'PB', period: '2024' });
    expect(pb?.value).toBeCloseTo(1500, 6);
    // Type 2 diabetes 2023: P2 (DE11 on 2019-12-31, inside the five years up to 2023-12-31) at PA, no admission.
    expect(await counts('acute-admissions-t2d-per-1000', 'PA', '2023')).toEqual([0, 1]);
  });

  it('rate preventable acute admissions 65+ per 1,000 persons 65+ listed with the practice', async () => {
    // Listed on 1 January 2024, alive that day and aged 65+ then: PA = P1 (73) and P2 (84 on her birthday), not
    // P3 (43); PB = P4 (68) and P6 (78; she dies in November), not P7 (53). The admissions as counted above.
    expect(await counts('preventable-admissions-65plus', 'PA', '2024')).toEqual([2, 2]);
    expect(await counts('preventable-admissions-65plus', 'PB', '2024')).toEqual([2, 2]);
    const [pa] = await store.queryValues({ indicator: 'preventable-admissions-65plus', unit: 'PA', period: '2024' });
    expect(pa?.value).toBeCloseTo(1000, 6);
  });

  it('leaves out indicators per citizen that are not asked for per practice, and persons listed nowhere', async () => {
    expect(await counts('hospital-courses-per-citizen', 'PA', '2024')).toBeUndefined();
    // Denmark still counts every index admission: PA + PB + P5 (out: died on the discharge day) + P8 (1) = 11.
    expect(await counts('acute-readmission-somatic-30d', 'DK', '2024')).toEqual([4, 11]);
  });

  it('publish yearly totals only: no quarters and no breakdown categories of a practice, through the API', async () => {
    const practiceIndicators = [
      'acute-readmission-somatic-30d',
      'preventable-admissions-65plus',
      'preventable-admissions-65plus-count',
      'acute-admissions-copd-per-1000',
      'acute-admissions-t2d-per-1000',
    ];
    for (const id of practiceIndicators) {
      const response = await fetch(`${server.url}/api/indicators/${id}/values?unit=PA,PB,DK`);
      expect(response.status).toBe(200);
      const rows = (await response.json()) as { unit: string; period: string; breakdown: string }[];
      const below = (r: { period: string; breakdown: string }) => !/^\d{4}$/.test(r.period) || r.breakdown !== 'total';
      // Denmark has quarters or categories (so the check can fail); the practices have yearly totals only.
      expect(rows.filter((r) => r.unit === 'DK').some(below), id).toBe(true);
      expect(rows.filter((r) => r.unit === 'PA' || r.unit === 'PB').filter(below), id).toEqual([]);
    }
    // The yearly totals themselves, as worked out above.
    const response = await fetch(
      `${server.url}/api/indicators/acute-readmission-somatic-30d/values?unit=PA&period=2024`,
    );
    const [row] = (await response.json()) as { numerator: number; denominator: number; breakdown: string }[];
    expect(row).toMatchObject({ breakdown: 'total', numerator: 2, denominator: 6 });
  });
});

describe('kvalitetsklynger (groups of general practices)', () => {
  it("count the events of their practices while the membership lasts, at the practices' level", async () => {
    // KK1 = PA + PB as worked out above: readmissions 2024 (2, 6) + (2, 4); preventable admissions 65+ 2 + 2 per
    // 2 + 2 listed persons 65+; the COPD cohort (1, 1) + (3, 2).
    expect(await counts('acute-readmission-somatic-30d', 'KK1', '2024')).toEqual([4, 10]);
    expect(await counts('preventable-admissions-65plus', 'KK1', '2024')).toEqual([4, 4]);
    expect(await counts('acute-admissions-copd-per-1000', 'KK1', '2024')).toEqual([4, 3]);
    // KK2 is PB until 2023-12-31: PB's 2023 values, nothing from 2024.
    for (const id of ['acute-readmission-somatic-30d', 'preventable-admissions-65plus-count']) {
      const [kk2] = await store.queryValues({ indicator: id, unit: 'KK2', period: '2023', breakdown: 'total' });
      const [pb] = await store.queryValues({ indicator: id, unit: 'PB', period: '2023', breakdown: 'total' });
      expect(kk2 && [kk2.numerator, kk2.denominator], id).toEqual(pb && [pb.numerator, pb.denominator]);
      expect(await counts(id, 'KK2', '2024'), id).toBeUndefined();
    }
    // Yearly totals only, as for practices.
    const rows = await store.queryValues({ indicator: 'acute-readmission-somatic-30d', unit: 'KK1' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => !/^\d{4}$/.test(r.period) || r.breakdown !== 'total')).toEqual([]);
  });

  it('are listed as units of type gp-cluster and compared in a funnel of kvalitetsklynger', async () => {
    const units = (await (await fetch(`${server.url}/api/org-units?type=gp-cluster`)).json()) as { code: string }[];
    expect(units.map((u) => u.code).sort()).toEqual(['KK1', 'KK2']);
    const funnel = await fetch(
      `${server.url}/api/indicators/acute-readmission-somatic-30d/funnel?period=2024&level=gp-cluster`,
    );
    expect(funnel.status).toBe(200);
    const body = (await funnel.json()) as { points: { unit: string; numerator: number; denominator: number }[] };
    expect(body.points.map((p) => [p.unit, p.numerator, p.denominator])).toEqual([['KK1', 4, 10]]);
  });
});

describe('hospitals', () => {
  it('count an index admission and its readmission at the hospital that discharged the index admission', async () => {
    // 2024 index admissions (as above) by the hospital of their last course:
    // H1: c3 (no), c4 (c5 on day 30: yes), c5 (no), c6 (no), c14 (c15 in 2025: yes), c19 (no) → 2, 6.
    // H2: c1+c2 ends with c2 at H2, readmitted by c3 at H1 → 1, 1 (at H2, not where the readmission was).
    // H3: c7, c11, c13 → 0, 3.  H5: c8+c9+c10 ends with c10 at H5 (c8 at H3 started it), c11 on day 8 → 1, 1.
    // H4 (c9, inside the chain) and H6 (c17, psychiatric) discharged no somatic index admission.
    const expected: Record<string, [number, number] | undefined> = {
      H1: [2, 6],
      H2: [1, 1],
      H3: [0, 3],
      H4: undefined,
      H5: [1, 1],
      H6: undefined,
    };
    for (const [h, counted] of Object.entries(expected)) {
      const got = await counts('acute-readmission-somatic-30d', HOSPITAL[h] as string, '2024');
      if (counted) expect(got, h).toEqual(counted);
      else expect(got === undefined || (got[0] === 0 && got[1] === 0), h).toBe(true);
    }
  });
});

describe('general practices with per-year listings (gp_listings)', () => {
  // P1 is listed nowhere from 2024; P6 moves to PA in 2022 and back to PB in 2024; P7 moves to PA in 2025.
  const LISTINGS = 'person_id,year,gp_practice\nP1,2024,\nP6,2022,PA\nP6,2024,PB\nP7,2025,PA\n';
  let listed: Store;
  let done: () => Promise<void>;
  beforeAll(async () => {
    let dir: string;
    ({ store: listed, dir, cleanup: done } = await catalogueStore());
    const data = await writeRegistry(dir, LISTINGS);
    await savePractices(listed, { '101': ['PA'], '751': ['PB'] });
    await computeRegisterIndicators({
      store: listed,
      dataDir: data,
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      keepSmallCounts: true,
    });
  });
  afterAll(async () => done?.());
  const at = (indicator: string, unit: string, period: string) => countsIn(listed, indicator, unit, period);

  it('count an event at the practice the person is listed with in the year it starts', async () => {
    // 2024 readmissions (index admissions and readmitted, as worked out above): P1's 2, 1 now count nowhere;
    // PA = P2 (2, 1) + P3 (2, 0) = 1 of 4. PB = P4 (2, 1) + P6 (1, 0; back at PB from 2024) + P7 (c14 starts in
    // 2024, before the move) = 2 of 4. Denmark is unchanged.
    expect(await at('acute-readmission-somatic-30d', 'PA', '2024')).toEqual([1, 4]);
    expect(await at('acute-readmission-somatic-30d', 'PB', '2024')).toEqual([2, 4]);
    expect(await at('acute-readmission-somatic-30d', 'DK', '2024')).toEqual([4, 11]);
    // 2025: P7's c15 (admitted 2025-01-10, not readmitted) is an index admission at PA, where P7 is listed from 2025.
    expect(await at('acute-readmission-somatic-30d', 'PA', '2025')).toEqual([0, 1]);
    expect(await at('acute-readmission-somatic-30d', 'PB', '2025')).toBeUndefined();
    // Without the listings it counted at PB, P7's practice in persons.csv.
    expect(await counts('acute-readmission-somatic-30d', 'PB', '2025')).toEqual([0, 1]);
    // Preventable admissions 65+ in 2024: PA = P2's c5 (P1's c3 counts nowhere); PB = P4's and P6's.
    expect((await at('preventable-admissions-65plus-count', 'PA', '2024'))?.[0]).toBe(1);
    expect((await at('preventable-admissions-65plus-count', 'PB', '2024'))?.[0]).toBe(2);
    // Per 1,000 listed persons 65+ on 1 January 2024: PA has P2 alone (P1 is listed nowhere from 2024); PB has P4
    // and P6 (back from PA in 2024).
    expect(await at('preventable-admissions-65plus', 'PA', '2024')).toEqual([1, 1]);
    expect(await at('preventable-admissions-65plus', 'PB', '2024')).toEqual([2, 2]);
  });

  it('count a cohort member at the practice of the period year, also in a year without a course', async () => {
    // COPD 2023: P6 alone (j441 in 2020; P3's and P4's diagnoses are from 2024), no course since 2020, listed with
    // PA from 2022: PA has 0 admissions of 1 person, PB none. Without the listings P6 counted at PB.
    expect(await at('acute-admissions-copd-per-1000', 'PA', '2023')).toEqual([0, 1]);
    expect(await at('acute-admissions-copd-per-1000', 'PB', '2023')).toBeUndefined();
    expect(await counts('acute-admissions-copd-per-1000', 'PB', '2023')).toEqual([0, 1]);
    // COPD 2024: P6 is back at PB: PA = P3 (1 per 1), PB = P4 and P6 (3 per 2), as without the listings.
    expect(await at('acute-admissions-copd-per-1000', 'PA', '2024')).toEqual([1, 1]);
    expect(await at('acute-admissions-copd-per-1000', 'PB', '2024')).toEqual([3, 2]);
  });

  it('refuses two listings of one person in one year, naming the file and the person', async () => {
    const { store: other, dir, cleanup: close } = await catalogueStore();
    try {
      const data = await writeRegistry(dir, `${LISTINGS}P6,2022,PB\n`);
      await savePractices(other, { '101': ['PA'], '751': ['PB'] });
      await expect(
        computeRegisterIndicators({ store: other, dataDir: data, catalogueDir: DEFAULT_CATALOGUE_DIR }),
      ).rejects.toThrow(/gp_listings\.csv has 2 rows with the same person_id \+ year \(person_id=P6, year=2022\)/);
    } finally {
      await close();
    }
  });
});
