// Public face of the catalogue: schemas, types and the loader.

export {
  type CatalogueProblem,
  DEFAULT_CATALOGUE_DIR,
  formatProblem,
  loadCatalogue,
} from './load-catalogue.js';
export { targetsOf, unitsInScope } from './queries.js';
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
  targetUnits,
  type UnitStructure,
  unitsAt,
  withMembers,
} from './unit-structure.js';
