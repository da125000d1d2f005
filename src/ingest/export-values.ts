// Value rows as CSV (international or Danish), XLSX and JSON.
import ExcelJS from 'exceljs';
import type { ValueRow } from '../analysis/index.js';

export const VALUE_COLUMNS = [
  'unit',
  'period',
  'breakdown',
  'numerator',
  'denominator',
  'value',
  'ciLow',
  'ciHigh',
  'suppressed',
  'comparison',
] as const satisfies readonly (keyof ValueRow)[];

export type CsvStyle = 'international' | 'danish';

function csvCell(value: unknown, style: CsvStyle): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return style === 'danish' ? String(value).replace('.', ',') : String(value);
  const text = String(value);
  const separator = style === 'danish' ? ';' : ',';
  return text.includes(separator) || text.includes('"') || text.includes('\n')
    ? `"${text.replaceAll('"', '""')}"`
    : text;
}

/**
 * CSV with a header row: `,` and decimal point (international) or `;` and decimal comma (Danish, with BOM so
 * Excel reads the letters right).
 */
export function valuesToCsv(rows: readonly ValueRow[], style: CsvStyle = 'international'): string {
  const separator = style === 'danish' ? ';' : ',';
  const lines = [VALUE_COLUMNS.join(separator)];
  for (const row of rows) lines.push(VALUE_COLUMNS.map((c) => csvCell(row[c], style)).join(separator));
  return `${style === 'danish' ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

/** An XLSX workbook with one sheet of value rows. */
export async function valuesToXlsx(rows: readonly ValueRow[], sheetName = 'values'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow([...VALUE_COLUMNS]);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(VALUE_COLUMNS.map((c) => row[c]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
