// Numbers as Danes and others write them: "1.234,5" (decimal comma, thousands dots) or "1,234.5" / "1234.5".

/** Tokens that mean "no value" (Danmarks Statistik writes ".."). */
const MISSING = new Set(['', '..', '.', '-', 'NA', 'na', 'n/a']);

/**
 * Parses a number with the given decimal mark; null when missing, NaN when not a number.
 * @example parseNumber('1.234,5', ',') // 1234.5
 */
export function parseNumber(text: string, decimal: ',' | '.'): number | null {
  const t = text.replace(/[\s\u00a0]/g, '');
  if (MISSING.has(t)) return null;
  const pattern =
    decimal === ',' ? /^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/ : /^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][-+]?\d+)?$/;
  if (!pattern.test(t)) return Number.NaN;
  const normalised = decimal === ',' ? t.replaceAll('.', '').replace(',', '.') : t.replaceAll(',', '');
  return Number(normalised);
}
