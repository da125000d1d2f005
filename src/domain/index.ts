// Public face of the domain: pure types and rules.

export * from './breakdowns.js';
export * from './errors.js';
export * from './period.js';
