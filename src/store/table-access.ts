// Whole-table access to a store, the same for every kind: what `store copy`, backup and restore move. Tables and
// columns are read from the database's information_schema (what the migrations made), so a table that a later
// migration adds is carried without a change here. Every cell travels as canonical text, so that a row reads
// the same whichever database it comes from, and the checksums of both sides can be compared.

/** How a column's values are read and compared. */
export type ColumnKind = 'float' | 'integer' | 'boolean' | 'timestamp' | 'text';

export interface ColumnShape {
  name: string;
  /** The database's own type name, used to cast text back on insert. */
  type: string;
  kind: ColumnKind;
}

export interface TableShape {
  name: string;
  /** Ordered by name, so that both kinds list them alike. */
  columns: ColumnShape[];
}

/** A cell as canonical text (see `canonicalCell`), or null. */
export type Cell = string | null;

/** Where a sequence stands: the last number it gave out, so that the next is `position + 1` (0 = none yet). */
export interface SequencePosition {
  name: string;
  position: number;
}

export interface TableAccess {
  /** The location with any password hidden. */
  readonly location: string;
  schemaVersion(): Promise<number>;
  /**
   * The stored tables, parents before the tables whose foreign keys point at them; without the migration record
   * (`schema_migrations`) and the data version, which belong to a database, not to its contents.
   */
  tables(): Promise<TableShape[]>;
  countRows(table: TableShape): Promise<number>;
  /** Reads every row as canonical cells in the shape's column order, in batches. */
  readRows(table: TableShape, onBatch: (rows: Cell[][]) => Promise<void> | void): Promise<void>;
  /** One transaction: a consistent snapshot to read from, or all-or-nothing writes. */
  transaction<T>(mode: 'read' | 'write', work: () => Promise<T>): Promise<T>;
  deleteRows(table: TableShape): Promise<void>;
  insertRows(table: TableShape, rows: readonly Cell[][]): Promise<void>;
  /**
   * Every sequence, at the later of the last number it gave out and the highest number stored in a column it
   * numbers (a column whose default is `nextval('name')`), so that a copy never hands out a number again.
   */
  sequences(): Promise<SequencePosition[]>;
  /** Moves a sequence so that the next number it gives is `position + 1`. */
  setSequence(sequence: SequencePosition): Promise<void>;
  /** Advances the data version, so that servers on the target drop what they cached. */
  bumpDataVersion(): Promise<void>;
  close(): Promise<void>;
}

/** Tables that are not copied: the migration record, the per-database data version and its log of changes. */
export const NOT_COPIED = new Set(['schema_migrations', 'data_version', 'data_changes']);

/**
 * A value as canonical text: numbers in JavaScript's shortest form, booleans as `true`/`false`, timestamps
 * without trailing zeros in their fraction; text as it is.
 * @example canonicalCell(1.50, 'float') // '1.5'
 * @example canonicalCell('2026-01-02 10:00:00.120000', 'timestamp') // '2026-01-02 10:00:00.12'
 */
export function canonicalCell(value: unknown, kind: ColumnKind): Cell {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'float':
      return String(Number(value));
    case 'integer':
      return typeof value === 'bigint' ? value.toString() : String(value);
    case 'boolean':
      return value === true || value === 't' || value === 'true' ? 'true' : 'false';
    case 'timestamp':
      return String(value)
        .replace(/(\.\d*?)0+(?=$|[+-])/, '$1')
        .replace(/\.(?=$|[+-])/, '');
    default:
      return String(value);
  }
}

/** Orders tables so that every table comes after the tables it references (then by name). */
export function parentsFirst(names: readonly string[], references: readonly { child: string; parent: string }[]) {
  const remaining = new Set(names);
  const ordered: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter((t) => !references.some((r) => r.child === t && r.parent !== t && remaining.has(r.parent)))
      .sort();
    // A cycle of references: take the rest by name (the target's constraints will say if that cannot work).
    const next = ready.length > 0 ? ready : [...remaining].sort();
    for (const t of next) {
      remaining.delete(t);
      ordered.push(t);
    }
  }
  return ordered;
}

/** Quotes an identifier for SQL (both kinds use double quotes). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Which table references which (foreign keys), from information_schema: the same query runs on both kinds. */
export const REFERENCES_SQL = `SELECT tc.table_name AS child, pk.table_name AS parent
  FROM information_schema.referential_constraints rc
  JOIN information_schema.table_constraints tc
    ON tc.constraint_name = rc.constraint_name AND tc.constraint_schema = rc.constraint_schema
  JOIN information_schema.table_constraints pk
    ON pk.constraint_name = rc.unique_constraint_name AND pk.constraint_schema = rc.unique_constraint_schema`;

/** Shapes from information_schema rows (table_name, column_name, data_type), parents first. */
export function shapesOf(
  columns: readonly Record<string, unknown>[],
  references: readonly Record<string, unknown>[],
  kind: (type: string) => ColumnKind,
): TableShape[] {
  const byTable = new Map<string, TableShape>();
  for (const c of columns) {
    const name = String(c.table_name);
    if (NOT_COPIED.has(name)) continue;
    const shape = byTable.get(name) ?? { name, columns: [] };
    shape.columns.push({ name: String(c.column_name), type: String(c.data_type), kind: kind(String(c.data_type)) });
    byTable.set(name, shape);
  }
  for (const shape of byTable.values()) shape.columns.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const order = parentsFirst(
    [...byTable.keys()],
    references.map((r) => ({ child: String(r.child), parent: String(r.parent) })),
  );
  return order.map((name) => byTable.get(name) as TableShape);
}

/** SELECT of a table's columns, timestamps and other non-numeric types as text (the same text in both kinds). */
export function selectCanonical(table: TableShape): string {
  const list = table.columns.map((c) =>
    c.kind === 'text' || c.kind === 'timestamp'
      ? `CAST(${quoteIdentifier(c.name)} AS VARCHAR) AS ${quoteIdentifier(c.name)}`
      : quoteIdentifier(c.name),
  );
  return `SELECT ${list.join(', ')} FROM ${quoteIdentifier(table.name)}`;
}

/** The sequence a column default draws from: `nextval('users_id')` (DuckDB), `nextval('users_id'::regclass)` (PostgreSQL). */
export function sequenceOfDefault(columnDefault: unknown): string | undefined {
  const match = /^nextval\('((?:[^']|'')+)'(?:::regclass)?\)$/.exec(String(columnDefault ?? ''));
  return match?.[1]?.replaceAll("''", "'");
}

/** A string as an SQL literal (both kinds). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Sequence positions from the database's own record of its sequences and its column defaults
 * (table_name, column_name, column_default): each raised to the highest number stored in a column it numbers.
 */
export async function sequencePositions(
  sequences: readonly SequencePosition[],
  defaults: readonly Record<string, unknown>[],
  highest: (table: string, column: string) => Promise<number>,
): Promise<SequencePosition[]> {
  const positions = new Map(sequences.map((s) => [s.name, s.position]));
  for (const d of defaults) {
    const name = sequenceOfDefault(d.column_default);
    const position = name === undefined ? undefined : positions.get(name);
    if (name === undefined || position === undefined) continue;
    positions.set(name, Math.max(position, await highest(String(d.table_name), String(d.column_name))));
  }
  return [...positions]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, position]) => ({ name, position }));
}

/** The highest value in a column, 0 for an empty table. */
export function highestSql(table: string, column: string): string {
  return `SELECT coalesce(max(${quoteIdentifier(column)}), 0) AS n FROM ${quoteIdentifier(table)}`;
}
