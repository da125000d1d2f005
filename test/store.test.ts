// The Store interface behaves the same on both stores: one suite, run against a DuckDB file and a PostgreSQL
// database. Expected values are worked out by hand from the rows each test writes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoalSet, loadCatalogue } from '../src/catalogue/index.js';
import { UserError } from '../src/domain/errors.js';
import { type IndicatorValue, LATEST_SCHEMA_VERSION, openStore, type Store } from '../src/store/index.js';
import { ROOT } from './helpers.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const locations = storeLocations();

const value = (
  unit: string,
  period: string,
  v: number | null,
  extra: Partial<IndicatorValue> = {},
): IndicatorValue => ({
  indicator: 'hospital-productivity',
  unit,
  period,
  breakdown: 'total',
  numerator: null,
  denominator: null,
  value: v,
  suppressed: false,
  ...extra,
});

const meta = (fileName: string) => ({ actor: 'tester', fileName, sha256: `sha-${fileName}`, rowsInFile: 2 });

describe.each(STORE_KINDS)('the %s store', (kind) => {
  let store: Store;
  let location: string;
  beforeAll(async () => {
    location = await locations.newLocation(kind, 'store');
    store = await openStore(location);
    await store.replaceCatalogue(await loadCatalogue());
  });
  afterAll(() => store.close());

  it('migrates to the latest schema version, and again without change', async () => {
    expect(await store.migrate()).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.migrate()).toBe(LATEST_SCHEMA_VERSION);
    expect((await store.info()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('holds the catalogue: 1 + 5 + 98 units in the 2026 structure, with dates, indicators, goal sets, targets and links', async () => {
    const units = await store.listOrgUnits();
    const in2026 = await store.listOrgUnits({ at: '2026-12-31' });
    for (const [type, count] of [
      ['nation', 1],
      ['region', 5],
      ['municipality', 98],
    ] as const)
      expect(in2026.filter((u) => u.type === type)).toHaveLength(count);
    // From 2027 Region Østdanmark replaces 1084 and 1085, and København's parent is the new region.
    const in2027 = await store.listOrgUnits({ at: '2027-01-01', type: 'region' });
    expect(in2027.map((u) => u.code).sort()).toEqual(['1081', '1082', '1083', 'OST2027']);
    expect((await store.listOrgUnits({ at: '2027-01-01' })).find((u) => u.code === '101')?.parent).toBe('OST2027');
    expect(units[0]).toMatchObject({ code: 'DK', type: 'nation', parent: null, validTo: null });
    expect(units.find((u) => u.code === '101')).toMatchObject({ name: 'København', parent: '1084' });
    expect(units.every((u) => /^\d{4}-\d{2}-\d{2}$/.test(u.validFrom))).toBe(true);
    // Every region whatever its dates: the five and Region Østdanmark.
    expect(await store.listOrgUnits({ type: 'region' })).toHaveLength(6);
    expect(await store.listOrgUnits({ at: '2000-01-01' })).toHaveLength(0);
    const catalogue = await loadCatalogue();
    expect((await store.listIndicators()).map((i) => i.id)).toEqual(catalogue.indicators.map((i) => i.id));
    expect((await store.listGoalSets()).map((s) => s.id)).toEqual(catalogue.goalSets.map((s) => s.id));
    expect(await store.getIndicator('no-such')).toBeUndefined();
    expect((await store.getGoalSet('national-goals-2016'))?.goals).toHaveLength(8);
    expect(await store.getTarget('reform-acute-readmissions')).toMatchObject({
      goalSetId: 'health-reform-2022',
      target: { id: 'reform-acute-readmissions', indicator: 'acute-readmission-somatic-30d' },
    });
    expect((await store.listLinks()).length).toBe(catalogue.links.length);
    expect((await store.listGroups()).length).toBe(catalogue.groups.length);
  });

  it('replaces values of the given indicators only, in one go, and queries them in code order', async () => {
    const before = await store.dataVersion();
    const other = { ...value('DK', '2023', 5), indicator: 'virtual-course-share' };
    expect(await store.replaceValues(['virtual-course-share'], [other], 'register')).toBe(1);
    const rows = [
      value('1085', '2023', 3.25, { numerator: 13, denominator: 400 }),
      value('101', '2023', null, { suppressed: true, denominator: 400 }),
      value('1081', '2022', Number.NaN),
      value('1081', '2023', 1.5, { breakdown: 'sex:F' }),
    ];
    expect(await store.replaceValues(['hospital-productivity'], rows, 'register')).toBe(4);
    expect(await store.dataVersion()).toBe(before + 2);
    const all = await store.queryValues({ indicator: 'hospital-productivity' });
    // Codes sort as text: '101' < '1081' < '1085'; the NaN is kept as no value.
    expect(all.map((r) => [r.unit, r.period, r.breakdown, r.value])).toEqual([
      ['101', '2023', 'total', null],
      ['1081', '2022', 'total', null],
      ['1081', '2023', 'sex:F', 1.5],
      ['1085', '2023', 'total', 3.25],
    ]);
    // The published view hides every number of a suppressed cell; the full row is kept for recomputation.
    expect(all[0]).toMatchObject({ suppressed: true, numerator: null, denominator: null, value: null });
    const full = await store.queryValues({ indicator: 'hospital-productivity', unit: '101', full: true });
    expect(full[0]).toMatchObject({ suppressed: true, denominator: 400 });
    expect(all[3]).toMatchObject({ numerator: 13, denominator: 400, suppressed: false });
    expect(await store.queryValues({ indicator: 'hospital-productivity', unit: ['1085', '101'] })).toHaveLength(2);
    expect(await store.queryValues({ indicator: 'hospital-productivity', unit: [] })).toEqual([]);
    expect(
      await store.queryValues({ indicator: 'hospital-productivity', unit: '1081', period: '2023', breakdown: 'sex:F' }),
    ).toHaveLength(1);
    expect(await store.queryValues({ indicator: 'virtual-course-share' })).toHaveLength(1);
    expect(await store.info()).toMatchObject({ valueCount: 5, indicatorsWithValues: 2 });
  });

  it('leaves the store as it was when a replacement fails part-way', async () => {
    const before = await store.queryValues({ indicator: 'hospital-productivity' });
    const version = await store.dataVersion();
    const broken = [value('751', '2024', 1), { ...value('751', '2025', 2), unit: null as unknown as string }];
    await expect(store.replaceValues(['hospital-productivity'], broken, 'register')).rejects.toThrow();
    expect(await store.queryValues({ indicator: 'hospital-productivity' })).toEqual(before);
    expect(await store.dataVersion()).toBe(version);
  });

  it('replaces the values within a scope of indicators and periods, streamed in chunks, and keeps the rest', async () => {
    const id = 'mean-length-of-stay-somatic';
    const chunks = async function* (...lists: ReturnType<typeof value>[][]) {
      for (const list of lists) yield list.map((v) => ({ ...v, indicator: id }));
    };
    await store.replaceValues(
      [id],
      [value('101', '2022', 4), value('101', '2023', 5)].map((v) => ({ ...v, indicator: id })),
      'register',
    );
    const version = await store.dataVersion();
    const scope = { indicators: [id], periods: ['2023', '2023Q1'] };
    expect(
      await store.replaceValuesIn(scope, chunks([value('101', '2023', 6)], [value('147', '2023Q1', 7)]), 'register'),
    ).toBe(2);
    expect(await store.dataVersion()).toBe(version + 1);
    const stored = async () => (await store.queryValues({ indicator: id })).map((v) => [v.unit, v.period, v.value]);
    expect(await stored()).toEqual([
      ['101', '2022', 4],
      ['101', '2023', 6],
      ['147', '2023Q1', 7],
    ]);
    // A row outside the scope refuses the whole replacement.
    await expect(
      store.replaceValuesIn(scope, chunks([value('101', '2023', 8)], [value('101', '2021', 1)]), 'register'),
    ).rejects.toThrow('outside the scope');
    expect(await stored()).toEqual([
      ['101', '2022', 4],
      ['101', '2023', 6],
      ['147', '2023Q1', 7],
    ]);
    expect(await store.dataVersion()).toBe(version + 1);
    await store.replaceValues([id], [], 'register');
  });

  it('imports with revisions: inserted, changed and unchanged values, history newest first', async () => {
    const indicator = 'waiting-time-diagnosis';
    const at = (unit: string, v: number) => ({ ...value(unit, '2024', v), indicator });
    const dry = await store.diffImport([at('1081', 10), at('1082', 20)]);
    expect(dry).toMatchObject({ inserted: 2, changed: 0, unchanged: 0, examples: [] });
    expect(await store.queryValues({ indicator })).toEqual([]);

    const first = await store.applyImport(meta('a.csv'), [at('1081', 10), at('1082', 20)]);
    expect(first).toMatchObject({ inserted: 2, changed: 0, unchanged: 0 });
    const version = await store.dataVersion();
    const same = await store.applyImport(meta('a-again.csv'), [at('1081', 10), at('1082', 20)]);
    expect(same).toMatchObject({ inserted: 0, changed: 0, unchanged: 2, importId: null });
    expect(await store.dataVersion()).toBe(version);

    const second = await store.applyImport({ ...meta('b.csv'), note: 'corrected' }, [at('1081', 12), at('1083', 30)]);
    expect(second).toMatchObject({
      inserted: 1,
      changed: 1,
      unchanged: 0,
      importId: (first.importId ?? 0) + 1,
      examples: [{ indicator, unit: '1081', period: '2024', breakdown: 'total', before: 10, after: 12 }],
    });
    expect(await store.dataVersion()).toBe(version + 1);
    expect((await store.queryValues({ indicator })).map((r) => [r.unit, r.value])).toEqual([
      ['1081', 12],
      ['1082', 20],
      ['1083', 30],
    ]);

    const history = await store.valueHistory({ indicator, unit: '1081' });
    expect(history.map((h) => [h.value, h.fileName, h.note, h.current])).toEqual([
      [12, 'b.csv', 'corrected', true],
      [10, 'a.csv', null, false],
    ]);
    expect(history[0]?.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(history[0]).toMatchObject({ actor: 'tester', sha256: 'sha-b.csv', importId: second.importId });

    const imports = await store.listImports();
    expect(imports.map((i) => [i.fileName, i.inserted, i.changed, i.unchanged, i.rowsInFile])).toEqual([
      ['a.csv', 2, 0, 0, 2],
      ['b.csv', 1, 1, 0, 2],
    ]);
    expect(imports[1]).toMatchObject({ note: 'corrected', actor: 'tester' });
    expect(imports[0]?.importedAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it('keeps local goal sets through a catalogue reload and refuses a catalogue id', async () => {
    const body = JSON.parse(await readFile(path.join(ROOT, 'examples/local-goal-set-aarhus.json'), 'utf8'));
    const local = body.goalSet as GoalSet;
    await store.saveLocalGoalSet(local, body.links);
    await store.saveLocalGoalSet({ ...local, owner: 'Aarhus Kommune (revideret)' }, body.links);
    await store.replaceCatalogue(await loadCatalogue());
    const sets = await store.listGoalSets();
    expect(sets.at(-1)).toMatchObject({ id: local.id, owner: 'Aarhus Kommune (revideret)' });
    expect(sets.filter((s) => s.id === local.id)).toHaveLength(1);
    expect(await store.getTarget('aarhus-preventable-minus-10')).toMatchObject({
      goalSetId: local.id,
      goalId: 'aarhus-fewer-preventable-admissions',
    });
    expect((await store.listLinks()).filter((l) => l.from === 'aarhus-fewer-preventable-admissions')).toHaveLength(1);
    const clash = store.saveLocalGoalSet({ ...local, id: 'national-goals-2016' }, []);
    await expect(clash).rejects.toBeInstanceOf(UserError);
    await expect(clash).rejects.toMatchObject({ status: 409 });
  });
});

describe('the PostgreSQL store with several servers', () => {
  it('migrates once when several servers start on a new database at the same moment', async () => {
    const location = await locations.newLocation('postgres', 'race');
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(location)));
    try {
      for (const s of stores) expect((await s.info()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const client = new pg.Client({ connectionString: location });
      await client.connect();
      const applied = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      await client.end();
      expect(applied.rows.map((r) => r.version)).toEqual(
        Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
      );
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('numbers concurrent imports from two servers one after the other', async () => {
    const location = await locations.newLocation('postgres', 'imports');
    const [a, b] = [await openStore(location), await openStore(location)] as [Store, Store];
    try {
      await a.replaceCatalogue(await loadCatalogue());
      const row = (unit: string, v: number) => ({ ...value(unit, '2024', v) });
      const results = await Promise.all([
        a.applyImport(meta('from-a.csv'), [row('1081', 1), row('1082', 2)]),
        b.applyImport(meta('from-b.csv'), [row('1081', 3), row('1083', 4)]),
      ]);
      expect(results.map((r) => r.importId).sort()).toEqual([1, 2]);
      // Whichever came second saw the first one's value for 1081 as a change.
      expect(results.map((r) => r.inserted + r.changed).sort()).toEqual([2, 2]);
      expect(results.map((r) => r.changed).sort()).toEqual([0, 1]);
      expect(await b.dataVersion()).toBe(await a.dataVersion());
      expect((await a.queryValues({ indicator: 'hospital-productivity' })).map((r) => r.unit)).toEqual([
        '1081',
        '1082',
        '1083',
      ]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reads from a streaming read replica what the primary wrote, and refuses writes there clearly', async () => {
    const cluster = await locations.cluster();
    const primaryUrl = await locations.newLocation('postgres', 'replicated');
    const primary = await openStore(primaryUrl);
    const replicaUrl = await cluster.startReplica(new URL(primaryUrl).pathname.slice(1));
    const replica = await openStore(replicaUrl);
    try {
      await primary.replaceCatalogue(await loadCatalogue());
      await primary.replaceValues(['hospital-productivity'], [value('1081', '2023', 101.5)], 'register');
      const version = await primary.dataVersion();
      // Replay is asynchronous: wait (a bounded number of times) until the replica has the primary's version.
      for (let i = 0; i < 200 && (await replica.dataVersion()) < version; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await replica.dataVersion()).toBe(version);
      expect(await replica.queryValues({ indicator: 'hospital-productivity' })).toMatchObject([
        { unit: '1081', value: 101.5 },
      ]);
      expect(await replica.listOrgUnits()).toHaveLength((await primary.listOrgUnits()).length);
      expect(await replica.listGroupings()).toEqual(await primary.listGroupings());
      await expect(replica.replaceValues(['hospital-productivity'], [], 'register')).rejects.toMatchObject({
        status: 503,
        message: expect.stringMatching(/read replica/),
      });
    } finally {
      await replica.close();
      await primary.close();
    }
  });

  it('says clearly when no server answers or the database is missing', async () => {
    const cluster = await locations.cluster();
    const missing = cluster.adminUrl.replace(/\/postgres$/, '/no_such_database');
    await expect(openStore(missing)).rejects.toThrow(/does not exist/);
    await expect(openStore('postgres://nobody:secret@127.0.0.1:1/pejling')).rejects.toThrow(
      /No PostgreSQL server answers at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/pejling/,
    );
  });
});
