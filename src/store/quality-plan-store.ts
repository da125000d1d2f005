// The quality plan's part of the Store: quality standards (catalogue data) and compliance records per unit,
// requirement and year, imported with revisions. Every store kind implements these methods.
import type { QualityStandard } from '../catalogue/index.js';

export const COMPLIANCE_STATUSES = ['met', 'partly-met', 'not-met', 'not-reported'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export const COMPLIANCE_BASES = ['self-assessment', 'audit', 'register'] as const;
export type ComplianceBasis = (typeof COMPLIANCE_BASES)[number];

/** One unit's status on one requirement of a standard in one year. */
export interface ComplianceRecord {
  unit: string;
  standard: string;
  /** The edition of the standard in force that year. */
  version: string;
  requirement: number;
  year: number;
  status: ComplianceStatus;
  /** ISO date of the assessment. */
  assessedOn: string | null;
  basis: ComplianceBasis | null;
  note: string | null;
}

/** A stored record with who recorded it and when. */
export interface StoredComplianceRecord extends ComplianceRecord {
  recordedBy: string;
  recordedAt: string;
  importId: number;
  synthetic: boolean;
}

export interface ComplianceQuery {
  standard?: string;
  unit?: string | readonly string[];
  year?: number;
  requirement?: number;
}

export interface ComplianceImportMeta {
  actor: string;
  fileName: string;
  sha256: string;
  note?: string;
  rowsInFile: number;
  /** Demo data made by Pejling, not reported by anyone. */
  synthetic?: boolean;
}

export interface ComplianceDiff {
  inserted: number;
  changed: number;
  unchanged: number;
  /** Up to 50 examples of changed statuses. */
  examples: { unit: string; standard: string; requirement: number; year: number; before: string; after: string }[];
}

export interface ComplianceImportRecord extends ComplianceImportMeta {
  id: number;
  importedAt: string;
  synthetic: boolean;
  inserted: number;
  changed: number;
  unchanged: number;
}

/** A version of a record, newest first; `current` marks the one in force. */
export interface ComplianceRevision extends StoredComplianceRecord {
  fileName: string;
  current: boolean;
}

export interface QualityPlanStore {
  /** Every quality standard with all its editions (written by replaceCatalogue). */
  listQualityStandards(): Promise<QualityStandard[]>;
  getQualityStandard(id: string): Promise<QualityStandard | undefined>;
  /** Current compliance records, ordered by standard, unit, year, requirement. */
  queryCompliance(query?: ComplianceQuery): Promise<StoredComplianceRecord[]>;
  /** What importing these records would change, without writing. */
  diffCompliance(records: readonly ComplianceRecord[]): Promise<ComplianceDiff>;
  /** Writes in one transaction: new and changed records get a revision; unchanged ones nothing (no import row). */
  applyComplianceImport(
    meta: ComplianceImportMeta,
    records: readonly ComplianceRecord[],
  ): Promise<ComplianceDiff & { importId: number | null }>;
  listComplianceImports(): Promise<ComplianceImportRecord[]>;
  /** Every recorded version of the matching records, newest first. */
  complianceHistory(query: ComplianceQuery): Promise<ComplianceRevision[]>;
}
