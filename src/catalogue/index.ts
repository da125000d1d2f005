// Public face of the catalogue: schemas, types and the loader.

export {
  type CatalogueProblem,
  DEFAULT_CATALOGUE_DIR,
  formatProblem,
  loadCatalogue,
} from './load-catalogue.js';
export { partitionsOf, targetsOf, unitsInScope } from './queries.js';
export * from './schema.js';
