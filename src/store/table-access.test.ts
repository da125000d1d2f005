import { describe, expect, it } from 'vitest';
import { canonicalCell, parentsFirst } from './table-access.js';
import { TableChecksum } from './table-checksum.js';

describe('canonical cells', () => {
  it('write numbers, booleans and timestamps the same whichever database read them', () => {
    expect(canonicalCell(0.1, 'float')).toBe('0.1');
    expect(canonicalCell(9_007_199_254_740_993n, 'integer')).toBe('9007199254740993');
    expect(canonicalCell('9007199254740993', 'integer')).toBe('9007199254740993');
    expect(canonicalCell(true, 'boolean')).toBe('true');
    expect(canonicalCell(false, 'boolean')).toBe('false');
    expect(canonicalCell('2026-01-02 03:04:05.120000', 'timestamp')).toBe('2026-01-02 03:04:05.12');
    expect(canonicalCell('2026-01-02 03:04:05.000', 'timestamp')).toBe('2026-01-02 03:04:05');
    expect(canonicalCell('2026-01-02 03:04:05', 'timestamp')).toBe('2026-01-02 03:04:05');
    expect(canonicalCell('1.500', 'text')).toBe('1.500');
    expect(canonicalCell(null, 'text')).toBeNull();
  });
});

describe('table order', () => {
  it('puts every table after the tables it references', () => {
    const order = parentsFirst(
      ['tokens', 'audit', 'users', 'sessions'],
      [
        { child: 'tokens', parent: 'users' },
        { child: 'sessions', parent: 'tokens' },
        { child: 'users', parent: 'users' },
      ],
    );
    expect(order).toEqual(['audit', 'users', 'tokens', 'sessions']);
  });
});

describe('table checksum', () => {
  it('does not depend on row order but on every cell and on repeats', () => {
    const rows = [
      ['a', '1'],
      ['b', null],
    ];
    const one = new TableChecksum();
    one.add(rows);
    const other = new TableChecksum();
    other.add([...rows].reverse());
    expect(other.hex).toBe(one.hex);
    const changed = new TableChecksum();
    changed.add([
      ['a', '1'],
      ['b', ''],
    ]);
    expect(changed.hex).not.toBe(one.hex);
    const repeated = new TableChecksum();
    repeated.add([...rows, rows[0] as string[]]);
    expect(repeated.rows).toBe(3);
    expect(repeated.hex).not.toBe(one.hex);
  });
});
