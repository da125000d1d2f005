// Attacks the published API the way an outsider would: every cell of every register indicator of a demo store,
// and imported tables built to be awkward, are fetched from GET /api/indicators/{id}/values only; the attacker
// (test/attacker.ts, written apart from src/disclosure) rebuilds the relations, narrows hidden counts by iterated
// differencing and interval bounds (and, on the small tables, solves the relations exactly), and no hidden
// count of 1-4 may come out exactly right.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { importAggregates } from '../src/ingest/index.js';
import { openStore, type Store } from '../src/store/index.js';
import type { PublishedRow } from './attacker.js';
import { recovered } from './attacker-api.js';
import { catalogueStore, runCli, savePractices, serveOnEphemeralPort, tempDir } from './helpers.js';

describe.each([
  { persons: 3000, years: '2022-2024' },
  // Large enough that many hospital and practice cells are published.
  { persons: 20000, years: '2023-2024' },
])('the published values of a demo store of $persons persons', ({ persons, years }) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  let server: RunningServer;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const data = path.join(dir, 'data');
    const storePath = path.join(dir, 'pejling.duckdb');
    const made = await runCli([
      'demo-data',
      '--out',
      data,
      '--persons',
      String(persons),
      '--years',
      years,
      '--seed',
      '5',
    ]);
    expect(made.code, made.stderr).toBe(0);
    expect((await runCli(['--store', storePath, 'init'])).code).toBe(0);
    const computed = await runCli(['--store', storePath, 'compute', '--data', data]);
    expect(computed.code, computed.stderr).toBe(0);
    store = await openStore(storePath);
    server = await serveOnEphemeralPort(store);
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await cleanup();
  });

  it('give away no hidden count of 1-4 to differencing and interval bounds', async () => {
    const indicators = (await (await fetch(`${server.url}/api/indicators`)).json()) as {
      id: string;
      origin: string;
    }[];
    const register = indicators.filter((i) => i.origin === 'register');
    expect(register.length).toBe(15);
    let hidden = 0;
    const found: string[] = [];
    for (const { id } of register) {
      found.push(...(await recovered(server, store, id, false)));
      hidden += (await store.queryValues({ indicator: id })).filter((v) => v.suppressed).length;
    }
    expect(hidden).toBeGreaterThan(100);
    expect(found).toEqual([]);
  }, 600_000);

  it('give away no hidden count of 1-4 at the yearly totals to exact elimination over every sum of practices', async () => {
    // Practices and kvalitetsklynger are published as yearly totals, where municipality = Σ its practices and
    // kvalitetsklynge = Σ its practices meet the geography; solved exactly (without the rule that hides a
    // kvalitetsklynge with a hidden practice, this finds municipalities', practices' and kvalitetsklynger's counts
    // on the 20,000-person registry).
    const found: string[] = [];
    for (const id of [
      'acute-readmission-somatic-30d',
      'preventable-admissions-65plus',
      'preventable-admissions-65plus-count',
      'acute-admissions-copd-per-1000',
      'acute-admissions-t2d-per-1000',
    ])
      found.push(...(await recovered(server, store, id, true, true)));
    expect(found).toEqual([]);
  }, 600_000);

  it('publish cells of hospitals and practices, and compute kvalitetsklynger, so their sums are there to attack', async () => {
    const units = (await (await fetch(`${server.url}/api/org-units`)).json()) as { code: string; type: string }[];
    const typeOf = new Map(units.map((u) => [u.code, u.type]));
    const published = { hospital: 0, 'gp-practice': 0 };
    let clusterCells = 0;
    for (const id of ['acute-readmission-somatic-30d', 'preventable-admissions-65plus-count'])
      for (const v of await store.queryValues({ indicator: id })) {
        const type = typeOf.get(v.unit);
        if (!v.suppressed && (type === 'hospital' || type === 'gp-practice')) published[type]++;
        if (type === 'gp-cluster') clusterCells++;
      }
    expect(published.hospital).toBeGreaterThan(persons / 100);
    if (persons >= 20000) expect(published['gp-practice']).toBeGreaterThan(100);
    // The synthetic kvalitetsklynger have values (published or hidden) whose sums the attacks use.
    expect(clusterCells).toBeGreaterThan(0);
  });
});

describe('imported tables built to be awkward', () => {
  let made: Awaited<ReturnType<typeof catalogueStore>>;
  let server: RunningServer;
  const csv = (text: string) => new TextEncoder().encode(text);
  const header = 'indicator,unit,period,breakdown,numerator,denominator\n';
  beforeAll(async () => {
    made = await catalogueStore();
    server = await serveOnEphemeralPort(made.store);
  });
  afterAll(async () => {
    await server.close();
    await made.cleanup();
  });
  const published = async (indicator: string) =>
    (await (await fetch(`${server.url}/api/indicators/${indicator}/values`)).json()) as PublishedRow[];
  const hiddenOf = (rows: PublishedRow[]) =>
    rows
      .filter((r) => r.suppressed)
      .map((r) => `${r.unit} ${r.breakdown}`)
      .sort();

  it('daily smokers 20/100, women 3/40, men 17/60: the women cannot be recovered from total and men', async () => {
    const report = await importAggregates(
      made.store,
      'smokers.csv',
      csv(
        `${header}daily-smokers,101,2023,total,20,100\ndaily-smokers,101,2023,sex:F,3,40\ndaily-smokers,101,2023,sex:M,17,60\n`,
      ),
    );
    expect(report.problems).toEqual([]);
    const rows = await published('daily-smokers');
    const women = rows.find((r) => r.breakdown === 'sex:F');
    expect(women).toMatchObject({ suppressed: true, numerator: null, denominator: null, value: null });
    expect(hiddenOf(rows).length).toBeGreaterThan(1);
    expect(await recovered(server, made.store, 'daily-smokers', true)).toEqual([]);
  });

  it('a single small category, a hidden total with visible categories, and a municipality alone in its region', async () => {
    const rows = [
      // One small education group under a visible total.
      'physical-activity,751,2023,total,400,1000',
      'physical-activity,751,2023,education:basic,2,50',
      'physical-activity,751,2023,education:vocational,150,400',
      'physical-activity,751,2023,education:higher,200,450',
      'physical-activity,751,2023,education:unknown,48,100',
      // A small total whose categories (0 and 3) would give it away, in a region with two more municipalities.
      'physical-activity,147,2023,total,3,30',
      'physical-activity,147,2023,sex:F,0,12',
      'physical-activity,147,2023,sex:M,3,18',
      'physical-activity,101,2023,total,300,900',
      'physical-activity,151,2023,total,97,270',
      'physical-activity,1084,2023,total,400,1200',
      // Læsø alone under Region Nordjylland: the region's total is Læsø's.
      'physical-activity,825,2023,total,4,20',
      'physical-activity,1081,2023,total,4,20',
    ];
    const report = await importAggregates(made.store, 'awkward.csv', csv(`${header}${rows.join('\n')}\n`));
    expect(report.problems).toEqual([]);
    const hidden = hiddenOf(await published('physical-activity'));
    expect(hidden).toEqual(expect.arrayContaining(['751 education:basic', '147 total', '147 sex:M', '825 total']));
    expect(await recovered(server, made.store, 'physical-activity', true)).toEqual([]);
  });

  it('a practice with 1 of the 30 of its municipality, whose other practice has 29: the sum is closed', async () => {
    // Odder (727) = GP-A + GP-B exactly; without closing that sum, 30 − 29 gives GP-A's 1 away.
    await savePractices(made.store, { '727': ['GPA727', 'GPB727'], '706': ['GPC706', 'GPD706'] });
    const rows = [
      'physical-activity,727,2022,total,30,100',
      'physical-activity,GPA727,2022,total,1,10',
      'physical-activity,GPB727,2022,total,29,90',
      'physical-activity,706,2022,total,48,200',
      'physical-activity,GPC706,2022,total,2,20',
      'physical-activity,GPD706,2022,total,46,180',
    ];
    const report = await importAggregates(made.store, 'practices.csv', csv(`${header}${rows.join('\n')}\n`));
    expect(report.problems).toEqual([]);
    const hidden = hiddenOf(await published('physical-activity')).filter((h) => h.endsWith('total'));
    expect(hidden).toEqual(expect.arrayContaining(['GPA727 total', 'GPB727 total', 'GPC706 total', 'GPD706 total']));
    expect(hidden).not.toContain('727 total');
    expect(await recovered(server, made.store, 'physical-activity', true)).toEqual([]);
  });

  it('sums practices into their kvalitetsklynge, and not where a practice is hidden', async () => {
    await savePractices(made.store, { '727': ['GPK1', 'GPK2'], '706': ['GPK3', 'GPK4'] });
    // KK9 takes one practice of each municipality.
    await made.store.saveGrouping(
      {
        id: 'kvalitetsklynger-test',
        name: { da: 'Kvalitetsklynger', en: 'Quality clusters' },
        groupType: 'gp-cluster',
        memberTypes: ['gp-practice'],
        partitionsPersons: true,
        parentOfMembers: false,
        memberships: ['GPK1', 'GPK3'].map((member) => ({
          group: 'KK9',
          member,
          validFrom: '2019-01-01',
          validTo: null,
          confidence: 'confirmed' as const,
        })),
      },
      [{ code: 'KK9', name: 'Klynge 9', type: 'gp-cluster', parent: 'DK', validFrom: '2019-01-01', validTo: null }],
    );
    const rows = [
      'physical-activity,GPK1,2021,total,40,100',
      'physical-activity,GPK2,2021,total,50,100',
      'physical-activity,GPK3,2021,total,30,100',
      'physical-activity,GPK4,2021,total,60,100',
      // 2020: GPK1's 2 is hidden, so KK9 = GPK1 + GPK3 must not be published.
      'physical-activity,GPK1,2020,total,2,10',
      'physical-activity,GPK2,2020,total,50,100',
      'physical-activity,GPK3,2020,total,30,100',
      'physical-activity,GPK4,2020,total,60,100',
    ];
    const report = await importAggregates(made.store, 'clusters.csv', csv(`${header}${rows.join('\n')}\n`));
    expect(report.problems).toEqual([]);
    const kk = (await published('physical-activity')).filter((r) => r.unit === 'KK9');
    expect(kk.find((r) => r.period === '2021')).toMatchObject({ numerator: 70, denominator: 200 });
    expect(kk.find((r) => r.period === '2020')).toMatchObject({ numerator: null, denominator: null });
    expect(await recovered(server, made.store, 'physical-activity', true)).toEqual([]);
  });

  it('rechecks already published cells when a later import adds a small count', async () => {
    const first = ['poor-mental-health,461,2023,total,60,300', 'poor-mental-health,461,2023,education:higher,59,291'];
    await importAggregates(made.store, 'first.csv', csv(`${header}${first.join('\n')}\n`));
    expect(hiddenOf(await published('poor-mental-health'))).toEqual([]);
    // basic = total − higher: the second file's 1 can only be hidden by hiding a cell published by the first.
    await importAggregates(made.store, 'second.csv', csv(`${header}poor-mental-health,461,2023,education:basic,1,9\n`));
    const hidden = hiddenOf(await published('poor-mental-health'));
    expect(hidden).toContain('461 education:basic');
    expect(hidden.some((h) => h === '461 education:higher' || h === '461 total')).toBe(true);
    expect(await recovered(server, made.store, 'poor-mental-health', true)).toEqual([]);
  });
});
