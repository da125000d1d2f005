// The dashboard's overview for one unit: every goal set → goal → indicator with the latest value, its
// interval, the trend, the comparison with Denmark and the verdicts of the targets that apply to the unit.
import { goalSetAppliesTo, targetCovers } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { ReadMemo, type Store } from '../store/index.js';
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

type DescribedIndicator = Omit<OverviewIndicator, 'targets'>;
type TargetVerdict = { status: Verdict; reason?: string };

/**
 * The parts an overview is made of, kept between data versions for as long as what they read stays the same
 * (store/read-memo.ts): one indicator's row for a unit, and one target's verdict for a unit. After an import of
 * one indicator, the overviews are made again from the other indicators' kept parts and that indicator's new
 * ones. Reads must go through a store from `recordingReads`.
 */
export interface OverviewParts {
  rows: ReadMemo<DescribedIndicator>;
  verdicts: ReadMemo<TargetVerdict>;
}

/**
 * A memory of overview parts for one store; `onCompute` hears the key (`day|unit|indicator` or
 * `day|unit|target:id`) of each part computed rather than taken from memory.
 * @example const parts = overviewParts(store); await overviewOf(store, '751', parts)
 */
export function overviewParts(store: Store, onCompute?: (key: string) => void): OverviewParts {
  return { rows: new ReadMemo(store, 100_000, onCompute), verdicts: new ReadMemo(store, 100_000, onCompute) };
}

/**
 * The overview of a unit. The server prepares it once per data version (api/prepared-responses.ts), from parts
 * kept between versions when `parts` is given.
 * @example await overviewOf(store, '751')
 */
export async function overviewOf(store: Store, unitCode: string, parts?: OverviewParts) {
  const structure = await loadUnitStructure(store);
  const unit = structure.units.find((u) => u.code === unitCode);
  if (!unit)
    throw new UserError(`Unknown unit '${unitCode}'`, { status: 404, hint: 'GET /api/org-units lists the units.' });
  const indicators = new Map((await store.listIndicators()).map((i) => [i.id, i]));
  // A goal set shows only where it was agreed: national sets everywhere, a region's set for it and its members.
  const goalSets = (await store.listGoalSets()).filter((s) => goalSetAppliesTo(s, unitCode, structure));
  // Parts are named by day too: what is in force (units, their members) can change with the date.
  const day = `${new Date().toISOString().slice(0, 10)}|${unitCode}`;
  const indicatorCache = new Map<string, DescribedIndicator>();
  const describe = async (id: string): Promise<DescribedIndicator | undefined> => {
    const known = indicatorCache.get(id);
    if (known) return known;
    const indicator = indicators.get(id);
    if (!indicator) return undefined;
    const described = parts
      ? await parts.rows.get(`${day}|${id}`, () => describeIndicator(store, id, unitCode))
      : await describeIndicator(store, id, unitCode);
    indicatorCache.set(id, described);
    return described;
  };
  const verdict = async (targetId: string): Promise<TargetVerdict> => {
    const evaluate = async () => {
      const e = await evaluateStoredTarget(store, targetId, unitCode);
      return { status: e.status, ...(e.reason ? { reason: e.reason } : {}) };
    };
    return parts ? parts.verdicts.get(`${day}|target:${targetId}`, evaluate) : evaluate();
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
          if (!targetCovers(set, t, structure, unitCode)) continue;
          targets.push({ id: t.id, name: t.name, kind: t.kind, ...(await verdict(t.id)) });
        }
        rows.push({ ...described, targets });
      }
      goals.push({ id: goal.id, name: goal.name, theme: goal.theme ?? null, indicators: rows });
    }
    out.push({ id: set.id, name: set.name, level: set.level, owner: set.owner, unit: set.unit, goals });
  }
  return { unit, goalSets: out };
}

/** One indicator's row of a unit's overview, without the targets: latest value, Denmark's, and the trend. */
async function describeIndicator(store: Store, id: string, unitCode: string): Promise<DescribedIndicator> {
  // Read here, not handed over: a part kept between versions reads all it depends on (store/read-memo.ts).
  const indicator = await store.getIndicator(id);
  if (!indicator) throw new Error(`The indicator '${id}' is not in the store`);
  const rows = (await valueRows(store, indicator, { unit: unitCode, breakdown: 'total' })).filter(
    (r) => /^\d{4}$/.test(r.period) || indicator.measure === 'days-since-event',
  );
  const latest = rows.at(-1) ?? null;
  const dk = latest
    ? (await store.queryValues({ indicator: id, unit: 'DK', period: latest.period, breakdown: 'total' }))[0]
    : undefined;
  const trend = rows.length >= 3 ? ((await trendOf(store, indicator, unitCode)).trend?.direction ?? null) : null;
  return {
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
}
