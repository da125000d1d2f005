// Imports aggregate indicator values: read, interpret, validate everything before writing, then write in one
// transaction with a revision for every new or changed value.
import { createHash } from 'node:crypto';
import { geographyOf, type Indicator, type OrgUnit } from '../catalogue/index.js';
import { countFieldsOfMeasure, suppressValues } from '../disclosure/index.js';
import { UserError } from '../domain/errors.js';
import type { ImportDiff, IndicatorValue, Store } from '../store/index.js';
import { detectLayout, type Layout, type RawRow, readRows } from './aggregate-layout.js';
import { aggregateToGroups, groupMembers } from './aggregate-to-groups.js';
import { type ImportProblem, MAX_PROBLEMS, rowChecker, unitResolver } from './check-rows.js';
import { validateInWorker } from './import-worker-pool.js';
import { type ReadOptions, readTable } from './read-table.js';

export { FIRST_YEAR, type ImportProblem, LAST_YEAR, unitResolver } from './check-rows.js';

export interface ImportOptions extends ReadOptions {
  /** Indicator for files without an indicator column. */
  indicator?: string;
  dryRun?: boolean;
  actor?: string;
  note?: string;
  /** Progress: the step starting and the rough share of the work done before it (0-1; 1 when finished). */
  onProgress?: (step: string, share: number) => void;
  /** Mark every value of the file as synthetic (made-up demo data). */
  synthetic?: boolean;
  /** The units the importing principal may write; a file with any row outside them is refused whole (403). */
  unitScope?: { includes(unit: string): boolean; description: string };
  /** The same scope as a list of unit codes (how it reaches the worker thread that reads the file). */
  allowedUnits?: readonly string[];
  scopeDescription?: string;
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
  /** Values derived for group units (new regions, clusters) from the municipal values: summed or not available. */
  groupValues?: { aggregated: number; notAvailable: number };
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
    if (report.groupValues)
      lines.push(
        `Group units (new regions, clusters): ${report.groupValues.aggregated} values summed from their municipalities, ${report.groupValues.notAvailable} not available (a member lacks numerator or denominator)`,
      );
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
  progress(`Reading and checking ${fileName}`, 0);
  const reference = { indicators: await store.listIndicators(), units: await store.listOrgUnits() };
  // Reading and checking the file happens in a worker thread with its own memory limit: a hostile or broken
  // upload can fail there, but cannot stall or exhaust the process that serves everyone else.
  // The worker gets the importer's units as a list (a function cannot cross into a thread).
  const { unitScope, onProgress: _progress, ...plain } = options;
  const workerOptions: ImportOptions = unitScope
    ? {
        ...plain,
        allowedUnits: reference.units.map((u) => u.code).filter((code) => unitScope.includes(code)),
        scopeDescription: unitScope.description,
      }
    : plain;
  const validated = await validateInWorker(fileName, bytes, workerOptions, reference);
  if (validated.report.problems.length > 0) return validated.report;
  // Group units (Region Østdanmark, health clusters, imported groupings) get sums of their municipalities.
  const derived = await groupValuesFor(store, validated.values, new Map(reference.indicators.map((i) => [i.id, i])));
  const values = [...validated.values, ...derived];
  const report: ImportReport = derived.length
    ? {
        ...validated.report,
        groupValues: {
          aggregated: derived.filter((v) => v.value !== null).length,
          notAvailable: derived.filter((v) => v.value === null).length,
        },
      }
    : validated.report;
  const resuppress = await rerunDisclosureControl(store, values, new Map(reference.indicators.map((i) => [i.id, i])));
  progress(options.dryRun ? 'Comparing with the stored values' : 'Writing to the store', 0.75);
  if (options.dryRun) return { ...report, diff: await store.diffImport(values) };
  const result = await store.applyImport(
    {
      actor: options.actor ?? 'unknown',
      fileName,
      sha256: report.sha256,
      rowsInFile: report.rowsInFile,
      ...(options.note ? { note: options.note } : {}),
      ...(options.synthetic ? { synthetic: true } : {}),
    },
    values,
    resuppress,
  );
  const { importId, ...diff } = result;
  progress('Done', 1);
  return { ...report, written: importId !== null, importId, diff };
}

/** What the stored catalogue says about indicators and units, for checking a file without the store. */
export interface ImportReference {
  indicators: readonly Indicator[];
  units: readonly OrgUnit[];
}

/**
 * Reads and checks one file against the reference: the report (without a diff) and the values to write.
 * @example const { report, values } = await validateImport('tal.csv', bytes, {}, reference)
 */
export async function validateImport(
  fileName: string,
  bytes: Uint8Array,
  options: ImportOptions,
  reference: ImportReference,
): Promise<{ report: ImportReport; values: IndicatorValue[] }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const grid = await readTable(fileName, bytes, options);
  const layout = detectLayout(grid);
  const raw = readRows(grid, layout);
  const first = readRows(grid, layout).next().value as RawRow | undefined;
  const indicators = new Map(reference.indicators.map((i) => [i.id, i]));
  const resolveUnit = unitResolver(reference.units);
  if (options.indicator && !indicators.has(options.indicator)) {
    throw new UserError(`Unknown indicator '${options.indicator}'`, {
      hint: 'GET /api/indicators or `pejling catalogue list` lists them.',
    });
  }
  if (layout === 'long' && grid.rows.length > 0 && !first?.columns.period) {
    throw new UserError(`${fileName} has neither a period column nor periods as column headers`, {
      hint: 'Long layout: indicator, unit, period, breakdown, numerator, denominator, value. Wide layout: unit, 2023, 2024 … (or 2023K1, 2023M01).',
    });
  }
  if (!first?.columns.indicator && !options.indicator && first) {
    throw new UserError(`${fileName} has no indicator column`, {
      hint: 'Add an indicator column or give --indicator ID.',
    });
  }

  const allowed = options.allowedUnits ? new Set(options.allowedUnits) : undefined;
  const scope =
    options.unitScope ??
    (allowed ? { includes: (u: string) => allowed.has(u), description: options.scopeDescription ?? '' } : undefined);
  const checker = rowChecker({
    indicators,
    resolveUnit,
    ...(options.indicator ? { indicator: options.indicator } : {}),
    layout,
    decimal: grid.decimal,
    ...(scope ? { scope } : {}),
  });
  for (const r of raw) checker.check(r);
  const { values, problems, outOfScope } = checker;

  if (outOfScope.length > 0) throw outOfScopeError(fileName, outOfScope, scope?.description ?? '');
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
  return { report, values };
}

/** The whole file is refused when any row is for a unit the importer may not write; the message names the rows. */
function outOfScopeError(fileName: string, rows: readonly { row: number; unit: string }[], scope: string): UserError {
  const units = [...new Set(rows.map((r) => r.unit))];
  return new UserError(
    `${fileName} has ${rows.length} row(s) for ${units.length === 1 ? 'unit' : 'units'} ${units.join(', ')}, outside what you may write (${scope}); nothing was written`,
    {
      status: 403,
      details: rows.slice(0, 50).map((r) => `row ${r.row}: unit ${r.unit}`),
      hint: 'Remove the rows of other units, or ask an admin (or the unit itself) to import them.',
    },
  );
}

/**
 * Disclosure control over the whole table of every indicator in the import (stored values with the imported
 * ones in their place): sets the imported rows' `suppressed` flags and returns the stored rows whose flag
 * changes. Rows with a value but no counts protect nothing, but stay in the table.
 */
async function rerunDisclosureControl(
  store: Store,
  values: IndicatorValue[],
  indicators: ReadonlyMap<string, Indicator>,
): Promise<IndicatorValue[]> {
  const { parents, partitions } = geographyOf(
    await store.listOrgUnits(),
    await store.listGroups(),
    await store.listGroupings(),
  );
  const key = (v: IndicatorValue) => `${v.unit}\u0000${v.period}\u0000${v.breakdown}`;
  const changed: IndicatorValue[] = [];
  for (const id of new Set(values.map((v) => v.indicator))) {
    const imported = values.filter((v) => v.indicator === id);
    const replaced = new Set(imported.map(key));
    const stored = (await store.queryValues({ indicator: id, full: true })).filter((v) => !replaced.has(key(v)));
    const before = stored.map((v) => v.suppressed);
    const measure = indicators.get(id)?.measure ?? 'count';
    suppressValues([...stored, ...imported], { countFields: countFieldsOfMeasure(measure), parents, partitions });
    for (const [i, v] of stored.entries()) if (v.suppressed !== before[i]) changed.push(v);
  }
  return changed;
}

/** Group-unit values from the file's municipal rows over the stored ones (a file may correct a few municipalities). */
async function groupValuesFor(
  store: Store,
  values: readonly IndicatorValue[],
  indicators: ReadonlyMap<string, Indicator>,
): Promise<IndicatorValue[]> {
  const units = await store.listOrgUnits();
  const members = groupMembers(units, await store.listGroupings());
  if (members.size === 0) return [];
  const municipal = new Set(units.filter((u) => u.type === 'municipality').map((u) => u.code));
  const out: IndicatorValue[] = [];
  for (const id of new Set(values.map((v) => v.indicator))) {
    const indicator = indicators.get(id);
    const fromFile = values.filter((v) => v.indicator === id);
    if (!indicator || !fromFile.some((v) => municipal.has(v.unit))) continue;
    const key = (v: IndicatorValue) => `${v.unit}|${v.period}|${v.breakdown}`;
    const merged = new Map<string, IndicatorValue>();
    for (const v of await store.queryValues({ indicator: id, unit: [...municipal], full: true })) merged.set(key(v), v);
    for (const v of fromFile) if (municipal.has(v.unit)) merged.set(key(v), v);
    // Values without numbers (a waiting time given only as days) cannot be added up: no group values at all.
    if (![...merged.values()].some((v) => v.numerator !== null && v.denominator !== null)) continue;
    out.push(...aggregateToGroups([...merged.values()], indicator, members, new Set(fromFile.map((v) => v.unit))));
  }
  return out;
}
