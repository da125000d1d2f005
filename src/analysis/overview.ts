// The dashboard's overview for one unit: every goal set → goal → indicator with the latest value, its
// interval, the trend, the comparison with Denmark and the verdicts of the targets that apply to the unit.
import { goalSetAppliesTo, targetUnits } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { trendOf } from './comparisons.js';
import { evaluateStoredTarget } from './evaluate-targets.js';
import { loadUnitStructure } from './load-unit-structure.js';
import type { Verdict } from './target-evaluation.js';
import { type ValueRow, valueRows } from './value-rows.js';

export interface OverviewIndicator {
  id: string;
  name: { da: string; en: string };
  unitLabel: { da: string; en: string };
  polarity: string;
  measure: string;
  origin: string;
  latest: ValueRow | null;
  benchmark: number | null;
  trend: 'increasing' | 'decreasing' | 'no-significant-change' | null;
  targets: { id: string; name: { da: string; en: string }; kind: string; status: Verdict; reason?: string }[];
}

/**
 * The overview of a unit. The server prepares it once per data version (api/prepared-responses.ts).
 * @example await overviewOf(store, '751')
 */
export async function overviewOf(store: Store, unitCode: string) {
  const structure = await loadUnitStructure(store);
  const unit = structure.units.find((u) => u.code === unitCode);
  if (!unit)
    throw new UserError(`Unknown unit '${unitCode}'`, { status: 404, hint: 'GET /api/org-units lists the units.' });
  const indicators = new Map((await store.listIndicators()).map((i) => [i.id, i]));
  // A goal set shows only where it was agreed: national sets everywhere, a region's set for it and its members.
  const goalSets = (await store.listGoalSets()).filter((s) => goalSetAppliesTo(s, unitCode, structure));
  const indicatorCache = new Map<string, Omit<OverviewIndicator, 'targets'>>();
  const describe = async (id: string): Promise<Omit<OverviewIndicator, 'targets'> | undefined> => {
    const known = indicatorCache.get(id);
    if (known) return known;
    const indicator = indicators.get(id);
    if (!indicator) return undefined;
    const rows = (await valueRows(store, indicator, { unit: unitCode, breakdown: 'total' })).filter(
      (r) => /^\d{4}$/.test(r.period) || indicator.measure === 'days-since-event',
    );
    const latest = rows.at(-1) ?? null;
    const dk = latest
      ? (await store.queryValues({ indicator: id, unit: 'DK', period: latest.period, breakdown: 'total' }))[0]
      : undefined;
    const trend = rows.length >= 3 ? ((await trendOf(store, indicator, unitCode)).trend?.direction ?? null) : null;
    const described = {
      id,
      name: indicator.name,
      unitLabel: indicator.unit,
      polarity: indicator.polarity,
      measure: indicator.measure,
      origin: indicator.origin,
      latest,
      benchmark: dk?.value ?? null,
      trend: trend as OverviewIndicator['trend'],
    };
    indicatorCache.set(id, described);
    return described;
  };
  const out = [];
  for (const set of goalSets) {
    const goals = [];
    for (const goal of set.goals) {
      const ids = [...new Set([...goal.indicators, ...goal.targets.map((t) => t.indicator)])];
      const rows: OverviewIndicator[] = [];
      for (const id of ids) {
        const described = await describe(id);
        if (!described) continue;
        const targets = [];
        for (const t of goal.targets.filter((t) => t.indicator === id)) {
          if (!targetUnits(set, t, structure).some((u) => u.code === unitCode)) continue;
          const e = await evaluateStoredTarget(store, t.id, unitCode);
          targets.push({
            id: t.id,
            name: t.name,
            kind: t.kind,
            status: e.status,
            ...(e.reason ? { reason: e.reason } : {}),
          });
        }
        rows.push({ ...described, targets });
      }
      goals.push({ id: goal.id, name: goal.name, theme: goal.theme ?? null, indicators: rows });
    }
    out.push({ id: set.id, name: set.name, level: set.level, owner: set.owner, unit: set.unit, goals });
  }
  return { unit, goalSets: out };
}
