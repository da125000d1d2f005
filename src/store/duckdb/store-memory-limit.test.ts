// The store's DuckDB memory limit from PEJLING_DUCKDB_MEMORY: sizes pass through, anything else is refused clearly.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../domain/errors.js';
import { storeMemoryLimit } from './duckdb-connection.js';

describe('storeMemoryLimit', () => {
  it('passes sizes to DuckDB and leaves DuckDB its default when unset', () => {
    expect(storeMemoryLimit('256MB')).toBe('256MB');
    expect(storeMemoryLimit(' 2GB ')).toBe('2GB');
    expect(storeMemoryLimit('1.5GiB')).toBe('1.5GiB');
    expect(storeMemoryLimit('')).toBeUndefined();
  });

  it('refuses what is not a size, naming the variable', () => {
    for (const bad of ['256', 'lots', '-1GB', '256MB; DROP TABLE x']) {
      expect(() => storeMemoryLimit(bad)).toThrow(UserError);
      expect(() => storeMemoryLimit(bad)).toThrow(/PEJLING_DUCKDB_MEMORY must be a size like 256MB/);
    }
  });
});
