// Register indicators that count the same events publish the same numerators; disclosure control must hide a
// cell in all of them when it hides it in one, or differencing across the indicators would undo it.
import type { IndicatorValue } from '../store/index.js';
import type { Recipe } from './recipe.js';

/** The events and filter a recipe's numerator counts, for the templates whose numerator is a plain count. */
function numeratorOf(recipe: Recipe): string | undefined {
  if (recipe.template !== 'event-count' && recipe.template !== 'event-rate') return undefined;
  return JSON.stringify([recipe.events, recipe.filter ?? null, recipe.periodDate]);
}

/**
 * Hides, in every indicator of a group sharing a numerator, each cell hidden in any of them.
 * @example alignSharedNumerators(values, recipes) // preventable-admissions-65plus and its -count twin
 */
export function alignSharedNumerators(values: readonly IndicatorValue[], recipes: readonly Recipe[]): void {
  const groupOf = new Map<string, string>();
  for (const recipe of recipes) {
    const numerator = numeratorOf(recipe);
    if (numerator) groupOf.set(recipe.indicator, numerator);
  }
  const hidden = new Set<string>();
  const key = (group: string, v: IndicatorValue) => `${group}\u0000${v.unit}\u0000${v.period}\u0000${v.breakdown}`;
  for (const v of values) {
    const group = groupOf.get(v.indicator);
    if (group && v.suppressed) hidden.add(key(group, v));
  }
  for (const v of values) {
    const group = groupOf.get(v.indicator);
    if (group && hidden.has(key(group, v))) v.suppressed = true;
  }
}
