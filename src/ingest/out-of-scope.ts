// The refusal of a file with rows for units the importer may not write: the whole file, naming the rows.
import { UserError } from '../domain/errors.js';

/**
 * The 403 for `count` rows outside the importer's scope; `rows` are the first of them (up to 50), `units` the
 * units they are for in the order they first appear.
 * @example throw outOfScopeError('tal.csv', 2, [{ row: 3, unit: '751' }, { row: 4, unit: '751' }], ['751'], 'Region Midtjylland')
 */
export function outOfScopeError(
  fileName: string,
  count: number,
  rows: readonly { row: number; unit: string }[],
  units: readonly string[],
  scope: string,
): UserError {
  return new UserError(
    `${fileName} has ${count} row(s) for ${units.length === 1 ? 'unit' : 'units'} ${units.join(', ')}, outside what you may write (${scope}); nothing was written`,
    {
      status: 403,
      details: rows.slice(0, 50).map((r) => `row ${r.row}: unit ${r.unit}`),
      hint: 'Remove the rows of other units, or ask an admin (or the unit itself) to import them.',
    },
  );
}
