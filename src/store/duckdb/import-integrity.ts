// The check, when a DuckDB store opens, that no value import is stored only in part, and the repair when one is.
//
// Why: DuckDB writes a transaction's commit to its write-ahead log (WAL) as appended rows first (table by table),
// then its deletes and updates in the order they ran. When the process dies while that log is being written, the
// DuckDB version Pejling uses can replay the part of the transaction that reached the disk (docs/deployment.md):
// an import's new values without its import record, revisions or the deletion of the values it replaced.
//
// How it is found: every row an import writes carries the start time of its transaction (`updated_at` of values,
// `recorded_at` of revisions, `imported_at` of the import record), and only the last transaction in the log can
// be cut short. So the newest imported values are compared with the import records: values stamped with a time
// no import record has, a newest import whose revisions do not add up to its counts, or a cell stored twice (new
// value beside the old one) mark the newest import as incomplete. All of this reads a few columns and prunes by the stored
// min/max of each row group, but the look for cells stored twice joins all values: the check runs only when
// DuckDB had a log to replay, which a store closed cleanly never has (docs/deployment.md gives figures).
//
// The repair rolls the incomplete import back in one transaction: its values, revisions and record go, values it
// had already deleted come back from their previous revision, a warning names the import and the audit trail
// records the repair.
import type { Row } from './duckdb-connection.js';

type Sql = (sql: string, params?: readonly unknown[]) => Promise<Row[]>;

const IMPORTED = "origin IN ('import', 'synthetic')";
const KEY = 'indicator_id, unit_code, period, breakdown';

/** An import found stored in part: the start of its transaction, its record (if any) and why. */
export interface TornImport {
  at: string;
  importId: number | null;
  fileName: string | null;
  reason: string;
}

/** What the repair removed and put back, for the warning and the audit trail. */
export interface TornImportRepair {
  /** The import record's id, or null when the record itself never reached the disk. */
  importId: number | null;
  fileName: string | null;
  /** The start of the import's transaction (UTC, as DuckDB stores it). */
  startedAt: string;
  /** Why the import counts as incomplete. */
  reason: string;
  removedValues: number;
  removedRevisions: number;
  /** Values the import had deleted, put back from their previous revision. */
  restoredValues: number;
  /** Values the import had deleted that no earlier revision holds (values from outside any import). */
  lostValues: number;
}

interface NewestImport {
  id: number;
  at: string;
  fileName: string;
  written: number;
  changed: number;
}

/**
 * Finds an incomplete newest import; undefined when the store holds only whole imports. The store runs it when
 * DuckDB replayed a write-ahead log on opening. `cellsTwice` false leaves out the look for cells stored twice (a
 * join over all values, the one costly step; `npm run bench:store-integrity` times both).
 */
export async function findTornImport(sql: Sql, cellsTwice = true): Promise<TornImport | undefined> {
  const [newestValues] = await sql(
    `SELECT CAST(max(updated_at) AS VARCHAR) AS at FROM indicator_values WHERE ${IMPORTED}`,
  );
  const valuesAt = newestValues?.at == null ? null : String(newestValues.at);
  const [record] = await sql(
    `SELECT id, CAST(imported_at AS VARCHAR) AS at, file_name, inserted + changed AS written, changed
     FROM imports ORDER BY id DESC LIMIT 1`,
  );
  const newest: NewestImport | undefined = record
    ? {
        id: Number(record.id),
        at: String(record.at),
        fileName: String(record.file_name),
        written: Number(record.written),
        changed: Number(record.changed),
      }
    : undefined;

  // Values stamped with a time no import record has (compared by equality, so that a clock set back between two
  // imports cannot make whole ones look incomplete).
  if (valuesAt !== null && !(await recordAt(sql, valuesAt))) {
    return {
      at: valuesAt,
      importId: null,
      fileName: null,
      reason: 'imported values without an import record',
    };
  }
  const [orphans] = await sql(
    `SELECT CAST(max(recorded_at) AS VARCHAR) AS at, count(*) AS n FROM value_history
     WHERE import_id NOT IN (SELECT id FROM imports)`,
  );
  if (Number(orphans?.n ?? 0) > 0)
    return { at: String(orphans?.at), importId: null, fileName: null, reason: 'revisions without an import record' };
  if (!newest) return undefined;

  const [revisions] = await sql('SELECT count(*) AS n FROM value_history WHERE import_id = ?', [newest.id]);
  if (Number(revisions?.n ?? 0) !== newest.written) {
    return {
      at: newest.at,
      importId: newest.id,
      fileName: newest.fileName,
      reason: `${revisions?.n} revisions stored of the ${newest.written} the import record counts`,
    };
  }
  // Only an import that changed values deleted any; a cell stored twice means its deletes never reached the disk.
  if (cellsTwice && newest.changed > 0 && valuesAt === newest.at) {
    const [twice] = await sql(
      `SELECT count(*) AS n FROM indicator_values v
       SEMI JOIN (SELECT ${KEY} FROM indicator_values WHERE updated_at = CAST(? AS TIMESTAMP) AND ${IMPORTED}) k
         USING (${KEY})
       WHERE v.updated_at <> CAST(? AS TIMESTAMP) OR NOT (${IMPORTED.replaceAll('origin', 'v.origin')})`,
      [newest.at, newest.at],
    );
    if (Number(twice?.n ?? 0) > 0) {
      return {
        at: newest.at,
        importId: newest.id,
        fileName: newest.fileName,
        reason: `${twice?.n} cells stored both before and after the import`,
      };
    }
  }
  return undefined;
}

async function recordAt(sql: Sql, at: string): Promise<boolean> {
  const [row] = await sql('SELECT count(*) AS n FROM imports WHERE imported_at = CAST(? AS TIMESTAMP)', [at]);
  return Number(row?.n ?? 0) > 0;
}

/**
 * Rolls back the incomplete import found by findTornImport, inside the caller's transaction: values it had
 * deleted come back from their previous revision, then its values, revisions and record go.
 */
export async function rollBackTornImport(sql: Sql, torn: TornImport): Promise<TornImportRepair> {
  let restoredValues = 0;
  let lostValues = 0;
  if (torn.importId !== null) {
    // The cells the import wrote that have no value left but its own: it had deleted their value before.
    await sql(
      `CREATE OR REPLACE TEMP TABLE torn_import_gone AS
       SELECT ${KEY} FROM value_history WHERE import_id = ?
       EXCEPT SELECT ${KEY} FROM indicator_values
         WHERE NOT (updated_at = CAST(? AS TIMESTAMP) AND ${IMPORTED})`,
      [torn.importId, torn.at],
    );
    const [before] = await sql('SELECT count(*) AS n FROM indicator_values');
    await sql(
      `INSERT INTO indicator_values
       SELECT ${KEY}, numerator, denominator, value, suppressed, 'import', recorded_at FROM (
         SELECT h.*, row_number() OVER (PARTITION BY ${KEY} ORDER BY import_id DESC, recorded_at DESC) AS newest
         FROM value_history h SEMI JOIN torn_import_gone g USING (${KEY})
         WHERE h.import_id < ?)
       WHERE newest = 1`,
      [torn.importId],
    );
    const [after] = await sql('SELECT count(*) AS n FROM indicator_values');
    restoredValues = Number(after?.n ?? 0) - Number(before?.n ?? 0);
    // Of the cells left with no value but the import's, those it inserted had none before; the rest it changed.
    const [gone] = await sql('SELECT count(*) AS n FROM torn_import_gone');
    const [record] = await sql('SELECT inserted FROM imports WHERE id = ?', [torn.importId]);
    lostValues = Math.max(0, Number(gone?.n ?? 0) - Number(record?.inserted ?? 0) - restoredValues);
    await sql('DROP TABLE torn_import_gone');
  }
  const valuesWhere = `updated_at = CAST(? AS TIMESTAMP) AND ${IMPORTED}`;
  const revisionsWhere = `import_id = ? OR (import_id NOT IN (SELECT id FROM imports) AND recorded_at = CAST(? AS TIMESTAMP))`;
  const revisionParams = [torn.importId ?? -1, torn.at];
  const [values] = await sql(`SELECT count(*) AS n FROM indicator_values WHERE ${valuesWhere}`, [torn.at]);
  const [revisions] = await sql(`SELECT count(*) AS n FROM value_history WHERE ${revisionsWhere}`, revisionParams);
  await sql(`DELETE FROM indicator_values WHERE ${valuesWhere}`, [torn.at]);
  await sql(`DELETE FROM value_history WHERE ${revisionsWhere}`, revisionParams);
  if (torn.importId !== null) await sql('DELETE FROM imports WHERE id = ?', [torn.importId]);
  const { at, ...rest } = torn;
  return {
    ...rest,
    startedAt: at,
    removedValues: Number(values?.n ?? 0),
    removedRevisions: Number(revisions?.n ?? 0),
    restoredValues,
    lostValues,
  };
}

/** Records the repair in the audit trail (inside the repair's transaction). */
export async function auditRepair(sql: Sql, repair: TornImportRepair): Promise<void> {
  await sql(
    `INSERT INTO audit_log (recorded_at, actor, actor_unit, via, address, action, subject, outcome, details, request_id)
     VALUES (?, 'pejling', NULL, 'store-open', NULL, 'store.repair', ?, 'ok', ?, NULL)`,
    [
      new Date().toISOString(),
      repair.importId === null ? `import started ${repair.startedAt}` : `import ${repair.importId}`,
      JSON.stringify({ kind: 'incomplete-import', ...repair }),
    ],
  );
}

/** The warning a repair prints: which import, why, and what changed. */
export function describeRepair(repair: TornImportRepair): string {
  const which =
    repair.importId === null
      ? `an import started at ${repair.startedAt} (its import record never reached the disk)`
      : `import ${repair.importId} (${repair.fileName}, started at ${repair.startedAt})`;
  return (
    `${which} was stored only in part (${repair.reason}): a process was killed while committing it. ` +
    `Rolled it back:` +
    ` ${repair.removedValues} values and ${repair.removedRevisions} revisions removed` +
    (repair.restoredValues ? `, ${repair.restoredValues} earlier values restored` : '') +
    (repair.lostValues ? `, ${repair.lostValues} earlier values not restorable (no earlier revision)` : '') +
    '. Import the file again.'
  );
}
