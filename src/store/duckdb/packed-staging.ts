// Loads packed values (see packed-values.ts) into DuckDB without making an object per row: the code columns and
// numbers go into data chunks as typed arrays, and a view turns the codes back into text through a table of the
// distinct strings.
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDoubleType,
  DuckDBIntegerType,
  DuckDBUTinyIntType,
} from '@duckdb/node-api';
import { type PackedValues, packedColumns } from '../packed-values.js';
import { queryRows } from './duckdb-connection.js';

/** Rows per data chunk (DuckDB's vector size). */
const CHUNK = 2048;

/** The temporary tables stagePacked makes (besides its view), to drop afterwards. */
export const PACKED_TABLES = ['packed_codes', 'packed_strings'];

/**
 * Loads packed values into temporary tables and makes the temporary view `view` of them as value rows (the eight
 * columns of stored values), followed by the rows of the table `extra` (same columns).
 * @example await stagePacked(connection, packed, 'import_extra', 'import_packed')
 */
export async function stagePacked(
  connection: DuckDBConnection,
  packed: PackedValues,
  extra: string,
  view: string,
): Promise<void> {
  await queryRows(connection, 'CREATE OR REPLACE TEMP TABLE packed_strings (i INTEGER, s VARCHAR)');
  const strings = await connection.createAppender('packed_strings', 'main', 'temp');
  for (const [i, s] of packed.strings.entries()) {
    strings.appendInteger(i);
    strings.appendVarchar(s);
    strings.endRow();
  }
  strings.closeSync();
  await queryRows(
    connection,
    `CREATE OR REPLACE TEMP TABLE packed_codes (i INTEGER, u INTEGER, p INTEGER, b INTEGER,
      n DOUBLE, d DOUBLE, v DOUBLE, s UTINYINT)`,
  );
  const appender = await connection.createAppender('packed_codes', 'main', 'temp');
  const columns = packedColumns(packed);
  const types = [
    ...Array(4).fill(DuckDBIntegerType.instance),
    ...Array(3).fill(DuckDBDoubleType.instance),
    DuckDBUTinyIntType.instance,
  ];
  // One chunk (and one set of vectors) is filled and appended again and again; the last, shorter one apart.
  const chunkOf = (size: number) => {
    const chunk = DuckDBDataChunk.create(types, size);
    const vectors = columns.map(
      (_, c) => chunk.getColumnVector(c) as unknown as { items: { set(from: ArrayLike<number>): void }; flush(): void },
    );
    return { chunk, vectors };
  };
  const full = chunkOf(CHUNK);
  try {
    for (let offset = 0; offset < packed.indicator.length; offset += CHUNK) {
      const size = Math.min(CHUNK, packed.indicator.length - offset);
      const { chunk, vectors } = size === CHUNK ? full : chunkOf(size);
      for (const [c, column] of columns.entries()) {
        const vector = vectors[c] as (typeof vectors)[number];
        vector.items.set(column.subarray(offset, offset + size));
        vector.flush();
      }
      appender.appendDataChunk(chunk);
    }
  } finally {
    appender.closeSync();
  }
  const number = (c: string) => `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END`;
  await queryRows(
    connection,
    `CREATE OR REPLACE TEMP VIEW ${view} AS
     SELECT si.s AS indicator_id, su.s AS unit_code, sp.s AS period, sb.s AS breakdown, ${number('n')} AS numerator,
       ${number('d')} AS denominator, ${number('v')} AS value, c.s = 1 AS suppressed
     FROM packed_codes c JOIN packed_strings si ON si.i = c.i JOIN packed_strings su ON su.i = c.u
       JOIN packed_strings sp ON sp.i = c.p JOIN packed_strings sb ON sb.i = c.b
     UNION ALL SELECT * FROM ${extra}`,
  );
}

/**
 * The temporary table import_diff (see importDiffSql in sql-imports.ts) for packed values staged by
 * stagePacked, followed by the rows of `extra`: the stored values are first given the codes of the staged
 * strings (a stored value whose codes are not all among them matches no staged row), so that the comparison
 * joins on four integers instead of four texts, a hash table of about a third of the size. The texts are put
 * back only for the rows that change something.
 */
export function packedDiffSql(extra: string): string {
  const number = (c: string) => `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END`;
  const changeOf = (s: string, v: string, missing: string) => `CASE WHEN ${missing} THEN 'inserted'
      WHEN ${s}.value IS NOT DISTINCT FROM ${v}.value AND ${s}.numerator IS NOT DISTINCT FROM ${v}.numerator
        AND ${s}.denominator IS NOT DISTINCT FROM ${v}.denominator AND ${s}.suppressed = ${v}.suppressed
        THEN 'unchanged' ELSE 'changed' END`;
  return `CREATE OR REPLACE TEMP TABLE import_diff AS
    WITH stored AS (
      SELECT si.i, su.i AS u, sp.i AS p, sb.i AS b, v.numerator, v.denominator, v.value, v.suppressed
      FROM indicator_values v JOIN packed_strings si ON si.s = v.indicator_id
        JOIN packed_strings su ON su.s = v.unit_code JOIN packed_strings sp ON sp.s = v.period
        JOIN packed_strings sb ON sb.s = v.breakdown),
    staged AS (
      SELECT i, u, p, b, ${number('n')} AS numerator, ${number('d')} AS denominator, ${number('v')} AS value,
        s = 1 AS suppressed FROM packed_codes),
    compared AS (
      SELECT s.*, ${changeOf('s', 'v', 'v.i IS NULL')} AS change, v.value AS before,
        v.suppressed AS before_suppressed
      FROM staged s LEFT JOIN stored v ON v.i = s.i AND v.u = s.u AND v.p = s.p AND v.b = s.b)
    SELECT si.s AS indicator_id, su.s AS unit_code, sp.s AS period, sb.s AS breakdown, c.numerator,
      c.denominator, c.value, c.suppressed, c.change, c.before, c.before_suppressed
    FROM compared c JOIN packed_strings si ON si.i = c.i JOIN packed_strings su ON su.i = c.u
      JOIN packed_strings sp ON sp.i = c.p JOIN packed_strings sb ON sb.i = c.b
    WHERE c.change <> 'unchanged'
    UNION ALL
    SELECT * FROM (
      SELECT s.*, ${changeOf('s', 'v', 'v.indicator_id IS NULL')} AS change, v.value AS before,
        v.suppressed AS before_suppressed
      FROM ${extra} s LEFT JOIN indicator_values v
        ON v.indicator_id = s.indicator_id AND v.unit_code = s.unit_code AND v.period = s.period
          AND v.breakdown = s.breakdown) d
    WHERE change <> 'unchanged'`;
}
