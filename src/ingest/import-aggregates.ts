// Imports aggregate indicator values: read, interpret, validate everything before writing, then write in one
// transaction with a revision for every new or changed value.
import { createHash } from 'node:crypto';
import { geographyOf, type Indicator, type OrgUnit } from '../catalogue/index.js';
import { type CountField, countFieldsOfMeasure, practiceSumsOf, providerSumsOf } from '../disclosure/index.js';
import { parsePeriod } from '../domain/period.js';
import type { ImportDiff, IndicatorValue, Store } from '../store/index.js';
import { PackedRows, type PackedValues, valueAt } from '../store/packed-values.js';
import { detectLayout, type Layout, type RawRow, readRows } from './aggregate-layout.js';
import { aggregateToGroupsInTurns, countingMembers, groupMembers } from './aggregate-to-groups.js';
import { turnTaker } from './between-turns.js';
import { checkShape, type ImportProblem, MAX_PROBLEMS, rowChecker, unitResolver } from './check-rows.js';
import { type ImportSource, validateInWorker } from './import-worker-pool.js';
import { outOfScopeError } from './out-of-scope.js';
import { type ReadOptions, readTable } from './read-table.js';
import { type TableProtector, tableProtector } from './table-protector.js';

export { FIRST_YEAR, type ImportProblem, LAST_YEAR, unitResolver } from './check-rows.js';

export interface ImportOptions extends ReadOptions {
  /** Indicator for files without an indicator column. */
  indicator?: string;
  dryRun?: boolean;
  actor?: string;
  note?: string;
  /** The time each step took, in seconds (for the import benchmark). */
  onStepTime?: (step: string, seconds: number) => void;
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
 * Imports one file of aggregate values, given as bytes or as the path of a file on disk. A file with any problem
 * writes nothing; importing the same file again changes nothing.
 * @example await importAggregates(store, 'tal.csv', bytes, { indicator: 'patient-satisfaction' })
 */
export async function importAggregates(
  store: Store,
  fileName: string,
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const progress = options.onProgress ?? (() => {});
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    options.onStepTime?.(step, (now - t) / 1000);
    t = now;
  };
  progress(`Reading and checking ${fileName}`, 0);
  const reference = { indicators: await store.listIndicators(), units: await store.listOrgUnits() };
  // Reading and checking the file happens in a worker thread with its own memory limit: a hostile or broken
  // upload can fail there, but cannot stall or exhaust the process that serves everyone else.
  // The worker gets the importer's units as a list (a function cannot cross into a thread).
  const { unitScope, onProgress: _progress, onStepTime: _time, ...plain } = options;
  const workerOptions: ImportOptions = unitScope
    ? {
        ...plain,
        allowedUnits: reference.units.map((u) => u.code).filter((code) => unitScope.includes(code)),
        scopeDescription: unitScope.description,
      }
    : plain;
  const validated = await validateInWorker(fileName, source, workerOptions, reference);
  for (const [step, seconds] of Object.entries(validated.times)) options.onStepTime?.(`  ${step}`, seconds);
  lap('read and check (worker)');
  if (validated.report.problems.length > 0) return validated.report;
  const indicators = new Map(reference.indicators.map((i) => [i.id, i]));
  const packed = validated.packed;
  // Group units (Region Østdanmark, health clusters, imported groupings) get sums of their municipalities.
  const { rows: derived, unprotected } = await groupValuesFor(store, packed, indicators);
  lap('group values');
  const tables = tableProtector();
  const resuppress = await rerunDisclosureControl(store, packed, derived, indicators, tables).finally(() =>
    tables.close(),
  );
  if (unprotected) derived.push(...withoutHiddenMembers(unprotected, packed, resuppress));
  lap('disclosure control');
  const report: ImportReport = derived.length
    ? {
        ...validated.report,
        groupValues: {
          aggregated: derived.filter((v) => v.value !== null).length,
          notAvailable: derived.filter((v) => v.value === null).length,
        },
      }
    : validated.report;
  // The values stay in columns: a store reads them one object at a time, or (DuckDB) loads the columns.
  const values = new PackedRows(packed, derived);
  progress(options.dryRun ? 'Comparing with the stored values' : 'Writing to the store', 0.75);
  if (options.dryRun) {
    const diff = await store.diffImport(values);
    lap('compare with the store');
    return { ...report, diff };
  }
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
  lap('compare and write');
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
  checkShape(fileName, layout, first?.columns, options.indicator, indicators);

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
  const turn = turnTaker();
  for (const r of raw) {
    checker.check(r);
    await turn();
  }
  const { values, problems, outOfScope } = checker;

  if (outOfScope.length > 0)
    throw outOfScopeError(
      fileName,
      outOfScope.length,
      outOfScope,
      [...new Set(outOfScope.map((r) => r.unit))],
      scope?.description ?? '',
    );
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

/** The positions of each indicator's values in packed columns. */
function positionsByIndicator(packed: PackedValues): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < packed.indicator.length; i++) {
    const id = packed.strings[packed.indicator[i] as number] as string;
    const list = out.get(id);
    if (list) list.push(i);
    else out.set(id, [i]);
  }
  return out;
}

/**
 * Disclosure control over the whole table of every indicator in the import (stored values with the imported
 * ones in their place): sets the imported rows' `suppressed` flags and returns the stored rows whose flag
 * changes. Rows with a value but no counts protect nothing, but stay in the table. A table without a count of
 * 1-4 (in the file or in the store), without suppressed cells and without values of hospitals or practices (whose
 * unpublished remainder under Denmark can be small) has nothing to protect and is not read.
 */
async function rerunDisclosureControl(
  store: Store,
  packed: PackedValues,
  derived: readonly IndicatorValue[],
  indicators: ReadonlyMap<string, Indicator>,
  tables: TableProtector,
): Promise<IndicatorValue[]> {
  const units = await store.listOrgUnits();
  const groupings = await store.listGroupings();
  const geography = geographyOf(units, await store.listGroups(), groupings);
  // The same relations as compute: Denmark = Σ hospitals, Denmark = Σ practices and a municipality = Σ its
  // practices too, each up to an unpublished remainder, which can itself be a small count; so a table with values
  // of providers is never skipped.
  const providerSums = providerSumsOf(units, groupings);
  const practiceSums = practiceSumsOf(groupings);
  const providers = [...new Set(providerSums.flatMap((sum) => sum.members))];
  const providerSet = new Set(providers);
  const key = (v: IndicatorValue) => `${v.unit}\u0000${v.period}\u0000${v.breakdown}`;
  const changed: IndicatorValue[] = [];
  const positions = positionsByIndicator(packed);
  for (const v of derived) if (!positions.has(v.indicator)) positions.set(v.indicator, []);
  const isProvider = packed.strings.map((s) => providerSet.has(s));
  const countColumn = (f: CountField) => (f === 'numerator' ? packed.numerator : packed.denominator);
  for (const [id, at] of positions) {
    const measure = indicators.get(id)?.measure ?? 'count';
    const countFields = countFieldsOfMeasure(measure);
    const fromGroups = derived.filter((v) => v.indicator === id);
    const small = (n: number | null | undefined) => typeof n === 'number' && n >= 1 && n <= 4;
    // A table without a single count (in the file and in the store) has nothing to protect: every cell stays
    // published, as it is stored unless some stored cell is suppressed.
    const countsInFile =
      at.some((i) => countFields.some((f) => !Number.isNaN(countColumn(f)[i]))) ||
      fromGroups.some((v) => countFields.some((f) => v[f] !== null));
    const smallInFile =
      countsInFile &&
      (at.some((i) => countFields.some((f) => small(countColumn(f)[i]))) ||
        fromGroups.some((v) => countFields.some((f) => small(v[f]))));
    const providersInFile =
      at.some((i) => isProvider[packed.unit[i] as number]) || fromGroups.some((v) => providerSet.has(v.unit));
    if (!smallInFile && (!countsInFile || !providersInFile)) {
      const counts = await store.storedValueCounts(id);
      const countsStored = countFields.some((f) =>
        f === 'numerator' ? counts.withNumerator > 0 : counts.withDenominator > 0,
      );
      if (!countsInFile && !countsStored && counts.suppressed === 0) continue;
      if (!providersInFile) {
        const smallStored = countFields.some((f) =>
          f === 'numerator' ? counts.smallNumerator > 0 : counts.smallDenominator > 0,
        );
        const providersStored = providers.length > 0 && (await store.storedValueCounts(id, providers)).values > 0;
        if (!smallStored && counts.suppressed === 0 && !providersStored) continue;
      }
    }
    const imported = [...at.map((i) => valueAt(packed, i)), ...fromGroups];
    const replaced = new Set(imported.map(key));
    const stored = (await store.queryValues({ indicator: id, full: true })).filter((v) => !replaced.has(key(v)));
    const before = stored.map((v) => v.suppressed);
    // A large table in a worker thread: a server goes on answering meanwhile.
    await tables.protect([...stored, ...imported], {
      countFields,
      parents: geography.parents,
      partitions: geography.partitions,
      providerSums,
      practiceSums,
    });
    for (const [k, i] of at.entries()) packed.suppressed[i] = imported[k]?.suppressed ? 1 : 0;
    for (const [i, v] of stored.entries()) if (v.suppressed !== before[i]) changed.push(v);
  }
  return changed;
}

/**
 * Group-unit values from the file's municipal rows over the stored ones (a file may correct a few
 * municipalities). Only what the file touches is derived: the cells (period, breakdown) of the groups that have a
 * municipality of the file among their members, and cells a group has no row for yet (a grouping loaded after the
 * municipal values); every other stored group row stays as it is, without a revision. Values without numerator
 * and denominator, in the file and in the store, add up to nothing and are not read.
 */
async function groupValuesFor(
  store: Store,
  packed: PackedValues,
  indicators: ReadonlyMap<string, Indicator>,
): Promise<{ rows: IndicatorValue[]; unprotected: UnprotectedSums | null }> {
  const units = await store.listOrgUnits();
  const groupings = await store.listGroupings();
  const members = groupMembers(units, groupings);
  if (members.size === 0) return { rows: [], unprotected: null };
  // Groups that disclosure control protects as the sum of their members may sum over hidden members.
  const protectedGroups = new Set(
    geographyOf(units, await store.listGroups(), groupings).partitions.map((p) => p.total),
  );
  const groups = [...members.keys()];
  const municipal = new Set(units.filter((u) => u.type === 'municipality').map((u) => u.code));
  // Practices in a kvalitetsklynge are read only for an indicator the file gives practices' values of.
  const practiceType = new Set(units.filter((u) => u.type === 'gp-practice').map((u) => u.code));
  const grouped = new Set([...members.values()].flatMap((list) => list.map((m) => m.member)));
  const practices = new Set([...grouped].filter((code) => practiceType.has(code)));
  const isMember = packed.strings.map((s) => municipal.has(s) || practices.has(s));
  const isPractice = packed.strings.map((s) => practices.has(s));
  const out: IndicatorValue[] = [];
  const unprotected: UnprotectedSums = { sums: [], storedHidden: new Set() };
  for (const [id, at] of positionsByIndicator(packed)) {
    const indicator = indicators.get(id);
    if (!indicator || !at.some((i) => isMember[packed.unit[i] as number])) continue;
    const memberUnits = at.some((i) => isPractice[packed.unit[i] as number])
      ? new Set([...municipal, ...practices])
      : municipal;
    const withNumbers = at.some(
      (i) =>
        isMember[packed.unit[i] as number] &&
        !Number.isNaN(packed.numerator[i]) &&
        !Number.isNaN(packed.denominator[i]),
    );
    if (!withNumbers && (await store.storedValueCounts(id, [...memberUnits])).withNumeratorAndDenominator === 0)
      continue;
    const fromFile = at.map((i) => valueAt(packed, i));
    const key = (v: IndicatorValue) => `${v.unit}|${v.period}|${v.breakdown}`;
    const merged = new Map<string, IndicatorValue>();
    for (const v of await store.queryValues({ indicator: id, unit: [...memberUnits], full: true }))
      merged.set(key(v), v);
    for (const v of fromFile) if (memberUnits.has(v.unit)) merged.set(key(v), v);
    // Values without numbers (a waiting time given only as days) cannot be added up: no group values at all.
    if (![...merged.values()].some((v) => v.numerator !== null && v.denominator !== null)) continue;
    const touched = new Set(fromFile.filter((v) => memberUnits.has(v.unit)).map(key));
    const storedRows = await store.queryValues({ indicator: id, unit: groups, full: true });
    const stored = new Set(storedRows.map(key));
    const derived = await aggregateToGroupsInTurns([...merged.values()], indicator, members, {
      skip: new Set(fromFile.map((v) => v.unit)),
      protectedGroups,
    });
    const kept = derived.filter(
      (v) =>
        !stored.has(key(v)) ||
        (members.get(v.unit) ?? []).some((m) => touched.has(`${m.member}|${v.period}|${v.breakdown}`)),
    );
    out.push(...kept);
    // Sums of groups that disclosure control does not protect (derived now, or stored), with the members they
    // were summed from: a member hidden by this import's disclosure control makes them not available afterwards.
    const derivedNow = new Set(kept.map(key));
    for (const [v, isStored] of [
      ...kept.map((v) => [v, false] as const),
      ...storedRows.filter((v) => !derivedNow.has(key(v))).map((v) => [v, true] as const),
    ]) {
      const period = parsePeriod(v.period);
      if (protectedGroups.has(v.unit) || v.numerator === null || !period) continue;
      const cells = countingMembers(members.get(v.unit) ?? [], period).map(
        (m) => `${id}|${m}|${v.period}|${v.breakdown}`,
      );
      unprotected.sums.push({ row: v, members: cells, stored: isStored });
    }
    for (const v of merged.values()) if (v.suppressed) unprotected.storedHidden.add(`${id}|${key(v)}`);
  }
  return { rows: out, unprotected: unprotected.sums.length > 0 ? unprotected : null };
}

/** Sums of group units that disclosure control does not protect, with their members' cells. */
interface UnprotectedSums {
  /** `stored`: a stored row the import does not derive anew (it is written only if it must become not available). */
  sums: { row: IndicatorValue; members: string[]; stored: boolean }[];
  /** The municipal cells (indicator|unit|period|breakdown) hidden in the store before the import. */
  storedHidden: Set<string>;
}

/**
 * Makes a sum of a group that disclosure control does not protect not available when one of its members is
 * hidden after this import's disclosure control (a cell of the file, or a stored cell hidden anew): nothing else
 * would stop the sum from revealing that member. Derived rows change in place; stored rows that must change are
 * returned, to be written with the import.
 */
function withoutHiddenMembers(
  unprotected: UnprotectedSums,
  packed: PackedValues,
  resuppress: readonly IndicatorValue[],
): IndicatorValue[] {
  const cell = (v: IndicatorValue) => `${v.indicator}|${v.unit}|${v.period}|${v.breakdown}`;
  const hidden = new Set(unprotected.storedHidden);
  for (const v of resuppress) {
    if (v.suppressed) hidden.add(cell(v));
    else hidden.delete(cell(v));
  }
  for (let i = 0; i < packed.indicator.length; i++) {
    const v = valueAt(packed, i);
    if (v.suppressed) hidden.add(cell(v));
    else hidden.delete(cell(v));
  }
  const rewritten: IndicatorValue[] = [];
  for (const { row, members, stored } of unprotected.sums) {
    if (!members.some((m) => hidden.has(m))) continue;
    const notAvailable = stored ? { ...row } : row;
    notAvailable.numerator = null;
    notAvailable.denominator = null;
    notAvailable.value = null;
    if (stored) rewritten.push(notAvailable);
  }
  return rewritten;
}
