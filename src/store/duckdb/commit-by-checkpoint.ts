// Large commits written straight into the database file instead of the write-ahead log.
//
// DuckDB normally writes a commit to its write-ahead log (WAL) and copies it into the database file later (a
// checkpoint). A process killed while that log is being written can leave a torn log that the DuckDB version
// Pejling uses replays in part (docs/deployment.md). With `wal_autocheckpoint` at 0 a commit is made durable by a
// checkpoint instead: DuckDB writes the changed data to free blocks of the file and then switches the file's
// header to them, so a kill leaves either the old or the new header. Imports and engine runs commit this way;
// small writes (accounts, sessions, the audit trail) keep the log, which is quicker for them.
import type { Row } from './duckdb-connection.js';

/**
 * Runs `work` (which commits) with DuckDB's automatic checkpoint threshold at zero, then restores the threshold.
 * Only on the write connection, inside the write queue: the setting is the whole database's.
 * @example await commitByCheckpoint(sql, () => inTransaction(write));
 */
export async function commitByCheckpoint<T>(sql: (text: string) => Promise<Row[]>, work: () => Promise<T>): Promise<T> {
  const [row] = await sql("SELECT current_setting('wal_autocheckpoint') AS threshold");
  const threshold = String(row?.threshold ?? '16MiB').replaceAll("'", '');
  await sql("SET wal_autocheckpoint = '0KB'");
  try {
    return await work();
  } finally {
    await sql(`SET wal_autocheckpoint = '${threshold}'`);
  }
}
