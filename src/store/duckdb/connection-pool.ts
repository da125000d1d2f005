// A fixed set of DuckDB connections on one instance for reads: each query borrows one, so reads run side by
// side and each statement sees one committed snapshot (DuckDB's MVCC), never half of a running write.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export class ConnectionPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: ((connection: DuckDBConnection) => void)[] = [];

  private constructor(private readonly all: readonly DuckDBConnection[]) {
    this.idle = [...all];
  }

  /** Opens `size` connections on the instance. */
  static async open(instance: DuckDBInstance, size: number): Promise<ConnectionPool> {
    const connections: DuckDBConnection[] = [];
    for (let i = 0; i < size; i++) connections.push(await instance.connect());
    return new ConnectionPool(connections);
  }

  /**
   * Runs `work` with a connection of its own; waits for one when all are busy.
   * @example const rows = await pool.use((c) => queryRows(c, 'SELECT 1'));
   */
  async use<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.idle.pop() ?? (await new Promise<DuckDBConnection>((take) => this.waiting.push(take)));
    try {
      return await work(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }

  close(): void {
    for (const connection of this.all) connection.closeSync();
  }
}
