// Overviews made from parts kept per indicator and target (analysis/overview.ts, store/read-memo.ts): after an
// import of indicator A, only A's row and the verdicts of A's targets are computed again for a unit, and the
// overview equals one computed from scratch (the store itself, no memory of parts, no cached reads). A write of
// the catalogue makes every part new, and a part whose data change while it is computed is not kept. On the
// embedded DuckDB store and on a real PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OverviewParts, overviewOf, overviewParts } from '../src/analysis/index.js';
import { loadCatalogue } from '../src/catalogue/index.js';
import { importAggregates } from '../src/ingest/index.js';
import { ReadMemo, recordingReads, type Store, withReferenceCache } from '../src/store/index.js';
import { catalogueStore } from './helpers.js';
import { STORE_KINDS, storeLocations } from './store-kinds.js';

const A = 'hospital-productivity';
const B = 'patient-satisfaction';
const UNIT = 'DK';
const csv = (rows: string[]) => new TextEncoder().encode(`indicator,unit,period,value\n${rows.join('\n')}\n`);
/** Yearly values of an indicator for Denmark (whose overview shows the national targets), 2019-2023. */
const series = (indicator: string, values: number[]) =>
  values.map((value, i) => `${indicator},${UNIT},${2019 + i},${value}`);

/** Imports rows and expects them written. */
async function write(store: Store, name: string, rows: string[]): Promise<void> {
  const report = await importAggregates(store, name, csv(rows));
  expect(report.problems).toEqual([]);
  expect(report.written).toBe(true);
}

type Overview = Awaited<ReturnType<typeof overviewOf>>;

/** The latest value of `indicator` in the first row of the overview that shows it. */
function latestOf(overview: Overview, indicator: string): number | null | undefined {
  for (const set of overview.goalSets)
    for (const goal of set.goals) for (const row of goal.indicators) if (row.id === indicator) return row.latest?.value;
  return undefined;
}

const locations = storeLocations();

describe.each(STORE_KINDS)('on a %s store', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  /** The store as the server reads it: reference data and totals in memory, reads recorded. */
  let served: Store;
  let parts: OverviewParts;
  let computed: string[];

  beforeAll(async () => {
    ({ store, cleanup } = await catalogueStore(await locations.newLocation(kind)));
    await write(store, 'start.csv', [...series(A, [90, 92, 94, 96, 98]), ...series(B, [70, 72, 74, 76, 78])]);
    served = recordingReads(withReferenceCache(store));
    computed = [];
    parts = overviewParts(served, (key) => computed.push(key));
  });
  afterAll(async () => cleanup());

  /** The overview from kept parts, and the keys of the parts computed for it. */
  async function fromParts(): Promise<{ overview: Overview; computed: string[] }> {
    computed.length = 0;
    const overview = await overviewOf(served, UNIT, parts);
    return { overview, computed: [...computed] };
  }

  it('computes every part once, then makes the overview from the kept parts alone', async () => {
    const first = await fromParts();
    expect(first.computed.some((key) => key.endsWith(`|${UNIT}|${A}`))).toBe(true);
    expect(first.computed.some((key) => key.endsWith(`|${UNIT}|${B}`))).toBe(true);
    expect(first.computed.some((key) => key.endsWith(`|target:${A}-national-direction`))).toBe(true);
    expect(first.overview).toEqual(await overviewOf(store, UNIT));
    const again = await fromParts();
    expect(again.computed).toEqual([]);
    expect(again.overview).toEqual(first.overview);
  });

  it('computes only the imported indicator’s row and its targets’ verdicts after an import, and equals a fresh overview', async () => {
    await fromParts();
    await write(store, 'a.csv', series(A, [99, 97, 95, 93, 91]));
    const after = await fromParts();
    expect(after.computed.length).toBeGreaterThan(0);
    expect(after.computed.sort()).toEqual(
      [...new Set(after.computed)]
        .filter((key) => key.endsWith(`|${A}`) || key.endsWith(`|target:${A}-national-direction`))
        .sort(),
    );
    expect(after.computed.some((key) => key.endsWith(`|${UNIT}|${A}`))).toBe(true);
    expect(latestOf(after.overview, A)).toBe(91);
    expect(latestOf(after.overview, B)).toBe(78);
    expect(after.overview).toEqual(await overviewOf(store, UNIT));
    await write(store, 'b.csv', series(B, [60, 61, 62, 63, 64]));
    const afterB = await fromParts();
    expect(afterB.computed.length).toBeGreaterThan(0);
    expect(
      afterB.computed.every((key) => key.endsWith(`|${B}`) || key.endsWith(`|target:${B}-national-direction`)),
    ).toBe(true);
    expect(latestOf(afterB.overview, A)).toBe(91);
    expect(latestOf(afterB.overview, B)).toBe(64);
    expect(afterB.overview).toEqual(await overviewOf(store, UNIT));
  });

  it('computes every part again after a write of the catalogue', async () => {
    await fromParts();
    await store.replaceCatalogue(await loadCatalogue());
    const after = await fromParts();
    // Every part of the overview: what a memory that has kept nothing computes.
    const every: string[] = [];
    await overviewOf(
      served,
      UNIT,
      overviewParts(served, (key) => every.push(key)),
    );
    expect(every.length).toBeGreaterThan(2);
    expect(new Set(after.computed)).toEqual(new Set(every));
    expect(after.overview).toEqual(await overviewOf(store, UNIT));
  });

  it('keeps a part only when no write that committed while it was computed changed what it read', async () => {
    const memo = new ReadMemo<string>(served);
    let imports = 0;
    /** A part that reads A's values and, while it runs, imports new values of `indicator`. */
    const readingAWhile = (indicator: string) => async () => {
      const rows = await served.queryValues({ indicator: A, unit: UNIT, breakdown: 'total' });
      imports++;
      await write(store, `during-${imports}.csv`, [`${indicator},${UNIT},2024,${50 + imports}`]);
      return `computed with ${rows.length} rows`;
    };
    // B's values changed meanwhile: the part read nothing of B, and is kept; so after a later import of B.
    expect(await memo.get('reads A, B written', readingAWhile(B))).toBe('computed with 5 rows');
    expect(await memo.get('reads A, B written', async () => 'computed again')).toBe('computed with 5 rows');
    await write(store, 'b-later.csv', [`${B},${UNIT},2025,40`]);
    expect(await memo.get('reads A, B written', async () => 'computed again')).toBe('computed with 5 rows');
    // An import of A makes it new.
    await write(store, 'a-later.csv', [`${A},${UNIT},2025,40`]);
    expect(await memo.get('reads A, B written', async () => 'computed again')).toBe('computed again');
    // A's values changed meanwhile: the part may mix two versions, and is computed again when next asked for.
    expect(await memo.get('reads A, A written', readingAWhile(A))).toBe('computed with 6 rows');
    expect(await memo.get('reads A, A written', async () => 'computed again')).toBe('computed again');
  });
});
