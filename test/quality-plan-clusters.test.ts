// Health clusters in the quality plan: a cluster's shares count its member municipalities, a municipality is
// compared with its cluster, and a requirement that applies to named units only is counted for those.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceShares, complianceView } from '../src/analysis/index.js';
import { loadCatalogue } from '../src/catalogue/index.js';
import { importCompliance } from '../src/ingest/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { tempDir } from './helpers.js';

const STANDARD = 'municipal-acute-functions';
const MEMBERS = ['851', '813', '860', '849'];
let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const made = await tempDir();
  store = await openStore(path.join(made.dir, 'clusters.duckdb'));
  const catalogue = await loadCatalogue();
  catalogue.groups.push({
    id: 'test-cluster',
    name: { da: 'Testklyngen', en: 'The test cluster' },
    type: 'health-cluster',
    members: MEMBERS,
    validFrom: '2024-01-01',
    validTo: null,
  });
  // Requirement 8 applies to two named municipalities only (a test of per-requirement applicability).
  const version = catalogue.qualityStandards?.find((s) => s.id === STANDARD)?.versions[0];
  const eight = version?.requirements.find((r) => r.number === 8);
  if (!eight) throw new Error('requirement 8 missing');
  eight.appliesTo = { units: ['851', '101'] };
  await store.replaceCatalogue(catalogue);
  const rows = [
    'kommune;kvalitetsstandard;krav;år;status;vurderingsdato;grundlag',
    `851;${STANDARD};1;2025;opfyldt;01-10-2025;tilsyn`,
    `851;${STANDARD};2;2025;opfyldt;01-10-2025;tilsyn`,
    `851;${STANDARD};8;2025;opfyldt;01-10-2025;tilsyn`,
    `813;${STANDARD};1;2025;delvist opfyldt;01-10-2025;selvevaluering`,
    `860;${STANDARD};1;2025;ikke opfyldt;01-10-2025;selvevaluering`,
    `773;${STANDARD};1;2025;opfyldt;01-10-2025;selvevaluering`,
  ];
  const report = await importCompliance(store, 'klynge.csv', new TextEncoder().encode(rows.join('\n')));
  expect(report.problems).toEqual([]);
  cleanup = async () => {
    await store.close();
    await made.cleanup();
  };
});
afterAll(() => cleanup());

describe('health clusters and applicability', () => {
  it("counts a cluster's members only, and names the cluster first in a municipality's comparison", async () => {
    const view = await complianceView(store, STANDARD, { unit: 'test-cluster', year: 2025 });
    // 4 members × requirements 1-7, plus requirement 8 for 851 only = 29 cells; met: 851's 1, 2 and 8.
    expect(view.unit.counts).toEqual({ met: 3, partlyMet: 1, notMet: 1, notReported: 24, total: 29, shareMet: 3 / 29 });
    expect(view.municipalities.map((m) => m.code).sort()).toEqual([...MEMBERS].sort());
    expect(view.clusters).toEqual([{ id: 'test-cluster', name: { da: 'Testklyngen', en: 'The test cluster' } }]);
    const aalborg = await complianceView(store, STANDARD, { unit: '851', year: 2025 });
    expect(aalborg.comparison.map((a) => a.code)).toEqual(['test-cluster', '1081', 'DK']);
    expect(aalborg.requirements?.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const hjorring = await complianceView(store, STANDARD, { unit: '860', year: 2025 });
    expect(hjorring.requirements?.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('lists the cluster among the shares, and counts requirement 8 for its two units in Denmark', async () => {
    const shares = await complianceShares(store, STANDARD, 2025);
    expect(shares.areas.map((a) => a.code)).toEqual(['DK', '1081', '1082', '1083', '1084', '1085', 'test-cluster']);
    const dk = shares.areas[0];
    expect(dk?.counts.total).toBe(98 * 7 + 2);
    expect(dk?.perRequirement[8]).toEqual({ met: 1, partlyMet: 0, notMet: 0, notReported: 1, total: 2, shareMet: 0.5 });
    expect(dk?.perRequirement[1]).toMatchObject({ met: 2, partlyMet: 1, notMet: 1, notReported: 94, total: 98 });
  });
});
