// Municipality and region shapes from the shipped TopoJSON (DAGI, Geodatastyrelsen): the 311 parts merged by
// KOMKODE into 98 municipalities (Christiansø, 0411, dropped) and by region into 5 regions.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { OrgUnit } from './api';

export interface Shapes {
  municipalities: FeatureCollection<Geometry, { code: string }>;
  regions: FeatureCollection<Geometry, { code: string }>;
}

let loaded: Promise<Shapes> | undefined;

export function loadShapes(units: OrgUnit[]): Promise<Shapes> {
  loaded ??= fetch('/municipalities.topojson')
    .then((r) => r.json() as Promise<Topology>)
    .then((topology) => {
      const object = Object.values(topology.objects)[0] as GeometryCollection<{ KOMKODE: string }>;
      const byCode = new Map<string, typeof object.geometries>();
      for (const g of object.geometries) {
        const code = String(Number((g.properties as { KOMKODE?: string } | undefined)?.KOMKODE));
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
      const regionOf = new Map(units.filter((u) => u.type === 'municipality').map((u) => [u.code, u.parent]));
      const regions = [...new Set(regionOf.values())]
        .filter((r): r is string => Boolean(r))
        .map((region) => ({
          type: 'Feature' as const,
          properties: { code: region },
          geometry: {
            type: 'MultiPolygon' as const,
            coordinates: polygonsOf(
              [...byCode.entries()].filter(([code]) => regionOf.get(code) === region).flatMap(([, parts]) => parts),
            ),
          } as Geometry,
        }));
      return {
        municipalities: { type: 'FeatureCollection', features: municipalities.map(planar) },
        regions: { type: 'FeatureCollection', features: regions.map(planar) },
      };
    });
  return loaded;
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
