// Makes a registry twice the size of another by adding a copy of every person with a new id:
// `npx tsx bench/double-registry.ts FROM_DIR TO_DIR`. Every course, death and income row of the copy belongs to
// the copied person (ids prefixed with X), and the population counts are doubled, so the registry stays valid
// for the engine and its rates keep their level. Much faster than generating the larger registry (about 40
// minutes of one core for 100 million courses): DuckDB copies the Parquet files.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: tsx bench/double-registry.ts FROM_DIR TO_DIR');
  process.exit(1);
}
await mkdir(to, { recursive: true });
const instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
const conn = await instance.connect();
const file = (dir: string, name: string) => `'${path.join(dir, `${name}.parquet`).replaceAll("'", "''")}'`;
const copies: Record<string, string> = {
  persons: `SELECT * REPLACE ('X' || person_id AS person_id)`,
  hospital_courses: `SELECT * REPLACE ('X' || course_id AS course_id, 'X' || person_id AS person_id)`,
  deaths: `SELECT * REPLACE ('X' || person_id AS person_id)`,
  income: `SELECT * REPLACE ('X' || person_id AS person_id)`,
};
for (const [name, copy] of Object.entries(copies)) {
  if (!existsSync(path.join(from, `${name}.parquet`))) continue;
  const t0 = performance.now();
  await conn.run(`COPY (SELECT * FROM read_parquet(${file(from, name)})
    UNION ALL ${copy} FROM read_parquet(${file(from, name)})) TO ${file(to, name)} (FORMAT parquet)`);
  console.log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
await conn.run(`COPY (SELECT * REPLACE (count * 2 AS count) FROM read_parquet(${file(from, 'population')}))
  TO ${file(to, 'population')} (FORMAT parquet)`);
conn.closeSync();
instance.closeSync();
