// Importing values in SQL that both store kinds run (`?` placeholders; the PostgreSQL store numbers them): the
// comparison of staged rows with the stored ones, the write of an import (one statement per table), the import
// log, and the counts an import uses to skip work that cannot change anything. Each store stages the rows its
// own way (DuckDB's appender, PostgreSQL's unnest batches) in a temporary table `import_staging`.
import type { ImportDiff, ImportMeta, ImportRecord, StoredValueCounts } from './store.js';

/** Runs one statement on the connection (or transaction) that holds the staging tables. */
export type RunSql = (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** The columns of a staging table of values. */
export const STAGING_COLUMNS = `indicator_id VARCHAR, unit_code VARCHAR, period VARCHAR, breakdown VARCHAR,
  numerator DOUBLE PRECISION, denominator DOUBLE PRECISION, value DOUBLE PRECISION, suppressed BOOLEAN`;

/**
 * The staged rows that change the stored values, each with what it does (`inserted` or `changed`) and the stored
 * value before; the unchanged ones are left out (only counted, by readImportDiff), so that importing the same
 * file again stages nothing more. `create` is how the store makes a temporary table from a query; `staged` the
 * table (or view) of the staged rows.
 */
export function importDiffSql(create: string, staged = 'import_staging'): string {
  return `${create} import_diff AS
    SELECT * FROM (
      SELECT s.*, CASE WHEN v.indicator_id IS NULL THEN 'inserted'
          WHEN s.value IS NOT DISTINCT FROM v.value AND s.numerator IS NOT DISTINCT FROM v.numerator
            AND s.denominator IS NOT DISTINCT FROM v.denominator AND s.suppressed = v.suppressed THEN 'unchanged'
          ELSE 'changed' END AS change, v.value AS before, v.suppressed AS before_suppressed
      FROM ${staged} s LEFT JOIN indicator_values v
        ON v.indicator_id = s.indicator_id AND v.unit_code = s.unit_code AND v.period = s.period
          AND v.breakdown = s.breakdown) d
    WHERE change <> 'unchanged'`;
}

/**
 * import_diff when none of the staged rows' indicators has a stored value: every row is new, and nothing needs
 * comparing (`create` makes a view or a table).
 */
export function allInsertedSql(create: string, staged: string): string {
  return `${create} import_diff AS SELECT s.*, 'inserted' AS change, CAST(NULL AS DOUBLE PRECISION) AS before,
    CAST(NULL AS BOOLEAN) AS before_suppressed FROM ${staged} s`;
}

/**
 * The counts of import_diff and up to 50 changed values (ordered by `orderBy` of each text column), each as
 * published (no number where the cell is hidden before or after); the unchanged rows are those of the
 * `stagedRows` staged (counted in import_staging if not given) not in it.
 */
export async function readImportDiff(
  sql: RunSql,
  orderBy: (column: string) => string,
  stagedRows?: number,
): Promise<ImportDiff> {
  const [counts] = await sql(
    `SELECT count(*) FILTER (WHERE change = 'inserted') AS inserted,
      count(*) FILTER (WHERE change = 'changed') AS changed FROM import_diff`,
  );
  const staged = stagedRows ?? Number((await sql('SELECT count(*) AS n FROM import_staging'))[0]?.n ?? 0);
  const inserted = Number(counts?.inserted ?? 0);
  const changed = Number(counts?.changed ?? 0);
  const examples = changed
    ? await sql(
        // The examples show values as published: a cell hidden before or after the import shows no number.
        `SELECT indicator_id, unit_code, period, breakdown, CASE WHEN before_suppressed THEN NULL ELSE before END AS before,
        CASE WHEN suppressed THEN NULL ELSE value END AS value FROM import_diff WHERE change = 'changed'
     ORDER BY ${['indicator_id', 'unit_code', 'period', 'breakdown'].map(orderBy).join(', ')} LIMIT 50`,
      )
    : [];
  return {
    inserted,
    changed,
    unchanged: staged - inserted - changed,
    examples: examples.map((e) => ({
      indicator: String(e.indicator_id),
      unit: String(e.unit_code),
      period: String(e.period),
      breakdown: String(e.breakdown),
      before: (e.before as number | null) ?? null,
      after: (e.value as number | null) ?? null,
    })),
  };
}

/**
 * Writes the import described by import_diff inside the caller's transaction: the import's log entry, a
 * revision of every new or changed value, the values themselves; and the new `suppressed` flags of the stored
 * cells in `resuppress_staging` (if given; no revision, the numbers stay). Returns the import's id.
 */
export async function writeImport(
  sql: RunSql,
  meta: ImportMeta,
  diff: ImportDiff,
  resuppress: 'resuppress_staging' | undefined,
): Promise<number> {
  const [next] = await sql('SELECT coalesce(max(id), 0) + 1 AS id FROM imports');
  const importId = Number(next?.id ?? 1);
  await sql('INSERT INTO imports VALUES (?, current_timestamp, ?, ?, ?, ?, ?, ?, ?, ?)', [
    importId,
    meta.actor,
    meta.fileName,
    meta.sha256,
    meta.note ?? null,
    meta.rowsInFile,
    diff.inserted,
    diff.changed,
    diff.unchanged,
  ]);
  await sql(
    `INSERT INTO value_history
     SELECT indicator_id, unit_code, period, breakdown, numerator, denominator, value, suppressed, ?, current_timestamp
     FROM import_diff WHERE change <> 'unchanged'`,
    [importId],
  );
  if (diff.changed > 0)
    await sql(`DELETE FROM indicator_values v USING import_diff d
    WHERE d.change = 'changed' AND v.indicator_id = d.indicator_id AND v.unit_code = d.unit_code
      AND v.period = d.period AND v.breakdown = d.breakdown`);
  await sql(
    `INSERT INTO indicator_values
     SELECT indicator_id, unit_code, period, breakdown, numerator, denominator, value, suppressed, ?, current_timestamp
     FROM import_diff WHERE change <> 'unchanged'`,
    [meta.synthetic ? 'synthetic' : 'import'],
  );
  if (resuppress)
    await sql(`UPDATE indicator_values v SET suppressed = r.suppressed FROM ${resuppress} r
      WHERE v.indicator_id = r.indicator_id AND v.unit_code = r.unit_code AND v.period = r.period
        AND v.breakdown = r.breakdown`);
  return importId;
}

export const LIST_IMPORTS_SQL = 'SELECT * FROM imports ORDER BY id';

/** A row of the imports table as an import record; the time of the import as its date. */
export function toImportRecord(r: Record<string, unknown>): ImportRecord {
  const at = r.imported_at;
  return {
    id: Number(r.id),
    importedAt: String(at instanceof Date ? at.toISOString() : at).slice(0, 10),
    actor: String(r.actor),
    fileName: String(r.file_name),
    sha256: String(r.sha256),
    ...(r.note ? { note: String(r.note) } : {}),
    rowsInFile: Number(r.rows_in_file),
    inserted: Number(r.inserted),
    changed: Number(r.changed),
    unchanged: Number(r.unchanged),
  };
}

/** The statement for storedValueCounts: one row of counts. */
export function valueCountsSql(indicator: string, units?: readonly string[]): { sql: string; params: unknown[] } {
  const inUnits = units ? ` AND unit_code IN (${units.map(() => '?').join(', ') || 'NULL'})` : '';
  return {
    sql: `SELECT count(*) AS n,
        count(*) FILTER (WHERE numerator IS NOT NULL AND denominator IS NOT NULL) AS with_both,
        count(numerator) AS with_numerator, count(denominator) AS with_denominator,
        count(*) FILTER (WHERE numerator >= 1 AND numerator <= 4) AS small_numerator,
        count(*) FILTER (WHERE denominator >= 1 AND denominator <= 4) AS small_denominator,
        count(*) FILTER (WHERE suppressed) AS suppressed
      FROM indicator_values WHERE indicator_id = ?${inUnits}`,
    params: [indicator, ...(units ?? [])],
  };
}

export function toValueCounts(row: Record<string, unknown> | undefined): StoredValueCounts {
  return {
    values: Number(row?.n ?? 0),
    withNumeratorAndDenominator: Number(row?.with_both ?? 0),
    withNumerator: Number(row?.with_numerator ?? 0),
    withDenominator: Number(row?.with_denominator ?? 0),
    smallNumerator: Number(row?.small_numerator ?? 0),
    smallDenominator: Number(row?.small_denominator ?? 0),
    suppressed: Number(row?.suppressed ?? 0),
  };
}
