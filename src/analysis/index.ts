// Public face of the analysis layer.

export {
  type ComparisonLevel,
  funnelOf,
  INEQUALITY_ORDER,
  type InequalityDimension,
  inequalityOf,
  learnFrom,
  trendOf,
  unitsForPeriod,
} from './comparisons.js';
export { evaluateStoredTarget, evaluateTargetForScope, scopeOf } from './evaluate-targets.js';
export { type Fifth, type GeographicInequality, geographicInequality } from './geographic-inequality.js';
export { loadUnitStructure } from './load-unit-structure.js';
export { type OverviewParts, overviewOf, overviewParts } from './overview.js';
export {
  type ComplianceArea,
  type ComplianceCounts,
  type ComplianceView,
  complianceShares,
  complianceView,
  countStatuses,
  type MatrixRow,
} from './quality-plan.js';
export { europeanStandardPopulation, standardisedRates, standardPopulation } from './standardised-rates.js';
export { evaluateTarget, type SeriesPoint, type TargetEvaluation, type Verdict } from './target-evaluation.js';
export { intervalOf, type ValueRow, valueRows } from './value-rows.js';
