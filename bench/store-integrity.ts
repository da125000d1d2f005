// What the check for incomplete imports costs when a DuckDB store opens: `npm run bench:store-integrity -- --values
// 10000000`. Fills a store with N imported values and their revisions (straight through DuckDB, as one import),
// then imports 100,000 values through the store, half of them changes (the costliest case for the check: it then
// also looks for cells stored twice), and times the check alone (with and without that look), a clean open and
// close of the store (no log to replay: no check) and an open that replays a log (with the check).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { queryRows } from '../src/store/duckdb/duckdb-connection.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { findTornImport } from '../src/store/duckdb/import-integrity.js';
import type { IndicatorValue } from '../src/store/index.js';

const { values: args } = parseArgs({ options: { values: { type: 'string', default: '10000000' } } });
const n = Number(args.values);
const dir = await mkdtemp(path.join(tmpdir(), 'pejling-bench-integrity-'));
const file = path.join(dir, 'store.duckdb');
const ms = (start: number) => `${(performance.now() - start).toFixed(0)} ms`;
try {
  await (await DuckDBStore.open(file)).close();
  let start = performance.now();
  {
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    // Cells: indicator i%20, unit u (i/20 % 1000), period (i/20000): N distinct keys.
    const cells = `SELECT 'ind-' || (i % 20) AS indicator_id, CAST(100 + (i // 20) % 1000 AS VARCHAR) AS unit_code,
        CAST(1000 + i // 20000 AS VARCHAR) AS period, 'total' AS breakdown, NULL::DOUBLE AS numerator,
        NULL::DOUBLE AS denominator, CAST(i % 97 AS DOUBLE) AS value, false AS suppressed FROM range(${n}) t(i)`;
    for (const statement of [
      'BEGIN',
      `INSERT INTO imports VALUES (1, TIMESTAMP '2025-01-01 10:00:00', 'bench', 'big.csv', 'x', NULL, ${n}, ${n}, 0, 0)`,
      `INSERT INTO indicator_values SELECT *, 'import', TIMESTAMP '2025-01-01 10:00:00' FROM (${cells})`,
      `INSERT INTO value_history SELECT *, 1, TIMESTAMP '2025-01-01 10:00:00' FROM (${cells})`,
      'COMMIT',
      'CHECKPOINT',
    ])
      await connection.run(statement);
    connection.closeSync();
    instance.closeSync();
  }
  console.log(`filled ${n.toLocaleString('en')} values and revisions in ${ms(start)}`);

  const store = await DuckDBStore.open(file);
  const rows: IndicatorValue[] = [];
  for (let i = 0; i < 100_000; i++) {
    // Even i: an existing cell with a new value; odd i: a new period.
    const period = i % 2 === 0 ? String(1000 + Math.floor(i / 20000)) : String(9000 + Math.floor(i / 20000));
    rows.push({
      indicator: `ind-${i % 20}`,
      unit: String(100 + (Math.floor(i / 20) % 1000)),
      period,
      breakdown: 'total',
      numerator: null,
      denominator: null,
      value: 1000 + i,
      suppressed: false,
    });
  }
  start = performance.now();
  const diff = await store.applyImport({ actor: 'bench', fileName: 'small.csv', sha256: 'y', rowsInFile: 1e5 }, rows);
  console.log(`import through the store: ${diff.inserted} inserted, ${diff.changed} changed in ${ms(start)}`);
  await store.close();

  for (let round = 1; round <= 3; round++) {
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    const sql = (text: string, params?: readonly unknown[]) => queryRows(connection, text, params);
    start = performance.now();
    const tornCheap = await findTornImport(sql, false);
    const cheap = ms(start);
    start = performance.now();
    const torn = await findTornImport(sql, true);
    const full = ms(start);
    // A small write left in the log, as a killed process leaves it, for the next open to replay and check.
    await connection.run('PRAGMA disable_checkpoint_on_shutdown');
    await connection.run(`INSERT INTO region_rights VALUES ('r${round}', 'bench', '2026-01-01')`);
    connection.closeSync();
    instance.closeSync();
    start = performance.now();
    await (await DuckDBStore.open(file)).close();
    const replayed = ms(start);
    start = performance.now();
    await (await DuckDBStore.open(file)).close();
    console.log(
      `round ${round}: check ${full} (without the look for cells stored twice ${cheap}; ${tornCheap || torn ? 'torn!' : 'whole'}); ` +
        `open + close replaying a log (check included) ${replayed}; clean open + close ${ms(start)}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
