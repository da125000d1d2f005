import { describe, expect, it } from 'vitest';
import { classifyCompliance } from './compliance-diff.js';
import type { ComplianceRecord } from './quality-plan-store.js';

const record = (over: Partial<ComplianceRecord>): ComplianceRecord => ({
  unit: '101',
  standard: 's',
  version: '2023',
  requirement: 1,
  year: 2025,
  status: 'met',
  assessedOn: '2025-03-15',
  basis: 'audit',
  note: null,
  ...over,
});

describe('classifyCompliance', () => {
  it('finds new, changed and unchanged records (hand-worked)', () => {
    const stored = [record({}), record({ requirement: 2, status: 'not-met' }), record({ requirement: 3 })];
    const incoming = [
      record({}), // unchanged
      record({ requirement: 2, status: 'partly-met' }), // changed status
      record({ requirement: 3, note: 'ny note' }), // changed note
      record({ requirement: 4 }), // new
      record({ unit: '147' }), // new: another unit
    ];
    const { diff, toWrite } = classifyCompliance(stored, incoming);
    expect(diff).toMatchObject({ inserted: 2, changed: 2, unchanged: 1 });
    expect(diff.examples).toEqual([
      { unit: '101', standard: 's', requirement: 2, year: 2025, before: 'not-met', after: 'partly-met' },
      { unit: '101', standard: 's', requirement: 3, year: 2025, before: 'met', after: 'met' },
    ]);
    expect(toWrite.map((r) => `${r.unit}:${r.requirement}`)).toEqual(['101:2', '101:3', '101:4', '147:1']);
  });

  it('writes nothing for the same records again', () => {
    const records = [record({}), record({ requirement: 2 })];
    expect(
      classifyCompliance(
        records,
        records.map((r) => ({ ...r })),
      ),
    ).toEqual({
      diff: { inserted: 0, changed: 0, unchanged: 2, examples: [] },
      toWrite: [],
    });
  });
});
