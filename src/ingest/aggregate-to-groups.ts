// Imported municipal values re-aggregated to the group units of groupings (Region Østdanmark, health clusters,
// sundhedsråd), and practices' values to their kvalitetsklynger: summed where every member has a numerator and a
// denominator, marked not available otherwise.
// (The importer skips indicators imported without any numerator and denominator: they are not additive.)
import type { Grouping, Indicator, OrgUnit } from '../catalogue/index.js';
import { earlierEnd, type Period, parsePeriod, periodBounds } from '../domain/period.js';
import type { IndicatorValue } from '../store/index.js';
import { turnTaker } from './between-turns.js';

/**
 * The municipalities of each group unit (the practices of a kvalitetsklynge), with the last date each one counts
 * (null: no end).
 */
export function groupMembers(
  units: readonly OrgUnit[],
  groupings: readonly Grouping[],
): Map<string, { member: string; until: string | null }[]> {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out = new Map<string, { member: string; until: string | null }[]>();
  for (const grouping of groupings) {
    for (const m of grouping.memberships) {
      const group = byCode.get(m.group);
      const type = byCode.get(m.member)?.type;
      if (!group || !(type === 'municipality' || (type === 'gp-practice' && group.type === 'gp-cluster'))) continue;
      const list = out.get(group.code) ?? [];
      list.push({ member: m.member, until: earlierEnd(m.validTo, group.validTo) });
      out.set(group.code, list);
    }
  }
  return out;
}

/** The members that count in a group in a period: those whose membership has not ended before it starts. */
export function countingMembers(list: readonly { member: string; until: string | null }[], period: Period): string[] {
  const start = periodBounds(period).start;
  return [...new Set(list.filter((m) => m.until === null || m.until >= start).map((m) => m.member))];
}

/** Which groups a derivation leaves out, and which it may sum over members hidden by disclosure control. */
export interface GroupOptions {
  /** Group units not to derive (those named in the file itself). */
  skip?: ReadonlySet<string>;
  /**
   * Group units that disclosure control protects as the sum of their members (a partition: the health clusters,
   * Region Østdanmark). Their sums include members whose cells are hidden, from the full numbers, as the engine's
   * do: disclosure control then hides whatever would reveal such a member. Any other group with a hidden member
   * is not available, since nothing would stop its sum from revealing that member.
   */
  protectedGroups?: ReadonlySet<string>;
}

/**
 * Values for group units from municipal values of one indicator (full numbers, hidden cells too). A group gets
 * a value for a period and breakdown when at least one member has a row; it is the sum of the members'
 * numerators over the sum of their denominators when every member counting in that period has both (and, unless
 * the group is protected as a partition, none is suppressed), else a row with no numbers (not available: the
 * indicator cannot be added up there). Like the engine, a group that starts later gets the earlier periods of its
 * members; a membership or group that has ended stops.
 * @example aggregateToGroups(rows, indicator, groupMembers(units, groupings), { skip: new Set(['OST2027']) })
 */
export function aggregateToGroups(
  rows: readonly IndicatorValue[],
  indicator: Pick<Indicator, 'id' | 'multiplier'>,
  members: ReadonlyMap<string, readonly { member: string; until: string | null }[]>,
  options: GroupOptions = {},
): IndicatorValue[] {
  const sums = groupSummer(rows, indicator, options);
  return [...members].flatMap(([group, list]) => sums(group, list));
}

/**
 * The same as `aggregateToGroups`, waiting one turn of the event loop whenever it has run for a few milliseconds
 * (between two groups), so that a server answers its requests while an import with counts is summed.
 * @example await aggregateToGroupsInTurns(rows, indicator, groupMembers(units, groupings))
 */
export async function aggregateToGroupsInTurns(
  rows: readonly IndicatorValue[],
  indicator: Pick<Indicator, 'id' | 'multiplier'>,
  members: ReadonlyMap<string, readonly { member: string; until: string | null }[]>,
  options: GroupOptions = {},
): Promise<IndicatorValue[]> {
  const turn = turnTaker();
  const sums = groupSummer(rows, indicator, options);
  const out: IndicatorValue[] = [];
  for (const [group, list] of members) {
    for (const row of sums(group, list)) out.push(row);
    await turn();
  }
  return out;
}

/** The rows of one group, from the members' rows (indexed once). */
function groupSummer(
  rows: readonly IndicatorValue[],
  indicator: Pick<Indicator, 'id' | 'multiplier'>,
  options: GroupOptions,
): (group: string, list: readonly { member: string; until: string | null }[]) => IndicatorValue[] {
  const skip = options.skip ?? new Set<string>();
  const protectedGroups = options.protectedGroups ?? new Set<string>();
  const byCell = new Map<string, IndicatorValue>();
  const cells = new Set<string>();
  for (const r of rows) {
    byCell.set(`${r.unit}|${r.period}|${r.breakdown}`, r);
    cells.add(`${r.period}|${r.breakdown}`);
  }
  return (group, list) => {
    const out: IndicatorValue[] = [];
    if (skip.has(group)) return out;
    for (const cell of cells) {
      const [period = '', breakdown = ''] = cell.split('|');
      const parsed = parsePeriod(period);
      if (!parsed) continue;
      const counting = countingMembers(list, parsed);
      const found = counting.map((m) => byCell.get(`${m}|${cell}`));
      if (counting.length === 0 || found.every((r) => r === undefined)) continue;
      const additive = found.every(
        (r) =>
          r !== undefined &&
          (!r.suppressed || protectedGroups.has(group)) &&
          r.numerator !== null &&
          r.denominator !== null,
      );
      const numerator = additive ? found.reduce((n, r) => n + (r?.numerator ?? 0), 0) : null;
      const denominator = additive ? found.reduce((n, r) => n + (r?.denominator ?? 0), 0) : null;
      out.push({
        indicator: indicator.id,
        unit: group,
        period,
        breakdown,
        numerator,
        denominator,
        value:
          numerator !== null && denominator !== null && denominator !== 0
            ? (numerator / denominator) * indicator.multiplier
            : null,
        suppressed: false,
      });
    }
    return out;
  };
}
