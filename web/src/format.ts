// Numbers as Danes read them (decimal comma, thousands dots), or English when chosen.
import type { Lang } from './i18n';

const formats = new Map<string, Intl.NumberFormat>();

/** Formats a number with `digits` decimals: 10,4 in Danish, 10.4 in English. */
export function formatNumber(value: number | null | undefined, lang: Lang, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const key = `${lang}:${digits}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formats.set(key, f);
  }
  return f.format(value);
}

/** A citation as readers know it: the document's title and section, never an internal id. */
export function citationOf(source: { document: string; section?: string; citation?: string } | undefined): string {
  if (!source) return '–';
  return source.citation ?? [source.document, source.section].filter(Boolean).join(', ');
}

/** Sensible decimals for a value: more for small numbers. */
export function digitsFor(value: number | null | undefined): number {
  if (value === null || value === undefined) return 1;
  const a = Math.abs(value);
  return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}
