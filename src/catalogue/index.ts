// Public face of the catalogue: schemas, types and the loader.
export * from './schema.js';
export { DEFAULT_CATALOGUE_DIR, loadCatalogue, formatProblem, type CatalogueProblem } from './load-catalogue.js';
export { targetsOf, unitsInScope } from './queries.js';
