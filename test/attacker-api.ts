// The attack of test/attacker.ts made through the published API: the relations an outsider reads off
// /api/org-units and /api/groupings, the cells of /api/indicators/{id}/values, and the hidden counts of 1-4 it
// recovers (checked against the full stored numbers).
import { expect } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import type { Store } from '../src/store/index.js';
import { exactlyDetermined, intervalAttack, type PublishedRow, relationsOf } from './attacker.js';

type Field = 'numerator' | 'denominator';

/**
 * The counts of persons docs/disclosure.md promises to protect: numerators, except of means; denominators of
 * shares, means and cohort rates (the population denominators of other rates are public).
 */
function countFields(indicator: { id: string; measure: string }): Field[] {
  const cohorts = ['acute-admissions-copd-per-1000', 'acute-admissions-t2d-per-1000', 'chronic-activity-copd-t2d'];
  if (indicator.measure === 'mean') return ['denominator'];
  if (indicator.measure === 'proportion' || cohorts.includes(indicator.id)) return ['numerator', 'denominator'];
  return ['numerator'];
}

interface UnitRow {
  code: string;
  type: string;
  parent: string | null;
}
interface GroupingRow {
  memberTypes: string[];
  memberships: { group: string; member: string }[];
}

/**
 * Every sum of units an outsider can read off `/api/org-units?all=true` and `/api/groupings`: Denmark = Σ regions
 * and region = Σ its municipalities (by parent; group units such as Region Østdanmark and the health clusters are
 * not children), every group unit = Σ its members (clusters and Region Østdanmark = Σ municipalities, a
 * municipality = Σ its general practices), Region Østdanmark = Σ the regions whose municipalities it takes over,
 * Denmark and each region = Σ the clusters within it, Denmark = Σ hospitals and Denmark = Σ practices.
 */
async function unitRelationsOf(server: RunningServer): Promise<{
  parentOf: Map<string, string | null>;
  groups: { total: string; members: string[] }[];
}> {
  const units = (await (await fetch(`${server.url}/api/org-units?all=true`)).json()) as UnitRow[];
  const groupings = (await (await fetch(`${server.url}/api/groupings`)).json()) as GroupingRow[];
  const membersOf = new Map<string, Set<string>>();
  const typeOf = new Map(units.map((u) => [u.code, u.type]));
  // A group's members of one type at a time (a health cluster groups its municipalities and its hospitals).
  for (const g of groupings)
    for (const m of g.memberships) {
      const key = `${m.group}|${typeOf.get(m.member)}`;
      membersOf.set(key, (membersOf.get(key) ?? new Set()).add(m.member));
    }
  const groupUnitsOfMunicipalities = new Set(
    groupings.filter((g) => g.memberTypes.includes('municipality')).flatMap((g) => g.memberships.map((m) => m.group)),
  );
  const parentOf = new Map(
    units.map((u) => [
      u.code,
      (u.type === 'municipality' || u.type === 'region') && !groupUnitsOfMunicipalities.has(u.code) ? u.parent : null,
    ]),
  );
  const nation = units.find((u) => u.type === 'nation')?.code as string;
  // Sums of persons: a group unit of municipalities (a health cluster, Region Østdanmark) or of general practices (a
  // municipality). A cluster's hospitals are not a sum of its persons: they also treat others.
  const groups = [...membersOf]
    .filter(([key]) => key.endsWith('|municipality') || key.endsWith('|gp-practice'))
    .map(([key, members]) => ({ total: key.split('|')[0] as string, members: [...members] }));
  for (const type of ['hospital', 'gp-practice'])
    groups.push({ total: nation, members: units.filter((u) => u.type === type).map((u) => u.code) });
  // Units made of whole regions or whole clusters.
  const municipalitiesOf = (code: string): Set<string> =>
    typeOf.get(code) === 'region' && !groupUnitsOfMunicipalities.has(code)
      ? new Set(units.filter((u) => u.parent === code && u.type === 'municipality').map((u) => u.code))
      : new Set(membersOf.get(`${code}|municipality`) ?? []);
  const blocks = units.filter((u) => u.type === 'region' || u.type === 'health-cluster').map((u) => u.code);
  for (const whole of [nation, ...blocks]) {
    const inside = whole === nation ? undefined : municipalitiesOf(whole);
    for (const type of ['region', 'health-cluster']) {
      const parts = blocks.filter((b) => {
        if (b === whole || typeOf.get(b) !== type) return false;
        const m = municipalitiesOf(b);
        return m.size > 0 && (inside === undefined || [...m].every((x) => inside.has(x)));
      });
      const covered = new Set(parts.flatMap((b) => [...municipalitiesOf(b)]));
      if (parts.length > 0 && whole !== nation && inside && covered.size === inside.size)
        groups.push({ total: whole, members: parts });
      else if (whole === nation && type === 'health-cluster' && parts.length > 1)
        groups.push({ total: whole, members: parts });
    }
  }
  return { parentOf, groups };
}

/**
 * Counts of 1-4 that the attack recovers exactly (checked against the full stored numbers). With `yearlyTotals`,
 * only the yearly totals are fetched and attacked (the level practices and kvalitetsklynger are published at),
 * which keeps an exact elimination small on a large registry.
 */
export async function recovered(
  server: RunningServer,
  store: Store,
  indicator: string,
  exact: boolean,
  yearlyTotals = false,
): Promise<string[]> {
  const definition = (await (await fetch(`${server.url}/api/indicators/${indicator}`)).json()) as {
    id: string;
    measure: string;
  };
  const response = await fetch(`${server.url}/api/indicators/${indicator}/values`);
  expect(response.status).toBe(200);
  const rows = ((await response.json()) as PublishedRow[]).filter(
    (r) => !yearlyTotals || (/^\d{4}$/.test(r.period) && r.breakdown === 'total'),
  );
  const { parentOf, groups } = await unitRelationsOf(server);
  const truth = new Map(
    (await store.queryValues({ indicator, full: true })).map((v) => [`${v.unit}|${v.period}|${v.breakdown}`, v]),
  );
  const all = relationsOf(rows, parentOf, groups);
  const found: string[] = [];
  for (const field of countFields(definition)) {
    // The strongest outsider: one who knows which sums hold exactly (a sum over providers, a cluster or a region
    // of 2027 over the years before it need not), so no relation is thrown away as inconsistent.
    const trueCount = (i: number) =>
      truth.get(`${rows[i]?.unit}|${rows[i]?.period}|${rows[i]?.breakdown}`)?.[field] ?? 0;
    const relations = all.filter(
      (r) => Math.abs(trueCount(r.total) - r.parts.reduce((sum, p) => sum + trueCount(p), 0)) < 1e-6,
    );
    const bounds = intervalAttack(rows, relations, field);
    const solved = exact ? exactlyDetermined(rows, relations, field) : new Map<number, number>();
    for (const [i, row] of rows.entries()) {
      if (!row.suppressed) continue;
      const actual = truth.get(`${row.unit}|${row.period}|${row.breakdown}`)?.[field];
      if (actual === null || actual === undefined || actual < 1 || actual > 4) continue;
      const b = bounds[i];
      const byBounds = b !== undefined && b.low === b.high && b.low === actual;
      const bySolving = solved.has(i) && Math.abs((solved.get(i) as number) - actual) < 1e-6;
      if (byBounds || bySolving)
        found.push(`${indicator} ${row.unit} ${row.period} ${row.breakdown} ${field}=${actual}`);
    }
  }
  return found;
}
