// The quality plan's tables on either store kind: standards written with the catalogue, compliance records with
// revisions. Plain ANSI SQL with $n parameters that DuckDB and PostgreSQL both run as they are.
import type { QualityStandard } from '../catalogue/index.js';
import { classifyCompliance, complianceKey } from './compliance-diff.js';
import type {
  ComplianceBasis,
  ComplianceDiff,
  ComplianceImportMeta,
  ComplianceImportRecord,
  ComplianceQuery,
  ComplianceRecord,
  ComplianceRevision,
  ComplianceStatus,
  QualityPlanStore,
  StoredComplianceRecord,
} from './quality-plan-store.js';

type Row = Record<string, unknown>;

type Query = (sql: string, params?: readonly unknown[]) => Promise<Row[]>;
type Transaction = (work: () => Promise<void>) => Promise<void>;

const RECORD_COLUMNS =
  'standard_id, unit_code, requirement, year, standard_version, status, assessed_on, basis, note, recorded_by, import_id, recorded_at';
/** Rows per multi-row INSERT (12 parameters each; well under PostgreSQL's 65,535). */
const CHUNK = 400;

export class SqlQualityPlan implements QualityPlanStore {
  constructor(
    private readonly query: Query,
    private readonly transaction: Transaction,
  ) {}

  /** Replaces the stored standards; runs inside replaceCatalogue's transaction. Compliance records stay. */
  async replaceStandards(standards: readonly QualityStandard[]): Promise<void> {
    await this.query('DELETE FROM quality_standards');
    for (const [i, standard] of standards.entries())
      await this.query('INSERT INTO quality_standards (id, definition, position) VALUES ($1, $2, $3)', [
        standard.id,
        JSON.stringify(standard),
        i,
      ]);
  }

  async listQualityStandards(): Promise<QualityStandard[]> {
    const rows = await this.query('SELECT definition FROM quality_standards ORDER BY position');
    return rows.map((r) => JSON.parse(String(r.definition)) as QualityStandard);
  }

  async getQualityStandard(id: string): Promise<QualityStandard | undefined> {
    const [row] = await this.query('SELECT definition FROM quality_standards WHERE id = $1', [id]);
    return row ? (JSON.parse(String(row.definition)) as QualityStandard) : undefined;
  }

  async queryCompliance(query: ComplianceQuery = {}): Promise<StoredComplianceRecord[]> {
    const { where, params } = whereClause(query, 'r');
    const rows = await this.query(
      `SELECT r.*, CAST(r.recorded_at AS VARCHAR) AS recorded, i.synthetic FROM compliance_records r
       JOIN compliance_imports i ON i.id = r.import_id ${where}
       ORDER BY r.standard_id, r.unit_code, r.year, r.requirement`,
      params,
    );
    return rows.map(toStoredRecord);
  }

  async diffCompliance(records: readonly ComplianceRecord[]): Promise<ComplianceDiff> {
    return classifyCompliance(await this.storedFor(records), records).diff;
  }

  async applyComplianceImport(
    meta: ComplianceImportMeta,
    records: readonly ComplianceRecord[],
  ): Promise<ComplianceDiff & { importId: number | null }> {
    let result: ComplianceDiff & { importId: number | null } = {
      inserted: 0,
      changed: 0,
      unchanged: 0,
      examples: [],
      importId: null,
    };
    await this.transaction(async () => {
      const stored = await this.storedFor(records);
      const { diff, toWrite } = classifyCompliance(stored, records);
      result = { ...diff, importId: null };
      if (toWrite.length === 0) return;
      const changedKeys = new Set(stored.map(complianceKey));
      const [next] = await this.query('SELECT coalesce(max(id), 0) + 1 AS id FROM compliance_imports');
      const importId = Number(next?.id ?? 1);
      await this.query(
        `INSERT INTO compliance_imports (id, imported_at, actor, file_name, sha256, note, synthetic, rows_in_file,
           inserted, changed, unchanged) VALUES ($1, current_timestamp, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          importId,
          meta.actor,
          meta.fileName,
          meta.sha256,
          meta.note ?? null,
          Boolean(meta.synthetic),
          meta.rowsInFile,
          diff.inserted,
          diff.changed,
          diff.unchanged,
        ],
      );
      for (let start = 0; start < toWrite.length; start += CHUNK) {
        const chunk = toWrite.slice(start, start + CHUNK);
        // Changed records leave the current table; their earlier versions stay in compliance_history.
        const changed = chunk.filter((r) => changedKeys.has(complianceKey(r)));
        if (changed.length) {
          const keys = changed.map(
            (_, i) =>
              `(standard_id = $${i * 4 + 1} AND unit_code = $${i * 4 + 2} AND requirement = $${i * 4 + 3} AND year = $${i * 4 + 4})`,
          );
          await this.query(
            `DELETE FROM compliance_records WHERE ${keys.join(' OR ')}`,
            changed.flatMap((r) => [r.standard, r.unit, r.requirement, r.year]),
          );
        }
        const values = chunk.map((_, i) => {
          const p = (n: number) => `$${i * 10 + n}`;
          return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, CAST(${p(7)} AS DATE), ${p(8)}, ${p(9)}, ${p(10)}, ${importId}, current_timestamp)`;
        });
        const params = chunk.flatMap((r) => [
          r.standard,
          r.unit,
          r.requirement,
          r.year,
          r.version,
          r.status,
          r.assessedOn,
          r.basis,
          r.note,
          meta.actor,
        ]);
        await this.query(`INSERT INTO compliance_records (${RECORD_COLUMNS}) VALUES ${values.join(', ')}`, params);
      }
      // Every written record is also a revision.
      await this.query(
        `INSERT INTO compliance_history (${RECORD_COLUMNS}) SELECT ${RECORD_COLUMNS} FROM compliance_records WHERE import_id = $1`,
        [importId],
      );
      result = { ...diff, importId };
    });
    return result;
  }

  async listComplianceImports(): Promise<ComplianceImportRecord[]> {
    const rows = await this.query(
      'SELECT *, CAST(imported_at AS VARCHAR) AS imported FROM compliance_imports ORDER BY id',
    );
    return rows.map((r) => ({
      id: Number(r.id),
      importedAt: String(r.imported),
      actor: String(r.actor),
      fileName: String(r.file_name),
      sha256: String(r.sha256),
      ...(r.note ? { note: String(r.note) } : {}),
      synthetic: Boolean(r.synthetic),
      rowsInFile: Number(r.rows_in_file),
      inserted: Number(r.inserted),
      changed: Number(r.changed),
      unchanged: Number(r.unchanged),
    }));
  }

  async complianceHistory(query: ComplianceQuery): Promise<ComplianceRevision[]> {
    const { where, params } = whereClause(query, 'h');
    const rows = await this.query(
      `SELECT h.*, CAST(h.recorded_at AS VARCHAR) AS recorded, i.synthetic, i.file_name,
         h.import_id = max(h.import_id) OVER (PARTITION BY h.standard_id, h.unit_code, h.requirement, h.year) AS is_current
       FROM compliance_history h JOIN compliance_imports i ON i.id = h.import_id ${where}
       ORDER BY h.standard_id, h.unit_code, h.year, h.requirement, h.import_id DESC`,
      params,
    );
    return rows.map((r) => ({ ...toStoredRecord(r), fileName: String(r.file_name), current: Boolean(r.is_current) }));
  }

  /** The stored records with the same standards, units and years as `records` (a superset of the keys). */
  private async storedFor(records: readonly ComplianceRecord[]): Promise<ComplianceRecord[]> {
    const standards = [...new Set(records.map((r) => r.standard))];
    const years = [...new Set(records.map((r) => r.year))];
    if (standards.length === 0) return [];
    const s = standards.map((_, i) => `$${i + 1}`);
    const y = years.map((_, i) => `$${standards.length + i + 1}`);
    const rows = await this.query(
      `SELECT * FROM compliance_records WHERE standard_id IN (${s.join(', ')}) AND year IN (${y.join(', ')})`,
      [...standards, ...years],
    );
    return rows.map(toRecord);
  }
}

function whereClause(query: ComplianceQuery, alias: string): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (query.standard !== undefined) add((n) => `${alias}.standard_id = $${n}`, query.standard);
  if (query.unit !== undefined) {
    const units = typeof query.unit === 'string' ? [query.unit] : query.unit;
    if (units.length === 0) where.push('1 = 0');
    const first = params.length + 1;
    params.push(...units);
    if (units.length) where.push(`${alias}.unit_code IN (${units.map((_, i) => `$${first + i}`).join(', ')})`);
  }
  if (query.year !== undefined) add((n) => `${alias}.year = $${n}`, query.year);
  if (query.requirement !== undefined) add((n) => `${alias}.requirement = $${n}`, query.requirement);
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

function toRecord(r: Row): ComplianceRecord {
  return {
    unit: String(r.unit_code),
    standard: String(r.standard_id),
    version: String(r.standard_version),
    requirement: Number(r.requirement),
    year: Number(r.year),
    status: r.status as ComplianceStatus,
    assessedOn: (r.assessed_on as string | null) ?? null,
    basis: (r.basis as ComplianceBasis | null) ?? null,
    note: (r.note as string | null) ?? null,
  };
}

function toStoredRecord(r: Row): StoredComplianceRecord {
  return {
    ...toRecord(r),
    recordedBy: String(r.recorded_by),
    recordedAt: String(r.recorded),
    importId: Number(r.import_id),
    synthetic: Boolean(r.synthetic),
  };
}
