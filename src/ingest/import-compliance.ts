// Imports compliance records (unit × requirement × year) from CSV or XLSX, Danish or international: read, validate
// every row against the quality standards before writing, then write in one transaction with a revision for every
// new or changed record. A file with any problem writes nothing; the same file twice records nothing.
import { createHash } from 'node:crypto';
import { appliesTo, type QualityStandard, versionInForce } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import {
  COMPLIANCE_BASES,
  COMPLIANCE_STATUSES,
  type ComplianceBasis,
  type ComplianceDiff,
  type ComplianceRecord,
  type ComplianceStatus,
  complianceKey,
  type Store,
} from '../store/index.js';
import { unitResolver } from './import-aggregates.js';
import { type ReadOptions, readTable } from './read-table.js';

export interface ComplianceProblem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface ComplianceImportOptions extends ReadOptions {
  /** The units the importing principal may write; a file with any row outside them is refused whole (403). */
  unitScope?: { includes(unit: string): boolean; description: string };
  /** Standard for files without a standard column. */
  standard?: string;
  dryRun?: boolean;
  /** Who records the file (the signed-in user once accounts exist; the CLI's --actor until then). */
  actor?: string;
  note?: string;
  synthetic?: boolean;
  /** "Today", for checking that assessment dates and years are not in the future (tests fix it). */
  today?: string;
}

export interface ComplianceImportReport {
  file: string;
  sha256: string;
  format: string;
  delimiter?: string;
  encoding?: string;
  rowsInFile: number;
  records: number;
  problems: ComplianceProblem[];
  dryRun: boolean;
  written: boolean;
  importId: number | null;
  diff: ComplianceDiff | null;
}

type Field = 'unit' | 'standard' | 'requirement' | 'year' | 'status' | 'assessedOn' | 'basis' | 'note';

/** Column names accepted for each field, English and Danish (compared in lower case). */
export const COMPLIANCE_COLUMNS: Record<Field, readonly string[]> = {
  unit: ['unit', 'unit_code', 'enhed', 'kommune', 'kommunekode', 'municipality', 'kode', 'code'],
  standard: ['standard', 'quality_standard', 'kvalitetsstandard'],
  requirement: ['requirement', 'krav', 'kravnummer', 'requirement_number', 'nr'],
  year: ['year', 'år', 'aar'],
  status: ['status', 'opfyldelse', 'compliance'],
  assessedOn: ['assessed_on', 'assessed', 'assessment_date', 'vurderingsdato', 'vurderet', 'dato', 'date'],
  basis: ['basis', 'grundlag', 'vurderingsgrundlag'],
  note: ['note', 'notat', 'bemærkning', 'bemaerkning', 'kommentar', 'comment'],
};
const REQUIRED: readonly Field[] = ['unit', 'requirement', 'year', 'status'];

const STATUS_WORDS: Record<string, ComplianceStatus> = {
  met: 'met',
  opfyldt: 'met',
  'partly-met': 'partly-met',
  'partly met': 'partly-met',
  partly: 'partly-met',
  'delvist opfyldt': 'partly-met',
  'delvis opfyldt': 'partly-met',
  delvist: 'partly-met',
  'not-met': 'not-met',
  'not met': 'not-met',
  'ikke opfyldt': 'not-met',
  'not-reported': 'not-reported',
  'not reported': 'not-reported',
  'ikke indberettet': 'not-reported',
  'ikke rapporteret': 'not-reported',
};
const BASIS_WORDS: Record<string, ComplianceBasis> = {
  'self-assessment': 'self-assessment',
  'self assessment': 'self-assessment',
  selvevaluering: 'self-assessment',
  selvvurdering: 'self-assessment',
  audit: 'audit',
  tilsyn: 'audit',
  register: 'register',
  registerdata: 'register',
};
const MAX_PROBLEMS = 1000;

/** 2024-03-15, 15-03-2024, 15.03.2024 or 15/03/2024 as an ISO date, or undefined. */
export function parseDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const danish = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(text);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : danish
      ? [Number(danish[3]), Number(danish[2]), Number(danish[1])]
      : [Number.NaN, 0, 0];
  if (!Number.isInteger(y)) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** "3", "K3", "Krav 3" → 3. */
function parseRequirement(text: string): number | undefined {
  const match = /^(?:krav|k|requirement|r)?\s*(\d+)$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

export function formatComplianceReport(report: ComplianceImportReport): string {
  const lines = [
    `${report.file}: ${report.format}${report.delimiter ? ` (separator '${report.delimiter === '\t' ? 'tab' : report.delimiter}'${report.encoding ? `, ${report.encoding}` : ''})` : ''}, ${report.rowsInFile} rows, ${report.records} records`,
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
      `${report.dryRun ? 'Would record' : report.written ? 'Recorded' : 'Nothing to record'}: ${d.inserted} new, ${d.changed} changed, ${d.unchanged} unchanged records`,
    );
    for (const e of d.examples.slice(0, 10))
      lines.push(`  ${e.standard} ${e.unit} requirement ${e.requirement} ${e.year}: ${e.before} → ${e.after}`);
    if (report.importId !== null) lines.push(`Revision ${report.importId} (SHA-256 ${report.sha256.slice(0, 12)}…)`);
  }
  return lines.join('\n');
}

/**
 * Imports one file of compliance records.
 * @example await importCompliance(store, 'opfyldelse-2024.csv', bytes, { actor: 'kvalitet@aarhus.dk' })
 */
export async function importCompliance(
  store: Store,
  fileName: string,
  bytes: Uint8Array,
  options: ComplianceImportOptions = {},
): Promise<ComplianceImportReport> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const grid = await readTable(fileName, bytes, options);
  const lower = grid.header.map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(
    (Object.keys(COMPLIANCE_COLUMNS) as Field[]).map((f) => [
      f,
      lower.findIndex((h) => COMPLIANCE_COLUMNS[f].includes(h)),
    ]),
  ) as Record<Field, number>;
  const missing = REQUIRED.filter((f) => at[f] < 0);
  if (at.standard < 0 && !options.standard) missing.unshift('standard');
  if (missing.length) {
    throw new UserError(`${fileName} has no ${missing.map((f) => `'${f}'`).join(', ')} column`, {
      location: { file: fileName, row: 1 },
      hint: `Columns (English or Danish): ${(Object.keys(COMPLIANCE_COLUMNS) as Field[]).map((f) => COMPLIANCE_COLUMNS[f].slice(0, 3).join('/')).join('; ')}. Without a standard column, give --standard ID.`,
    });
  }
  const standards = new Map((await store.listQualityStandards()).map((s) => [s.id, s]));
  if (options.standard && !standards.has(options.standard))
    throw new UserError(`Unknown quality standard '${options.standard}'`, {
      hint: `Known: ${[...standards.keys()].join(', ') || 'none (load the catalogue with `pejling init`)'}.`,
    });
  const units = await store.listOrgUnits();
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const resolveUnit = unitResolver(units);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const thisYear = Number(today.slice(0, 4));

  const problems: ComplianceProblem[] = [];
  const records: ComplianceRecord[] = [];
  const outOfScope: { row: number; unit: string }[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of grid.rows) {
    const column = (f: Field) => (at[f] >= 0 ? (grid.header[at[f]] ?? f) : `(--${f})`);
    const cell = (f: Field) => (at[f] >= 0 ? (cells[at[f]] ?? '').trim() : '');
    const problem = (f: Field, value: string, reason: string) => {
      if (problems.length < MAX_PROBLEMS) problems.push({ row, column: column(f), value, reason });
    };
    const before = problems.length;

    const standardText = cell('standard') || options.standard || '';
    const standard: QualityStandard | undefined = standards.get(standardText.toLowerCase());
    if (!standard)
      problem('standard', standardText, `is not a known quality standard (${[...standards.keys()].join(', ')})`);
    const unitText = cell('unit');
    const unitCode = resolveUnit(unitText);
    const unit = unitCode ? unitByCode.get(unitCode) : undefined;
    if (!unit)
      problem('unit', unitText, 'is not a known unit (use a municipality code like 101 or a name like København)');
    const yearText = cell('year');
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    if (year === undefined) problem('year', yearText, 'is not a year (four digits, e.g. 2024)');
    else if (year > thisYear) problem('year', yearText, `is in the future (today is ${today})`);
    const version = standard && year !== undefined ? versionInForce(standard, year) : undefined;
    if (standard && year !== undefined && !version)
      problem(
        'year',
        yearText,
        `is before ${standard.id} was followed up (from ${standard.versions[0]?.firstYear}, edition ${standard.versions[0]?.version})`,
      );
    const requirementText = cell('requirement');
    const number = parseRequirement(requirementText);
    const item = version?.requirements.find((r) => r.number === number);
    if (number === undefined) problem('requirement', requirementText, 'is not a requirement number (e.g. 3 or K3)');
    else if (version && !item)
      problem(
        'requirement',
        requirementText,
        `is not a requirement of ${standard?.id} (edition ${version.version} has ${version.requirements.map((r) => r.number).join(', ')})`,
      );
    if (version && unit && !appliesTo(version, unit, item))
      problem('unit', unitText, `${unit.name} (${unit.type}) is not among the units ${standard?.id} applies to`);

    const statusText = cell('status');
    const status = STATUS_WORDS[statusText.toLowerCase()];
    if (!status)
      problem(
        'status',
        statusText,
        `is not a status (${COMPLIANCE_STATUSES.join(', ')}; or opfyldt, delvist opfyldt, ikke opfyldt, ikke indberettet)`,
      );
    const reported = status !== undefined && status !== 'not-reported';
    const dateText = cell('assessedOn');
    const assessedOn = dateText ? parseDate(dateText) : null;
    if (assessedOn === undefined) problem('assessedOn', dateText, 'is not a date (2024-03-15 or 15-03-2024)');
    else if (assessedOn === null && reported)
      problem('assessedOn', dateText, 'is missing: a reported status needs the date of the assessment');
    else if (assessedOn && assessedOn > today) problem('assessedOn', dateText, `is in the future (today is ${today})`);
    else if (assessedOn && year !== undefined && assessedOn < `${year}-01-01`)
      problem('assessedOn', dateText, `is before the year assessed (${year})`);
    const basisText = cell('basis');
    const basis = basisText ? BASIS_WORDS[basisText.toLowerCase()] : null;
    if (basis === undefined)
      problem('basis', basisText, `is not a basis (${COMPLIANCE_BASES.join(', ')}; or selvevaluering, tilsyn)`);
    else if (basis === null && reported)
      problem(
        'basis',
        basisText,
        'is missing: say whether the status rests on a self-assessment, an audit or register data',
      );
    const note = cell('note') || null;

    if (problems.length > before || !standard || !unit || !version || !item || year === undefined || !status) continue;
    const record: ComplianceRecord = {
      unit: unit.code,
      standard: standard.id,
      version: version.version,
      requirement: item.number,
      year,
      status,
      assessedOn: assessedOn ?? null,
      basis: basis ?? null,
      note,
    };
    const key = complianceKey(record);
    const first = seen.get(key);
    if (first !== undefined) {
      problem(
        'requirement',
        requirementText,
        `repeats ${unit.code} requirement ${item.number} ${year} from row ${first}`,
      );
      continue;
    }
    seen.set(key, row);
    records.push(record);
    if (options.unitScope && !options.unitScope.includes(record.unit)) outOfScope.push({ row, unit: record.unit });
  }
  if (outOfScope.length > 0) {
    const units = [...new Set(outOfScope.map((r) => r.unit))];
    throw new UserError(
      `${fileName} has ${outOfScope.length} row(s) for ${units.join(', ')}, outside what you may write (${options.unitScope?.description ?? ''}); nothing was written`,
      {
        status: 403,
        details: outOfScope.slice(0, 50).map((r) => `row ${r.row}: unit ${r.unit}`),
        hint: 'Remove the rows of other units, or ask an admin (or the unit itself) to import them.',
      },
    );
  }

  const report: ComplianceImportReport = {
    file: fileName,
    sha256,
    format: grid.format,
    ...(grid.delimiter ? { delimiter: grid.delimiter } : {}),
    ...(grid.encoding ? { encoding: grid.encoding } : {}),
    rowsInFile: grid.rows.length,
    records: records.length,
    problems,
    dryRun: Boolean(options.dryRun),
    written: false,
    importId: null,
    diff: null,
  };
  if (problems.length > 0) return report;
  if (grid.rows.length === 0)
    throw new UserError(`${fileName} has a header but no rows`, { location: { file: fileName } });
  if (options.dryRun) return { ...report, diff: await store.diffCompliance(records) };
  const { importId, ...diff } = await store.applyComplianceImport(
    {
      actor: options.actor ?? 'unknown',
      fileName,
      sha256,
      rowsInFile: grid.rows.length,
      ...(options.note ? { note: options.note } : {}),
      ...(options.synthetic ? { synthetic: true } : {}),
    },
    records,
  );
  return { ...report, written: importId !== null, importId, diff };
}
