// Gathers what a status report says for a unit and year: per goal, its indicators with series, latest value and
// interval, change since the baseline, target verdicts judged on the data up to that year, comparison with
// Denmark and peers, and inequality by education.
import {
  evaluateTarget,
  inequalityOf,
  loadUnitStructure,
  type TargetEvaluation,
  type ValueRow,
  valueRows,
} from '../analysis/index.js';
import {
  type GoalSet,
  goalSetAppliesTo,
  type Indicator,
  type OrgUnit,
  targetUnits,
  unitsAt,
} from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { gatherQualityPlan, type QualityPlanSection } from './quality-plan-section.js';

export interface ReportIndicator {
  indicator: Indicator;
  series: ValueRow[];
  latest: ValueRow | null;
  first: ValueRow | null;
  denmark: ValueRow | null;
  peers: { unit: OrgUnit; row: ValueRow }[];
  targets: { id: string; name: { da: string; en: string }; evaluation: TargetEvaluation }[];
  inequality: Awaited<ReturnType<typeof inequalityOf>> | null;
}

/** One target that applies to the report's unit, with its verdict (the summary's table). */
export interface ReportTarget {
  goalSet: { id: string; name: { da: string; en: string } };
  goal: { id: string; name: { da: string; en: string } };
  id: string;
  name: { da: string; en: string };
  indicator: Indicator;
  evaluation: TargetEvaluation;
}

export interface ReportData {
  unit: OrgUnit;
  /** Every target of the report's goal sets that applies to the unit, with or without data. */
  targets: ReportTarget[];
  year: number;
  units: OrgUnit[];
  goalSets: {
    set: GoalSet;
    goals: { id: string; name: { da: string; en: string }; indicators: ReportIndicator[] }[];
  }[];
  /** The quality plan's standards for the unit and year (an empty list when there are none). */
  qualityPlan?: QualityPlanSection[];
  generatedAt: string;
}

const isYear = (p: string) => /^\d{4}$/.test(p);

export async function gatherReport(
  store: Store,
  options: { unit: string; year: number; goalSet?: string },
): Promise<ReportData> {
  const structure = await loadUnitStructure(store);
  const units = [...structure.units];
  const unit = units.find((u) => u.code === options.unit);
  if (!unit)
    throw new UserError(`Unknown unit '${options.unit}'`, {
      hint: 'Use DK, a region code (1081-1085) or a municipality code.',
    });
  const allSets = await store.listGoalSets();
  const sets = options.goalSet
    ? allSets.filter((s) => s.id === options.goalSet)
    : allSets.filter((s) => goalSetAppliesTo(s, unit.code, structure));
  if (options.goalSet && sets.length === 0)
    throw new UserError(`Unknown goal set '${options.goalSet}'`, { hint: 'GET /api/goal-sets lists them.' });
  const indicators = new Map((await store.listIndicators()).map((i) => [i.id, i]));
  // Peers are the units in force at the end of the report's year (5 regions up to 2026, 4 from 2027).
  const inForceThen = unitsAt(structure, `${options.year}-12-31`);
  const peerUnits =
    unit.type === 'nation'
      ? inForceThen.filter((u) => u.type === 'region')
      : unit.type === 'region'
        ? inForceThen.filter((u) => u.parent === unit.code && u.type === 'municipality')
        : units.filter((u) => u.code === unit.parent);
  const cache = new Map<string, ReportIndicator | null>();
  const describe = async (id: string): Promise<ReportIndicator | null> => {
    if (cache.has(id)) return cache.get(id) ?? null;
    const indicator = indicators.get(id);
    let result: ReportIndicator | null = null;
    if (indicator) {
      const series = (await valueRows(store, indicator, { unit: unit.code, breakdown: 'total' })).filter(
        (r) =>
          (isYear(r.period) ? Number(r.period) <= options.year : Number(r.period.slice(0, 4)) <= options.year) &&
          (isYear(r.period) || indicator.measure === 'days-since-event'),
      );
      const shown = series.filter((r) => r.value !== null && !r.suppressed);
      const latest = series.at(-1) ?? null;
      if (latest) {
        const denmark =
          unit.code === 'DK'
            ? null
            : ((await valueRows(store, indicator, { unit: 'DK', period: latest.period, breakdown: 'total' }))[0] ??
              null);
        const peerRows = await valueRows(store, indicator, {
          unit: peerUnits.map((u) => u.code),
          period: latest.period,
          breakdown: 'total',
        });
        const peers = peerUnits.flatMap((u) => {
          const row = peerRows.find((r) => r.unit === u.code);
          return row ? [{ unit: u, row }] : [];
        });
        const inequality = indicator.breakdowns.includes('education')
          ? await inequalityOf(store, indicator, unit.code, latest.period).catch(() => null)
          : null;
        result = { indicator, series, latest, first: shown[0] ?? null, denmark, peers, targets: [], inequality };
      }
    }
    cache.set(id, result);
    return result;
  };
  const goalSets: ReportData['goalSets'] = [];
  const allTargets: ReportTarget[] = [];
  for (const set of sets) {
    const goals = [];
    for (const goal of set.goals) {
      for (const t of goal.targets) {
        const indicator = indicators.get(t.indicator);
        if (!indicator || !targetUnits(set, t, structure).some((u) => u.code === unit.code)) continue;
        const described = await describe(t.indicator);
        const series = (described?.series ?? []).map((r) => ({
          period: r.period,
          value: r.value,
          suppressed: r.suppressed,
          ciLow: r.ciLow,
          ciHigh: r.ciHigh,
        }));
        allTargets.push({
          goalSet: { id: set.id, name: set.name },
          goal: { id: goal.id, name: goal.name },
          id: t.id,
          name: t.name,
          indicator,
          evaluation: evaluateTarget(t, indicator, unit.code, series),
        });
      }
      const ids = [...new Set([...goal.indicators, ...goal.targets.map((t) => t.indicator)])];
      const rows: ReportIndicator[] = [];
      for (const id of ids) {
        const described = await describe(id);
        if (!described) continue;
        const targets = goal.targets
          .filter((t) => t.indicator === id && targetUnits(set, t, structure).some((u) => u.code === unit.code))
          .map((t) => ({
            id: t.id,
            name: t.name,
            evaluation: evaluateTarget(
              t,
              described.indicator,
              unit.code,
              described.series.map((r) => ({
                period: r.period,
                value: r.value,
                suppressed: r.suppressed,
                ciLow: r.ciLow,
                ciHigh: r.ciHigh,
              })),
            ),
          }));
        rows.push({ ...described, targets });
      }
      if (rows.length) goals.push({ id: goal.id, name: goal.name, indicators: rows });
    }
    if (goals.length) goalSets.push({ set, goals });
  }
  // The quality plan's compliance is recorded by municipalities: shown for them and the units made of them.
  const withQualityPlan = !options.goalSet && ['nation', 'region', 'municipality'].includes(unit.type);
  const qualityPlan = withQualityPlan ? await gatherQualityPlan(store, unit.code, options.year) : [];
  return {
    unit,
    targets: allTargets,
    year: options.year,
    units,
    goalSets,
    qualityPlan,
    generatedAt: new Date().toISOString().slice(0, 10),
  };
}
