import { describe, expect, it } from 'vitest';
import { isPostgresLocation, poolSize, redactLocation, toNumberedParameters } from './postgres-connection.js';

describe('PostgreSQL locations', () => {
  it('are postgres:// or postgresql:// URLs; anything else is a DuckDB path', () => {
    expect(isPostgresLocation('postgres://u:p@h:5432/db')).toBe(true);
    expect(isPostgresLocation('postgresql://h/db')).toBe(true);
    expect(isPostgresLocation('./data/postgres.duckdb')).toBe(false);
    expect(isPostgresLocation(':memory:')).toBe(false);
  });

  it('hide their password in messages', () => {
    expect(redactLocation('postgres://pejling:s3cret@db:5432/pejling')).toBe('postgres://pejling:***@db:5432/pejling');
    expect(redactLocation('postgres://pejling@db/pejling')).toBe('postgres://pejling@db/pejling');
  });
});

describe('pool size', () => {
  it('comes from PEJLING_PG_POOL, a whole number of at least 1', () => {
    expect(poolSize({})).toBe(10);
    expect(poolSize({ PEJLING_PG_POOL: '25' })).toBe(25);
    expect(() => poolSize({ PEJLING_PG_POOL: 'many' })).toThrow(/PEJLING_PG_POOL must be a whole number/);
    expect(() => poolSize({ PEJLING_PG_POOL: '0' })).toThrow(/got '0'/);
  });
});

describe('placeholders', () => {
  it('number the ? outside quoted text', () => {
    expect(toNumberedParameters('SELECT * FROM t WHERE a = ? AND b = \'?\' AND "c?" IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = \'?\' AND "c?" IN ($2, $3)',
    );
  });
});
