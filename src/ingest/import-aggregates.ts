// Imports aggregate indicator values: read, interpret, validate everything before writing, then write in one
// transaction with a revision for every new or changed value.
import { createHash } from 'node:crypto';
import type { Indicator, OrgUnit } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { normalisePeriod, parsePeriod } from '../domain/period.js';
import { SMALL_COUNT_MAX, SMALL_COUNT_MIN } from '../domain/suppression.js';
import type { ImportDiff, IndicatorValue, Store } from '../store/index.js';
import { detectLayout, type Layout, readRows } from './aggregate-layout.js';
import { parseNumber } from './parse-number.js';
import { type ReadOptions, readTable } from './read-table.js';

export interface ImportProblem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface ImportOptions extends ReadOptions {
  /** Indicator for files without an indicator column. */
  indicator?: string;
  dryRun?: boolean;
  actor?: string;
  note?: string;
  /** Progress: the step starting and the rough share of the work done before it (0-1; 1 when finished). */
  onProgress?: (step: string, share: number) => void;
}

export interface ImportReport {
  file: string;
  sha256: string;
  format: string;
  layout: Layout;
  delimiter?: string;
  decimal: string;
  encoding?: string;
  rowsInFile: number;
  values: number;
  problems: ImportProblem[];
  dryRun: boolean;
  written: boolean;
  importId: number | null;
  diff: ImportDiff | null;
}

const BREAKDOWN = /^(total|sex:(M|F)|age_group:(\d{1,2}-\d{1,2}|85\+)|education:(basic|vocational|higher|unknown))$/;
const MAX_PROBLEMS = 1000;

/** Unit lookup by code (101, 0101, DK, 1082) or Danish/English name (København, Region Midtjylland, Hele landet). */
export function unitResolver(units: readonly OrgUnit[]): (text: string) => string | undefined {
  const byKey = new Map<string, string>();
  const key = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/\s+kommune$/, '')
      .replace(/\s+/g, ' ');
  for (const u of units) {
    byKey.set(key(u.code), u.code);
    byKey.set(key(u.name), u.code);
    if (u.nameEn) byKey.set(key(u.nameEn), u.code);
  }
  for (const alias of ['hele landet', 'danmark', 'denmark', 'dk', 'landet']) byKey.set(alias, 'DK');
  const cache = new Map<string, string | undefined>();
  return (text) => {
    if (cache.has(text)) return cache.get(text);
    const trimmed = text.trim();
    const code = /^\d+$/.test(trimmed) ? byKey.get(String(Number(trimmed))) : byKey.get(key(trimmed));
    cache.set(text, code);
    return code;
  };
}

/** Formats a report as text lines for the CLI. */
export function formatImportReport(report: ImportReport): string {
  const lines = [
    `${report.file}: ${report.format}${report.delimiter ? ` (separator '${report.delimiter === '\t' ? 'tab' : report.delimiter}', decimal '${report.decimal}'${report.encoding ? `, ${report.encoding}` : ''})` : ''}, ${report.layout} layout, ${report.rowsInFile} rows, ${report.values} values`,
  ];
  if (report.problems.length) {
    lines.push(
      `${report.problems.length}${report.problems.length >= MAX_PROBLEMS ? '+' : ''} problem(s); nothing was written:`,
    );
    for (const p of report.problems) lines.push(`  row ${p.row}, column ${p.column}: '${p.value}' ${p.reason}`);
    return lines.join('\n');
  }
  const d = report.diff;
  if (d) {
    lines.push(
      `${report.dryRun ? 'Would write' : report.written ? 'Wrote' : 'Nothing to write'}: ${d.inserted} new, ${d.changed} changed, ${d.unchanged} unchanged values`,
    );
    for (const e of d.examples.slice(0, 10))
      lines.push(`  ${e.indicator} ${e.unit} ${e.period} ${e.breakdown}: ${e.before} → ${e.after}`);
    if (report.importId !== null) lines.push(`Revision ${report.importId} (SHA-256 ${report.sha256.slice(0, 12)}…)`);
  }
  return lines.join('\n');
}

/**
 * Imports one file of aggregate values. A file with any problem writes nothing; importing the same file again
 * changes nothing.
 * @example await importAggregates(store, 'tal.csv', bytes, { indicator: 'patient-satisfaction' })
 */
export async function importAggregates(
  store: Store,
  fileName: string,
  bytes: Uint8Array,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const progress = options.onProgress ?? (() => {});
  progress(`Reading ${fileName}`, 0);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const grid = await readTable(fileName, bytes, options);
  const layout = detectLayout(grid);
  const raw = readRows(grid, layout);
  progress(`Checking ${raw.length.toLocaleString('da-DK')} rows`, 0.3);
  const indicators = new Map((await store.listIndicators()).map((i) => [i.id, i]));
  const resolveUnit = unitResolver(await store.listOrgUnits());
  const problems: ImportProblem[] = [];
  const problem = (row: number, column: string | undefined, value: string | undefined, reason: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ row, column: column ?? '(none)', value: value ?? '', reason });
  };
  if (options.indicator && !indicators.has(options.indicator)) {
    throw new UserError(`Unknown indicator '${options.indicator}'`, {
      hint: 'GET /api/indicators or `pejling catalogue list` lists them.',
    });
  }
  if (layout === 'long' && grid.rows.length > 0 && !raw[0]?.columns.period) {
    throw new UserError(`${fileName} has neither a period column nor periods as column headers`, {
      hint: 'Long layout: indicator, unit, period, breakdown, numerator, denominator, value. Wide layout: unit, 2023, 2024 … (or 2023K1, 2023M01).',
    });
  }
  if (!raw[0]?.columns.indicator && !options.indicator && raw.length > 0) {
    throw new UserError(`${fileName} has no indicator column`, {
      hint: 'Add an indicator column or give --indicator ID.',
    });
  }

  const values: IndicatorValue[] = [];
  const seen = new Map<string, number>();
  const periods = new Map<string, { period: string | undefined; type: string | undefined }>();
  const periodOf = (text: string) => {
    let p = periods.get(text);
    if (!p) {
      const period = normalisePeriod(text);
      p = { period, type: period ? parsePeriod(period)?.type : undefined };
      periods.set(text, p);
    }
    return p;
  };
  for (const r of raw) {
    const indicatorId = r.indicator || options.indicator || '';
    const indicator: Indicator | undefined = indicators.get(indicatorId);
    if (!indicator) {
      problem(r.row, r.columns.indicator, indicatorId, 'is not a known indicator');
      continue;
    }
    if (indicator.origin === 'register') {
      problem(
        r.row,
        r.columns.indicator ?? '(--indicator)',
        indicatorId,
        'is computed from register data; importing it would conflict with the computed values',
      );
      continue;
    }
    const unit = resolveUnit(r.unit);
    if (!unit)
      problem(r.row, r.columns.unit, r.unit, 'is not a known unit (use a code like 101 or a name like København)');
    const { period, type } = periodOf(r.period);
    if (!period)
      problem(r.row, r.columns.period, r.period, 'is not a period (2024, 2024Q1 or 2024K1, 2024M01, 2024W05)');
    else {
      if (type && !indicator.periodTypes.includes(type as 'year'))
        problem(
          r.row,
          r.columns.period,
          r.period,
          `is a ${type}; ${indicator.id} is reported by ${indicator.periodTypes.join(', ')}`,
        );
    }
    if (!BREAKDOWN.test(r.breakdown))
      problem(
        r.row,
        r.columns.breakdown,
        r.breakdown,
        'is not a breakdown (total, sex:M, age_group:65-69, education:basic)',
      );
    const number = (text: string | undefined, column: string | undefined): number | null | undefined => {
      if (text === undefined) return undefined;
      const n = parseNumber(text, grid.decimal);
      if (n !== null && Number.isNaN(n)) {
        problem(r.row, column, text, `is not a number (decimal mark '${grid.decimal}')`);
        return undefined;
      }
      return n;
    };
    const numerator = number(r.numerator, r.columns.numerator);
    const denominator = number(r.denominator, r.columns.denominator);
    let value = number(r.value, r.columns.value);
    if (layout === 'wide' && value === null) continue; // ".." in a wide table: no value for that period
    for (const [n, column, text] of [
      [numerator, r.columns.numerator, r.numerator],
      [denominator, r.columns.denominator, r.denominator],
    ] as const) {
      if (typeof n === 'number' && n < 0) problem(r.row, column, text, 'is a negative count');
    }
    if (typeof numerator === 'number' && typeof denominator === 'number') {
      if (indicator.measure === 'proportion' && numerator > denominator)
        problem(r.row, r.columns.numerator, r.numerator, `is larger than the denominator (${r.denominator})`);
      if (denominator === 0) problem(r.row, r.columns.denominator, r.denominator, 'is zero');
      const computed = denominator > 0 ? (numerator / denominator) * indicator.multiplier : undefined;
      if (value === undefined || value === null) value = computed ?? null;
      else if (computed !== undefined && Math.abs(value - computed) > 0.005 * Math.max(1, Math.abs(computed))) {
        problem(
          r.row,
          r.columns.value,
          r.value,
          `does not match numerator/denominator × ${indicator.multiplier} = ${computed.toPrecision(6)}`,
        );
      }
    }
    if (value === undefined || value === null) {
      if (!problems.some((p) => p.row === r.row))
        problem(r.row, r.columns.value ?? '(value)', r.value, 'no value: give a value, or numerator and denominator');
      continue;
    }
    if (!unit || !period) continue;
    const key = `${indicator.id}\u0000${unit}\u0000${period}\u0000${r.breakdown}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problem(
        r.row,
        r.columns.unit,
        r.unit,
        `repeats ${indicator.id} ${unit} ${period} ${r.breakdown} from row ${first}`,
      );
      continue;
    }
    seen.set(key, r.row);
    const small =
      typeof numerator === 'number' &&
      numerator >= SMALL_COUNT_MIN &&
      numerator <= SMALL_COUNT_MAX &&
      indicator.measure !== 'mean';
    values.push({
      indicator: indicator.id,
      unit,
      period,
      breakdown: r.breakdown,
      numerator: small ? null : (numerator ?? null),
      denominator: denominator ?? null,
      value: small ? null : value,
      suppressed: small,
    });
  }

  const report: ImportReport = {
    file: fileName,
    sha256,
    format: grid.format,
    layout,
    decimal: grid.decimal,
    ...(grid.delimiter ? { delimiter: grid.delimiter } : {}),
    ...(grid.encoding ? { encoding: grid.encoding } : {}),
    rowsInFile: grid.rows.length,
    values: values.length,
    problems,
    dryRun: Boolean(options.dryRun),
    written: false,
    importId: null,
    diff: null,
  };
  if (problems.length > 0) return report;
  progress(options.dryRun ? 'Comparing with the stored values' : 'Writing to the store', 0.75);
  if (options.dryRun) return { ...report, diff: await store.diffImport(values) };
  const result = await store.applyImport(
    {
      actor: options.actor ?? 'unknown',
      fileName,
      sha256,
      rowsInFile: grid.rows.length,
      ...(options.note ? { note: options.note } : {}),
    },
    values,
  );
  const { importId, ...diff } = result;
  progress('Done', 1);
  return { ...report, written: importId !== null, importId, diff };
}
