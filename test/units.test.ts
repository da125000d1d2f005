// The whole health system as units: structures in force on a date, hospitals and health clusters from the
// reference files, groupings, and targets that apply only where they were agreed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { loadCatalogue, type Target } from '../src/catalogue/index.js';
import type { Store } from '../src/store/index.js';
import { catalogueStore, serveOnEphemeralPort } from './helpers.js';

// Copies of the shared reference files (acute hospitals, health clusters, municipalities), as published.
const REFERENCE = path.join(import.meta.dirname, 'fixtures/reference');
let store: Store;
let cleanup: () => Promise<void>;
let server: RunningServer;

// A regional indicator (values for Denmark and the regions, none for municipalities), falling 2015-2018.
const EXCESS_MORTALITY = [2.6, 2.5, 2.4, 2.3];

beforeAll(async () => {
  ({ store, cleanup } = await catalogueStore());
  await store.replaceValues(
    ['excess-mortality-mental-illness'],
    ['DK', '1082'].flatMap((unit) =>
      EXCESS_MORTALITY.map((value, i) => ({
        indicator: 'excess-mortality-mental-illness',
        unit,
        period: String(2015 + i),
        breakdown: 'total',
        numerator: null,
        denominator: null,
        value,
        suppressed: false,
      })),
    ),
    'test',
  );
  server = await serveOnEphemeralPort(store);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const get = async (url: string) => {
  const response = await fetch(`${server.url}${url}`);
  return { status: response.status, body: await response.json() };
};

/** Rows of a reference CSV, read independently of Pejling's catalogue. */
async function referenceRows(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path.join(REFERENCE, file), 'utf8'), { columns: true });
}

describe('unit structures on a date', () => {
  it('lists 5 regions on 2026-12-31 and 4 on 2027-01-01, Østdanmark replacing 1084 and 1085', async () => {
    const before = await get('/api/org-units?at=2026-12-31&type=region');
    const after = await get('/api/org-units?at=2027-01-01&type=region');
    expect(before.body.map((u: { code: string }) => u.code)).toEqual(['1081', '1082', '1083', '1084', '1085']);
    expect(after.body).toHaveLength(4);
    const east = after.body.find((u: { name: string }) => u.name === 'Region Østdanmark');
    expect(east).toMatchObject({ validFrom: '2027-01-01', validTo: null, confidence: 'uncertain' });
    expect(after.body.map((u: { code: string }) => u.code)).not.toContain('1084');
  });

  it("gives a municipality the parent it has on the date: København's region changes in 2027", async () => {
    const parentOf = async (at: string) =>
      (await get(`/api/org-units?at=${at}&type=municipality`)).body.find((u: { code: string }) => u.code === '101')
        .parent;
    expect(await parentOf('2026-12-31')).toBe('1084');
    const east = (await get('/api/org-units?at=2027-01-01&type=region')).body.find(
      (u: { name: string }) => u.name === 'Region Østdanmark',
    );
    expect(await parentOf('2027-01-01')).toBe(east.code);
    // Every municipality of 1084 and 1085 in the reference list moves; the other regions keep theirs.
    const municipalities = await referenceRows('municipalities.csv');
    const in2027 = new Map<string, string>(
      (await get('/api/org-units?at=2027-01-01&type=municipality')).body.map((u: { code: string; parent: string }) => [
        u.code,
        u.parent,
      ]),
    );
    expect(in2027.size).toBe(98);
    for (const m of municipalities) {
      const expected = m.region_code === '1084' || m.region_code === '1085' ? east.code : m.region_code;
      expect(in2027.get(m.code ?? ''), m.name).toBe(expected);
    }
  });

  it('lists the successive structures for the picker, the last one with 4 regions', async () => {
    const { body } = await get('/api/org-units/structures');
    const last = body.at(-1);
    expect(last).toMatchObject({ from: '2027-01-01', to: null });
    expect(last.counts).toMatchObject({ nation: 1, region: 4, municipality: 98 });
    const before = body.find((p: { to: string | null }) => p.to === '2026-12-31');
    expect(before.counts.region).toBe(5);
  });

  it('rejects a date that is not a date with a problem naming the parameter', async () => {
    const response = await fetch(`${server.url}/api/org-units?at=2027-13-01`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('hospitals and health clusters from the reference files', () => {
  it('lists the 21 acute hospitals with their region as parent', async () => {
    const hospitals = await referenceRows('acute-hospitals.csv');
    const { body } = await get('/api/org-units?type=hospital&at=2026-06-30');
    expect(body).toHaveLength(hospitals.length);
    expect(hospitals).toHaveLength(21);
    for (const h of hospitals) {
      const unit = body.find((u: { name: string }) => u.name === h.hospital);
      expect(unit, h.hospital).toBeDefined();
      expect(unit.parent).toBe(h.region_code);
      expect(unit.confidence).toBe(h.status?.startsWith('UNCONFIRMED') ? 'uncertain' : 'confirmed');
    }
  });

  it('lists the health clusters with their municipalities and per-row confidence', async () => {
    const clusters = await referenceRows('health-clusters-2019-proposal.csv');
    const { body: units } = await get('/api/org-units?type=health-cluster&at=2026-06-30');
    expect(units).toHaveLength(clusters.length);
    const { body: groupings } = await get('/api/groupings');
    const grouping = groupings.find(
      (g: { groupType: string; memberTypes: string[] }) =>
        g.groupType === 'health-cluster' && g.memberTypes.includes('municipality'),
    );
    expect(grouping.partitionsPersons).toBe(true);
    for (const c of clusters) {
      const unit = units.find((u: { name: string }) => u.name.endsWith(c.cluster_acute_hospital ?? ''));
      expect(unit, c.cluster_acute_hospital).toBeDefined();
      expect(unit.parent).toBe(c.region_code);
      expect(unit.confidence).toBe(c.status === 'confirmed' ? 'confirmed' : 'uncertain');
      const members = grouping.memberships
        .filter((m: { group: string }) => m.group === unit.code)
        .map((m: { member: string }) => m.member)
        .sort();
      expect(members).toEqual((c.municipality_codes ?? '').split(' ').sort());
    }
    // Every municipality is in exactly one cluster.
    const all = grouping.memberships.map((m: { member: string }) => m.member);
    expect(new Set(all).size).toBe(98);
    expect(all).toHaveLength(98);
  });
});

describe('targets apply where they were agreed', () => {
  const target = 'rm-acute-admissions-down';

  it("evaluates Region Midtjylland's health-agreement target for 1082 and Aarhus (751)", async () => {
    for (const unit of ['1082', '751']) {
      const { status, body } = await get(`/api/targets/${target}/evaluation?unit=${unit}`);
      expect(status, unit).toBe(200);
      expect(body.unit).toBe(unit);
    }
  });

  it('is 404 for København (101) and Region Hovedstaden, naming the units it applies to', async () => {
    for (const unit of ['101', '1084']) {
      const response = await fetch(`${server.url}/api/targets/${target}/evaluation?unit=${unit}`);
      expect(response.status).toBe(404);
      const problem = await response.json();
      expect(problem.hint).toContain('20 unit(s)');
      expect(problem.hint).toContain('1082');
      expect(problem.hint).toContain('751');
      expect(problem.hint).not.toContain(' 101,');
    }
  });

  it('evaluates for exactly the region and its 19 municipalities from the reference list', async () => {
    const municipalities = await referenceRows('municipalities.csv');
    const expected = ['1082', ...municipalities.filter((m) => m.region_code === '1082').map((m) => m.code)].sort();
    const { body } = await get(`/api/targets/${target}/evaluations`);
    expect(body.map((e: { unit: string }) => e.unit).sort()).toEqual(expected);
  });

  it('evaluates every target of the health agreement for 1082 and Aarhus (751), and is 404 for København (101)', async () => {
    const catalogue = await loadCatalogue();
    const goalSet = catalogue.goalSets.find((s) => s.id === 'region-midtjylland-health-agreement-2015-18');
    const targets: Target[] = goalSet?.goals.flatMap((g) => g.targets) ?? [];
    expect(targets.length).toBeGreaterThanOrEqual(5);
    const municipalities = await referenceRows('municipalities.csv');
    const agreed = ['1082', ...municipalities.filter((m) => m.region_code === '1082').map((m) => m.code)].sort();
    for (const { id } of targets) {
      const { body: all } = await get(`/api/targets/${id}/evaluations`);
      expect(all.map((e: { unit: string }) => e.unit).sort(), id).toEqual(agreed);
      for (const unit of ['1082', '751']) {
        const { status, body } = await get(`/api/targets/${id}/evaluation?unit=${unit}`);
        expect(status, `${id} ${unit}`).toBe(200);
        expect(body.unit).toBe(unit);
      }
      const response = await fetch(`${server.url}/api/targets/${id}/evaluation?unit=101`);
      expect(response.status, id).toBe(404);
      const problem = await response.json();
      expect(problem.hint, id).toContain('20 unit(s)');
      expect(problem.hint, id).toContain('1082');
      expect(problem.hint, id).toContain('751');
    }
  });

  it('says so when a target applies to a municipality but its indicator has values only for the nation and regions', async () => {
    const municipal = await get('/api/targets/rm-excess-mortality-down/evaluation?unit=751');
    expect(municipal.status).toBe(200);
    expect(municipal.body).toMatchObject({
      status: 'not-assessable',
      reason: 'no-data',
      valuesFor: ['nation', 'region'],
    });
    expect(municipal.body.explanation).toContain(
      'no values for any unit of type municipality, only for: nation, region',
    );
    // The region has the values: 2.6 in 2015 falling to 2.3 in 2018 is a decrease, as the target wants.
    const regional = await get('/api/targets/rm-excess-mortality-down/evaluation?unit=1082');
    expect(regional.body).toMatchObject({ status: 'achieved', baselineValue: 2.6, latestValue: 2.3 });
    expect(regional.body.valuesFor).toBeUndefined();
    // An indicator with no values anywhere says that instead.
    const noValues = await get('/api/targets/rm-safe-transitions-up/evaluation?unit=751');
    expect(noValues.body).toMatchObject({ status: 'not-assessable', reason: 'no-data', valuesFor: [] });
    expect(noValues.body.explanation).toContain('no values for any unit');
  });

  it("shows the health agreement in Aarhus's overview and not in København's or Denmark's", async () => {
    const setsOf = async (unit: string) =>
      (await get(`/api/overview?unit=${unit}`)).body.goalSets.map((s: { id: string }) => s.id);
    expect(await setsOf('751')).toContain('region-midtjylland-health-agreement-2015-18');
    expect(await setsOf('101')).not.toContain('region-midtjylland-health-agreement-2015-18');
    expect(await setsOf('DK')).not.toContain('region-midtjylland-health-agreement-2015-18');
    expect(await setsOf('DK')).toContain('health-reform-2022');
  });
});
