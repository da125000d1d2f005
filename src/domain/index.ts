// Public face of the domain: pure types and rules.
export * from './errors.js';
export * from './period.js';
export * from './suppression.js';
