// Synthetic general practices for the demo registry: about 1,700 practices spread over the municipalities by
// population, with list sizes that vary like real ones (log-normal around the municipal mean), and the practice
// each synthetic person is listed with. The practices are written as a grouping file for `pejling units import`, and
// so are synthetic kvalitetsklynger: the practices of each region in runs of about 30, some across municipal borders.
import { writeFile } from 'node:fs/promises';
import type { Random } from '../stats/random.js';

/** Practices in Denmark, roughly (the demo's scale, not a fact the analysis relies on). */
export const SYNTHETIC_PRACTICES = 1_700;
/** Practices in a synthetic kvalitetsklynge, about (the demo's scale, not a fact). */
const CLUSTER_SIZE = 30;

export interface SyntheticPractices {
  /** The practice a person living in the municipality is listed with. */
  listFor(municipality: string): string;
  /** Writes `gp_practices.csv`: group (municipality), member (practice), member_name, valid_from. */
  write(file: string, validFrom: string): Promise<void>;
  /** Writes `gp_clusters.csv`: group (kvalitetsklynge), group_name, group_parent (region), member, valid_from. */
  writeClusters(file: string, validFrom: string): Promise<void>;
  count: number;
}

/**
 * @example const practices = syntheticPractices(municipalities, seededRandom(3)); practices.listFor('751') // 'GP0123'
 */
export function syntheticPractices(
  municipalities: readonly { code: string; region: string; weight: number }[],
  rng: Random,
  total = SYNTHETIC_PRACTICES,
): SyntheticPractices {
  const weightSum = municipalities.reduce((n, m) => n + m.weight, 0);
  const byMunicipality = new Map<string, { codes: string[]; cumulative: number[] }>();
  const rows: string[] = [];
  let next = 1;
  for (const m of municipalities) {
    const count = Math.max(1, Math.round((total * m.weight) / weightSum));
    const codes: string[] = [];
    const cumulative: number[] = [];
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const code = `GP${String(next++).padStart(4, '0')}`;
      codes.push(code);
      sum += Math.exp(rng.normal(0, 0.5));
      cumulative.push(sum);
      rows.push(`${m.code},${code},Lægepraksis ${code} (syntetisk)`);
    }
    byMunicipality.set(m.code, { codes, cumulative });
  }
  return {
    count: next - 1,
    listFor(municipality) {
      const entry = byMunicipality.get(municipality);
      if (!entry) return '';
      const target = rng.next() * (entry.cumulative.at(-1) ?? 0);
      const index = entry.cumulative.findIndex((c) => c >= target);
      return entry.codes[index < 0 ? entry.codes.length - 1 : index] ?? '';
    },
    async writeClusters(file, validFrom) {
      const lines: string[] = [];
      let cluster = 0;
      for (const region of [...new Set(municipalities.map((m) => m.region))].sort()) {
        const codes = municipalities
          .filter((m) => m.region === region)
          .flatMap((m) => byMunicipality.get(m.code)?.codes ?? []);
        // Runs of CLUSTER_SIZE practices; a short last run joins the one before it.
        const runs = Math.max(1, Math.round(codes.length / CLUSTER_SIZE));
        for (let k = 0; k < runs; k++) {
          const code = `KK${String(++cluster).padStart(2, '0')}`;
          const members = codes.slice(
            Math.round((k * codes.length) / runs),
            Math.round(((k + 1) * codes.length) / runs),
          );
          for (const member of members)
            lines.push(`${code},Kvalitetsklynge ${code} (syntetisk),${region},${member},${validFrom}`);
        }
      }
      await writeFile(file, `group,group_name,group_parent,member,valid_from\n${lines.join('\n')}\n`);
    },
    async write(file, validFrom) {
      const lines = rows.map((r) => {
        const [group, member, name] = r.split(',');
        return `${group},${member},${name},${validFrom}`;
      });
      await writeFile(file, `group,member,member_name,valid_from\n${lines.join('\n')}\n`);
    },
  };
}
