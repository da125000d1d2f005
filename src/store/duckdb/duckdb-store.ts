// The embedded store: the Store interface on one DuckDB file.
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Catalogue, GoalLink, GoalSet, Indicator, OrgUnit, OrgUnitGroup } from '../../catalogue/index.js';
import { targetsOf } from '../../catalogue/index.js';
import { UserError } from '../../domain/errors.js';
import { MIGRATIONS } from '../migrations.js';
import type {
  ImportDiff,
  ImportMeta,
  ImportRecord,
  IndicatorValue,
  OrgUnitQuery,
  Store,
  StoredTarget,
  StoreInfo,
  ValueQuery,
  ValueRevision,
  ValueScope,
} from '../store.js';
import { openDuckDB, queryRows, type Row } from './duckdb-connection.js';

export class DuckDBStore implements Store {
  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens (or creates) the store file and brings its schema up to date. */
  static async open(location: string): Promise<DuckDBStore> {
    const { instance, connection } = await openDuckDB(location);
    const store = new DuckDBStore(location, instance, connection);
    await store.migrate();
    return store;
  }

  /** The raw connection, for the engine's bulk loads into this store. */
  get duckdb(): DuckDBConnection {
    return this.connection;
  }

  async migrate(): Promise<number> {
    await this.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
    const rows = await this.rows('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
    let current = Number(rows[0]?.version ?? 0);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await this.transaction(async () => {
        for (const statement of migration.statements) await this.run(statement);
        await this.run('INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)', [
          migration.version,
          migration.description,
        ]);
      });
      current = migration.version;
    }
    return current;
  }

  async replaceCatalogue(catalogue: Catalogue): Promise<void> {
    await this.transaction(async () => {
      for (const table of ['org_units', 'org_unit_groups', 'org_unit_group_members', 'indicators']) {
        await this.run(`DELETE FROM ${table}`);
      }
      for (const table of ['goal_sets', 'targets', 'goal_links'])
        await this.run(`DELETE FROM ${table} WHERE origin = 'catalogue'`);
      for (const [i, u] of catalogue.units.entries()) {
        await this.run('INSERT INTO org_units VALUES (?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), ?)', [
          u.code,
          u.name,
          u.nameEn ?? null,
          u.type,
          u.parent,
          u.iso ?? null,
          u.validFrom,
          u.validTo,
          i,
        ]);
      }
      for (const g of catalogue.groups) {
        await this.run('INSERT INTO org_unit_groups VALUES (?, ?, ?)', [g.id, g.type, JSON.stringify(g)]);
        for (const member of g.members)
          await this.run('INSERT INTO org_unit_group_members VALUES (?, ?)', [g.id, member]);
      }
      for (const [i, ind] of catalogue.indicators.entries()) {
        await this.run('INSERT INTO indicators VALUES (?, ?, ?, ?, ?)', [
          ind.id,
          ind.origin,
          ind.polarity,
          JSON.stringify(ind),
          i,
        ]);
      }
      for (const [i, set] of catalogue.goalSets.entries()) {
        await this.run('INSERT INTO goal_sets (id, level, unit_code, definition, position) VALUES (?, ?, ?, ?, ?)', [
          set.id,
          set.level,
          set.unit,
          JSON.stringify(set),
          i,
        ]);
      }
      for (const [i, { goalSetId, goalId, target }] of targetsOf(catalogue.goalSets).entries()) {
        await this.run(
          'INSERT INTO targets (id, goal_set_id, goal_id, indicator_id, kind, definition, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [target.id, goalSetId, goalId, target.indicator, target.kind, JSON.stringify(target), i],
        );
      }
      for (const [i, link] of catalogue.links.entries()) {
        await this.run(
          'INSERT INTO goal_links (from_goal, to_goal, theme, definition, position) VALUES (?, ?, ?, ?, ?)',
          [link.from, link.to, link.theme, JSON.stringify(link), i],
        );
      }
    });
  }

  async listGoalSets(): Promise<GoalSet[]> {
    return (await this.rows("SELECT definition FROM goal_sets ORDER BY origin = 'local', position, id")).map(
      parseDefinition<GoalSet>,
    );
  }

  async getGoalSet(id: string): Promise<GoalSet | undefined> {
    const [row] = await this.rows('SELECT definition FROM goal_sets WHERE id = ?', [id]);
    return row ? parseDefinition<GoalSet>(row) : undefined;
  }

  async listOrgUnits(query: OrgUnitQuery = {}): Promise<OrgUnit[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.at) {
      where.push('valid_from <= CAST(? AS DATE) AND (valid_to IS NULL OR valid_to >= CAST(? AS DATE))');
      params.push(query.at, query.at);
    }
    if (query.type) {
      where.push('type = ?');
      params.push(query.type);
    }
    const rows = await this.rows(
      `SELECT * FROM org_units ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position`,
      params,
    );
    return rows.map((r) => ({
      code: String(r.code),
      name: String(r.name),
      ...(r.name_en ? { nameEn: String(r.name_en) } : {}),
      type: r.type as OrgUnit['type'],
      parent: (r.parent as string | null) ?? null,
      ...(r.iso ? { iso: String(r.iso) } : {}),
      validFrom: String(r.valid_from),
      validTo: (r.valid_to as string | null) ?? null,
    }));
  }

  async listGroups(): Promise<OrgUnitGroup[]> {
    return (await this.rows('SELECT definition FROM org_unit_groups ORDER BY id')).map(parseDefinition<OrgUnitGroup>);
  }

  async listIndicators(): Promise<Indicator[]> {
    return (await this.rows('SELECT definition FROM indicators ORDER BY position')).map(parseDefinition<Indicator>);
  }

  async getIndicator(id: string): Promise<Indicator | undefined> {
    const [row] = await this.rows('SELECT definition FROM indicators WHERE id = ?', [id]);
    return row ? parseDefinition<Indicator>(row) : undefined;
  }

  async listLinks(): Promise<GoalLink[]> {
    return (await this.rows("SELECT definition FROM goal_links ORDER BY origin = 'local', position")).map(
      parseDefinition<GoalLink>,
    );
  }

  async listTargets(): Promise<StoredTarget[]> {
    const rows = await this.rows(
      "SELECT goal_set_id, goal_id, definition FROM targets ORDER BY origin = 'local', position",
    );
    return rows.map(toStoredTarget);
  }

  async getTarget(id: string): Promise<StoredTarget | undefined> {
    const [row] = await this.rows('SELECT goal_set_id, goal_id, definition FROM targets WHERE id = ?', [id]);
    return row ? toStoredTarget(row) : undefined;
  }

  async replaceValues(indicators: readonly string[], rows: Iterable<IndicatorValue>, origin: string): Promise<number> {
    const count = await this.loadTempValues('staging_values', rows);
    await this.transaction(async () => {
      if (indicators.length > 0) {
        await this.run(`DELETE FROM indicator_values WHERE indicator_id IN (${indicators.map(() => '?').join(', ')})`, [
          ...indicators,
        ]);
      }
      await this.run('INSERT INTO indicator_values SELECT *, ?, current_timestamp FROM staging_values', [origin]);
    });
    await this.run('DROP TABLE staging_values');
    return count;
  }

  async replaceValuesIn(
    scope: ValueScope,
    chunks: AsyncIterable<readonly IndicatorValue[]>,
    origin: string,
  ): Promise<number> {
    const table = 'staging_scoped_values';
    await this.createTempValues(table);
    try {
      const appender = await this.connection.createAppender(table, 'main', 'temp');
      let count = 0;
      try {
        for await (const chunk of chunks) count += appendValues(appender, chunk);
      } finally {
        appender.closeSync();
      }
      const marks = (values: readonly string[]) => values.map(() => '?').join(', ');
      const inScope = `indicator_id IN (${marks(scope.indicators)})${scope.periods ? ` AND period IN (${marks(scope.periods)})` : ''}`;
      const scopeParams = [...scope.indicators, ...(scope.periods ?? [])];
      if (scope.indicators.length === 0 || scope.periods?.length === 0) {
        if (count > 0) throw new Error('replaceValuesIn: rows given for an empty scope');
        return 0;
      }
      const [outside] = await this.rows(`SELECT count(*) AS n FROM ${table} WHERE NOT (${inScope})`, scopeParams);
      if (Number(outside?.n ?? 0) > 0) throw new Error(`replaceValuesIn: ${outside?.n} row(s) lie outside the scope`);
      await this.transaction(async () => {
        await this.run(`DELETE FROM indicator_values WHERE ${inScope}`, scopeParams);
        await this.run(`INSERT INTO indicator_values SELECT *, ?, current_timestamp FROM ${table}`, [origin]);
      });
      return count;
    } finally {
      await this.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  async queryValues(query: ValueQuery): Promise<IndicatorValue[]> {
    const where = ['indicator_id = ?'];
    const params: unknown[] = [query.indicator];
    if (query.unit !== undefined) {
      const units = typeof query.unit === 'string' ? [query.unit] : query.unit;
      if (units.length === 0) return [];
      where.push(`unit_code IN (${units.map(() => '?').join(', ')})`);
      params.push(...units);
    }
    if (query.period !== undefined) {
      where.push('period = ?');
      params.push(query.period);
    }
    if (query.breakdown !== undefined) {
      where.push('breakdown = ?');
      params.push(query.breakdown);
    }
    const rows = await this.rows(
      `SELECT indicator_id, unit_code, period, breakdown, numerator, denominator, value, suppressed
       FROM indicator_values WHERE ${where.join(' AND ')} ORDER BY unit_code, period, breakdown`,
      params,
    );
    return rows.map(toIndicatorValue);
  }

  /** Appends value rows to a new temporary table with the columns of stored values; returns the row count. */
  private async loadTempValues(table: string, rows: Iterable<IndicatorValue>): Promise<number> {
    await this.createTempValues(table);
    const appender = await this.connection.createAppender(table, 'main', 'temp');
    const count = appendValues(appender, rows);
    appender.closeSync();
    return count;
  }

  /** A new temporary table with the columns of stored values. */
  private async createTempValues(table: string): Promise<void> {
    await this.run(`CREATE OR REPLACE TEMP TABLE ${table} (
      indicator_id VARCHAR, unit_code VARCHAR, period VARCHAR, breakdown VARCHAR,
      numerator DOUBLE, denominator DOUBLE, value DOUBLE, suppressed BOOLEAN)`);
  }

  /** Stages import rows and compares them with the stored values (table import_diff). */
  private async stage(rows: readonly IndicatorValue[]): Promise<void> {
    await this.loadTempValues('import_staging', rows);
    await this.run(`CREATE OR REPLACE TEMP TABLE import_diff AS
      SELECT s.*, CASE WHEN v.indicator_id IS NULL THEN 'inserted'
          WHEN s.value IS NOT DISTINCT FROM v.value AND s.numerator IS NOT DISTINCT FROM v.numerator
            AND s.denominator IS NOT DISTINCT FROM v.denominator AND s.suppressed = v.suppressed THEN 'unchanged'
          ELSE 'changed' END AS change, v.value AS before
      FROM import_staging s LEFT JOIN indicator_values v
        ON v.indicator_id = s.indicator_id AND v.unit_code = s.unit_code AND v.period = s.period AND v.breakdown = s.breakdown`);
  }

  private async readDiff(): Promise<ImportDiff> {
    const [counts] = await this.rows(`SELECT count(*) FILTER (WHERE change = 'inserted') AS inserted,
      count(*) FILTER (WHERE change = 'changed') AS changed, count(*) FILTER (WHERE change = 'unchanged') AS unchanged FROM import_diff`);
    const examples = await this.rows(
      `SELECT indicator_id, unit_code, period, breakdown, before, value FROM import_diff WHERE change = 'changed'
       ORDER BY indicator_id, unit_code, period, breakdown LIMIT 50`,
    );
    return {
      inserted: Number(counts?.inserted ?? 0),
      changed: Number(counts?.changed ?? 0),
      unchanged: Number(counts?.unchanged ?? 0),
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

  async diffImport(rows: readonly IndicatorValue[]): Promise<ImportDiff> {
    await this.stage(rows);
    return this.readDiff();
  }

  async applyImport(
    meta: ImportMeta,
    rows: readonly IndicatorValue[],
  ): Promise<ImportDiff & { importId: number | null }> {
    await this.stage(rows);
    const diff = await this.readDiff();
    if (diff.inserted + diff.changed === 0) return { ...diff, importId: null };
    let importId = 0;
    await this.transaction(async () => {
      const [next] = await this.rows('SELECT coalesce(max(id), 0) + 1 AS id FROM imports');
      importId = Number(next?.id ?? 1);
      await this.run('INSERT INTO imports VALUES (?, current_timestamp, ?, ?, ?, ?, ?, ?, ?, ?)', [
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
      await this.run(
        `INSERT INTO value_history
        SELECT indicator_id, unit_code, period, breakdown, numerator, denominator, value, suppressed, ?, current_timestamp
        FROM import_diff WHERE change <> 'unchanged'`,
        [importId],
      );
      await this.run(`DELETE FROM indicator_values v USING import_diff d
        WHERE d.change = 'changed' AND v.indicator_id = d.indicator_id AND v.unit_code = d.unit_code
          AND v.period = d.period AND v.breakdown = d.breakdown`);
      await this.run(`INSERT INTO indicator_values
        SELECT indicator_id, unit_code, period, breakdown, numerator, denominator, value, suppressed, 'import', current_timestamp
        FROM import_diff WHERE change <> 'unchanged'`);
    });
    return { ...diff, importId };
  }

  async listImports(): Promise<ImportRecord[]> {
    const rows = await this.rows('SELECT * FROM imports ORDER BY id');
    return rows.map((r) => ({
      id: Number(r.id),
      importedAt: String(r.imported_at instanceof Date ? r.imported_at.toISOString() : r.imported_at),
      actor: String(r.actor),
      fileName: String(r.file_name),
      sha256: String(r.sha256),
      ...(r.note ? { note: String(r.note) } : {}),
      rowsInFile: Number(r.rows_in_file),
      inserted: Number(r.inserted),
      changed: Number(r.changed),
      unchanged: Number(r.unchanged),
    }));
  }

  async valueHistory(query: {
    indicator: string;
    unit?: string;
    period?: string;
    breakdown?: string;
  }): Promise<ValueRevision[]> {
    const where = ['h.indicator_id = ?'];
    const params: unknown[] = [query.indicator];
    for (const [column, value] of [
      ['unit_code', query.unit],
      ['period', query.period],
      ['breakdown', query.breakdown],
    ] as const) {
      if (value !== undefined) {
        where.push(`h.${column} = ?`);
        params.push(value);
      }
    }
    const rows = await this.rows(
      `SELECT h.*, CAST(h.recorded_at AS VARCHAR) AS recorded, i.file_name, i.sha256, i.actor, i.note,
         h.import_id = max(h.import_id) OVER (PARTITION BY h.indicator_id, h.unit_code, h.period, h.breakdown) AS current
       FROM value_history h JOIN imports i ON i.id = h.import_id
       WHERE ${where.join(' AND ')} ORDER BY h.unit_code, h.period, h.breakdown, h.import_id DESC`,
      params,
    );
    return rows.map((r) => ({
      ...toIndicatorValue(r),
      importId: Number(r.import_id),
      recordedAt: String(r.recorded),
      fileName: String(r.file_name),
      sha256: String(r.sha256),
      actor: String(r.actor),
      note: (r.note as string | null) ?? null,
      current: Boolean(r.current),
    }));
  }

  async saveLocalGoalSet(goalSet: GoalSet, links: readonly GoalLink[]): Promise<void> {
    const [clash] = await this.rows("SELECT id FROM goal_sets WHERE id = ? AND origin = 'catalogue'", [goalSet.id]);
    if (clash)
      throw new UserError(`A catalogue goal set is already called '${goalSet.id}'`, {
        status: 409,
        hint: 'Choose another id.',
      });
    await this.transaction(async () => {
      await this.run("DELETE FROM goal_sets WHERE id = ? AND origin = 'local'", [goalSet.id]);
      await this.run("DELETE FROM targets WHERE goal_set_id = ? AND origin = 'local'", [goalSet.id]);
      const goalIds = goalSet.goals.map((g) => g.id);
      if (goalIds.length) {
        await this.run(
          `DELETE FROM goal_links WHERE origin = 'local' AND from_goal IN (${goalIds.map(() => '?').join(', ')})`,
          goalIds,
        );
      }
      await this.run(
        "INSERT INTO goal_sets (id, level, unit_code, definition, position, origin) VALUES (?, ?, ?, ?, 0, 'local')",
        [goalSet.id, goalSet.level, goalSet.unit, JSON.stringify(goalSet)],
      );
      for (const { goalId, target } of goalSet.goals.flatMap((g) =>
        g.targets.map((t) => ({ goalId: g.id, target: t })),
      )) {
        await this.run(
          "INSERT INTO targets (id, goal_set_id, goal_id, indicator_id, kind, definition, position, origin) VALUES (?, ?, ?, ?, ?, ?, 0, 'local')",
          [target.id, goalSet.id, goalId, target.indicator, target.kind, JSON.stringify(target)],
        );
      }
      for (const link of links) {
        await this.run(
          "INSERT INTO goal_links (from_goal, to_goal, theme, definition, position, origin) VALUES (?, ?, ?, ?, 0, 'local')",
          [link.from, link.to, link.theme, JSON.stringify(link)],
        );
      }
    });
  }

  async info(): Promise<StoreInfo> {
    const [version] = await this.rows('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
    const [values] = await this.rows('SELECT count(*) AS n, count(DISTINCT indicator_id) AS i FROM indicator_values');
    return {
      schemaVersion: Number(version?.v ?? 0),
      valueCount: Number(values?.n ?? 0),
      indicatorsWithValues: Number(values?.i ?? 0),
    };
  }

  async checkpoint(): Promise<void> {
    await this.run('CHECKPOINT');
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    await queryRows(this.connection, sql, params);
  }

  private rows(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return queryRows(this.connection, sql, params);
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.run('COMMIT');
    } catch (error) {
      await this.run('ROLLBACK');
      throw error;
    }
  }
}

/** Appends value rows in the column order of stored values; returns how many. */
function appendValues(appender: DuckDBAppender, rows: Iterable<IndicatorValue>): number {
  const appendNumber = (n: number | null) =>
    n === null || !Number.isFinite(n) ? appender.appendNull() : appender.appendDouble(n);
  let count = 0;
  for (const row of rows) {
    appender.appendVarchar(row.indicator);
    appender.appendVarchar(row.unit);
    appender.appendVarchar(row.period);
    appender.appendVarchar(row.breakdown);
    appendNumber(row.numerator);
    appendNumber(row.denominator);
    appendNumber(row.value);
    appender.appendBoolean(row.suppressed);
    appender.endRow();
    count++;
  }
  return count;
}

/** A stored value row (indicator_values or value_history columns) as an IndicatorValue. */
function toIndicatorValue(r: Row): IndicatorValue {
  return {
    indicator: String(r.indicator_id),
    unit: String(r.unit_code),
    period: String(r.period),
    breakdown: String(r.breakdown),
    numerator: (r.numerator as number | null) ?? null,
    denominator: (r.denominator as number | null) ?? null,
    value: (r.value as number | null) ?? null,
    suppressed: Boolean(r.suppressed),
  };
}

function parseDefinition<T>(row: Row): T {
  return JSON.parse(String(row.definition)) as T;
}

function toStoredTarget(row: Row): StoredTarget {
  return {
    goalSetId: String(row.goal_set_id),
    goalId: String(row.goal_id),
    target: JSON.parse(String(row.definition)),
  };
}
