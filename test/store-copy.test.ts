// `store copy` carries tables that later migrations add without knowing them: a migration made here adds two
// tables (one referencing the other) with every column type the stores use, and the copy DuckDB → PostgreSQL →
// DuckDB must give back exactly the rows written, read with independent SQL.
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStore, MIGRATIONS, type Migration, openStore } from '../src/store/index.js';
import { storeLocations } from './store-kinds.js';

const locations = storeLocations();

const LATER: Migration = {
  version: 1000,
  description: 'accounts and their tokens (a later migration, made by this test)',
  statements: [
    `CREATE TABLE test_accounts (id BIGINT PRIMARY KEY, email VARCHAR NOT NULL, admin BOOLEAN NOT NULL, born DATE,
      created_at TIMESTAMP NOT NULL, score DOUBLE PRECISION, note TEXT)`,
    `CREATE TABLE test_tokens (id INTEGER PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES test_accounts (id),
      hash VARCHAR NOT NULL)`,
  ],
};

// The rows as SQL literals, so that what is written and what is expected come from the same text, not the code.
const ACCOUNTS = [
  "(9007199254740993, 'anne@example.dk', TRUE, DATE '1970-01-31', TIMESTAMP '2026-01-02 03:04:05.123456', 0.1, 'Ærø \"quoted\" it''s')",
  "(2, 'bo@example.dk', FALSE, NULL, TIMESTAMP '2026-01-02 03:04:05', 1e-300, NULL)",
  "(3, 'ca@example.dk', FALSE, DATE '2000-02-29', TIMESTAMP '1999-12-31 23:59:59.5', -12345.678, 'line one\nline two')",
];
const EXPECTED = [
  ['2', 'bo@example.dk', 'false', null, '2026-01-02 03:04:05', '1e-300', null],
  ['3', 'ca@example.dk', 'false', '2000-02-29', '1999-12-31 23:59:59.5', '-12345.678', 'line one\nline two'],
  [
    '9007199254740993',
    'anne@example.dk',
    'true',
    '1970-01-31',
    '2026-01-02 03:04:05.123456',
    '0.1',
    'Ærø "quoted" it\'s',
  ],
];
const SELECT = `SELECT CAST(id AS VARCHAR) AS id, email, CAST(admin AS VARCHAR) AS admin, CAST(born AS VARCHAR) AS born,
  CAST(created_at AS VARCHAR) AS created_at, score, note FROM test_accounts ORDER BY id`;

async function duckRows(file: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

beforeAll(() => {
  (MIGRATIONS as Migration[]).push(LATER);
});
afterAll(() => {
  (MIGRATIONS as Migration[]).splice(MIGRATIONS.indexOf(LATER), 1);
});

describe('store copy of tables from later migrations', () => {
  it('carries them both ways with every value exact', async () => {
    const source = await locations.newLocation('duckdb', 'later');
    const middle = await locations.newLocation('postgres', 'later');
    const back = await locations.newLocation('duckdb', 'back');
    await (await openStore(source)).close();
    const instance = await DuckDBInstance.create(source);
    const connection = await instance.connect();
    await connection.run(`INSERT INTO test_accounts VALUES ${ACCOUNTS.join(', ')}`);
    await connection.run("INSERT INTO test_tokens VALUES (1, 9007199254740993, 'h1'), (2, 2, 'h2')");
    connection.closeSync();
    instance.closeSync();

    const there = await copyStore({ from: source, to: middle });
    expect(there.schemaVersion).toBe(1000);
    // Referenced tables come first, so the target's foreign key holds at every insert.
    const names = there.tables.map((t) => t.name);
    expect(names.indexOf('test_accounts')).toBeLessThan(names.indexOf('test_tokens'));
    expect(there.tables.filter((t) => t.name.startsWith('test_'))).toMatchObject([
      { name: 'test_accounts', rows: 3 },
      { name: 'test_tokens', rows: 2 },
    ]);

    const client = new pg.Client({ connectionString: middle });
    await client.connect();
    const inPostgres = await client.query({
      text: SELECT.replace('score', 'CAST(score AS VARCHAR) AS score'),
      rowMode: 'array',
    });
    const tokens = await client.query('SELECT CAST(account_id AS VARCHAR) AS a FROM test_tokens ORDER BY id');
    await client.end();
    expect(inPostgres.rows).toEqual(EXPECTED);
    expect(tokens.rows.map((r) => r.a)).toEqual(['9007199254740993', '2']);

    const home = await copyStore({ from: middle, to: back });
    expect(home.tables).toEqual(there.tables);
    const inDuckDB = await duckRows(back, SELECT.replace('score', 'CAST(score AS VARCHAR) AS score'));
    expect(inDuckDB).toEqual(EXPECTED);
  });
});
