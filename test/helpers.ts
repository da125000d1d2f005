// Shared test helpers: temporary stores and real servers on ephemeral ports.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { type AppOptions, type RunningServer, startServer } from '../src/api/index.js';
import { addUser, createToken } from '../src/auth/index.js';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/index.js';
import { prepareDemoStore } from '../src/cli/demo-store.js';
import { openStore, type Store } from '../src/store/index.js';

export const ROOT = path.resolve(import.meta.dirname, '..');

export async function tempDir(prefix = 'pejling-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A new store with the shipped catalogue loaded: a DuckDB file in a temp folder, or at `location`. */
export async function catalogueStore(
  location?: string,
): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir();
  const store = await openStore(location ?? path.join(dir, 'pejling.duckdb'));
  await store.replaceCatalogue(await loadCatalogue());
  return openedIn(store, dir, cleanup);
}

/** A store opened in a temp folder, with a cleanup that closes it and removes the folder. */
function openedIn(
  store: Store,
  dir: string,
  removeDir: () => Promise<void>,
): { store: Store; dir: string; cleanup: () => Promise<void> } {
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      await removeDir();
    },
  };
}

/**
 * A store with the catalogue and the demo `pejling start` makes (register values computed from a synthetic registry
 * of `persons`, synthetic aggregates for the rest), in a temp folder of its own. The demo is computed once per test
 * run for each set of options, by the first test file that asks, and copied for every file: the others wait for it.
 * @example const { store, cleanup } = await demoStore({ persons: 6000, fromYear: 2015, toYear: 2025 });
 */
export async function demoStore(options: {
  persons: number;
  fromYear: number;
  toYear: number;
}): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const shared = path.join(inject('sharedDir'), `demo-${options.persons}-${options.fromYear}-${options.toYear}`);
  const file = path.join(shared, 'pejling.duckdb');
  const ready = path.join(shared, 'ready');
  const failed = path.join(shared, 'failed');
  let mine = false;
  try {
    await mkdir(shared);
    mine = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (mine) {
    try {
      const store = await openStore(file);
      await store.replaceCatalogue(await loadCatalogue());
      await prepareDemoStore(store, {
        ...options,
        demoDir: path.join(shared, 'demo-registry'),
        catalogueDir: DEFAULT_CATALOGUE_DIR,
        quiet: true,
      });
      await store.close();
      await writeFile(ready, '');
    } catch (error) {
      await writeFile(failed, String(error));
      throw error;
    }
  } else {
    // Computed by another test file: wait for it (the hooks' own timeout bounds the wait).
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`The shared demo store failed: ${await readFile(failed, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const { dir, cleanup } = await tempDir();
  const own = path.join(dir, 'pejling.duckdb');
  await copyFile(file, own);
  if (existsSync(`${file}.wal`)) await copyFile(`${file}.wal`, `${own}.wal`);
  return openedIn(await openStore(own), dir, cleanup);
}

export async function serveOnEphemeralPort(store: Store, options: AppOptions = {}): Promise<RunningServer> {
  return startServer(store, { port: 0, hostname: '127.0.0.1', ...options });
}

/**
 * Adds a user (no password unless given) and returns an API token for it.
 * @example const token = await userToken(store, { name: 'viborg-editor', unit: '791', role: 'editor' });
 */
export async function userToken(
  store: Store,
  user: { name: string; unit: string; role: 'viewer' | 'editor' | 'admin'; password?: string },
): Promise<string> {
  await addUser(store, user);
  return (await createToken(store, { user: user.name })).token;
}

/** Headers with a bearer token. */
export const bearer = (token: string, headers: Record<string, string> = {}) => ({
  ...headers,
  Authorization: `Bearer ${token}`,
});

/** Runs the built CLI (`bin/pejling.js`) and collects its output. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/pejling.js'), ...args], {
      env: { ...process.env, ...env },
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Writes a CSV of 388,080 valid waiting-time values (every demo municipality, month 1990–2099, total and sex) to
 * `file`: large enough that writing it to a store takes a while. Returns its lines, header first.
 */
export async function writeLongWaitingTimeCsv(file: string): Promise<string[]> {
  const municipalities = (await readFile(path.join(ROOT, 'catalogue/demo/municipality-population.csv'), 'utf8'))
    .split('\n')
    .filter((l) => /^\d/.test(l))
    .map((l) => l.split(',')[0]);
  const lines = ['indicator,unit,period,breakdown,value'];
  for (let year = 1990; year < 2100; year++)
    for (let m = 1; m <= 12; m++)
      for (const breakdown of ['total', 'sex:M', 'sex:F'])
        for (const code of municipalities)
          lines.push(
            `waiting-time-planned-surgery,${code},${year}M${String(m).padStart(2, '0')},${breakdown},${(year % 50) + m}`,
          );
  await writeFile(file, `${lines.join('\n')}\n`);
  return lines;
}

/**
 * Saves general practices (type gp-practice, valid from 2019) grouped under their municipalities, as the grouping
 * `gp-practices-test`: `{ '101': ['PA', 'PB'] }` makes PA and PB practices of København.
 */
export async function savePractices(store: Store, byMunicipality: Record<string, string[]>): Promise<void> {
  const listed = Object.entries(byMunicipality).flatMap(([municipality, codes]) =>
    codes.map((code) => ({ municipality, code })),
  );
  await store.saveGrouping(
    {
      id: 'gp-practices-test',
      name: { da: 'Praksis', en: 'Practices' },
      groupType: 'municipality',
      memberTypes: ['gp-practice'],
      partitionsPersons: false,
      parentOfMembers: false,
      memberships: listed.map(({ municipality, code }) => ({
        group: municipality,
        member: code,
        validFrom: '2019-01-01',
        validTo: null,
        confidence: 'confirmed' as const,
      })),
    },
    listed.map(({ municipality, code }) => ({
      code,
      name: `Lægehuset ${code}`,
      type: 'gp-practice' as const,
      parent: municipality,
      validFrom: '2019-01-01',
      validTo: null,
    })),
  );
}
