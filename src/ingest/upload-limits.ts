// Limits on uploaded tables, so one file cannot take the server's memory or time; each refusal names the
// limit and how to split the file.
import { UserError } from '../domain/errors.js';

export const UPLOAD_LIMITS = {
  /** Sum of the uncompressed sizes of an XLSX file's parts. */
  xlsxUncompressedBytes: 256 * 1024 * 1024,
  /** Data rows in one file. */
  rows: 2_000_000,
  /** Columns in one row. */
  columns: 2_000,
  /** Characters in one CSV line. */
  lineChars: 100_000,
  /** Characters in one cell. */
  cellChars: 10_000,
  /** Memory (old generation) of the thread that reads one upload. */
  parserMemoryMb: 3_072,
} as const;

type Limit = keyof typeof UPLOAD_LIMITS;

const SPLIT_HINTS: Record<Limit, string> = {
  xlsxUncompressedBytes:
    'Split the workbook into several files (e.g. one per indicator or per year), or save it as CSV.',
  rows: 'Split the file into parts of fewer rows (e.g. one per indicator or per year) and import them one by one.',
  columns: 'Use the long layout (indicator, unit, period, value as columns) or split the periods over several files.',
  lineChars: 'Check the line ends and the separator (; or ,); a table row should be one line of the file.',
  cellChars: 'Cells hold codes, names and numbers; check that the file is the table you meant to import.',
  parserMemoryMb: 'Split the file into smaller parts and import them one by one.',
};

/**
 * The 413 problem for a file over one of the upload limits.
 * @example throw overLimit('columns', 'tal.csv', 'Row 1 has 1,000,000 columns', { row: 1 })
 */
export function overLimit(limit: Limit, fileName: string, what: string, location: { row?: number } = {}): UserError {
  return new UserError(`${fileName}: ${what}; the limit is ${describeLimit(limit)}`, {
    status: 413,
    location: { file: fileName, ...location },
    hint: SPLIT_HINTS[limit],
  });
}

function describeLimit(limit: Limit): string {
  const n = UPLOAD_LIMITS[limit];
  switch (limit) {
    case 'xlsxUncompressedBytes':
      return `${n / 1024 / 1024} MB uncompressed`;
    case 'parserMemoryMb':
      return `${n} MB of memory for reading one file`;
    case 'rows':
      return `${n.toLocaleString('en')} rows`;
    case 'columns':
      return `${n.toLocaleString('en')} columns`;
    case 'lineChars':
      return `${n.toLocaleString('en')} characters per line`;
    case 'cellChars':
      return `${n.toLocaleString('en')} characters per cell`;
  }
}
