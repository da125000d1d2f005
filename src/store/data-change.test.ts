import { describe, expect, it } from 'vitest';
import { DataChangeLog, touches } from './data-change.js';

describe('touches', () => {
  it('matches a changed indicator, any values, and everything', () => {
    expect(touches(new Set(['values:a']), ['reference', 'values:b'])).toBe(false);
    expect(touches(new Set(['values:a']), ['values:a'])).toBe(true);
    expect(touches(new Set(['values:*']), ['values:b'])).toBe(true);
    expect(touches(new Set(['values:*']), ['reference', 'imports'])).toBe(false);
    expect(touches(new Set(['*']), [])).toBe(true);
    expect(touches(new Set(['imports']), ['*'])).toBe(true);
    expect(touches(new Set([]), ['values:a', 'reference'])).toBe(false);
  });
});

describe('DataChangeLog', () => {
  it('joins the changes of several versions and knows none it was not told', () => {
    const log = new DataChangeLog();
    log.record(8, new Set(['values:a']));
    log.record(9, new Set(['imports', 'values:b']));
    expect(log.between(7, 9)).toEqual(new Set(['values:a', 'imports', 'values:b']));
    expect(log.between(8, 9)).toEqual(new Set(['imports', 'values:b']));
    expect(log.between(9, 9)).toEqual(new Set());
    expect(log.between(6, 9)).toBeUndefined();
    expect(log.between(9, 8)).toBeUndefined();
  });
});
