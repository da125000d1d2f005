// The embedded store: the Store interface on one DuckDB file.
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type {
  Catalogue,
  GoalLink,
  GoalSet,
  Grouping,
  Indicator,
  OrgUnit,
  OrgUnitGroup,
} from '../../catalogue/index.js';
import { targetsOf, unitsAt } from '../../catalogue/index.js';
import { UserError } from '../../domain/errors.js';
import { DataChangeLog, EVERYTHING, IMPORTS, REFERENCE, type Topics, valuesOf } from '../data-change.js';
import { ADVANCE_DATA_VERSION, BUMP_DATA_VERSION, DATA_VERSION_SETUP, READ_DATA_VERSION } from '../data-version.js';
import { MIGRATIONS } from '../migrations.js';
import { PackedRows } from '../packed-values.js';
import { sqlAccountStore } from '../sql-accounts.js';
import {
  allInsertedSql,
  importDiffSql,
  LIST_IMPORTS_SQL,
  readImportDiff,
  toImportRecord,
  toValueCounts,
  valueCountsSql,
  writeImport,
} from '../sql-imports.js';
import { SqlQualityPlan } from '../sql-quality-plan.js';
import { toValueRevision, toValues, type ValueHistoryQuery, valueHistorySql, valuesSql } from '../sql-values.js';
import type {
  ImportDiff,
  ImportMeta,
  ImportRecord,
  IndicatorValue,
  OrgUnitQuery,
  Store,
  StoredTarget,
  StoredValueCounts,
  StoreInfo,
  ValueQuery,
  ValueRevision,
  ValueScope,
} from '../store.js';
import { parseDefinition, toOrgUnit, toStoredTarget } from '../stored-rows.js';
import { commitByCheckpoint } from './commit-by-checkpoint.js';
import { ConnectionPool } from './connection-pool.js';
import { openDuckDB, queryRows, type Row, storeMemoryLimit } from './duckdb-connection.js';
import { auditRepair, describeRepair, findTornImport, rollBackTornImport } from './import-integrity.js';
import { ImportMemory } from './import-memory.js';
import { PACKED_TABLES, packedDiffSql, stagePacked } from './packed-staging.js';
import { WriteQueue } from './write-queue.js';

export interface DuckDBStoreOptions {
  /** Connections for reads (default 4): reads run side by side, each on one committed snapshot. */
  readers?: number;
  /** Writes that may wait behind the running one before further writes are refused with 503 (default 8). */
  queuedWrites?: number;
  /** DuckDB's memory limit while an import compares and writes (default IMPORT_MEMORY_LIMIT, import-memory.ts). */
  importMemory?: string;
}

/**
 * One DuckDB instance with a pool of connections for reads and one connection for writes, which take turns
 * through a queue. Every write transaction bumps the data version; the DuckDB file is held by this process
 * alone (DuckDB's lock), so the version kept in memory after each commit is exact.
 */
export class DuckDBStore implements Store {
  private version = 0;
  /** The version a running write transaction has bumped to; it counts once committed. */
  private pendingVersion: number | undefined;
  /** What the running write transaction changed (topics, data-change.ts); recorded once committed. */
  private pendingChange: Topics = new Set([EVERYTHING]);
  /** What each committed version changed, so readers keep the answers a write did not touch. */
  private readonly changes = new DataChangeLog();
  /** Set while a write transaction runs, so the shared SQL modules query on the write connection. */
  private readonly writing = new AsyncLocalStorage<boolean>();
  private readonly qualityPlan: SqlQualityPlan;
  /** Accounts: reads on the pool; changes (users, tokens, sessions, audit) take their turn on the writer. */
  readonly accounts = sqlAccountStore((sql, params) =>
    /^\s*select/i.test(sql) ? this.rows(sql, params) : this.writes.run(() => this.writerRows(sql, params)),
  );

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly readers: ConnectionPool,
    private readonly writes: WriteQueue,
    /** The memory budget of imports (import-memory.ts). */
    private readonly importMemory: ImportMemory,
  ) {
    this.qualityPlan = new SqlQualityPlan(
      (sql, params) => (this.writing.getStore() ? this.writerRows(sql, params) : this.rows(sql, params)),
      (work) => this.writeTransaction(() => this.writing.run(true, work)),
    );
  }

  /** Opens (or creates) the store file and brings its schema up to date. */
  static async open(location: string, options: DuckDBStoreOptions = {}): Promise<DuckDBStore> {
    const replaysLog = location !== ':memory:' && existsSync(`${location}.wal`);
    const { instance, connection } = await openDuckDB(location);
    const readers = await ConnectionPool.open(instance, options.readers ?? 4);
    const store = new DuckDBStore(
      location,
      instance,
      connection,
      readers,
      new WriteQueue(options.queuedWrites ?? 8),
      new ImportMemory(storeMemoryLimit(), options.importMemory),
    );
    await store.migrate();
    // Only a process that died while writing leaves a log to replay; a store closed cleanly has none to check.
    if (replaysLog) await store.repairTornImport();
    return store;
  }

  /** Rolls back an import that a killed process left stored in part (import-integrity.ts), with a warning. */
  private async repairTornImport(): Promise<void> {
    const warning = await this.writes.run(async () => {
      const sql = (text: string, params?: readonly unknown[]) => this.writerRows(text, params);
      const torn = await findTornImport(sql);
      if (!torn) return undefined;
      let message = '';
      await this.inTransaction(async () => {
        const repair = await rollBackTornImport(sql, torn);
        await auditRepair(sql, repair);
        await this.bumpVersion();
        message = describeRepair(repair);
      });
      return message;
    });
    if (warning) process.stderr.write(`pejling: warning: ${warning}\n`);
  }

  /** The write connection, for the engine's bulk loads into this store. */
  get duckdb(): DuckDBConnection {
    return this.connection;
  }

  async migrate(): Promise<number> {
    return this.writes.run(async () => {
      await this.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
      const rows = await this.writerRows('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
      let current = Number(rows[0]?.version ?? 0);
      for (const migration of MIGRATIONS) {
        if (migration.version <= current) continue;
        await this.inTransaction(async () => {
          for (const statement of migration.statements) await this.run(statement);
          await this.run('INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)', [
            migration.version,
            migration.description,
          ]);
        });
        current = migration.version;
      }
      for (const statement of DATA_VERSION_SETUP) await this.run(statement);
      const [row] = await this.writerRows(READ_DATA_VERSION);
      this.version = Number(row?.version ?? 0);
      return current;
    });
  }

  async dataVersion(): Promise<number> {
    return this.version;
  }

  async changesBetween(from: number, to: number): Promise<string[] | undefined> {
    const changed = this.changes.between(from, to);
    return changed ? [...changed] : undefined;
  }

  async advanceDataVersion(floor: number): Promise<number> {
    return this.writes.run(async () => {
      const [row] = await this.writerRows(ADVANCE_DATA_VERSION, [floor, floor]);
      // A restore: the versions skipped are unknown, so the log answers "unknown" across them.
      this.version = Number(row?.version ?? this.version);
      this.changes.record(this.version, new Set([EVERYTHING]));
      return this.version;
    });
  }

  async replaceCatalogue(catalogue: Catalogue): Promise<void> {
    await this.writeTransaction(async () => {
      for (const table of ['org_unit_groups', 'org_unit_group_members', 'indicators']) {
        await this.run(`DELETE FROM ${table}`);
      }
      for (const table of ['goal_sets', 'targets', 'goal_links', 'org_unit_groupings'])
        await this.run(`DELETE FROM ${table} WHERE origin = 'catalogue'`);
      // Imported units stay unless the catalogue now defines the same code.
      await this.run(`DELETE FROM org_units WHERE origin = 'catalogue'`);
      for (const u of catalogue.units) await this.run(`DELETE FROM org_units WHERE code = ?`, [u.code]);
      for (const [i, u] of catalogue.units.entries()) await this.insertUnit(u, i, 'catalogue');
      const imported = new Set((await this.writerRows('SELECT id FROM org_unit_groupings')).map((r) => String(r.id)));
      for (const [i, g] of catalogue.groupings.entries()) {
        if (!imported.has(g.id)) await this.insertGrouping(g, i, 'catalogue');
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
      await this.writing.run(true, () => this.qualityPlan.replaceStandards(catalogue.qualityStandards ?? []));
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
    const rows = await this.rows(`SELECT * FROM org_units ORDER BY position`);
    let units = rows.map(toOrgUnit);
    if (query.at) units = unitsAt({ units, groupings: await this.listGroupings() }, query.at);
    return query.type ? units.filter((u) => u.type === query.type) : units;
  }

  private async insertUnit(u: OrgUnit, position: number, origin: string): Promise<void> {
    await this.run(
      `INSERT INTO org_units (code, name, name_en, type, parent, iso, valid_from, valid_to, position, definition, origin)
       VALUES (?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?)`,
      [
        u.code,
        u.name,
        u.nameEn ?? null,
        u.type,
        u.parent,
        u.iso ?? null,
        u.validFrom,
        u.validTo,
        position,
        JSON.stringify(u),
        origin,
      ],
    );
  }

  private async insertGrouping(g: Grouping, position: number, origin: string): Promise<void> {
    await this.run('INSERT INTO org_unit_groupings VALUES (?, ?, ?, ?, ?, ?)', [
      g.id,
      g.groupType,
      g.partitionsPersons,
      origin,
      JSON.stringify(g),
      position,
    ]);
  }

  async listGroupings(): Promise<Grouping[]> {
    return (await this.rows("SELECT definition FROM org_unit_groupings ORDER BY origin = 'import', position, id")).map(
      parseDefinition<Grouping>,
    );
  }

  async saveGrouping(grouping: Grouping, newUnits: readonly OrgUnit[]): Promise<void> {
    await this.writeTransaction(async () => {
      const [last] = await this.writerRows('SELECT coalesce(max(position), 0) AS p FROM org_units');
      let position = Number(last?.p ?? 0);
      for (const u of newUnits) {
        await this.run('DELETE FROM org_units WHERE code = ?', [u.code]);
        await this.insertUnit(u, ++position, 'import');
      }
      const [lastGrouping] = await this.writerRows('SELECT coalesce(max(position), 0) AS p FROM org_unit_groupings');
      await this.run('DELETE FROM org_unit_groupings WHERE id = ?', [grouping.id]);
      await this.insertGrouping(grouping, Number(lastGrouping?.p ?? 0) + 1, 'import');
    });
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
    return this.writes.run(async () => {
      const count = await this.loadTempValues(this.connection, 'staging_values', rows);
      try {
        await this.inTransaction(async () => {
          if (indicators.length > 0) {
            await this.run(
              `DELETE FROM indicator_values WHERE indicator_id IN (${indicators.map(() => '?').join(', ')})`,
              [...indicators],
            );
          }
          await this.run('INSERT INTO indicator_values SELECT *, ?, current_timestamp FROM staging_values', [origin]);
          const inRows = await this.writerRows('SELECT DISTINCT indicator_id AS id FROM staging_values');
          await this.bumpVersion(new Set([...indicators, ...inRows.map((r) => String(r.id))].map(valuesOf)));
        });
      } finally {
        await this.run('DROP TABLE IF EXISTS staging_values');
      }
      return count;
    });
  }

  async replaceValuesIn(
    scope: ValueScope,
    chunks: AsyncIterable<readonly IndicatorValue[]>,
    origin: string,
  ): Promise<number> {
    const table = 'staging_scoped_values';
    const marks = (values: readonly string[]) => values.map(() => '?').join(', ');
    const inScope = `indicator_id IN (${marks(scope.indicators)})${scope.periods ? ` AND period IN (${marks(scope.periods)})` : ''}`;
    const scopeParams = [...scope.indicators, ...(scope.periods ?? [])];
    // The chunks are read during the write's turn: callers hand over rows already computed.
    return this.writes.run(async () => {
      await createTempValues(this.connection, table);
      try {
        const appender = await this.connection.createAppender(table, 'main', 'temp');
        let count = 0;
        try {
          for await (const chunk of chunks) count += appendValues(appender, chunk);
        } finally {
          appender.closeSync();
        }
        if (scope.indicators.length === 0 || scope.periods?.length === 0) {
          if (count > 0) throw new Error('replaceValuesIn: rows given for an empty scope');
          return 0;
        }
        const [outside] = await this.writerRows(
          `SELECT count(*) AS n FROM ${table} WHERE NOT (${inScope})`,
          scopeParams,
        );
        if (Number(outside?.n ?? 0) > 0) throw new Error(`replaceValuesIn: ${outside?.n} row(s) lie outside the scope`);
        await commitByCheckpoint(
          (sql) => this.writerRows(sql),
          () =>
            this.inTransaction(async () => {
              await this.run(`DELETE FROM indicator_values WHERE ${inScope}`, scopeParams);
              await this.run(`INSERT INTO indicator_values SELECT *, ?, current_timestamp FROM ${table}`, [origin]);
              await this.bumpVersion(new Set(scope.indicators.map(valuesOf)));
            }),
        );
        return count;
      } finally {
        await this.run(`DROP TABLE IF EXISTS ${table}`);
      }
    });
  }

  async queryValues(query: ValueQuery): Promise<IndicatorValue[]> {
    const statement = valuesSql(query, (column) => column);
    return statement ? toValues(await this.rows(statement.sql, statement.params), query.full) : [];
  }

  /** Appends value rows to a new temporary table with the columns of stored values; returns the row count. */
  private async loadTempValues(
    connection: DuckDBConnection,
    table: string,
    rows: Iterable<IndicatorValue>,
  ): Promise<number> {
    await createTempValues(connection, table);
    const appender = await connection.createAppender(table, 'main', 'temp');
    const count = appendValues(appender, rows);
    appender.closeSync();
    return count;
  }

  /**
   * Stages import rows on a connection and compares them with the stored values (temp table or view
   * import_diff); returns the number of rows staged.
   */
  private async stage(connection: DuckDBConnection, rows: Iterable<IndicatorValue>): Promise<number> {
    if (rows instanceof PackedRows) {
      // Packed values are compared straight from their columns (a view), without a staging copy; when none of
      // their indicators has a stored value, every row is new and import_diff is a view of them too.
      await this.loadTempValues(connection, 'import_extra', rows.extra);
      await stagePacked(connection, rows.packed, 'import_extra', 'import_packed');
      const staged = rows.packed.indicator.length + rows.extra.length;
      const indicators = [...indicatorsOf(rows)];
      const [stored] = await queryRows(
        connection,
        `SELECT count(*) AS n FROM (SELECT 1 FROM indicator_values
         WHERE indicator_id IN (${indicators.map(() => '?').join(', ') || 'NULL'}) LIMIT 1)`,
        indicators,
      );
      if (Number(stored?.n ?? 0) === 0) {
        await queryRows(connection, allInsertedSql('CREATE OR REPLACE TEMP VIEW', 'import_packed'));
        return staged;
      }
      await queryRows(connection, packedDiffSql('import_extra'));
      await queryRows(connection, 'DROP VIEW import_packed');
      for (const table of ['import_extra', ...PACKED_TABLES]) await queryRows(connection, `DROP TABLE ${table}`);
      return staged;
    }
    const staged = await this.loadTempValues(connection, 'import_staging', rows);
    await queryRows(connection, importDiffSql('CREATE OR REPLACE TEMP TABLE'));
    return staged;
  }

  private async dropStaging(connection: DuckDBConnection): Promise<void> {
    const [view] = await queryRows(
      connection,
      "SELECT 1 AS view FROM duckdb_views() WHERE temporary AND view_name = 'import_diff'",
    );
    await queryRows(connection, `DROP ${view ? 'VIEW' : 'TABLE'} IF EXISTS import_diff`);
    await queryRows(connection, 'DROP VIEW IF EXISTS import_packed');
    for (const table of ['import_staging', 'resuppress_staging', 'import_extra', ...PACKED_TABLES])
      await queryRows(connection, `DROP TABLE IF EXISTS ${table}`);
  }

  /** A dry run borrows a read connection: its staging tables are temporary and its own. */
  async diffImport(rows: Iterable<IndicatorValue>): Promise<ImportDiff> {
    return this.readers.use(async (connection) => {
      try {
        return await this.withImportMemory(connection, async () => {
          const staged = await this.stage(connection, rows);
          return await readImportDiff(
            (sql, params) => queryRows(connection, sql, params),
            (column) => column,
            staged,
          );
        });
      } finally {
        await this.dropStaging(connection);
      }
    });
  }

  async applyImport(
    meta: ImportMeta,
    rows: Iterable<IndicatorValue>,
    resuppress: readonly IndicatorValue[] = [],
  ): Promise<ImportDiff & { importId: number | null }> {
    return this.writes.run(async () => {
      const connection = this.connection;
      const sql = (text: string, params?: readonly unknown[]) => queryRows(connection, text, params);
      try {
        return await this.withImportMemory(connection, async () => {
          const staged = await this.stage(connection, rows);
          const diff = await readImportDiff(sql, (column) => column, staged);
          if (diff.inserted + diff.changed === 0) return { ...diff, importId: null };
          if (resuppress.length > 0) await this.loadTempValues(connection, 'resuppress_staging', resuppress);
          let importId = 0;
          // The import list and the values of every indicator in the import (disclosure control changes only those).
          const imported = await sql("SELECT DISTINCT indicator_id AS id FROM import_diff WHERE change <> 'unchanged'");
          const indicators = [...imported.map((r) => String(r.id)), ...resuppress.map((v) => v.indicator)];
          const changed = new Set([IMPORTS, ...indicators.map(valuesOf)]);
          await commitByCheckpoint(sql, () =>
            this.inTransaction(async () => {
              importId = await writeImport(sql, meta, diff, resuppress.length > 0 ? 'resuppress_staging' : undefined);
              await this.bumpVersion(changed);
            }),
          );
          return { ...diff, importId };
        });
      } finally {
        await this.dropStaging(connection);
      }
    });
  }

  /** Runs an import's comparison and write within the import memory budget (a store on disk only: one in memory
   * has nowhere to spill its own tables to). */
  private withImportMemory<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
    return this.location === ':memory:'
      ? work()
      : this.importMemory.within(
          (sql) => queryRows(connection, sql),
          work,
          () => this.dropStaging(connection),
        );
  }

  async listImports(): Promise<ImportRecord[]> {
    return (await this.rows(LIST_IMPORTS_SQL)).map(toImportRecord);
  }

  async storedValueCounts(indicator: string, units?: readonly string[]): Promise<StoredValueCounts> {
    const { sql, params } = valueCountsSql(indicator, units);
    return toValueCounts((await this.rows(sql, params))[0]);
  }

  async valueHistory(query: ValueHistoryQuery): Promise<ValueRevision[]> {
    const { sql, params } = valueHistorySql(query, (column) => column);
    return (await this.rows(sql, params)).map(toValueRevision);
  }

  async saveLocalGoalSet(goalSet: GoalSet, links: readonly GoalLink[]): Promise<void> {
    await this.writeTransaction(async () => {
      this.pendingChange = new Set([REFERENCE]);
      const [clash] = await this.writerRows("SELECT id FROM goal_sets WHERE id = ? AND origin = 'catalogue'", [
        goalSet.id,
      ]);
      if (clash)
        throw new UserError(`A catalogue goal set is already called '${goalSet.id}'`, {
          status: 409,
          hint: 'Choose another id.',
        });
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

  // ---------- the quality plan (sql-quality-plan.ts) ----------
  listQualityStandards: Store['listQualityStandards'] = () => this.qualityPlan.listQualityStandards();
  getQualityStandard: Store['getQualityStandard'] = (id) => this.qualityPlan.getQualityStandard(id);
  queryCompliance: Store['queryCompliance'] = (query) => this.qualityPlan.queryCompliance(query);
  diffCompliance: Store['diffCompliance'] = (records) => this.qualityPlan.diffCompliance(records);
  applyComplianceImport: Store['applyComplianceImport'] = (meta, records) =>
    this.qualityPlan.applyComplianceImport(meta, records);
  listComplianceImports: Store['listComplianceImports'] = () => this.qualityPlan.listComplianceImports();
  complianceHistory: Store['complianceHistory'] = (query) => this.qualityPlan.complianceHistory(query);

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
    await this.writes.run(() => this.run('CHECKPOINT'));
  }

  /**
   * Copies the whole store into a new DuckDB file at `file` (replaced if present) while writes wait their turn,
   * through DuckDB itself: copying the file from this process would drop the lock it holds on it.
   */
  async backupTo(file: string): Promise<void> {
    await this.writes.run(async () => {
      await rm(file, { force: true });
      await rm(`${file}.wal`, { force: true });
      const [current] = await this.writerRows('SELECT current_database() AS name');
      const source = `"${String(current?.name).replaceAll('"', '""')}"`;
      await this.run(`ATTACH '${file.replaceAll("'", "''")}' AS pejling_backup`);
      try {
        await this.run(`COPY FROM DATABASE ${source} TO pejling_backup`);
      } finally {
        await this.run('DETACH pejling_backup');
      }
    });
  }

  async close(): Promise<void> {
    // Let queued writes finish first, so closing never cuts a transaction in half.
    await this.writes.run(async () => undefined).catch(() => undefined);
    this.readers.close();
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** A statement on the write connection (only inside `writes.run`). */
  private async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    await queryRows(this.connection, sql, params);
  }

  private writerRows(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return queryRows(this.connection, sql, params);
  }

  /** A read on a pooled connection: one statement, one committed snapshot. */
  private rows(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.readers.use((connection) => queryRows(connection, sql, params));
  }

  /** Bumps the data version in the running transaction; `changed` says what the write changed (default: anything). */
  private async bumpVersion(changed?: Topics): Promise<void> {
    const [row] = await this.writerRows(BUMP_DATA_VERSION);
    this.pendingVersion = Number(row?.version ?? this.version + 1);
    if (changed) this.pendingChange = changed;
  }

  /** A transaction on the write connection (only inside `writes.run`); a bumped version counts after COMMIT. */
  private async inTransaction(work: () => Promise<void>): Promise<void> {
    this.pendingVersion = undefined;
    this.pendingChange = new Set([EVERYTHING]);
    await this.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.run('COMMIT');
      if (this.pendingVersion !== undefined) {
        this.changes.record(this.pendingVersion, this.pendingChange);
        this.version = this.pendingVersion;
      }
    } catch (error) {
      await this.run('ROLLBACK');
      throw error;
    } finally {
      this.pendingVersion = undefined;
      this.pendingChange = new Set([EVERYTHING]);
    }
  }

  /** A write in one transaction that bumps the data version, queued behind other writes. */
  private writeTransaction(work: () => Promise<void>): Promise<void> {
    return this.writes.run(() =>
      this.inTransaction(async () => {
        await work();
        await this.bumpVersion();
      }),
    );
  }
}

/** A new temporary table with the columns of stored values. */
async function createTempValues(connection: DuckDBConnection, table: string): Promise<void> {
  await queryRows(
    connection,
    `CREATE OR REPLACE TEMP TABLE ${table} (
      indicator_id VARCHAR, unit_code VARCHAR, period VARCHAR, breakdown VARCHAR,
      numerator DOUBLE, denominator DOUBLE, value DOUBLE, suppressed BOOLEAN)`,
  );
}

/** The distinct indicators of packed rows. */
function indicatorsOf(rows: PackedRows): Set<string> {
  const { packed, extra } = rows;
  const seen = new Uint8Array(packed.strings.length);
  for (const i of packed.indicator) seen[i] = 1;
  const out = new Set(packed.strings.filter((_, i) => seen[i] === 1));
  for (const v of extra) out.add(v.indicator);
  return out;
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
