import { describe, expect, it } from 'vitest';
import { parseDate } from './import-compliance.js';

describe('parseDate', () => {
  it('reads ISO and Danish dates', () => {
    expect(parseDate('2025-03-15')).toBe('2025-03-15');
    expect(parseDate('15-03-2025')).toBe('2025-03-15');
    expect(parseDate('5.3.2025')).toBe('2025-03-05');
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
  });
  it('refuses impossible or other forms', () => {
    for (const text of ['31-02-2025', '29-02-2025', '2025-13-01', '03/15/2025', '15 marts 2025', ''])
      expect(parseDate(text), text).toBeUndefined();
  });
});
