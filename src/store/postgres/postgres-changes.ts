// What each data version changed, as topics (data-change.ts), kept in the database: every Pejling server on one
// PostgreSQL database (and on its read replicas) reads the same log, so each keeps the answers that the writes of
// any server did not touch. A version without a row (a store copy, a restore, a write by an older Pejling) counts
// as unknown, and so as a change of everything.
import { EVERYTHING, type Topics } from '../data-change.js';
import { type Queryable, queryRows } from './postgres-connection.js';

/** How many versions the log keeps; older ones count as changing everything (as in the embedded store's log). */
export const REMEMBERED_CHANGES = 512;

/** SQLSTATE of a missing table (a replica whose primary has not yet created the log). */
const UNDEFINED_TABLE = '42P01';

/** Creates the log (idempotent); run on the primary after the migrations. */
export const DATA_CHANGES_SETUP =
  'CREATE TABLE IF NOT EXISTS data_changes (version BIGINT PRIMARY KEY, topics TEXT NOT NULL)';

/**
 * Records in the running write transaction what version `version` changed, and forgets versions too old to ask
 * about. `topics` undefined means anything.
 * @example await recordChange(tx, 42, new Set(['imports', 'values:a']));
 */
export async function recordChange(tx: Queryable, version: number, topics: Topics | undefined): Promise<void> {
  await queryRows(tx, 'INSERT INTO data_changes (version, topics) VALUES (?, ?)', [
    version,
    JSON.stringify([...(topics ?? [EVERYTHING])]),
  ]);
  await queryRows(tx, 'DELETE FROM data_changes WHERE version <= ?', [version - REMEMBERED_CHANGES]);
}

/**
 * The topics the writes after version `from` up to and including `to` changed, in the order written; undefined
 * when a version in between has no record (or the log does not exist).
 * @example await changesBetween(pool, 7, 9) // ['imports', 'values:a', 'values:b']
 */
export async function changesBetween(db: Queryable, from: number, to: number): Promise<string[] | undefined> {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) return undefined;
  if (to - from > REMEMBERED_CHANGES) return undefined;
  if (to === from) return [];
  let rows: Record<string, unknown>[];
  try {
    rows = await queryRows(
      db,
      'SELECT version, topics FROM data_changes WHERE version > ? AND version <= ? ORDER BY version',
      [from, to],
    );
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
    throw error;
  }
  if (rows.length !== to - from) return undefined;
  const out = new Set<string>();
  for (const row of rows) for (const topic of JSON.parse(String(row.topics)) as string[]) out.add(topic);
  return [...out];
}
