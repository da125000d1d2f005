// General practices delivered with the register input (gp_practices.csv: group = municipality, member =
// practice code, member_name, valid_from): stored as the grouping `gp-practices` before computing, so the
// practices named in persons.gp_practice are units that get values. Their kvalitetsklynger may come alongside
// (gp_clusters.csv: group = kvalitetsklynge, group_name, group_parent, member = practice, valid_from, valid_to),
// stored as the grouping `gp-clusters`, so the kvalitetsklynger get the sums of their practices.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type GroupingImportOptions, groupingFromGrid, readTable } from '../ingest/index.js';
import type { Store } from '../store/index.js';

export const PRACTICES_FILE = 'gp_practices.csv';
export const PRACTICES_GROUPING = 'gp-practices';
export const CLUSTERS_FILE = 'gp_clusters.csv';
export const CLUSTERS_GROUPING = 'gp-clusters';

/**
 * Stores the practices of `dataDir` (if it has gp_practices.csv), then their kvalitetsklynger (if it has
 * gp_clusters.csv); returns how many of each there are.
 */
export async function loadRegisterPractices(
  store: Store,
  dataDir: string,
): Promise<{ practices: number; clusters: number }> {
  const practices = await loadGroupingFile(store, path.join(dataDir, PRACTICES_FILE), {
    id: PRACTICES_GROUPING,
    name: { da: 'Almen praksis efter kommune', en: 'General practices by municipality' },
    groupType: 'municipality',
    memberType: 'gp-practice',
    // A practice lists persons from several municipalities: practices do not split residents.
    partitionsPersons: false,
  });
  const clusters = await loadGroupingFile(store, path.join(dataDir, CLUSTERS_FILE), {
    id: CLUSTERS_GROUPING,
    name: { da: 'Kvalitetsklynger i almen praksis', en: 'Quality clusters of general practices' },
    groupType: 'gp-cluster',
    // A practice is in one kvalitetsklynge at a time.
    partitionsPersons: true,
  });
  return { practices, clusters };
}

/**
 * Stores one grouping file if it exists. Member units it introduces (practices) are re-created from it, so a new
 * delivery replaces the list; group units it introduces (kvalitetsklynger) are kept once stored. Returns the
 * number of member units it introduces, or with none of those the number of groups.
 */
async function loadGroupingFile(store: Store, file: string, options: GroupingImportOptions): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return 0;
  }
  const name = path.basename(file);
  const grid = await readTable(name, bytes);
  const existing = (await store.listGroupings()).find((g) => g.id === options.id);
  const { grouping, newUnits } = groupingFromGrid(
    grid,
    file,
    options,
    (await store.listOrgUnits()).filter((u) => u.type !== options.memberType),
    existing,
  );
  await store.saveGrouping(grouping, newUnits);
  return options.memberType ? newUnits.length : new Set(grouping.memberships.map((m) => m.group)).size;
}
