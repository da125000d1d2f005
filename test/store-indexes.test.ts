// Which lookup indexes the value tables carry: a DuckDB store none (migration 7 drops them, also from a store made
// before it, and the values stay), a PostgreSQL store its B-trees on both tables.
import { describe, expect, it } from 'vitest';
import { type DuckDBStore, LATEST_SCHEMA_VERSION, openStore, type PostgresStore } from '../src/store/index.js';
import { storeLocations } from './store-kinds.js';

const locations = storeLocations();
const LOOKUPS = ['indicator_values_lookup', 'value_history_lookup'];
const meta = { actor: 'tester', fileName: 'v.csv', sha256: 'sha-v', rowsInFile: 1 };
const row = {
  indicator: 'hospital-productivity',
  unit: '1084',
  period: '2024',
  breakdown: 'total',
  numerator: null,
  denominator: null,
  value: 101.5,
  suppressed: false,
};

async function duckdbIndexes(store: DuckDBStore): Promise<string[]> {
  const reader = await store.duckdb.runAndReadAll(
    "SELECT index_name FROM duckdb_indexes() WHERE table_name IN ('indicator_values', 'value_history') ORDER BY 1",
  );
  return reader.getRows().map((r) => String(r[0]));
}

describe('lookup indexes of the value tables', () => {
  it('a new DuckDB store has none, and imports and reads values without them', async () => {
    const store = (await openStore(await locations.newLocation('duckdb'))) as DuckDBStore;
    try {
      expect(await duckdbIndexes(store)).toEqual([]);
      await store.applyImport(meta, [row]);
      expect(
        (await store.queryValues({ indicator: 'hospital-productivity', unit: '1084' })).map((v) => v.value),
      ).toEqual([101.5]);
    } finally {
      await store.close();
    }
  });

  it('a DuckDB store made before migration 7 loses them on opening, and keeps its values and revisions', async () => {
    const location = await locations.newLocation('duckdb');
    const old = (await openStore(location)) as DuckDBStore;
    await old.applyImport(meta, [row]);
    // Back to schema version 6, as such a store was: the indexes of migrations 1 and 2, no record of 7.
    await old.duckdb.run(
      'CREATE INDEX indicator_values_lookup ON indicator_values (indicator_id, unit_code, period, breakdown)',
    );
    await old.duckdb.run(
      'CREATE INDEX value_history_lookup ON value_history (indicator_id, unit_code, period, breakdown)',
    );
    await old.duckdb.run('DELETE FROM schema_migrations WHERE version = 7');
    expect(await duckdbIndexes(old)).toEqual(LOOKUPS);
    await old.close();

    const store = (await openStore(location)) as DuckDBStore;
    try {
      expect(await duckdbIndexes(store)).toEqual([]);
      expect((await store.info()).schemaVersion).toBe(7);
      expect(
        (await store.queryValues({ indicator: 'hospital-productivity', unit: '1084' })).map((v) => v.value),
      ).toEqual([101.5]);
      const history = await store.valueHistory({ indicator: 'hospital-productivity', unit: '1084' });
      expect(history.map((h) => h.value)).toEqual([101.5]);
    } finally {
      await store.close();
    }
  });

  it('a PostgreSQL store keeps both, at the latest schema version', async () => {
    const store = (await openStore(await locations.newLocation('postgres'))) as PostgresStore;
    try {
      const { rows } = await store.pool.query(
        "SELECT indexname FROM pg_indexes WHERE tablename IN ('indicator_values', 'value_history') ORDER BY 1",
      );
      expect(rows.map((r) => r.indexname)).toEqual(LOOKUPS);
      expect((await store.info()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      await store.close();
    }
  });
});
