// Disclosure control over stored value rows: sets each row's `suppressed` flag from its indicator's full table.
import type { DisclosureCell } from './cell.js';
import { type ProtectOptions, type ProtectResult, protectTableFully } from './protect-table.js';

/**
 * Runs protectTable over the rows of one indicator (full numbers) and writes the outcome to each row's
 * `suppressed`. The numbers stay as they are: the store keeps them in full, its published view hides them.
 * @example await suppressValues(values, { countFields: ['numerator'], parents })
 */
export async function suppressValues<T extends DisclosureCell & { suppressed: boolean }>(
  rows: T[],
  options: ProtectOptions,
): Promise<ProtectResult> {
  const result = await protectTableFully(rows, options);
  for (const [i, row] of rows.entries()) row.suppressed = result.suppressed[i] as boolean;
  return result;
}
