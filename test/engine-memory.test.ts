// Bounded memory: a registry computed under a memory limit far below its size spills to disk and gives exactly
// the values of an unbounded computation.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/index.js';
import { computeRegisterIndicators, loadRecipes, writeSyntheticRegistry } from '../src/engine/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const stores: Store[] = [];

async function computeInto(name: string, memoryLimit?: string) {
  const store = await openStore(path.join(dir, `${name}.duckdb`));
  stores.push(store);
  await store.replaceCatalogue(await loadCatalogue());
  const summary = await computeRegisterIndicators({
    store,
    dataDir: path.join(dir, 'registry'),
    catalogueDir: DEFAULT_CATALOGUE_DIR,
    tempDir: path.join(dir, 'spill'),
    threads: 1,
    // Disclosure control runs after DuckDB's work, on the values, whatever the limit: left out here, so that every
    // cell is compared in full.
    keepSmallCounts: true,
    ...(memoryLimit ? { memoryLimit } : {}),
  });
  return { store, summary };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeSyntheticRegistry({
    outDir: path.join(dir, 'registry'),
    persons: 15_000,
    fromYear: 2018,
    toYear: 2024,
    seed: 3,
    catalogueDir: DEFAULT_CATALOGUE_DIR,
    format: 'parquet',
  });
}, 600_000);
afterAll(async () => {
  for (const store of stores) await store.close();
  await cleanup();
});

describe('computing under a memory limit', () => {
  it('spills to disk and stores the same values as without a limit', async () => {
    const free = await computeInto('free');
    const bounded = await computeInto('bounded', '80MB');
    expect(bounded.summary.memoryLimit).toBe('80MB');
    expect(bounded.summary.spilledBytes).toBeGreaterThan(0);
    expect(free.summary.spilledBytes).toBe(0);
    const ids = free.summary.indicators.map((i) => i.id);
    const { recipes } = await loadRecipes(DEFAULT_CATALOGUE_DIR);
    expect(ids.sort()).toEqual(recipes.map((r) => r.indicator).sort());
    expect(ids.length).toBeGreaterThan(10);
    for (const indicator of ids) {
      const expected = await free.store.queryValues({ indicator, full: true });
      expect(expected.length).toBeGreaterThan(100);
      expect(await bounded.store.queryValues({ indicator, full: true })).toEqual(expected);
    }
  }, 600_000);

  it('says how to go on when the limit is too small for any step', async () => {
    await expect(computeInto('tiny', '4MB')).rejects.toThrow(
      'The computation needs more memory than the limit of 4MB allows',
    );
  }, 120_000);
});
