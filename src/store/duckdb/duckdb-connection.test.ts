import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows } from './duckdb-connection.js';

let db: Awaited<ReturnType<typeof openDuckDB>>;
beforeAll(async () => {
  db = await openDuckDB(':memory:');
});
afterAll(() => {
  db.connection.closeSync();
  db.instance.closeSync();
});

describe('queryRows', () => {
  it('returns every row of an answer of several chunks as plain values, in order', async () => {
    const rows = await queryRows(
      db.connection,
      `SELECT i AS n, DATE '2024-01-01' + i::INTEGER AS day, CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || i END AS s,
         i / 4 AS share FROM range(?) t(i) ORDER BY i`,
      [5000],
    );
    expect(rows).toHaveLength(5000);
    const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    for (const i of [0, 1, 2047, 2048, 2049, 4999])
      expect(rows[i]).toEqual({ n: i, day: day(i), s: i % 2 === 0 ? null : `x${i}`, share: i / 4 });
  });

  it('returns no rows for an empty answer', async () => {
    expect(await queryRows(db.connection, 'SELECT 1 AS one WHERE false')).toEqual([]);
  });
});
