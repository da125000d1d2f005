// Public face of the pure statistics: intervals, standardisation, comparison.
export * from './comparison.js';
export * from './distributions.js';
export * from './dsr.js';
export * from './funnel.js';
export * from './inequality.js';
export * from './intervals.js';
export * from './random.js';
export * from './trend.js';
