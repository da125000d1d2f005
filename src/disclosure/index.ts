// Public face of disclosure control: which cells of an indicator's table are published, and which hidden.
export * from './cell.js';
export * from './count-fields.js';
export * from './dimension.js';
export * from './null-vectors.js';
export * from './practice-sums.js';
export * from './protect-table.js';
export * from './provider-sums.js';
export * from './published-view.js';
export * from './relations.js';
export * from './remainders.js';
export * from './suppress-values.js';
