// The store's DuckDB keeps to a small memory budget while an import compares and writes its rows.
//
// DuckDB's default memory limit is 80 % of the machine's memory. An import of a million rows then builds its
// comparison's hash table and holds the appended revisions and values wholly in memory (about 250 MB, and more
// in the process's resident set, which keeps much of it afterwards); under a limit DuckDB spills to the store's
// temporary folder and writes row groups out as they fill. The limit is the whole database's, so it is lowered
// when the first import starts and put back when the last one ends; a store given an explicit limit
// (`PEJLING_DUCKDB_MEMORY`) lower than the budget keeps its own. Reads that run meanwhile share the budget: the
// cache of blocks they would reuse is given up, and their sorts and joins spill like the import's. Each change of
// the limit also makes DuckDB's allocator give back the memory it holds free.
import type { Row } from './duckdb-connection.js';

/** DuckDB's memory limit while imports run. */
export const IMPORT_MEMORY_LIMIT = '128MB';
/** Row groups an insert may buffer before it writes them out (DuckDB's default is 60 % of the memory limit). */
const IMPORT_WRITE_BUFFER = '32MB';

const SETTINGS = ['memory_limit', 'write_buffer_row_group_memory_limit'] as const;

/**
 * Lowers the memory limit of one DuckDB instance while imports run, counting the imports that overlap.
 * `configured` is the limit the instance was opened with (undefined: DuckDB's default), which is put back. An
 * import that does not fit in the budget (an operator DuckDB cannot spill) is run again without it.
 * @example const budget = new ImportMemory(storeMemoryLimit()); await budget.within(sql, () => compareAndWrite());
 */
export class ImportMemory {
  private running = 0;
  /** The settings before the first import lowered them. */
  private saved: [string, string][] = [];
  /** Set when an import did not fit: the budget stays lifted until the running imports have ended. */
  private lifted = false;
  private change: Promise<void> = Promise.resolve();

  constructor(
    private readonly configured: string | undefined,
    private readonly budget = IMPORT_MEMORY_LIMIT,
  ) {}

  /**
   * Runs `work` with the import budget in force; `sql` runs a statement on any connection of the instance.
   * `again` clears what a failed first try left before `work` runs a second time without the budget.
   */
  async within<T>(
    sql: (text: string) => Promise<Row[]>,
    work: () => Promise<T>,
    again: () => Promise<void>,
  ): Promise<T> {
    await this.serial(async () => {
      if (this.running++ > 0 || this.lifted) return;
      // The settings as they were before the first import, to be put back with SET: DuckDB's RESET of
      // memory_limit changes the setting but not the limit its buffer pool keeps to. (DuckDB shows a limit
      // rounded, so what is put back is read once, not again each time, which would let it creep down.)
      if (this.saved.length === 0) {
        const [row] = await sql(`SELECT ${SETTINGS.map((s) => `current_setting('${s}') AS ${s}`).join(', ')}`);
        this.saved = SETTINGS.map((s) => [s, String(row?.[s] ?? '')]);
      }
      try {
        if (bytes(this.configured ?? this.saved[0]?.[1] ?? '') > bytes(this.budget))
          await sql(`SET memory_limit = '${this.budget}'`);
        await sql(`SET write_buffer_row_group_memory_limit = '${IMPORT_WRITE_BUFFER}'`);
      } catch (error) {
        // DuckDB could not free enough for the budget (say, other work holds more): imports go without it.
        if (!isOutOfMemory(error)) throw error;
        await this.restore(sql);
        this.lifted = true;
      }
    });
    try {
      try {
        return await work();
      } catch (error) {
        if (!isOutOfMemory(error)) throw error;
        await this.serial(async () => {
          if (!this.lifted) await this.restore(sql);
          this.lifted = true;
        });
        await again();
        return await work();
      }
    } finally {
      await this.serial(async () => {
        if (--this.running > 0) return;
        if (!this.lifted) await this.restore(sql);
        this.lifted = false;
      });
    }
  }

  private async restore(sql: (text: string) => Promise<Row[]>): Promise<void> {
    for (const [setting, value] of this.saved) if (value) await sql(`SET ${setting} = '${value.replaceAll("'", '')}'`);
  }

  /** Changes of the settings one at a time, so that overlapping imports lower and restore them once. */
  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.change.then(step);
    this.change = next.catch(() => {});
    return next;
  }
}

/** DuckDB's out-of-memory error; an appender reports it as "failed to allocate". */
function isOutOfMemory(error: unknown): boolean {
  return error instanceof Error && /Out of Memory|failed to allocate/i.test(error.message);
}

/** A size as DuckDB and PEJLING_DUCKDB_MEMORY write it (`128MB`, `2GB`, `1.5GiB`) in bytes; other text: unlimited. */
export function bytes(size: string): number {
  const match = /^\s*([\d.]+)\s*([KMGT]?)(i?)B\s*$/i.exec(size);
  if (!match) return Number.POSITIVE_INFINITY;
  const power = ' KMGT'.indexOf((match[2] ?? '').toUpperCase() || ' ');
  return Number(match[1]) * (match[3] ? 1024 : 1000) ** power;
}
