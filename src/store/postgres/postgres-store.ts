// Server mode: the Store interface on a PostgreSQL database, shared by any number of Pejling processes.
// Every write is one transaction that holds the database's write lock, so imports, engine runs and goal sets
// from several servers follow one another, and advances the data version that keys every server's caches.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
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
import { IMPORTS, type Topics, valuesOf } from '../data-change.js';
import { sqlAccountStore } from '../sql-accounts.js';
import {
  importDiffSql,
  LIST_IMPORTS_SQL,
  readImportDiff,
  STAGING_COLUMNS,
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
import { changesBetween, recordChange } from './postgres-changes.js';
import { openPostgresPool, type Queryable, queryRows, type Row, redactLocation } from './postgres-connection.js';
import { migratePostgres } from './postgres-migrate.js';
import { insertValueRows } from './postgres-values.js';

/** The advisory lock key every write transaction holds ("pejling" + 2). */
export const WRITE_LOCK_KEY = 7_365_736_902;

/** SQLSTATE of a write on a hot standby. */
const READ_ONLY_TRANSACTION = '25006';

export class PostgresStore implements Store {
  /** The store URL with its password hidden. */
  readonly location: string;

  /** The transaction's client while a write runs, so the shared SQL modules query inside it. */
  private readonly currentTransaction = new AsyncLocalStorage<pg.PoolClient>();
  private readonly qualityPlan: SqlQualityPlan;
  readonly accounts = sqlAccountStore((sql, params) => queryRows(this.db, sql, params));

  private constructor(
    location: string,
    private readonly db: pg.Pool,
  ) {
    this.location = redactLocation(location);
    this.qualityPlan = new SqlQualityPlan(
      (sql, params) => queryRows(this.currentTransaction.getStore() ?? this.db, sql, params),
      async (work) => {
        if (this.currentTransaction.getStore()) return work();
        await this.write((tx) => this.currentTransaction.run(tx, work));
      },
    );
  }

  /**
   * Connects to the database (which must exist) and brings its schema up to date.
   * @example const store = await PostgresStore.open('postgres://pejling:secret@db.example:5432/pejling');
   */
  static async open(location: string): Promise<PostgresStore> {
    const pool = await openPostgresPool(location);
    const store = new PostgresStore(location, pool);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  /** The connection pool, for moving whole tables (`store copy`). */
  get pool(): pg.Pool {
    return this.db;
  }

  migrate(): Promise<number> {
    return migratePostgres(this.db);
  }

  async replaceCatalogue(catalogue: Catalogue): Promise<void> {
    await this.write(async (tx) => {
      for (const table of ['org_unit_groups', 'org_unit_group_members', 'indicators']) {
        await tx.query(`DELETE FROM ${table}`);
      }
      for (const table of ['goal_sets', 'targets', 'goal_links', 'org_unit_groupings'])
        await tx.query(`DELETE FROM ${table} WHERE origin = 'catalogue'`);
      // Imported units stay unless the catalogue now defines the same code.
      await tx.query(`DELETE FROM org_units WHERE origin = 'catalogue'`);
      for (const u of catalogue.units) await run(tx, 'DELETE FROM org_units WHERE code = ?', [u.code]);
      for (const [i, u] of catalogue.units.entries()) await insertUnit(tx, u, i, 'catalogue');
      const imported = new Set((await queryRows(tx, 'SELECT id FROM org_unit_groupings')).map((r) => String(r.id)));
      for (const [i, g] of catalogue.groupings.entries()) {
        if (!imported.has(g.id)) await insertGrouping(tx, g, i, 'catalogue');
      }
      for (const g of catalogue.groups) {
        await run(tx, 'INSERT INTO org_unit_groups VALUES (?, ?, ?)', [g.id, g.type, JSON.stringify(g)]);
        for (const member of g.members)
          await run(tx, 'INSERT INTO org_unit_group_members VALUES (?, ?)', [g.id, member]);
      }
      for (const [i, ind] of catalogue.indicators.entries()) {
        await run(tx, 'INSERT INTO indicators VALUES (?, ?, ?, ?, ?)', [
          ind.id,
          ind.origin,
          ind.polarity,
          JSON.stringify(ind),
          i,
        ]);
      }
      for (const [i, set] of catalogue.goalSets.entries()) {
        await run(tx, 'INSERT INTO goal_sets (id, level, unit_code, definition, position) VALUES (?, ?, ?, ?, ?)', [
          set.id,
          set.level,
          set.unit,
          JSON.stringify(set),
          i,
        ]);
      }
      for (const [i, { goalSetId, goalId, target }] of targetsOf(catalogue.goalSets).entries()) {
        await run(
          tx,
          'INSERT INTO targets (id, goal_set_id, goal_id, indicator_id, kind, definition, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [target.id, goalSetId, goalId, target.indicator, target.kind, JSON.stringify(target), i],
        );
      }
      for (const [i, link] of catalogue.links.entries()) {
        await run(
          tx,
          'INSERT INTO goal_links (from_goal, to_goal, theme, definition, position) VALUES (?, ?, ?, ?, ?)',
          [link.from, link.to, link.theme, JSON.stringify(link), i],
        );
      }
      await this.currentTransaction.run(tx, () => this.qualityPlan.replaceStandards(catalogue.qualityStandards ?? []));
    });
  }

  async listGoalSets(): Promise<GoalSet[]> {
    return (
      await this.rows('SELECT definition FROM goal_sets ORDER BY origin = \'local\', position, id COLLATE "C"')
    ).map(parseDefinition<GoalSet>);
  }

  async getGoalSet(id: string): Promise<GoalSet | undefined> {
    const [row] = await this.rows('SELECT definition FROM goal_sets WHERE id = ?', [id]);
    return row ? parseDefinition<GoalSet>(row) : undefined;
  }

  async listOrgUnits(query: OrgUnitQuery = {}): Promise<OrgUnit[]> {
    const rows = await this.rows('SELECT * FROM org_units ORDER BY position');
    let units = rows.map(toOrgUnit);
    if (query.at) units = unitsAt({ units, groupings: await this.listGroupings() }, query.at);
    return query.type ? units.filter((u) => u.type === query.type) : units;
  }

  async listGroupings(): Promise<Grouping[]> {
    return (
      await this.rows(`SELECT definition FROM org_unit_groupings ORDER BY origin = 'import', position, id COLLATE "C"`)
    ).map(parseDefinition<Grouping>);
  }

  async saveGrouping(grouping: Grouping, newUnits: readonly OrgUnit[]): Promise<void> {
    await this.write(async (tx) => {
      const [last] = await queryRows(tx, 'SELECT coalesce(max(position), 0) AS p FROM org_units');
      let position = Number(last?.p ?? 0);
      for (const u of newUnits) {
        await run(tx, 'DELETE FROM org_units WHERE code = ?', [u.code]);
        await insertUnit(tx, u, ++position, 'import');
      }
      const [lastGrouping] = await queryRows(tx, 'SELECT coalesce(max(position), 0) AS p FROM org_unit_groupings');
      await run(tx, 'DELETE FROM org_unit_groupings WHERE id = ?', [grouping.id]);
      await insertGrouping(tx, grouping, Number(lastGrouping?.p ?? 0) + 1, 'import');
    });
  }

  async listGroups(): Promise<OrgUnitGroup[]> {
    return (await this.rows('SELECT definition FROM org_unit_groups ORDER BY id COLLATE "C"')).map(
      parseDefinition<OrgUnitGroup>,
    );
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
    const changed = new Set(indicators.map(valuesOf));
    const noted = (function* () {
      for (const row of rows) {
        changed.add(valuesOf(row.indicator));
        yield row;
      }
    })();
    return this.write(
      async (tx) => {
        if (indicators.length > 0) {
          await run(
            tx,
            `DELETE FROM indicator_values WHERE indicator_id IN (${indicators.map(() => '?').join(', ')})`,
            [...indicators],
          );
        }
        return insertValueRows(tx, 'indicator_values', noted, origin);
      },
      () => changed,
    );
  }

  async replaceValuesIn(
    scope: ValueScope,
    chunks: AsyncIterable<readonly IndicatorValue[]>,
    origin: string,
  ): Promise<number> {
    const marks = (values: readonly string[]) => values.map(() => '?').join(', ');
    const inScope = `indicator_id IN (${marks(scope.indicators)})${scope.periods ? ` AND period IN (${marks(scope.periods)})` : ''}`;
    const indicators = new Set(scope.indicators);
    const periods = scope.periods ? new Set(scope.periods) : undefined;
    return this.write(
      async (tx) => {
        if (scope.indicators.length > 0 && scope.periods?.length !== 0) {
          await run(tx, `DELETE FROM indicator_values WHERE ${inScope}`, [
            ...scope.indicators,
            ...(scope.periods ?? []),
          ]);
        }
        let count = 0;
        for await (const chunk of chunks) {
          const outside = chunk.filter((v) => !indicators.has(v.indicator) || (periods && !periods.has(v.period)));
          if (outside.length > 0) throw new Error(`replaceValuesIn: ${outside.length} row(s) lie outside the scope`);
          count += await insertValueRows(tx, 'indicator_values', chunk, origin);
        }
        return count;
      },
      () => new Set(scope.indicators.map(valuesOf)),
    );
  }

  async queryValues(query: ValueQuery): Promise<IndicatorValue[]> {
    const statement = valuesSql(query, (column) => `${column} COLLATE "C"`);
    return statement ? toValues(await this.rows(statement.sql, statement.params), query.full) : [];
  }

  /** Stages import rows in this transaction and compares them with the stored values (table import_diff). */
  private async stage(tx: pg.PoolClient, rows: Iterable<IndicatorValue>): Promise<void> {
    await tx.query(`CREATE TEMP TABLE import_staging (${STAGING_COLUMNS}) ON COMMIT DROP`);
    await insertValueRows(tx, 'import_staging', rows);
    await tx.query(importDiffSql('CREATE TEMP TABLE').replace('import_diff AS', 'import_diff ON COMMIT DROP AS'));
  }

  async diffImport(rows: Iterable<IndicatorValue>): Promise<ImportDiff> {
    const tx = await this.db.connect();
    let broken = false;
    try {
      await tx.query('BEGIN');
      await this.stage(tx, rows);
      return await readImportDiff((sql, params) => queryRows(tx, sql, params), collated);
    } finally {
      await tx.query('ROLLBACK').catch(() => (broken = true));
      tx.release(broken);
    }
  }

  async applyImport(
    meta: ImportMeta,
    rows: Iterable<IndicatorValue>,
    resuppress: readonly IndicatorValue[] = [],
  ): Promise<ImportDiff & { importId: number | null }> {
    let result: (ImportDiff & { importId: number | null }) | undefined;
    let changed: Topics | undefined;
    // The diff is taken under the write lock, so that two servers importing at once each compare with what the
    // other wrote; an import that changes nothing is rolled back and leaves the data version as it was.
    await this.write(
      async (tx) => {
        const sql = (text: string, params?: readonly unknown[]) => queryRows(tx, text, params);
        await this.stage(tx, rows);
        const diff = await readImportDiff(sql, collated);
        if (diff.inserted + diff.changed === 0) {
          result = { ...diff, importId: null };
          return false;
        }
        if (resuppress.length > 0) {
          await tx.query(`CREATE TEMP TABLE resuppress_staging (${STAGING_COLUMNS}) ON COMMIT DROP`);
          await insertValueRows(tx, 'resuppress_staging', resuppress);
        }
        // The import list and the values of every indicator in the import (disclosure control changes only those).
        const imported = await sql("SELECT DISTINCT indicator_id AS id FROM import_diff WHERE change <> 'unchanged'");
        const indicators = [...imported.map((r) => String(r.id)), ...resuppress.map((v) => v.indicator)];
        changed = new Set([IMPORTS, ...indicators.map(valuesOf)]);
        const importId = await writeImport(sql, meta, diff, resuppress.length > 0 ? 'resuppress_staging' : undefined);
        result = { ...diff, importId };
        return true;
      },
      () => changed,
    );
    return result as ImportDiff & { importId: number | null };
  }

  async listImports(): Promise<ImportRecord[]> {
    return (await this.rows(LIST_IMPORTS_SQL)).map(toImportRecord);
  }

  async storedValueCounts(indicator: string, units?: readonly string[]): Promise<StoredValueCounts> {
    const { sql, params } = valueCountsSql(indicator, units);
    return toValueCounts((await this.rows(sql, params))[0]);
  }

  async valueHistory(query: ValueHistoryQuery): Promise<ValueRevision[]> {
    const { sql, params } = valueHistorySql(query, (column) => `${column} COLLATE "C"`);
    return (await this.rows(sql, params)).map(toValueRevision);
  }

  async saveLocalGoalSet(goalSet: GoalSet, links: readonly GoalLink[]): Promise<void> {
    await this.write(async (tx) => {
      const [clash] = await queryRows(tx, "SELECT id FROM goal_sets WHERE id = ? AND origin = 'catalogue'", [
        goalSet.id,
      ]);
      if (clash)
        throw new UserError(`A catalogue goal set is already called '${goalSet.id}'`, {
          status: 409,
          hint: 'Choose another id.',
        });
      await run(tx, "DELETE FROM goal_sets WHERE id = ? AND origin = 'local'", [goalSet.id]);
      await run(tx, "DELETE FROM targets WHERE goal_set_id = ? AND origin = 'local'", [goalSet.id]);
      const goalIds = goalSet.goals.map((g) => g.id);
      if (goalIds.length) {
        await run(
          tx,
          `DELETE FROM goal_links WHERE origin = 'local' AND from_goal IN (${goalIds.map(() => '?').join(', ')})`,
          goalIds,
        );
      }
      await run(
        tx,
        "INSERT INTO goal_sets (id, level, unit_code, definition, position, origin) VALUES (?, ?, ?, ?, 0, 'local')",
        [goalSet.id, goalSet.level, goalSet.unit, JSON.stringify(goalSet)],
      );
      for (const { goalId, target } of goalSet.goals.flatMap((g) =>
        g.targets.map((t) => ({ goalId: g.id, target: t })),
      )) {
        await run(
          tx,
          "INSERT INTO targets (id, goal_set_id, goal_id, indicator_id, kind, definition, position, origin) VALUES (?, ?, ?, ?, ?, ?, 0, 'local')",
          [target.id, goalSet.id, goalId, target.indicator, target.kind, JSON.stringify(target)],
        );
      }
      for (const link of links) {
        await run(
          tx,
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

  // ---------- the quality plan (sql-quality-plan.ts) ----------
  listQualityStandards: Store['listQualityStandards'] = () => this.qualityPlan.listQualityStandards();
  getQualityStandard: Store['getQualityStandard'] = (id) => this.qualityPlan.getQualityStandard(id);
  queryCompliance: Store['queryCompliance'] = (query) => this.qualityPlan.queryCompliance(query);
  diffCompliance: Store['diffCompliance'] = (records) => this.qualityPlan.diffCompliance(records);
  applyComplianceImport: Store['applyComplianceImport'] = (meta, records) =>
    this.qualityPlan.applyComplianceImport(meta, records);
  listComplianceImports: Store['listComplianceImports'] = () => this.qualityPlan.listComplianceImports();
  complianceHistory: Store['complianceHistory'] = (query) => this.qualityPlan.complianceHistory(query);

  async advanceDataVersion(floor: number): Promise<number> {
    await this.write(async (tx) => {
      await tx.query('UPDATE data_version SET version = GREATEST(version, $1::bigint)', [floor]);
    });
    return this.dataVersion();
  }

  async dataVersion(): Promise<number> {
    const [row] = await this.rows('SELECT version FROM data_version');
    return Number(row?.version ?? 0);
  }

  /** From the log in the database (postgres-changes.ts), which the writes of every server on it fill. */
  async changesBetween(from: number, to: number): Promise<string[] | undefined> {
    return changesBetween(this.db, from, to);
  }

  /** Nothing to do: PostgreSQL makes every committed transaction durable through its write-ahead log. */
  async checkpoint(): Promise<void> {}

  async close(): Promise<void> {
    await this.db.end();
  }

  private rows(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return queryRows(this.db, sql, params);
  }

  /**
   * Runs `work` in one transaction on one connection, holding the write lock; commits and advances the data
   * version unless `work` returns false (nothing to write), rolls back on any error. `changed` says, once `work`
   * is done, what it changed (default: anything); the new version's change is recorded in the same transaction.
   */
  private async write<T>(work: (tx: pg.PoolClient) => Promise<T>, changed?: () => Topics | undefined): Promise<T> {
    const tx = await this.db.connect();
    // A connection that cannot even roll back is closed instead of going back to the pool.
    let broken = false;
    try {
      await tx.query('BEGIN');
      await tx.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
      const result = await work(tx);
      if (result === false) {
        await tx.query('ROLLBACK');
        return result;
      }
      const [row] = await queryRows(tx, 'UPDATE data_version SET version = version + 1 RETURNING version');
      await recordChange(tx, Number(row?.version), changed?.());
      await tx.query('COMMIT');
      return result;
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => (broken = true));
      if ((error as { code?: string }).code === READ_ONLY_TRANSACTION) {
        throw new UserError('This server reads from a PostgreSQL read replica and cannot change the store', {
          status: 503,
          hint: 'Send changes (imports, goal sets, engine runs) to a server on the primary database.',
        });
      }
      throw error;
    } finally {
      tx.release(broken);
    }
  }
}

/** A text column ordered byte by byte, as the embedded store orders it. */
const collated = (column: string) => `${column} COLLATE "C"`;

async function run(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<void> {
  await queryRows(db, sql, params);
}

async function insertUnit(db: Queryable, u: OrgUnit, position: number, origin: string): Promise<void> {
  await run(
    db,
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

async function insertGrouping(db: Queryable, g: Grouping, position: number, origin: string): Promise<void> {
  await run(
    db,
    'INSERT INTO org_unit_groupings (id, group_type, partitions_persons, origin, definition, position) VALUES (?, ?, ?, ?, ?, ?)',
    [g.id, g.groupType, g.partitionsPersons, origin, JSON.stringify(g), position],
  );
}
