// Which fields of an indicator's cells count persons, by the indicator's measure.
import type { CountField } from './cell.js';

/**
 * The fields checked against the 1-4 rule for an indicator measured as `measure`: numerator and denominator
 * of shares (both count persons), the denominator of means (the numerator is a sum such as days), and the
 * numerator of rates and counts (the denominator is the population, published by Statistics Denmark).
 * Register recipes state their own (cohort rates count persons in both, see the engine).
 * @example countFieldsOfMeasure('proportion') // ['numerator', 'denominator']
 */
export function countFieldsOfMeasure(measure: string): CountField[] {
  switch (measure) {
    case 'proportion':
      return ['numerator', 'denominator'];
    case 'mean':
      return ['denominator'];
    default:
      return ['numerator'];
  }
}
