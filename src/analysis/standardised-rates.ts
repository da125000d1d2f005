// Directly age-standardised rates of a stored indicator from its age-group rows, with a configurable standard
// population: the European Standard Population 2013, or Denmark in a chosen year (the stored population).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Indicator } from '../catalogue/index.js';
import { DEFAULT_CATALOGUE_DIR } from '../catalogue/index.js';
import { AGE_GROUPS } from '../domain/breakdowns.js';
import { UserError } from '../domain/errors.js';
import { directlyStandardisedRate } from '../stats/index.js';
import type { Store } from '../store/index.js';

/** The European Standard Population 2013 on Pejling's 18 age groups (85-89 + 90+ = 85+). */
export function europeanStandardPopulation(catalogueDir = DEFAULT_CATALOGUE_DIR): Map<string, number> {
  const lines = readFileSync(path.join(catalogueDir, 'standard-populations/european-2013.csv'), 'utf8')
    .split('\n')
    .filter((l) => /^\d/.test(l));
  const weights = new Map<string, number>();
  for (const line of lines) {
    const [group, weight] = line.split(',');
    const key = group === '85-89' || group === '90+' ? '85+' : (group as string);
    weights.set(key, (weights.get(key) ?? 0) + Number(weight));
  }
  return weights;
}

/** Standard weights by age group: `european-2013` or `denmark-YYYY` (Denmark's stored population that year). */
export async function standardPopulation(store: Store, standard: string): Promise<Map<string, number>> {
  if (standard === 'european-2013') return europeanStandardPopulation();
  const match = /^denmark-(\d{4})$/.exec(standard);
  if (!match)
    throw new UserError(`Unknown standard population '${standard}'`, {
      hint: 'Use european-2013 or denmark-YYYY, e.g. denmark-2020.',
    });
  const rows = await store.queryValues({ indicator: 'population', unit: 'DK', period: match[1] as string });
  const weights = new Map(
    rows
      .filter((r) => r.breakdown.startsWith('age_group:') && r.numerator !== null)
      .map((r) => [r.breakdown.slice(10), r.numerator as number]),
  );
  if (weights.size < AGE_GROUPS.length) {
    throw new UserError(`There is no stored population of Denmark by age for ${match[1]}`, {
      status: 404,
      hint: 'Compute the register indicators (the population indicator) for that year.',
    });
  }
  return weights;
}

/**
 * Age-standardised rates for units of a rate indicator in a period. A unit whose age-group cells are hidden
 * (small numbers) or incomplete gets no rate and says why.
 */
export async function standardisedRates(
  store: Store,
  indicator: Indicator,
  options: { period: string; standard: string; units?: readonly string[] },
) {
  if (indicator.measure !== 'rate' || !indicator.breakdowns.includes('age_group')) {
    throw new UserError(`Age standardisation needs a rate broken down by age group; '${indicator.id}' is not one`);
  }
  const weights = await standardPopulation(store, options.standard);
  const rows = await store.queryValues({
    indicator: indicator.id,
    period: options.period,
    ...(options.units ? { unit: options.units } : {}),
  });
  const byUnit = new Map<string, typeof rows>();
  for (const r of rows)
    if (r.breakdown.startsWith('age_group:')) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const result = [];
  for (const [unit, cells] of byUnit) {
    const weighted = cells.filter((c) => weights.has(c.breakdown.slice(10)));
    // A hidden cell has no numbers in the published view: it must stop the rate, not drop out of it silently.
    const hidden = weighted.some((c) => c.suppressed || c.numerator === null || c.denominator === null);
    const strata = weighted.filter((c) => (c.denominator as number) > 0);
    const noRate = (reason: string) => ({
      unit,
      period: options.period,
      value: null,
      ciLow: null,
      ciHigh: null,
      count: null,
      reason,
    });
    if (hidden) {
      result.push(noRate('suppressed-age-groups'));
      continue;
    }
    const dsr = directlyStandardisedRate(
      strata.map((c) => ({
        count: c.numerator as number,
        population: c.denominator as number,
        standard: weights.get(c.breakdown.slice(10)) as number,
      })),
      indicator.multiplier,
    );
    result.push(
      dsr
        ? { unit, period: options.period, value: dsr.value, ciLow: dsr.lower, ciHigh: dsr.upper, count: dsr.count }
        : noRate('fewer-than-10-events'),
    );
  }
  return {
    indicator: indicator.id,
    period: options.period,
    standard: options.standard,
    rows: result.sort((a, b) => a.unit.localeCompare(b.unit)),
  };
}
