// Public face of import and export.
export { type CsvStyle, VALUE_COLUMNS, valuesToCsv, valuesToXlsx } from './export-values.js';
export {
  formatImportReport,
  type ImportOptions,
  type ImportProblem,
  type ImportReport,
  importAggregates,
  unitResolver,
} from './import-aggregates.js';
export {
  COMPLIANCE_COLUMNS,
  type ComplianceImportOptions,
  type ComplianceImportReport,
  type ComplianceProblem,
  formatComplianceReport,
  importCompliance,
} from './import-compliance.js';
export { GROUPING_COLUMNS, type GroupingImportOptions, groupingFromGrid } from './import-grouping.js';
export { addLocalGoalSet } from './local-goals.js';
export { parseNumber } from './parse-number.js';
export { MAX_IMPORT_BYTES, readTable } from './read-table.js';
export {
  importSyntheticAggregates,
  type SyntheticAggregate,
  syntheticAggregatesCsv,
} from './synthetic-aggregates.js';
export { importDemoCompliance, syntheticComplianceCsv } from './synthetic-compliance.js';
