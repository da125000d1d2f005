// Reads catalogue/quality-standards/*.yaml, validates each file and checks its references to indicators and units.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { CatalogueProblem } from './load-catalogue.js';
import { type QualityStandard, qualityStandardSchema } from './quality-standard-schema.js';

export const QUALITY_STANDARDS_FOLDER = 'quality-standards';

/**
 * The quality standards of a catalogue folder with every problem found (file, path, reason). A missing folder means
 * no standards (older catalogues have none).
 * @example const { standards, problems } = await readQualityStandards(dir, indicatorIds, unitCodes);
 */
export async function readQualityStandards(
  dir: string,
  indicatorIds: ReadonlySet<string>,
  unitCodes: ReadonlySet<string>,
): Promise<{ standards: QualityStandard[]; problems: CatalogueProblem[] }> {
  const problems: CatalogueProblem[] = [];
  const standards: QualityStandard[] = [];
  let names: string[];
  try {
    names = (await readdir(path.join(dir, QUALITY_STANDARDS_FOLDER))).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return { standards, problems };
  }
  const ids = new Set<string>();
  for (const name of names) {
    const file = `${QUALITY_STANDARDS_FOLDER}/${name}`;
    const doc = parseDocument(await readFile(path.join(dir, file), 'utf8'), { prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const where = error.linePos?.[0];
        problems.push({
          file,
          path: where ? `line ${where.line}, column ${where.col}` : '',
          message: `not valid YAML: ${error.message.split('\n')[0]}`,
        });
      }
      continue;
    }
    const result = qualityStandardSchema.safeParse(doc.toJS());
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ file, path: issuePath(issue.path), message: issue.message });
      continue;
    }
    const standard = result.data;
    if (ids.has(standard.id)) problems.push({ file, path: 'id', message: `duplicate standard id '${standard.id}'` });
    ids.add(standard.id);
    standard.versions.forEach((version, v) => {
      const at = `versions[${v}]`;
      const checkIndicators = (refs: readonly string[], where: string) =>
        refs.forEach((ref, i) => {
          if (!indicatorIds.has(ref))
            problems.push({
              file,
              path: `${where}[${i}]`,
              message: `unknown indicator '${ref}' (not in indicators.yaml)`,
            });
        });
      const checkUnits = (refs: readonly string[] | undefined, where: string) =>
        refs?.forEach((ref, i) => {
          if (!unitCodes.has(ref)) problems.push({ file, path: `${where}[${i}]`, message: `unknown unit '${ref}'` });
        });
      checkIndicators(version.indicators, `${at}.indicators`);
      checkUnits(version.appliesTo.units, `${at}.appliesTo.units`);
      for (const list of ['requirements', 'recommendations'] as const) {
        version[list].forEach((item, i) => {
          checkIndicators(item.indicators, `${at}.${list}[${i}].indicators`);
          checkUnits(item.appliesTo?.units, `${at}.${list}[${i}].appliesTo.units`);
        });
      }
    });
    standards.push(standard);
  }
  // Oldest package first, as the quality plan numbers them.
  standards.sort(
    (a, b) => (a.versions[0]?.date ?? '').localeCompare(b.versions[0]?.date ?? '') || a.id.localeCompare(b.id),
  );
  return { standards, problems };
}

function issuePath(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
