// Public face of import and export.
export { type CsvStyle, VALUE_COLUMNS, valuesToCsv, valuesToXlsx } from './export-values.js';
