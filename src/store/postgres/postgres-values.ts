// Writing many indicator values to PostgreSQL: batches of column arrays unnested by the server, so a run of the
// engine (hundreds of thousands of values) takes a few dozen round trips instead of one per row.
import type pg from 'pg';
import type { IndicatorValue } from '../store.js';
import { finiteOrNull } from '../stored-rows.js';

/** Rows per INSERT; each batch is eight arrays of this length. */
const BATCH_SIZE = 20_000;

/**
 * Inserts value rows into `table` (indicator_values, with `origin` and the time; or a staging table with the
 * eight value columns only) on the given client; returns the row count. The caller owns the transaction.
 */
export async function insertValueRows(
  tx: pg.PoolClient,
  table: string,
  rows: Iterable<IndicatorValue>,
  origin?: string,
): Promise<number> {
  const tail = origin === undefined ? '' : ', $9::varchar, current_timestamp';
  const sql = `INSERT INTO ${table} SELECT u.*${tail} FROM unnest($1::varchar[], $2::varchar[], $3::varchar[],
    $4::varchar[], $5::float8[], $6::float8[], $7::float8[], $8::boolean[]) AS u`;
  let batch = newBatch();
  let count = 0;
  const flush = async () => {
    if (batch[0].length === 0) return;
    await tx.query(sql, origin === undefined ? batch : [...batch, origin]);
    batch = newBatch();
  };
  for (const row of rows) {
    batch[0].push(row.indicator);
    batch[1].push(row.unit);
    batch[2].push(row.period);
    batch[3].push(row.breakdown);
    batch[4].push(finiteOrNull(row.numerator));
    batch[5].push(finiteOrNull(row.denominator));
    batch[6].push(finiteOrNull(row.value));
    batch[7].push(row.suppressed);
    count++;
    if (batch[0].length >= BATCH_SIZE) await flush();
  }
  await flush();
  return count;
}

function newBatch(): [
  string[],
  string[],
  string[],
  string[],
  (number | null)[],
  (number | null)[],
  (number | null)[],
  boolean[],
] {
  return [[], [], [], [], [], [], [], []];
}
