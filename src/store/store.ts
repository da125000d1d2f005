// The Store interface: the only way the rest of Pejling reads and writes stored data.

import type {
  Catalogue,
  GoalLink,
  GoalSet,
  Grouping,
  Indicator,
  OrgUnit,
  OrgUnitGroup,
  Target,
} from '../catalogue/index.js';
import type { AccountStore } from './accounts.js';
import type { QualityPlanStore } from './quality-plan-store.js';

/** One stored indicator value for a unit, period and breakdown (`total`, `sex:F`, `age_group:65-69`, …). */
export interface IndicatorValue {
  indicator: string;
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  /** True when a count of 1-4 persons (or a cell that would reveal one) is hidden in the published view. */
  suppressed: boolean;
  /** True for made-up demo values (imported with `synthetic`); absent or false for measured ones. */
  synthetic?: boolean;
}

export interface ValueQuery {
  indicator: string;
  unit?: string | readonly string[];
  period?: string;
  breakdown?: string;
  /**
   * Full numbers of suppressed cells too, for authorised recomputation (disclosure control, imports) only.
   * Default false: the published view, in which a suppressed cell has no value, numerator or denominator.
   */
  full?: boolean;
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
  /**
   * Only units valid on this ISO date, each with its parent on that date (default: all units, whatever their
   * dates, with their catalogue parent).
   */
  at?: string;
  type?: OrgUnit['type'];
}

export interface ImportMeta {
  actor: string;
  fileName: string;
  sha256: string;
  note?: string;
  rowsInFile: number;
  /** The rows are synthetic demo values: stored with origin `synthetic`, so every reader can mark them. */
  synthetic?: boolean;
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

/** Counts among the stored values of one indicator, so that an import can skip work that cannot change anything. */
export interface StoredValueCounts {
  values: number;
  /** Values with both a numerator and a denominator (the ones group units can be summed from). */
  withNumeratorAndDenominator: number;
  /** Values with a numerator, and values with a denominator (a table without either has no count to protect). */
  withNumerator: number;
  withDenominator: number;
  /** Values with a count of 1-4 in the numerator, or in the denominator (what disclosure control protects). */
  smallNumerator: number;
  smallDenominator: number;
  /** Values marked suppressed. */
  suppressed: number;
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
 * Stored goals, units, indicators and values. Implemented by `store/duckdb` (embedded, the default) and
 * `store/postgres` (server mode, several servers on one database); both run the same migrations.
 */
export interface Store extends QualityPlanStore {
  readonly location: string;
  /** Users, API tokens, sessions, region rights and the audit trail. */
  readonly accounts: AccountStore;
  /** Applies pending schema migrations; returns the schema version reached. */
  migrate(): Promise<number>;
  /** Replaces the catalogue (units, indicators, goal sets, links) in one transaction. */
  replaceCatalogue(catalogue: Catalogue): Promise<void>;
  listGoalSets(): Promise<GoalSet[]>;
  getGoalSet(id: string): Promise<GoalSet | undefined>;
  listOrgUnits(query?: OrgUnitQuery): Promise<OrgUnit[]>;
  listGroups(): Promise<OrgUnitGroup[]>;
  /** Groupings (dated memberships of units in group units): the catalogue's and imported ones. */
  listGroupings(): Promise<Grouping[]>;
  /**
   * Adds or replaces an imported grouping and the group units it brings, in one transaction; kept when the
   * catalogue is reloaded (a catalogue grouping of the same id is replaced by it).
   */
  saveGrouping(grouping: Grouping, newUnits: readonly OrgUnit[]): Promise<void>;
  listIndicators(): Promise<Indicator[]>;
  getIndicator(id: string): Promise<Indicator | undefined>;
  listLinks(): Promise<GoalLink[]>;
  listTargets(): Promise<StoredTarget[]>;
  getTarget(id: string): Promise<StoredTarget | undefined>;
  /** Replaces every stored value of the given indicators with `rows` (full numbers and `suppressed` flags), in one transaction. */
  replaceValues(indicators: readonly string[], rows: Iterable<IndicatorValue>, origin: string): Promise<number>;
  /**
   * Replaces the stored values within `scope` with `chunks` (read one chunk at a time, so the rows need never be
   * in memory together) in one transaction; values outside the scope stay. Every row must lie inside the scope.
   * Returns the number of rows written.
   */
  replaceValuesIn(scope: ValueScope, chunks: AsyncIterable<readonly IndicatorValue[]>, origin: string): Promise<number>;
  /** Stored values as published (suppressed cells without numbers), or in full with `full: true`. */
  queryValues(query: ValueQuery): Promise<IndicatorValue[]>;
  /** What importing these rows would change, without writing. */
  diffImport(rows: Iterable<IndicatorValue>): Promise<ImportDiff>;
  /**
   * Writes imported rows in one transaction: new and changed values get a revision; unchanged ones nothing.
   * `resuppress` sets the `suppressed` flag of already stored cells in the same transaction (disclosure control
   * rechecks the whole table of an indicator on every import); it makes no revision.
   */
  applyImport(
    meta: ImportMeta,
    rows: Iterable<IndicatorValue>,
    resuppress?: readonly IndicatorValue[],
  ): Promise<ImportDiff & { importId: number | null }>;
  listImports(): Promise<ImportRecord[]>;
  /** Counts among the stored values of `indicator` (of `units` only, if given); see StoredValueCounts. */
  storedValueCounts(indicator: string, units?: readonly string[]): Promise<StoredValueCounts>;
  /** Every imported version of the matching values, newest first; numbers hidden where the cell is suppressed now or was then. */
  valueHistory(query: {
    indicator: string;
    unit?: string;
    period?: string;
    breakdown?: string;
  }): Promise<ValueRevision[]>;
  /** Adds (or replaces) a goal set made by a region or municipality, kept when the catalogue is reloaded. */
  saveLocalGoalSet(goalSet: GoalSet, links: readonly GoalLink[]): Promise<void>;
  info(): Promise<StoreInfo>;
  /**
   * A counter bumped inside every write transaction (catalogue, values, import, local goal set, restore):
   * equal versions mean equal data, so answers and ETags can be keyed on it.
   */
  dataVersion(): Promise<number>;
  /**
   * What the writes after version `from` up to `to` changed, as topics (data-change.ts); undefined when not known
   * (then everything counts as changed). Lets readers keep answers that read nothing a write changed.
   */
  changesBetween?(from: number, to: number): Promise<readonly string[] | undefined>;
  /** Moves the data version past `floor` (after a restore, so a version number never means two states). */
  advanceDataVersion(floor: number): Promise<number>;
  /** Writes everything to the main file (no pending write-ahead log). */
  checkpoint(): Promise<void>;
  /** Copies the whole store to a file of its own kind, consistent at one moment (a DuckDB store file only). */
  backupTo?(file: string): Promise<void>;
  close(): Promise<void>;
}
