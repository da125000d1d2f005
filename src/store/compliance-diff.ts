// Classifies incoming compliance records against the stored ones: new, changed or unchanged. Shared by every store
// kind so that "the same file twice records nothing" means the same everywhere.
import type { ComplianceDiff, ComplianceRecord } from './quality-plan-store.js';

export const complianceKey = (r: { unit: string; standard: string; requirement: number; year: number }) =>
  `${r.standard}\u0000${r.unit}\u0000${r.requirement}\u0000${r.year}`;

/** Whether two records say the same (who recorded them and when does not count). */
export function sameCompliance(a: ComplianceRecord, b: ComplianceRecord): boolean {
  return (
    a.status === b.status &&
    a.version === b.version &&
    a.assessedOn === b.assessedOn &&
    a.basis === b.basis &&
    (a.note ?? null) === (b.note ?? null)
  );
}

/**
 * Splits `incoming` into the records to write (new or changed) and counts.
 * @example classifyCompliance([], [record]).diff.inserted // 1
 */
export function classifyCompliance(
  stored: readonly ComplianceRecord[],
  incoming: readonly ComplianceRecord[],
): { diff: ComplianceDiff; toWrite: ComplianceRecord[] } {
  const byKey = new Map(stored.map((r) => [complianceKey(r), r]));
  const diff: ComplianceDiff = { inserted: 0, changed: 0, unchanged: 0, examples: [] };
  const toWrite: ComplianceRecord[] = [];
  for (const record of incoming) {
    const before = byKey.get(complianceKey(record));
    if (!before) {
      diff.inserted++;
      toWrite.push(record);
    } else if (sameCompliance(before, record)) {
      diff.unchanged++;
    } else {
      diff.changed++;
      toWrite.push(record);
      if (diff.examples.length < 50)
        diff.examples.push({
          unit: record.unit,
          standard: record.standard,
          requirement: record.requirement,
          year: record.year,
          before: before.status,
          after: record.status,
        });
    }
  }
  return { diff, toWrite };
}
