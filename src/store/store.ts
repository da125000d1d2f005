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
  queryValues(query: ValueQuery): Promise<IndicatorValue[]>;
  info(): Promise<StoreInfo>;
  close(): Promise<void>;
}
