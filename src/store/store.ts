// The Store interface: the only way the rest of Pejling reads and writes stored data.
import type { Catalogue, GoalLink, GoalSet, Indicator, OrgUnit, OrgUnitGroup, Target } from '../catalogue/index.js';

/** One stored indicator value for a unit, period and breakdown (`total`, `sex:F`, `age_group:65-69`, …). */
export interface IndicatorValue {
  indicator: string;
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  /** True when a count of 1-4 persons (or a cell that would reveal one) is hidden. */
  suppressed: boolean;
}

export interface ValueQuery {
  indicator: string;
  unit?: string | readonly string[];
  period?: string;
  breakdown?: string;
}

/** Which stored values a partial replacement covers: these indicators, and if `periods` is given only those. */
export interface ValueScope {
  indicators: readonly string[];
  periods?: readonly string[];
}

export interface StoredTarget {
  goalSetId: string;
  goalId: string;
  target: Target;
}

export interface OrgUnitQuery {
  /** Only units valid on this ISO date (default: all units, whatever their dates). */
  at?: string;
  type?: OrgUnit['type'];
}

export interface ImportMeta {
  actor: string;
  fileName: string;
  sha256: string;
  note?: string;
  rowsInFile: number;
}

export interface ImportDiff {
  inserted: number;
  changed: number;
  unchanged: number;
  /** Up to 50 examples of changed values: stored → new. */
  examples: {
    indicator: string;
    unit: string;
    period: string;
    breakdown: string;
    before: number | null;
    after: number | null;
  }[];
}

export interface ImportRecord extends ImportMeta {
  id: number;
  importedAt: string;
  inserted: number;
  changed: number;
  unchanged: number;
}

export interface ValueRevision extends IndicatorValue {
  importId: number;
  recordedAt: string;
  fileName: string;
  sha256: string;
  actor: string;
  note: string | null;
  current: boolean;
}

export interface StoreInfo {
  schemaVersion: number;
  valueCount: number;
  indicatorsWithValues: number;
}

/**
 * Stored goals, units, indicators and values. Implemented by `store/duckdb` (embedded, the default);
 * SQL stays portable so that a PostgreSQL port can implement the same interface.
 */
export interface Store {
  readonly location: string;
  /** Applies pending schema migrations; returns the schema version reached. */
  migrate(): Promise<number>;
  /** Replaces the catalogue (units, indicators, goal sets, links) in one transaction. */
  replaceCatalogue(catalogue: Catalogue): Promise<void>;
  listGoalSets(): Promise<GoalSet[]>;
  getGoalSet(id: string): Promise<GoalSet | undefined>;
  listOrgUnits(query?: OrgUnitQuery): Promise<OrgUnit[]>;
  listGroups(): Promise<OrgUnitGroup[]>;
  listIndicators(): Promise<Indicator[]>;
  getIndicator(id: string): Promise<Indicator | undefined>;
  listLinks(): Promise<GoalLink[]>;
  listTargets(): Promise<StoredTarget[]>;
  getTarget(id: string): Promise<StoredTarget | undefined>;
  /** Replaces every stored value of the given indicators with `rows`, in one transaction. */
  replaceValues(indicators: readonly string[], rows: Iterable<IndicatorValue>, origin: string): Promise<number>;
  /**
   * Replaces the stored values within `scope` with `chunks` (read one chunk at a time, so the rows need never be
   * in memory together) in one transaction; values outside the scope stay. Every row must lie inside the scope.
   * Returns the number of rows written.
   */
  replaceValuesIn(scope: ValueScope, chunks: AsyncIterable<readonly IndicatorValue[]>, origin: string): Promise<number>;
  queryValues(query: ValueQuery): Promise<IndicatorValue[]>;
  /** What importing these rows would change, without writing. */
  diffImport(rows: readonly IndicatorValue[]): Promise<ImportDiff>;
  /** Writes imported rows in one transaction: new and changed values get a revision; unchanged ones nothing. */
  applyImport(meta: ImportMeta, rows: readonly IndicatorValue[]): Promise<ImportDiff & { importId: number | null }>;
  listImports(): Promise<ImportRecord[]>;
  /** Every imported version of the matching values, newest first. */
  valueHistory(query: {
    indicator: string;
    unit?: string;
    period?: string;
    breakdown?: string;
  }): Promise<ValueRevision[]>;
  /** Adds (or replaces) a goal set made by a region or municipality, kept when the catalogue is reloaded. */
  saveLocalGoalSet(goalSet: GoalSet, links: readonly GoalLink[]): Promise<void>;
  info(): Promise<StoreInfo>;
  /** Writes everything to the main file (no pending write-ahead log). */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}
