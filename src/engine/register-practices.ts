// General practices delivered with the register input (gp_practices.csv: group = municipality, member =
// practice code, member_name, valid_from): stored as the grouping `gp-practices` before computing, so the
// practices named in persons.gp_practice are units that get values.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { groupingFromGrid, readTable } from '../ingest/index.js';
import type { Store } from '../store/index.js';

export const PRACTICES_FILE = 'gp_practices.csv';
export const PRACTICES_GROUPING = 'gp-practices';

/** Stores the practices of `dataDir` (if it has gp_practices.csv); returns how many there are. */
export async function loadRegisterPractices(store: Store, dataDir: string): Promise<number> {
  const file = path.join(dataDir, PRACTICES_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return 0;
  }
  const grid = await readTable(PRACTICES_FILE, bytes);
  const existing = (await store.listGroupings()).find((g) => g.id === PRACTICES_GROUPING);
  const { grouping, newUnits } = groupingFromGrid(
    grid,
    file,
    {
      id: PRACTICES_GROUPING,
      name: { da: 'Almen praksis efter kommune', en: 'General practices by municipality' },
      groupType: 'municipality',
      memberType: 'gp-practice',
      // A practice lists persons from several municipalities: practices do not split residents.
      partitionsPersons: false,
    },
    // Practices already stored are re-created from the file, so a new delivery replaces the list.
    (await store.listOrgUnits()).filter((u) => u.type !== 'gp-practice'),
    existing,
  );
  await store.saveGrouping(grouping, newUnits);
  return newUnits.length;
}
