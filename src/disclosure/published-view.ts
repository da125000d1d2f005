// The published view of a stored value: a hidden cell shows no number at all.

/** The numeric fields of a stored value row. */
interface ValueNumbers {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  suppressed: boolean;
}

/**
 * A copy of `row` as it may be published: a suppressed cell keeps its keys and `suppressed: true` but loses
 * value, numerator and denominator (the denominator too, so that no ratio or difference of published
 * denominators can reveal a hidden count, whatever the measure).
 * @example publishedView({ numerator: 3, denominator: 40, value: 7.5, suppressed: true }) // numbers null
 */
export function publishedView<T extends ValueNumbers>(row: T): T {
  if (!row.suppressed) return row;
  return { ...row, numerator: null, denominator: null, value: null };
}
