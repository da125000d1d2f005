// Plausible synthetic compliance records for the demo: every municipality, every requirement, each year from a
// standard's first year; statuses improve over time, a few municipalities lag behind. Written as a Danish CSV so the
// demo goes through the same import as real files.
import type { OrgUnit, QualityStandard } from '../catalogue/index.js';
import { versionInForce } from '../catalogue/index.js';
import { seededRandom } from '../stats/random.js';
import type { Store } from '../store/index.js';
import { type ComplianceImportReport, importCompliance } from './import-compliance.js';

export interface SyntheticComplianceOptions {
  fromYear: number;
  toYear: number;
  seed?: number;
}

const STATUS_DA = { met: 'opfyldt', 'partly-met': 'delvist opfyldt', 'not-met': 'ikke opfyldt' } as const;
/** Share of municipalities that improve slowly and report less. */
const LAGGARD_SHARE = 0.12;

/**
 * A CSV (semicolon-separated, Danish column names and words) of synthetic compliance records.
 * @example syntheticComplianceCsv(standards, municipalities, { fromYear: 2023, toYear: 2025 })
 */
export function syntheticComplianceCsv(
  standards: readonly QualityStandard[],
  municipalities: readonly OrgUnit[],
  options: SyntheticComplianceOptions,
): string {
  const rng = seededRandom(options.seed ?? 14);
  const lines = ['kommune;kvalitetsstandard;krav;år;status;vurderingsdato;grundlag;bemærkning'];
  for (const standard of standards) {
    const difficulty = new Map<number, number>();
    for (const unit of municipalities) {
      const laggard = rng.chance(LAGGARD_SHARE);
      const maturity = laggard ? 0.1 + 0.2 * rng.next() : 0.35 + 0.5 * rng.next();
      const pace = laggard ? 0.03 : 0.12 + 0.08 * rng.next();
      // A fixed threshold per requirement, so a municipality's statuses only improve from year to year.
      const thresholds = new Map<number, number>();
      for (let year = options.fromYear; year <= options.toYear; year++) {
        const version = versionInForce(standard, year);
        if (!version) continue;
        const first = standard.versions[0]?.firstYear ?? year;
        const silent = rng.chance(laggard ? 0.25 : 0.03);
        const day = String(1 + rng.int(15)).padStart(2, '0');
        for (const requirement of version.requirements) {
          if (!difficulty.has(requirement.number)) difficulty.set(requirement.number, 0.25 * rng.next());
          if (!thresholds.has(requirement.number)) thresholds.set(requirement.number, rng.next());
          const score = maturity + pace * (year - first) - (difficulty.get(requirement.number) ?? 0) + 0.1 * rng.next();
          const threshold = thresholds.get(requirement.number) ?? 0.5;
          const status = score > threshold * 0.6 + 0.35 ? 'met' : score > threshold * 0.6 ? 'partly-met' : 'not-met';
          lines.push(
            silent
              ? `${unit.code};${standard.id};${requirement.number};${year};ikke indberettet;;;Syntetiske demodata`
              : `${unit.code};${standard.id};${requirement.number};${year};${STATUS_DA[status]};${day}-12-${year};${rng.chance(0.25) ? 'tilsyn' : 'selvevaluering'};Syntetiske demodata`,
          );
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Imports synthetic compliance records for every municipality (marked synthetic) unless the store has some already.
 * @example await importDemoCompliance(store, { fromYear: 2023, toYear: 2025 })
 */
export async function importDemoCompliance(
  store: Store,
  options: SyntheticComplianceOptions,
): Promise<ComplianceImportReport | null> {
  if ((await store.listComplianceImports()).length > 0) return null;
  const standards = await store.listQualityStandards();
  if (standards.length === 0) return null;
  const municipalities = await store.listOrgUnits({ type: 'municipality', at: new Date().toISOString().slice(0, 10) });
  const csv = syntheticComplianceCsv(standards, municipalities, options);
  return importCompliance(store, 'demo-compliance.csv', new TextEncoder().encode(csv), {
    actor: 'pejling demo',
    note: 'Syntetiske demodata',
    synthetic: true,
  });
}
