// Public face of the catalogue: schemas, types and the loader.

export {
  type CatalogueProblem,
  citeSource,
  DEFAULT_CATALOGUE_DIR,
  formatProblem,
  loadCatalogue,
} from './load-catalogue.js';
export { QUALITY_STANDARDS_FOLDER, readQualityStandards } from './load-quality-standards.js';
export * from './quality-standard-schema.js';
export { citationOf, geographyOf, partitionsOf, targetsOf, unitsInScope } from './queries.js';
export * from './schema.js';
export {
  appliesToOf,
  checkGrouping,
  type GroupingProblem,
  goalSetAppliesTo,
  inForce,
  resolveScope,
  type StructurePeriod,
  structurePeriods,
  targetCovers,
  targetUnits,
  type UnitStructure,
  unitsAt,
  withMembers,
} from './unit-structure.js';
