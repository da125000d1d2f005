// Public face of the register engine.

export { type BaseTableNeeds, prepareRegister } from './base-tables.js';
export { compileRecipe, compileSharedCells, normaliseDiagnosisCode } from './compile-recipe.js';
export {
  baseTableNeeds,
  type ComputeOptions,
  type ComputeSummary,
  computeRegisterIndicators,
  periodsOf,
} from './compute.js';
export {
  defaultMemoryLimit,
  type EngineDatabaseOptions,
  openEngineDatabase,
  parseMemoryLimit,
} from './engine-database.js';
export { loadRecipes, type Recipe, recipeSchema } from './recipe.js';
export { AGE_GROUPS, EDUCATION_LEVELS, TABLES } from './register-input.js';
export { writeSyntheticRegistry } from './synthetic-registry.js';
export { createUnitMap, type UnitMapRow, unitMapRows } from './unit-map.js';
