// Municipality and region shapes from the shipped TopoJSON (DAGI, Geodatastyrelsen): the 311 parts merged by
// KOMKODE into 98 municipalities (Christiansø, 0411, dropped), by region into the regions of the structure shown
// (5, or 4 from 2027), and by health cluster (or any other group of municipalities, such as a sundhedsråd) into
// the groups of the structure shown.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { OrgUnit } from './api';

export interface Shapes {
  municipalities: FeatureCollection<Geometry, { code: string }>;
  regions: FeatureCollection<Geometry, { code: string }>;
  /** Health clusters (and other groups of municipalities) in force, by the group units' type. */
  groups: Map<string, FeatureCollection<Geometry, { code: string }>>;
  /** The borders between the groups of `groups`, by type (lines only). */
  groupBorders: Map<string, Feature<Geometry, { code: string }>>;
}

/** A grouping as `/api/groupings` gives it (the fields the map reads). */
export interface GroupingShape {
  groupType: string;
  memberTypes: string[];
  memberships: { group: string; member: string }[];
}

let topologyLoaded: Promise<Topology> | undefined;

/**
 * The shapes of `units` (the structure shown): a group unit of `groupings` whose members are municipalities is
 * drawn as its member municipalities.
 */
export function loadShapes(units: OrgUnit[], groupings: readonly GroupingShape[] = []): Promise<Shapes> {
  topologyLoaded ??= fetch('/municipalities.topojson').then((r) => r.json() as Promise<Topology>);
  return topologyLoaded.then((topology) => {
    const object = Object.values(topology.objects)[0] as GeometryCollection<{ KOMKODE: string }>;
    const codeOfPart = (part: { properties?: unknown }) =>
      String(Number((part.properties as { KOMKODE?: string } | undefined)?.KOMKODE));
    const byCode = new Map<string, typeof object.geometries>();
    for (const g of object.geometries) {
      const code = codeOfPart(g);
      if (code === '411') continue;
      byCode.set(code, [...(byCode.get(code) ?? []), g]);
    }
    // Parts of one municipality (islands) become one MultiPolygon.
    const polygonsOf = (parts: typeof object.geometries) =>
      parts.flatMap((part) => {
        const g = (feature(topology, part as never) as unknown as Feature<Geometry>).geometry;
        return g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      });
    const municipalities: Feature<Geometry, { code: string }>[] = [...byCode.entries()].map(([code, parts]) => ({
      type: 'Feature',
      properties: { code },
      geometry: { type: 'MultiPolygon', coordinates: polygonsOf(parts) },
    }));
    // A region or group is its members' parts as one MultiPolygon.
    const areaOf = (code: string, members: readonly string[]) => ({
      type: 'Feature' as const,
      properties: { code },
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: polygonsOf(members.flatMap((m) => byCode.get(m) ?? [])),
      } as Geometry,
    });
    const shown = new Map(units.map((u) => [u.code, u]));
    /** The members of each group, from (member, group) pairs. */
    const membersOf = (pairs: Iterable<readonly [string, string]>) => {
      const members = new Map<string, string[]>();
      for (const [member, group] of pairs) members.set(group, [...(members.get(group) ?? []), member]);
      return members;
    };
    const regions = [
      ...membersOf(
        units.flatMap((u) => (u.type === 'municipality' && u.parent ? [[u.code, u.parent] as const] : [])),
      ).entries(),
    ].map(([region, members]) => areaOf(region, members));
    // Each municipality's group of each type in the structure shown (a member may have memberships of several
    // periods, and several groupings may have groups of one type).
    const groupOfByType = new Map<string, Map<string, string>>();
    for (const grouping of groupings) {
      if (!grouping.memberTypes.includes('municipality') || grouping.groupType === 'region') continue;
      const groupOf = groupOfByType.get(grouping.groupType) ?? new Map<string, string>();
      for (const m of grouping.memberships)
        if (shown.get(m.group)?.type === grouping.groupType && byCode.has(m.member)) groupOf.set(m.member, m.group);
      groupOfByType.set(grouping.groupType, groupOf);
    }
    const groups = new Map<string, FeatureCollection<Geometry, { code: string }>>();
    const borders = new Map<string, Feature<Geometry, { code: string }>>();
    for (const [type, groupOf] of groupOfByType) {
      const features = [...membersOf(groupOf).entries()].map(([group, codes]) => planar(areaOf(group, codes)));
      groups.set(type, { type: 'FeatureCollection', features });
      // The borders between two groups (or a group and a municipality in none), drawn over the fill.
      const lines = mesh(
        topology,
        object as never,
        ((a: { properties?: unknown }, b: { properties?: unknown }) =>
          groupOf.get(codeOfPart(a)) !== groupOf.get(codeOfPart(b))) as never,
      );
      borders.set(type, planar({ type: 'Feature', properties: { code: '' }, geometry: lines as Geometry }));
    }
    return {
      municipalities: { type: 'FeatureCollection', features: municipalities.map(planar) },
      regions: { type: 'FeatureCollection', features: regions.map(planar) },
      groups,
      groupBorders: borders,
    };
  });
}

/**
 * Longitude scaled by cos(56°), so the shapes can be drawn on a plane (Plot's reflect-y projection): no spherical
 * ring-winding rules, and Denmark keeps its proportions.
 */
const SCALE_X = Math.cos((56 * Math.PI) / 180);
function planar<F extends Feature<Geometry, { code: string }>>(feature: F): F {
  const map = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number'
      ? [((c as number[])[0] as number) * SCALE_X, (c as number[])[1]]
      : (c as unknown[]).map(map);
  const g = feature.geometry as { type: string; coordinates?: unknown };
  return { ...feature, geometry: { ...g, coordinates: g.coordinates ? map(g.coordinates) : undefined } as Geometry };
}
