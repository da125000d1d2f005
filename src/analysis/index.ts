// Public face of the analysis layer.
export { intervalOf, type ValueRow, valueRows } from './value-rows.js';
