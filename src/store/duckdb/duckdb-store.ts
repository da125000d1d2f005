// The embedded store: the Store interface on one DuckDB file.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Catalogue, GoalLink, GoalSet, Indicator, OrgUnit, OrgUnitGroup } from '../../catalogue/index.js';
import { targetsOf } from '../../catalogue/index.js';
import { MIGRATIONS } from '../migrations.js';
import type { IndicatorValue, OrgUnitQuery, Store, StoredTarget, StoreInfo, ValueQuery } from '../store.js';
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
      for (const table of [
        'org_units',
        'org_unit_groups',
        'org_unit_group_members',
        'indicators',
        'goal_sets',
        'targets',
        'goal_links',
      ]) {
        await this.run(`DELETE FROM ${table}`);
      }
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
        await this.run('INSERT INTO goal_sets VALUES (?, ?, ?, ?, ?)', [
          set.id,
          set.level,
          set.unit,
          JSON.stringify(set),
          i,
        ]);
      }
      for (const [i, { goalSetId, goalId, target }] of targetsOf(catalogue.goalSets).entries()) {
        await this.run('INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?)', [
          target.id,
          goalSetId,
          goalId,
          target.indicator,
          target.kind,
          JSON.stringify(target),
          i,
        ]);
      }
      for (const [i, link] of catalogue.links.entries()) {
        await this.run('INSERT INTO goal_links VALUES (?, ?, ?, ?, ?)', [
          link.from,
          link.to,
          link.theme,
          JSON.stringify(link),
          i,
        ]);
      }
    });
  }

  async listGoalSets(): Promise<GoalSet[]> {
    return (await this.rows('SELECT definition FROM goal_sets ORDER BY position')).map(parseDefinition<GoalSet>);
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
    return (await this.rows('SELECT definition FROM goal_links ORDER BY position')).map(parseDefinition<GoalLink>);
  }

  async listTargets(): Promise<StoredTarget[]> {
    const rows = await this.rows('SELECT goal_set_id, goal_id, definition FROM targets ORDER BY position');
    return rows.map(toStoredTarget);
  }

  async getTarget(id: string): Promise<StoredTarget | undefined> {
    const [row] = await this.rows('SELECT goal_set_id, goal_id, definition FROM targets WHERE id = ?', [id]);
    return row ? toStoredTarget(row) : undefined;
  }

  async replaceValues(indicators: readonly string[], rows: Iterable<IndicatorValue>, origin: string): Promise<number> {
    let count = 0;
    await this.run(`CREATE OR REPLACE TEMP TABLE staging_values (
      indicator_id VARCHAR, unit_code VARCHAR, period VARCHAR, breakdown VARCHAR,
      numerator DOUBLE, denominator DOUBLE, value DOUBLE, suppressed BOOLEAN)`);
    const appender = await this.connection.createAppender('staging_values', 'main', 'temp');
    const appendNumber = (n: number | null) =>
      n === null || !Number.isFinite(n) ? appender.appendNull() : appender.appendDouble(n);
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
    appender.closeSync();
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
    return rows.map((r) => ({
      indicator: String(r.indicator_id),
      unit: String(r.unit_code),
      period: String(r.period),
      breakdown: String(r.breakdown),
      numerator: (r.numerator as number | null) ?? null,
      denominator: (r.denominator as number | null) ?? null,
      value: (r.value as number | null) ?? null,
      suppressed: Boolean(r.suppressed),
    }));
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
