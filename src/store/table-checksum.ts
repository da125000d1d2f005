// A checksum of a table's rows that does not depend on their order: the sum (mod 2^64) of each row's SHA-256
// prefix, so two databases that sort text differently still agree when they hold the same rows.
import { createHash } from 'node:crypto';
import type { Cell } from './table-access.js';

const MOD = 1n << 64n;

export class TableChecksum {
  private sum = 0n;
  rows = 0;

  add(rows: readonly Cell[][]): void {
    for (const row of rows) {
      const digest = createHash('sha256').update(JSON.stringify(row)).digest();
      this.sum = (this.sum + digest.readBigUInt64BE(0)) % MOD;
      this.rows++;
    }
  }

  /** The checksum as 16 hex digits. */
  get hex(): string {
    return this.sum.toString(16).padStart(16, '0');
  }
}
