// Public face of the analysis layer.

export {
  type ComparisonLevel,
  funnelOf,
  inequalityOf,
  learnFrom,
  trendOf,
  unitsForPeriod,
} from './comparisons.js';
export { evaluateStoredTarget, evaluateTargetForScope, scopeOf } from './evaluate-targets.js';
export { loadUnitStructure } from './load-unit-structure.js';
export { clearOverviewCache, overviewOf } from './overview.js';
export { europeanStandardPopulation, standardisedRates, standardPopulation } from './standardised-rates.js';
export { evaluateTarget, type SeriesPoint, type TargetEvaluation, type Verdict } from './target-evaluation.js';
export { intervalOf, type ValueRow, valueRows } from './value-rows.js';
