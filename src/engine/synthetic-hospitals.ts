// Which hospital a synthetic course happens at: mostly the acute hospital of the health cluster of the person's
// municipality, sometimes another acute hospital of the region — using the catalogue's hospital codes.
import { loadCatalogue } from '../catalogue/index.js';
import type { Random } from '../stats/random.js';

/** Share of courses at the acute hospital of the municipality's own cluster. */
const OWN_CLUSTER_SHARE = 0.9;

/**
 * A chooser of hospital codes by municipality, from the catalogue's hospitals and the grouping of hospitals
 * into clusters; municipalities outside any cluster use their region's hospitals.
 * @example (await hospitalChooser(DEFAULT_CATALOGUE_DIR, rng))('751') // 'AH8201' (mostly)
 */
export async function hospitalChooser(catalogueDir: string, rng: Random): Promise<(municipality: string) => string> {
  const catalogue = await loadCatalogue(catalogueDir);
  const hospitals = catalogue.units.filter((u) => u.type === 'hospital');
  const municipalities = catalogue.units.filter((u) => u.type === 'municipality');
  const clusterOf = new Map<string, string>();
  const hospitalsOfCluster = new Map<string, string[]>();
  for (const grouping of catalogue.groupings) {
    if (grouping.groupType !== 'health-cluster') continue;
    for (const m of grouping.memberships) {
      if (grouping.memberTypes.includes('hospital') && hospitals.some((h) => h.code === m.member)) {
        hospitalsOfCluster.set(m.group, [...(hospitalsOfCluster.get(m.group) ?? []), m.member]);
      } else if (grouping.partitionsPersons) clusterOf.set(m.member, m.group);
    }
  }
  const choices = new Map<string, { own: string[]; region: string[] }>();
  for (const m of municipalities) {
    const region = hospitals.filter((h) => h.parent === m.parent).map((h) => h.code);
    const cluster = clusterOf.get(m.code);
    const own = (cluster ? hospitalsOfCluster.get(cluster) : undefined) ?? region;
    choices.set(m.code, { own, region });
  }
  return (municipality) => {
    const choice = choices.get(municipality);
    if (!choice || choice.own.length === 0) return '';
    return rng.chance(OWN_CLUSTER_SHARE) || choice.region.length === 0 ? rng.pick(choice.own) : rng.pick(choice.region);
  };
}
