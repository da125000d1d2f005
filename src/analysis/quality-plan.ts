// The quality plan's follow-up: each municipality's status on each requirement in a year, and the shares met,
// partly met, not met and not reported across the municipalities below a unit (health cluster, region, Denmark).
// A requirement with no record for a municipality counts as not reported.
import {
  appliesTo,
  type OrgUnit,
  type OrgUnitGroup,
  type QualityItem,
  type QualityStandard,
  type QualityStandardVersion,
  versionInForce,
} from '../catalogue/index.js';
import { NotFoundError, UserError } from '../domain/errors.js';
import type { ComplianceStatus, Store, StoredComplianceRecord } from '../store/index.js';

export interface ComplianceCounts {
  met: number;
  partlyMet: number;
  notMet: number;
  notReported: number;
  total: number;
  /** met / total, null when nothing applies. */
  shareMet: number | null;
}

/** A place whose municipalities are counted together: Denmark, a region, a health cluster or one municipality. */
export interface ComplianceArea {
  code: string;
  name: string;
  nameEn?: string;
  level: 'nation' | 'region' | 'health-cluster' | 'municipality';
  counts: ComplianceCounts;
  /** Per requirement number. */
  perRequirement: Record<number, ComplianceCounts>;
}

export interface MatrixRow {
  code: string;
  name: string;
  region: string | null;
  clusters: string[];
  /** Status per applicable requirement number. */
  statuses: Record<number, ComplianceStatus>;
  counts: ComplianceCounts;
}

export interface UnitRequirement {
  number: number;
  title: { da: string; en: string };
  text: { da: string; en: string };
  status: ComplianceStatus;
  previousStatus: ComplianceStatus | null;
  assessedOn: string | null;
  basis: string | null;
  note: string | null;
  recordedBy: string | null;
  synthetic: boolean;
}

export interface ComplianceView {
  standard: { id: string; title: { da: string; en: string }; publisher: string };
  version: QualityStandardVersion;
  year: number;
  /** Years with an edition in force up to the latest year with records. */
  years: number[];
  unit: ComplianceArea;
  /** The unit's own statuses, when it is a municipality. */
  requirements: UnitRequirement[] | null;
  /** The areas above the unit (its clusters, region and Denmark), for comparison. */
  comparison: ComplianceArea[];
  /** The regions (for Denmark) or nothing. */
  regions: ComplianceArea[];
  /** Every municipality below the unit: the matrix. */
  municipalities: MatrixRow[];
  /** The health clusters (for filters); empty while the catalogue has none. */
  clusters: { id: string; name: { da: string; en: string } }[];
  /** The unit's counts per year. */
  trend: { year: number; counts: ComplianceCounts }[];
  /** Counts of the previous year, when it had an edition in force. */
  previous: ComplianceArea | null;
  synthetic: boolean;
}

/** Counts statuses; the share met is met / all. */
export function countStatuses(statuses: Iterable<ComplianceStatus>): ComplianceCounts {
  const c = { met: 0, partlyMet: 0, notMet: 0, notReported: 0, total: 0, shareMet: null as number | null };
  for (const s of statuses) {
    c.total++;
    if (s === 'met') c.met++;
    else if (s === 'partly-met') c.partlyMet++;
    else if (s === 'not-met') c.notMet++;
    else c.notReported++;
  }
  c.shareMet = c.total ? c.met / c.total : null;
  return c;
}

interface Context {
  standard: QualityStandard;
  municipalities: OrgUnit[];
  units: OrgUnit[];
  clusters: OrgUnitGroup[];
  records: StoredComplianceRecord[];
}

async function loadContext(store: Store, standardId: string): Promise<Context> {
  const standard = await store.getQualityStandard(standardId);
  if (!standard)
    throw new NotFoundError('Quality standard', standardId, 'GET /api/quality-standards lists the standards.');
  const units = await store.listOrgUnits({ at: new Date().toISOString().slice(0, 10) });
  return {
    standard,
    units,
    municipalities: units.filter((u) => u.type === 'municipality'),
    clusters: (await store.listGroups()).filter((g) => g.type === 'health-cluster'),
    records: await store.queryCompliance({ standard: standardId }),
  };
}

function statusesOf(ctx: Context, year: number) {
  const byKey = new Map(ctx.records.filter((r) => r.year === year).map((r) => [`${r.unit}|${r.requirement}`, r]));
  return (unit: OrgUnit, item: QualityItem) => byKey.get(`${unit.code}|${item.number}`);
}

function area(
  ctx: Context,
  version: QualityStandardVersion,
  year: number,
  place: { code: string; name: string; nameEn?: string; level: ComplianceArea['level'] },
  members: readonly OrgUnit[],
): ComplianceArea {
  const recordOf = statusesOf(ctx, year);
  const all: ComplianceStatus[] = [];
  const perRequirement: Record<number, ComplianceCounts> = {};
  for (const item of version.requirements) {
    const statuses = members
      .filter((m) => appliesTo(version, m, item))
      .map((m) => recordOf(m, item)?.status ?? 'not-reported');
    perRequirement[item.number] = countStatuses(statuses);
    all.push(...statuses);
  }
  return { ...place, counts: countStatuses(all), perRequirement };
}

/** The municipalities below a unit code or a health cluster id, with how to name the place. */
function resolvePlace(ctx: Context, code: string) {
  const unit = ctx.units.find((u) => u.code === code);
  if (unit) {
    const members =
      unit.type === 'nation'
        ? ctx.municipalities
        : unit.type === 'region'
          ? ctx.municipalities.filter((m) => m.parent === unit.code)
          : unit.type === 'municipality'
            ? [unit]
            : [];
    if (members.length === 0 && unit.type !== 'municipality')
      throw new UserError(`'${code}' has no municipalities below it`, {
        hint: 'Use DK, a region (1081-1085), a municipality code or a health cluster id.',
      });
    return {
      place: {
        code: unit.code,
        name: unit.name,
        ...(unit.nameEn ? { nameEn: unit.nameEn } : {}),
        level: unit.type as ComplianceArea['level'],
      },
      unit,
      members,
    };
  }
  const cluster = ctx.clusters.find((g) => g.id === code);
  if (cluster)
    return {
      place: { code: cluster.id, name: cluster.name.da, nameEn: cluster.name.en, level: 'health-cluster' as const },
      unit: undefined,
      members: ctx.municipalities.filter((m) => cluster.members.includes(m.code)),
    };
  throw new NotFoundError('Unit', code, 'Use DK, a region (1081-1085), a municipality code or a health cluster id.');
}

/** The year to show when none is asked for: the latest with records, else the newest edition's first year. */
function defaultYear(ctx: Context): number {
  const years = ctx.records.map((r) => r.year);
  return years.length ? Math.max(...years) : (ctx.standard.versions.at(-1)?.firstYear ?? new Date().getFullYear());
}

/**
 * A standard's compliance for a unit and year: the unit's statuses, the matrix of the municipalities below it, and
 * the shares across its cluster, region and Denmark.
 * @example await complianceView(store, 'municipal-acute-functions', { unit: '751', year: 2025 })
 */
export async function complianceView(
  store: Store,
  standardId: string,
  options: { unit?: string; year?: number } = {},
): Promise<ComplianceView> {
  const ctx = await loadContext(store, standardId);
  const year = options.year ?? defaultYear(ctx);
  const version = versionInForce(ctx.standard, year);
  if (!version)
    throw new UserError(`${ctx.standard.id} is followed up from ${ctx.standard.versions[0]?.firstYear}, not ${year}`, {
      hint: `Ask for a year from ${ctx.standard.versions[0]?.firstYear}.`,
    });
  const { place, unit, members } = resolvePlace(ctx, options.unit ?? 'DK');
  const here = area(ctx, version, year, place, members);
  const regionOf = (code: string | null) => ctx.units.find((u) => u.code === code);
  const clustersOf = (m: OrgUnit) => ctx.clusters.filter((g) => g.members.includes(m.code));
  const denmark = ctx.units.find((u) => u.type === 'nation');
  const asArea = (u: OrgUnit) =>
    area(
      ctx,
      version,
      year,
      {
        code: u.code,
        name: u.name,
        ...(u.nameEn ? { nameEn: u.nameEn } : {}),
        level: u.type as ComplianceArea['level'],
      },
      u.type === 'nation' ? ctx.municipalities : ctx.municipalities.filter((m) => m.parent === u.code),
    );
  const comparison: ComplianceArea[] = [];
  if (unit?.type === 'municipality') {
    for (const g of clustersOf(unit))
      comparison.push(
        area(
          ctx,
          version,
          year,
          { code: g.id, name: g.name.da, nameEn: g.name.en, level: 'health-cluster' },
          ctx.municipalities.filter((m) => g.members.includes(m.code)),
        ),
      );
  }
  if (unit?.type === 'municipality' || place.level === 'health-cluster') {
    const region = regionOf(unit?.parent ?? members[0]?.parent ?? null);
    if (region) comparison.push(asArea(region));
  }
  if (place.level !== 'nation' && denmark) comparison.push(asArea(denmark));

  const recordOf = statusesOf(ctx, year);
  const previousVersion = versionInForce(ctx.standard, year - 1);
  const previousOf = previousVersion ? statusesOf(ctx, year - 1) : undefined;
  const municipalities: MatrixRow[] = members.map((m) => {
    const statuses: Record<number, ComplianceStatus> = {};
    for (const item of version.requirements)
      if (appliesTo(version, m, item)) statuses[item.number] = recordOf(m, item)?.status ?? 'not-reported';
    return {
      code: m.code,
      name: m.name,
      region: m.parent,
      clusters: clustersOf(m).map((g) => g.id),
      statuses,
      counts: countStatuses(Object.values(statuses)),
    };
  });
  const requirements =
    unit?.type === 'municipality'
      ? version.requirements
          .filter((item) => appliesTo(version, unit, item))
          .map((item): UnitRequirement => {
            const record = recordOf(unit, item);
            const before = previousOf?.(unit, item);
            return {
              number: item.number,
              title: item.title,
              text: item.text,
              status: record?.status ?? 'not-reported',
              previousStatus: previousVersion ? (before?.status ?? 'not-reported') : null,
              assessedOn: record?.assessedOn ?? null,
              basis: record?.basis ?? null,
              note: record?.note ?? null,
              recordedBy: record?.recordedBy ?? null,
              synthetic: record?.synthetic ?? false,
            };
          })
      : null;
  const lastYear = Math.max(year, ...ctx.records.map((r) => r.year));
  const years: number[] = [];
  for (let y = ctx.standard.versions[0]?.firstYear ?? year; y <= lastYear; y++) years.push(y);
  const trend = years.flatMap((y) => {
    const v = versionInForce(ctx.standard, y);
    return v ? [{ year: y, counts: area(ctx, v, y, place, members).counts }] : [];
  });
  return {
    standard: { id: ctx.standard.id, title: version.title ?? ctx.standard.title, publisher: ctx.standard.publisher },
    version,
    year,
    years,
    unit: here,
    requirements,
    comparison,
    regions: place.level === 'nation' ? ctx.units.filter((u) => u.type === 'region').map(asArea) : [],
    municipalities,
    clusters: ctx.clusters.map((g) => ({ id: g.id, name: g.name })),
    trend,
    previous: previousVersion ? area(ctx, previousVersion, year - 1, place, members) : null,
    synthetic: ctx.records.some((r) => r.year === year && r.synthetic),
  };
}

/**
 * The shares for Denmark, every region and every health cluster in a year.
 * @example (await complianceShares(store, 'municipal-acute-functions', 2025)).find((a) => a.code === '1081')
 */
export async function complianceShares(
  store: Store,
  standardId: string,
  year?: number,
): Promise<{ standard: string; version: string; year: number; areas: ComplianceArea[] }> {
  const ctx = await loadContext(store, standardId);
  const y = year ?? defaultYear(ctx);
  const version = versionInForce(ctx.standard, y);
  if (!version)
    throw new UserError(`${ctx.standard.id} is followed up from ${ctx.standard.versions[0]?.firstYear}, not ${y}`);
  const areas = [
    ...ctx.units.filter((u) => u.type === 'nation' || u.type === 'region').map((u) => resolvePlace(ctx, u.code)),
    ...ctx.clusters.map((g) => resolvePlace(ctx, g.id)),
  ].map(({ place, members }) => area(ctx, version, y, place, members));
  return { standard: ctx.standard.id, version: version.version, year: y, areas };
}
