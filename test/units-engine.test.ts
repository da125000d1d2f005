// Register indicators for the new structures: Region Østdanmark back in time, health clusters, and old regions
// that stop when they end — on a synthetic registry, checked against sums and counts read straight from its files.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { DEFAULT_CATALOGUE_DIR } from '../src/catalogue/index.js';
import { computeRegisterIndicators, writeSyntheticRegistry } from '../src/engine/index.js';
import type { IndicatorValue, Store } from '../src/store/index.js';
import { catalogueStore, serveOnEphemeralPort } from './helpers.js';

const REFERENCE = path.join(import.meta.dirname, 'fixtures/reference');
let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
let east: string;

beforeAll(async () => {
  ({ store, dir, cleanup } = await catalogueStore());
  const data = path.join(dir, 'register');
  await writeSyntheticRegistry({
    outDir: data,
    persons: 6000,
    fromYear: 2021,
    toYear: 2027,
    seed: 13,
    catalogueDir: DEFAULT_CATALOGUE_DIR,
  });
  await computeRegisterIndicators({ store, dataDir: data, catalogueDir: DEFAULT_CATALOGUE_DIR, keepSmallCounts: true });
  east = (await store.listOrgUnits({ at: '2027-01-01', type: 'region' })).find((u) => u.name === 'Region Østdanmark')
    ?.code as string;
}, 600_000);
afterAll(() => cleanup());

async function row(indicator: string, unit: string, period: string): Promise<IndicatorValue | undefined> {
  return (await store.queryValues({ indicator, unit, period, breakdown: 'total' }))[0];
}

// Indicators where every counted person or event belongs to exactly one municipality, hence one region.
const ADDITIVE = [
  'acute-readmission-somatic-30d',
  'hospital-courses-per-citizen',
  'preventable-admissions-65plus',
  'virtual-course-share',
  'acute-admissions-per-1000',
];

describe('Region Østdanmark back in time', () => {
  it('has in 2022 the numerator and denominator of Region Hovedstaden plus Region Sjælland', async () => {
    for (const id of ADDITIVE) {
      const [a, b, sum] = await Promise.all([row(id, '1084', '2022'), row(id, '1085', '2022'), row(id, east, '2022')]);
      expect(a && b && sum, id).toBeTruthy();
      expect(sum?.numerator, id).toBe((a?.numerator ?? 0) + (b?.numerator ?? 0));
      expect(sum?.denominator, id).toBe((a?.denominator ?? 0) + (b?.denominator ?? 0));
    }
  });

  it('counts the courses of its 46 municipalities, read straight from the files', async () => {
    const municipalities: { code: string; region_code: string }[] = parse(
      await readFile(path.join(REFERENCE, 'municipalities.csv'), 'utf8'),
      { columns: true },
    );
    const eastCodes = new Set(
      municipalities.filter((m) => m.region_code === '1084' || m.region_code === '1085').map((m) => m.code),
    );
    expect(eastCodes.size).toBe(46);
    const courses: { municipality_code: string; admission_date: string }[] = parse(
      await readFile(path.join(dir, 'register/hospital_courses.csv'), 'utf8'),
      { columns: true },
    );
    const population: { year: string; municipality_code: string; count: string }[] = parse(
      await readFile(path.join(dir, 'register/population.csv'), 'utf8'),
      { columns: true },
    );
    for (const year of ['2022', '2027']) {
      const expectedCourses = courses.filter(
        (c) => eastCodes.has(c.municipality_code) && c.admission_date.startsWith(year),
      ).length;
      const expectedPopulation = population
        .filter((p) => p.year === year && eastCodes.has(p.municipality_code))
        .reduce((n, p) => n + Number(p.count), 0);
      const value = await row('hospital-courses-per-citizen', east, year);
      expect(value?.numerator, year).toBe(expectedCourses);
      expect(value?.denominator, year).toBe(expectedPopulation);
    }
  });

  it('ends Region Hovedstaden and Region Sjælland with 2026; the other regions go on', async () => {
    const id = 'hospital-courses-per-citizen';
    expect(await row(id, '1084', '2026')).toBeDefined();
    expect(await row(id, '1084', '2027')).toBeUndefined();
    expect(await row(id, '1085', '2027')).toBeUndefined();
    expect(await row(id, '1082', '2027')).toBeDefined();
    expect(await row(id, east, '2027')).toBeDefined();
    const dk = await row(id, 'DK', '2027');
    const regions = await Promise.all(['1081', '1082', '1083', east].map((r) => row(id, r, '2027')));
    expect(regions.reduce((n, r) => n + (r?.numerator ?? 0), 0)).toBe(dk?.numerator);
  });
});

describe('health clusters', () => {
  it('add up to their region in 2022 (each municipality is in one cluster), and end with 2026', async () => {
    const clusters = await store.listOrgUnits({ at: '2022-06-30', type: 'health-cluster' });
    for (const region of ['1081', '1082', '1083', '1084', '1085']) {
      const own = clusters.filter((c) => c.parent === region);
      expect(own.length, region).toBeGreaterThan(0);
      for (const id of ADDITIVE) {
        const parts = await Promise.all(own.map((c) => row(id, c.code, '2022')));
        const total = await row(id, region, '2022');
        expect(
          parts.reduce((n, r) => n + (r?.numerator ?? 0), 0),
          `${id} ${region}`,
        ).toBe(total?.numerator);
        expect(
          parts.reduce((n, r) => n + (r?.denominator ?? 0), 0),
          `${id} ${region}`,
        ).toBe(total?.denominator);
      }
    }
    expect(await row('hospital-courses-per-citizen', 'HC8201', '2027')).toBeUndefined();
  });
});

describe('hospitals', () => {
  const BY_HOSPITAL = ['virtual-course-share', 'acute-readmission-somatic-30d', 'mean-length-of-stay-somatic'];

  it('have values that add up to Denmark for indicators computed by hospital', async () => {
    const hospitals = await store.listOrgUnits({ type: 'hospital' });
    expect(hospitals).toHaveLength(21);
    for (const id of BY_HOSPITAL) {
      const parts = await store.queryValues({
        indicator: id,
        unit: hospitals.map((h) => h.code),
        period: '2023',
        breakdown: 'total',
      });
      expect(parts.length, id).toBeGreaterThan(15);
      const dk = await row(id, 'DK', '2023');
      expect(
        parts.reduce((n, r) => n + (r.numerator ?? 0), 0),
        id,
      ).toBe(dk?.numerator);
      expect(
        parts.reduce((n, r) => n + (r.denominator ?? 0), 0),
        id,
      ).toBe(dk?.denominator);
    }
  });

  it("count a hospital's courses as read straight from the files", async () => {
    const courses: { hospital_code: string; admission_date: string; virtual: string }[] = parse(
      await readFile(path.join(dir, 'register/hospital_courses.csv'), 'utf8'),
      { columns: true },
    );
    for (const hospital of ['AH8201', 'AH8405']) {
      const inYear = courses.filter((c) => c.hospital_code === hospital && c.admission_date.startsWith('2024'));
      const value = await row('virtual-course-share', hospital, '2024');
      expect(value?.denominator, hospital).toBe(inYear.length);
      expect(value?.numerator, hospital).toBe(inYear.filter((c) => c.virtual === 'true').length);
    }
    // Persons mostly use the acute hospital of their municipality's cluster: Aarhus (751) → AUH (AH8201).
    const aarhus = courses.filter((c) => (c as unknown as { municipality_code: string }).municipality_code === '751');
    expect(aarhus.filter((c) => c.hospital_code === 'AH8201').length / aarhus.length).toBeGreaterThan(0.8);
  });

  it('are not computed for indicators whose recipe is not by hospital (population denominators)', async () => {
    expect(await row('preventable-admissions-65plus', 'AH8201', '2023')).toBeUndefined();
    expect(await row('hospital-courses-per-citizen', 'AH8201', '2023')).toBeUndefined();
  });
});

describe('comparison at the new levels, over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveOnEphemeralPort(store);
  });
  afterAll(() => server.close());
  const get = async (url: string) => {
    const response = await fetch(`${server.url}${url}`);
    return {
      status: response.status,
      body: response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text(),
    };
  };

  it('draws a funnel of the 21 hospitals and of the clusters in force', async () => {
    const hospitals = await get('/api/indicators/acute-readmission-somatic-30d/funnel?period=2023&level=hospital');
    expect(hospitals.status).toBe(200);
    expect(hospitals.body.points).toHaveLength(21);
    const clusters = await get('/api/indicators/acute-readmission-somatic-30d/funnel?period=2023&level=health-cluster');
    expect(clusters.body.points.map((p: { unit: string }) => p.unit).sort()).toEqual(
      (await store.listOrgUnits({ at: '2023-12-31', type: 'health-cluster' })).map((u) => u.code).sort(),
    );
    // Regions in 2023: the five of the time, not Region Østdanmark beside them.
    const regions = await get('/api/indicators/acute-readmission-somatic-30d/funnel?period=2023&level=region');
    expect(regions.body.points.map((p: { unit: string }) => p.unit).sort()).toEqual([
      '1081',
      '1082',
      '1083',
      '1084',
      '1085',
    ]);
    const later = await get('/api/indicators/acute-readmission-somatic-30d/funnel?period=2027&level=region');
    expect(later.body.points.map((p: { unit: string }) => p.unit).sort()).toEqual(
      ['1081', '1082', '1083', east].sort(),
    );
  });

  it('compares a hospital with the hospitals of its region in learn-from', async () => {
    const { status, body } = await get(
      '/api/indicators/acute-readmission-somatic-30d/learn-from?unit=AH8201&period=2023',
    );
    expect(status).toBe(200);
    const regionHospitals = (await store.listOrgUnits({ type: 'hospital' }))
      .filter((h) => h.parent === '1082')
      .map((h) => h.code);
    expect(body.own.unit).toBe('AH8201');
    for (const peer of body.peers) expect(regionHospitals).toContain(peer.unit);
    // Against every hospital, peers may come from any region but are all hospitals.
    const all = await get('/api/indicators/acute-readmission-somatic-30d/learn-from?unit=AH8201&period=2023&peers=all');
    const hospitals = new Set((await store.listOrgUnits({ type: 'hospital' })).map((h) => h.code));
    for (const peer of all.body.peers) expect(hospitals.has(peer.unit)).toBe(true);
    expect(all.body.peers.length).toBeGreaterThanOrEqual(body.peers.length);
  });

  it('compares a health cluster with the clusters of its region, and a practice with the practices of its region', async () => {
    type Row = { unit: string; value: number | null; ciLow: number | null; ciHigh: number | null };
    const id = 'acute-readmission-somatic-30d';
    const units = await store.listOrgUnits();
    const parentOf = new Map(units.map((u) => [u.code, u.parent]));
    // A practice's region is its municipality's; a cluster's is its parent.
    const regionOf = (u: { type: string; parent: string | null }) =>
      u.type === 'gp-practice' ? (parentOf.get(u.parent ?? '') ?? null) : u.parent;
    const all = (await get(`/api/indicators/${id}/values?period=2023&breakdown=total`)).body as Row[];
    for (const type of ['health-cluster', 'gp-practice']) {
      const ofType = units.filter((u) => u.type === type);
      const rows = all.filter((r) => ofType.some((u) => u.code === r.unit) && r.value !== null);
      // The unit of its type with the most readmissions per index admission (lower is better), so others beat it.
      const worst = rows.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
      const self = ofType.find((u) => u.code === worst.unit) as (typeof ofType)[number];
      const expected = rows
        .filter((r) => r.unit !== self.code && r.ciHigh !== null && r.ciHigh < (worst.value as number))
        .filter((r) => regionOf(ofType.find((u) => u.code === r.unit) as (typeof ofType)[number]) === regionOf(self))
        .map((r) => r.unit)
        .sort();
      const { status, body } = await get(`/api/indicators/${id}/learn-from?unit=${self.code}&period=2023`);
      expect(status, type).toBe(200);
      expect(body.own.unit).toBe(self.code);
      expect(expected.length, type).toBeGreaterThan(0);
      expect(body.peers.map((p: Row) => p.unit).sort(), type).toEqual(expected);
    }
  });

  it('makes an overview, a status report and a pocket card for a hospital and a cluster', async () => {
    for (const unit of ['AH8201', 'HC8201']) {
      const overview = await get(`/api/overview?unit=${unit}`);
      expect(overview.status, unit).toBe(200);
      const report = await get(`/api/reports/${unit}?year=2024&format=html`);
      expect(report.status, `${unit}: ${report.status === 200 ? '' : JSON.stringify(report.body)}`).toBe(200);
      expect(report.body).toContain(
        unit === 'AH8201' ? 'Aarhus Universitetshospital' : 'Sundhedsklynge Aarhus Universitetshospital',
      );
      const card = await get(`/api/pocket-cards/${unit}?indicators=acute-readmission-somatic-30d`);
      expect(card.status, unit).toBe(200);
    }
  });
});

describe('general practices in the synthetic registry', () => {
  it('has about 1,700 practices, every person listed with one in their municipality', async () => {
    const practices = await store.listOrgUnits({ type: 'gp-practice' });
    expect(practices.length).toBeGreaterThan(1_650);
    expect(practices.length).toBeLessThan(1_760);
    const persons: { gp_practice: string }[] = parse(await readFile(path.join(dir, 'register/persons.csv'), 'utf8'), {
      columns: true,
    });
    const codes = new Set(practices.map((p) => p.code));
    expect(persons.every((p) => codes.has(p.gp_practice))).toBe(true);
  });

  it('has practice values of readmissions that add up to Denmark (every person is listed)', async () => {
    const practices = (await store.listOrgUnits({ type: 'gp-practice' })).map((p) => p.code);
    const rows = await store.queryValues({
      indicator: 'acute-readmission-somatic-30d',
      unit: practices,
      period: '2023',
      breakdown: 'total',
    });
    const dk = await row('acute-readmission-somatic-30d', 'DK', '2023');
    expect(rows.reduce((n, r) => n + (r.denominator ?? 0), 0)).toBe(dk?.denominator);
    expect(rows.reduce((n, r) => n + (r.numerator ?? 0), 0)).toBe(dk?.numerator);
  });
});
