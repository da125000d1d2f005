// Server mode end to end on a real PostgreSQL: the CLI with --store postgres://…, the engine writing into it,
// backup and restore, `store copy` both ways, and two `pejling serve` processes on one database.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/index.js';
import { UserError } from '../src/domain/errors.js';
import { computeRegisterIndicators } from '../src/engine/index.js';
import { writeSyntheticRegistry } from '../src/engine/synthetic-registry.js';
import { importAggregates } from '../src/ingest/index.js';
import { copyStore, openStore, type Store } from '../src/store/index.js';
import { bearer, ROOT, runCli, tempDir, userToken } from './helpers.js';
import { storeLocations } from './store-kinds.js';

const locations = storeLocations();
let dir: string;
let cleanup: () => Promise<void>;
const registry = () => path.join(dir, 'registry');

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeSyntheticRegistry({
    outDir: registry(),
    persons: 1500,
    fromYear: 2021,
    toYear: 2024,
    seed: 5,
    catalogueDir: DEFAULT_CATALOGUE_DIR,
  });
}, 600_000);
afterAll(() => cleanup());

async function withStore<T>(location: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Everything a store holds, read through the Store interface. */
async function snapshot(store: Store) {
  const indicators = await store.listIndicators();
  const values: Record<string, unknown> = {};
  const history: Record<string, unknown> = {};
  for (const { id } of indicators) {
    values[id] = await store.queryValues({ indicator: id });
    history[id] = await store.valueHistory({ indicator: id });
  }
  return {
    info: await store.info(),
    units: await store.listOrgUnits(),
    groups: await store.listGroups(),
    indicators,
    goalSets: await store.listGoalSets(),
    links: await store.listLinks(),
    targets: await store.listTargets(),
    imports: await store.listImports(),
    values,
    history,
  };
}

/** A store with the catalogue, the register indicators computed from the demo registry, and `imports`. */
async function demoStore(
  location: string,
  imports: readonly (readonly [string, string])[] = [],
  indicators?: readonly string[],
): Promise<void> {
  await withStore(location, async (store) => {
    await store.replaceCatalogue(await loadCatalogue());
    await computeRegisterIndicators({
      store,
      dataDir: registry(),
      catalogueDir: DEFAULT_CATALOGUE_DIR,
      ...(indicators ? { indicators } : {}),
    });
    for (const [file, text] of imports) {
      const report = await importAggregates(store, file, Buffer.from(text), { actor: 'analytiker', note: file });
      expect(report.problems, file).toEqual([]);
    }
  });
}

/** Three register indicators of different templates: enough to compare the stores, quick to compute. */
const SOME_INDICATORS = ['acute-readmission-somatic-30d', 'virtual-course-share', 'preventable-admissions-65plus'];

/** These tests run the engine and the CLI as child processes; on a busy machine they take a while. */
const SLOW = { timeout: 240_000 };

const productivityCsv = (value: string, unit = '1081') =>
  `indikator;enhed;periode;værdi\nhospital-productivity;${unit};2023;${value}\n`;

const cli = async (args: string[]) => {
  const result = await runCli(args);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
};

describe('the command line with --store postgres://…', () => {
  it('initialises, computes and imports into PostgreSQL what the same steps store in DuckDB', SLOW, async () => {
    const pgUrl = await locations.newLocation('postgres', 'cli');
    const duck = await locations.newLocation('duckdb', 'cli');
    const csv = path.join(dir, 'productivity.csv');
    await writeFile(csv, productivityCsv('101,5'));
    const init = await cli(['--store', pgUrl, 'init']);
    expect(init.stdout).toMatch(/Store postgres:\/\/postgres@127\.0\.0\.1:\d+\/cli_\d+ ready/);
    const computed = await cli(['--store', pgUrl, 'compute', '--data', registry(), '--indicator', ...SOME_INDICATORS]);
    expect(computed.stdout).toContain('Computed 3 indicators');
    await cli(['--store', pgUrl, 'import', csv, '--actor', 'analytiker', '--note', 'productivity.csv']);
    const history = JSON.parse(
      (await cli(['--store', pgUrl, 'history', '--indicator', 'hospital-productivity', '--json'])).stdout,
    );
    expect(history).toMatchObject([{ unit: '1081', value: 101.5, actor: 'analytiker', current: true }]);
    await demoStore(duck, [['productivity.csv', productivityCsv('101,5')]], SOME_INDICATORS);
    const fromPostgres = await withStore(pgUrl, snapshot);
    const fromDuckDB = await withStore(duck, snapshot);
    expect(fromPostgres.info).toMatchObject({ indicatorsWithValues: 4 });
    expect(fromPostgres.info.valueCount).toBeGreaterThan(1_000);
    // The revisions differ only in when and by which file they were recorded.
    const when = (s: typeof fromPostgres) => ({
      ...s,
      imports: s.imports.map(({ importedAt: _, sha256: __, ...rest }) => rest),
      history: Object.fromEntries(
        Object.entries(s.history).map(([id, rows]) => [
          id,
          (rows as { recordedAt: string; sha256: string }[]).map(({ recordedAt: _, sha256: __, ...rest }) => rest),
        ]),
      ),
    });
    expect(when(fromPostgres)).toEqual(when(fromDuckDB));
  });

  it('leaves the store as it was when a run of the engine fails', SLOW, async () => {
    const pgUrl = await locations.newLocation('postgres', 'failed');
    await demoStore(pgUrl, [], ['virtual-course-share']);
    const state = (s: Store) =>
      Promise.all([s.info(), s.dataVersion(), s.queryValues({ indicator: 'virtual-course-share' })]);
    const before = await withStore(pgUrl, state);
    const broken = path.join(dir, 'broken');
    await mkdir(broken, { recursive: true });
    for (const table of ['population', 'persons', 'deaths']) {
      await copyFile(path.join(registry(), `${table}.csv`), path.join(broken, `${table}.csv`));
    }
    await writeFile(path.join(broken, 'hospital_courses.csv'), 'course_id,person_id\nnot,a register\n');
    await expect(
      withStore(pgUrl, (store) =>
        computeRegisterIndicators({ store, dataDir: broken, catalogueDir: DEFAULT_CATALOGUE_DIR }),
      ),
    ).rejects.toBeInstanceOf(UserError);
    expect(await withStore(pgUrl, state)).toEqual(before);
  });

  it('backs up to a DuckDB store file and restores it in one transaction', SLOW, async () => {
    const pgUrl = await locations.newLocation('postgres', 'backup');
    const backup = path.join(dir, 'pg-backup.duckdb');
    await withStore(pgUrl, async (store) => {
      await store.replaceCatalogue(await loadCatalogue());
      await importAggregates(store, 'a.csv', Buffer.from(productivityCsv('101,5')));
    });
    const saved = await cli(['--store', pgUrl, 'backup', backup]);
    expect(saved.stdout).toContain(`to ${backup}`);
    await withStore(pgUrl, (store) => importAggregates(store, 'b.csv', Buffer.from(productivityCsv('97'))));
    const valueIn = (location: string) =>
      withStore(location, async (s) => {
        const [row] = await s.queryValues({ indicator: 'hospital-productivity', unit: '1081', period: '2023' });
        return { value: row?.value, revisions: (await s.listImports()).length };
      });
    expect(await valueIn(pgUrl)).toEqual({ value: 97, revisions: 2 });
    expect(await valueIn(backup)).toEqual({ value: 101.5, revisions: 1 });
    const restored = await cli(['--store', pgUrl, 'restore', backup]);
    expect(restored.stdout).toContain('Restored');
    expect(await valueIn(pgUrl)).toEqual({ value: 101.5, revisions: 1 });
  });
});

describe('store copy', () => {
  it('round-trips a store with computed and imported values DuckDB → PostgreSQL → DuckDB exactly', SLOW, async () => {
    const original = await locations.newLocation('duckdb', 'demo');
    const pgUrl = await locations.newLocation('postgres', 'copy');
    const back = path.join(dir, 'round-trip.duckdb');
    await demoStore(
      original,
      [
        ['first.csv', productivityCsv('101,5')],
        ['second.csv', productivityCsv('98,25')],
      ],
      SOME_INDICATORS,
    );
    await withStore(original, async (s) => {
      const body = JSON.parse(await readFile(path.join(ROOT, 'examples/local-goal-set-aarhus.json'), 'utf8'));
      await s.saveLocalGoalSet(body.goalSet, body.links);
    });
    const expected = await withStore(original, snapshot);
    expect(expected.info.valueCount).toBeGreaterThan(5_000);
    expect(expected.imports).toHaveLength(2);
    expect(expected.goalSets.at(-1)?.id).toBe('aarhus-health-policy-2025');

    const there = await cli(['store', 'copy', '--from', original, '--to', pgUrl]);
    expect(there.stdout).toMatch(/^indicator_values: \d+ rows, checksum [0-9a-f]{16}$/m);
    expect(await withStore(pgUrl, snapshot)).toEqual(expected);
    const home = await copyStore({ from: pgUrl, to: back });
    expect(await withStore(back, snapshot)).toEqual(expected);
    // The same rows on every side: each table's count and checksum agree in both directions.
    const listed = there.stdout
      .split('\n')
      .map((l) => /^(\w+): (\d+) rows, checksum ([0-9a-f]{16})$/.exec(l))
      .filter((m) => m !== null)
      .map(([, name, rows, checksum]) => ({ name, rows: Number(rows), checksum }));
    expect(home.tables).toEqual(listed);
    expect(listed.map((t) => t.name)).toEqual(
      expect.arrayContaining(['goal_sets', 'goal_links', 'imports', 'indicator_values', 'value_history', 'org_units']),
    );
  });

  it('refuses a target that holds data unless forced, and replaces it then', SLOW, async () => {
    const source = await locations.newLocation('duckdb', 'source');
    const target = await locations.newLocation('postgres', 'target');
    for (const location of [source, target]) {
      await withStore(location, async (s) => s.replaceCatalogue(await loadCatalogue()));
    }
    await withStore(target, (s) => importAggregates(s, 'only-target.csv', Buffer.from(productivityCsv('3', '101'))));
    await expect(copyStore({ from: source, to: target })).rejects.toThrow(/already holds data/);
    expect(await withStore(target, (s) => s.listImports())).toHaveLength(1);
    const report = await copyStore({ from: source, to: target, force: true });
    // Every unit of the catalogue, one row each.
    expect(report.tables.find((t) => t.name === 'org_units')?.rows).toBe((await loadCatalogue()).units.length);
    expect(await withStore(target, async (s) => [(await s.listImports()).length, (await s.info()).valueCount])).toEqual(
      [0, 0],
    );
    await expect(copyStore({ from: path.join(dir, 'nothing.duckdb'), to: target })).rejects.toThrow(
      /There is no store at/,
    );
  });
});

/** Starts `pejling serve` on a free port and waits for its URL. */
function serve(store: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/pejling.js'), '--store', store, 'serve', '--port', '0'],
      {
        cwd: ROOT,
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url: url.replace('localhost', '127.0.0.1'), child });
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('two servers on one PostgreSQL database', () => {
  const servers: ChildProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM');
  });

  it('serve the same answers, and a change through one is read through the other', SLOW, async () => {
    const pgUrl = await locations.newLocation('postgres', 'servers');
    let token = '';
    await withStore(pgUrl, async (s) => {
      await s.replaceCatalogue(await loadCatalogue());
      token = await userToken(s, { name: 'pg-admin', unit: 'DK', role: 'admin' });
    });
    const [a, b] = await Promise.all([serve(pgUrl), serve(pgUrl)]);
    servers.push(a.child, b.child);
    const getJson = async (base: string, route: string) => {
      const response = await fetch(`${base}${route}`);
      expect(response.status, route).toBe(200);
      return response.json();
    };
    expect(await getJson(b.url, '/api/goal-sets')).toEqual(await getJson(a.url, '/api/goal-sets'));
    const productivity = (overview: { goalSets: { goals: { indicators: { id: string; latest: unknown }[] }[] }[] }) =>
      overview.goalSets
        .flatMap((s) => s.goals.flatMap((g) => g.indicators))
        .find((i) => i.id === 'hospital-productivity');
    // The second server prepares its overviews before the change arrives through the first.
    expect(productivity(await getJson(b.url, '/api/overview?unit=1081'))?.latest).toBeNull();
    const aarhusBefore = await getJson(b.url, '/api/overview?unit=751');
    expect(aarhusBefore.goalSets.map((s: { id: string }) => s.id)).not.toContain('aarhus-health-policy-2025');

    const form = new FormData();
    form.append('file', new Blob(['indicator;unit;period;value\nhospital-productivity;1081;2023;101,5\n']), 'p.csv');
    const imported = await fetch(`${a.url}/api/imports`, { method: 'POST', body: form, headers: bearer(token) });
    expect(imported.status).toBe(200);
    const goalSet = await readFile(path.join(ROOT, 'examples/local-goal-set-aarhus.json'), 'utf8');
    const created = await fetch(`${a.url}/api/goal-sets`, {
      method: 'POST',
      body: goalSet,
      headers: bearer(token, { 'Content-Type': 'application/json' }),
    });
    expect(created.status).toBe(201);

    const values = await getJson(b.url, '/api/indicators/hospital-productivity/values?unit=1081');
    expect(values).toMatchObject([{ unit: '1081', period: '2023', value: 101.5 }]);
    expect(productivity(await getJson(b.url, '/api/overview?unit=1081'))?.latest).toMatchObject({
      period: '2023',
      value: 101.5,
    });
    const aarhusAfter = await getJson(b.url, '/api/overview?unit=751');
    expect(aarhusAfter.goalSets.map((s: { id: string }) => s.id)).toContain('aarhus-health-policy-2025');
    expect((await getJson(b.url, '/api/imports')).map((i: { fileName: string }) => i.fileName)).toEqual(['p.csv']);
  });
});
