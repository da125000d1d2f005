// Loads a target's series from the store and evaluates it for the units in its scope.
import { type OrgUnitType, orgUnitTypeSchema, targetUnits, type UnitStructure } from '../catalogue/index.js';
import { NotFoundError, UserError } from '../domain/errors.js';
import type { Store, StoredTarget } from '../store/index.js';
import { loadUnitStructure } from './load-unit-structure.js';
import { evaluateTarget, type SeriesPoint, type TargetEvaluation } from './target-evaluation.js';
import { intervalOf } from './value-rows.js';

/** The series a target is judged on: the unit's totals by year (all periods for days-since-event indicators). */
async function seriesOf(store: Store, indicatorId: string, unit: string, yearly: boolean): Promise<SeriesPoint[]> {
  const indicator = await store.getIndicator(indicatorId);
  if (!indicator) return [];
  const rows = await store.queryValues({ indicator: indicatorId, unit, breakdown: 'total' });
  return rows
    .filter((r) => !yearly || /^\d{4}$/.test(r.period))
    .map((r) => {
      const interval = intervalOf(indicator, r);
      return {
        period: r.period,
        value: r.value,
        suppressed: r.suppressed,
        ciLow: interval?.lower ?? null,
        ciHigh: interval?.upper ?? null,
      };
    });
}

async function requireTarget(store: Store, id: string): Promise<StoredTarget> {
  const stored = await store.getTarget(id);
  if (!stored) throw new NotFoundError('Target', id, 'GET /api/goal-sets/{id} lists each goal set with its targets.');
  return stored;
}

/** The units a target applies to, in catalogue order: its own scope within where its goal set was agreed. */
export async function scopeOf(store: Store, id: string, structure?: UnitStructure): Promise<string[]> {
  const { target, goalSetId } = await requireTarget(store, id);
  const goalSet = await store.getGoalSet(goalSetId);
  return targetUnits(goalSet, target, structure ?? (await loadUnitStructure(store))).map((u) => u.code);
}

/**
 * When a unit has no values because no unit of its type has any (a regional indicator judged for a
 * municipality): its type and the unit types the indicator has stored values for; null when units of its type
 * do have values.
 */
async function typesWithValues(
  store: Store,
  indicator: string,
  unit: string,
  structure: UnitStructure,
): Promise<{ own: OrgUnitType; types: OrgUnitType[] } | null> {
  const codesOf = (type: OrgUnitType) => structure.units.filter((u) => u.type === type).map((u) => u.code);
  const own = structure.units.find((u) => u.code === unit)?.type;
  if (!own || (await store.storedValueCounts(indicator, codesOf(own))).values > 0) return null;
  const types: OrgUnitType[] = [];
  for (const type of orgUnitTypeSchema.options) {
    const codes = codesOf(type);
    if (type !== own && codes.length > 0 && (await store.storedValueCounts(indicator, codes)).values > 0)
      types.push(type);
  }
  return { own, types };
}

/**
 * Evaluates a target for one unit (default: Denmark if in scope, else the first unit in scope).
 * @example await evaluateStoredTarget(store, 'reform-acute-readmissions', '751')
 */
export async function evaluateStoredTarget(
  store: Store,
  id: string,
  unit?: string,
): Promise<TargetEvaluation & StoredEvaluationExtras> {
  const stored = await requireTarget(store, id);
  const { target } = stored;
  const structure = await loadUnitStructure(store);
  const scope = await scopeOf(store, id, structure);
  const chosen = unit ?? (scope.includes('DK') ? 'DK' : scope[0]);
  if (!chosen || !scope.includes(chosen)) {
    throw new UserError(`Target '${id}' does not apply to unit '${unit}'`, {
      status: 404,
      hint: `It applies to ${scope.length} unit(s): ${scope.slice(0, 40).join(', ')}${scope.length > 40 ? ', …' : ''}`,
    });
  }
  const indicator = await store.getIndicator(target.indicator);
  if (!indicator) throw new NotFoundError('Indicator', target.indicator);
  const yearly = indicator.measure !== 'days-since-event' && indicator.periodTypes.includes('year');
  const series = await seriesOf(store, target.indicator, chosen, yearly);
  const evaluation = evaluateTarget(target, indicator, chosen, series);
  const missing = series.length === 0 ? await typesWithValues(store, target.indicator, chosen, structure) : null;
  const valuesFor = missing?.types ?? null;
  if (missing) {
    evaluation.explanation =
      missing.types.length > 0
        ? `'${target.indicator}' has no values for any unit of type ${missing.own}, only for: ${missing.types.join(', ')}.`
        : `'${target.indicator}' has no values for any unit yet.`;
  }
  return {
    goalSetId: stored.goalSetId,
    goalId: stored.goalId,
    indicator: target.indicator,
    kind: target.kind,
    ...evaluation,
    appliesTo: scope,
    ...(valuesFor ? { valuesFor } : {}),
    // The same numbers flat, for clients that want only the values.
    baselineValue: evaluation.baseline?.value ?? null,
    latestValue: evaluation.latest?.value ?? null,
    requiredValue: evaluation.required?.value ?? null,
    projectedValue: evaluation.projected?.value ?? null,
    goalValue: evaluation.goal?.value ?? null,
  };
}

export interface StoredEvaluationExtras {
  goalSetId: string;
  goalId: string;
  indicator: string;
  kind: string;
  /** The codes of every unit the target applies to. */
  appliesTo: string[];
  /**
   * Given when the unit has no values because no unit of its type has any: the unit types the indicator has
   * values for (e.g. `['nation', 'region']` for a regional indicator judged for a municipality).
   */
  valuesFor?: OrgUnitType[];
  baselineValue: number | null;
  latestValue: number | null;
  requiredValue: number | null;
  projectedValue: number | null;
  goalValue: number | null;
}

/** Evaluates a target for every unit in its scope. */
export async function evaluateTargetForScope(store: Store, id: string): Promise<TargetEvaluation[]> {
  const scope = await scopeOf(store, id);
  const out: TargetEvaluation[] = [];
  for (const unit of scope) out.push(await evaluateStoredTarget(store, id, unit));
  return out;
}
