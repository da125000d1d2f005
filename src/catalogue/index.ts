// Public face of the catalogue: schemas, types and the loader.

export {
  type CatalogueProblem,
  citeSource,
  DEFAULT_CATALOGUE_DIR,
  formatProblem,
  loadCatalogue,
} from './load-catalogue.js';
export { citationOf, targetsOf, unitsInScope } from './queries.js';
export * from './schema.js';
