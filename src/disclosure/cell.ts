// The cells of one indicator's table as disclosure control sees them, and the rule for small counts.

/** A field of a cell that counts persons (or events) and so must not be published as 1-4. */
export type CountField = 'numerator' | 'denominator';

/** One cell of an indicator's table: a unit, a period and a breakdown with its full (unsuppressed) counts. */
export interface DisclosureCell {
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
}

/** Counts from 1 to 4 are never published (0 is). */
export const SMALL_COUNT_MIN = 1;
export const SMALL_COUNT_MAX = 4;

/**
 * The protection interval: the values an outsider can deduce for a hidden count of 1-4 must reach at least this
 * far up, so that the published table never shows that the count is below the threshold.
 */
export const PROTECTION_UPPER = 5;

/** True for a count of 1-4. */
export const isSmallCount = (n: number | null | undefined): boolean =>
  typeof n === 'number' && n >= SMALL_COUNT_MIN && n <= SMALL_COUNT_MAX;
