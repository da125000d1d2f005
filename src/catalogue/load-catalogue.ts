// Reads the catalogue folder, validates every file against its schema and checks references between files.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../domain/errors.js';
import { readQualityStandards } from './load-quality-standards.js';
import {
  type Catalogue,
  type GoalSet,
  goalSetSchema,
  indicatorsFileSchema,
  linksFileSchema,
  orgUnitsFileSchema,
  type Scope,
  type Source,
  type SourceRecord,
  sourcesFileSchema,
} from './schema.js';
import { checkGrouping } from './unit-structure.js';

/** The catalogue shipped with Pejling (`catalogue/` at the package root). */
export const DEFAULT_CATALOGUE_DIR = fileURLToPath(new URL('../../catalogue/', import.meta.url));

/** One problem in a catalogue file. */
export interface CatalogueProblem {
  file: string;
  path: string;
  message: string;
}

export function formatProblem(p: CatalogueProblem): string {
  return `${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`;
}

/**
 * Loads and validates the catalogue; throws a UserError listing every problem (file, path, reason).
 * @example const catalogue = await loadCatalogue(); catalogue.goalSets.length // 6+
 */
export async function loadCatalogue(dir: string = DEFAULT_CATALOGUE_DIR): Promise<Catalogue> {
  const problems: CatalogueProblem[] = [];
  const read = async <S extends z.ZodType>(relative: string, schema: S): Promise<z.output<S> | undefined> => {
    const file = path.join(dir, relative);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      problems.push({ file: relative, path: '', message: `cannot read the file (expected at ${file})` });
      return undefined;
    }
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const where = error.linePos?.[0];
        problems.push({
          file: relative,
          path: where ? `line ${where.line}, column ${where.col}` : '',
          message: `not valid YAML: ${error.message.split('\n')[0]}`,
        });
      }
      return undefined;
    }
    const result = schema.safeParse(doc.toJS());
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({ file: relative, path: formatIssuePath(issue.path), message: issue.message });
      }
      return undefined;
    }
    return result.data;
  };

  const sourcesFile = await read('sources.yaml', sourcesFileSchema);
  const mainUnitsFile = await read('org-units.yaml', orgUnitsFileSchema);
  // More units and groupings (hospitals, health clusters, later structures) in units/*.yaml, one topic a file.
  let extraUnitFiles: string[] = [];
  try {
    extraUnitFiles = (await readdir(path.join(dir, 'units'))).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    // The folder is optional.
  }
  const unitFiles: { file: string; content: z.output<typeof orgUnitsFileSchema> }[] = [];
  if (mainUnitsFile) unitFiles.push({ file: 'org-units.yaml', content: mainUnitsFile });
  for (const name of extraUnitFiles) {
    const content = await read(`units/${name}`, orgUnitsFileSchema);
    if (content) unitFiles.push({ file: `units/${name}`, content });
  }
  const unitsFile =
    mainUnitsFile && unitFiles.length === extraUnitFiles.length + 1
      ? {
          schemaVersion: mainUnitsFile.schemaVersion,
          units: unitFiles.flatMap((f) => f.content.units),
          groups: unitFiles.flatMap((f) => f.content.groups),
          groupings: unitFiles.flatMap((f) => f.content.groupings),
        }
      : undefined;
  // Where each unit, group and grouping came from, so problems name the right file and index.
  const origins = {
    units: unitFiles.flatMap((f) => f.content.units.map((_, i) => ({ file: f.file, index: i }))),
    groups: unitFiles.flatMap((f) => f.content.groups.map((_, i) => ({ file: f.file, index: i }))),
    groupings: unitFiles.flatMap((f) => f.content.groupings.map((_, i) => ({ file: f.file, index: i }))),
  };
  const indicatorsFile = await read('indicators.yaml', indicatorsFileSchema);
  const linksFile = await read('links.yaml', linksFileSchema);
  const goalSets: { file: string; set: GoalSet }[] = [];
  let goalSetFiles: string[] = [];
  try {
    goalSetFiles = (await readdir(path.join(dir, 'goal-sets'))).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    problems.push({ file: 'goal-sets/', path: '', message: 'the goal-sets folder is missing' });
  }
  for (const name of goalSetFiles) {
    const set = await read(`goal-sets/${name}`, goalSetSchema);
    if (set) goalSets.push({ file: `goal-sets/${name}`, set });
  }

  if (sourcesFile && unitsFile && indicatorsFile && linksFile) {
    problems.push(...resolveSources(sourcesFile.sources, unitsFile, indicatorsFile, linksFile, goalSets));
  }
  if (unitsFile && indicatorsFile && linksFile) {
    // Links are only checked when every goal set parsed, so one broken file does not cascade.
    const allGoalSetsParsed = goalSets.length === goalSetFiles.length;
    problems.push(
      ...checkReferences(
        unitsFile,
        origins,
        indicatorsFile,
        allGoalSetsParsed ? linksFile : { ...linksFile, links: [] },
        goalSets,
      ),
    );
  }
  const quality = await readQualityStandards(
    dir,
    new Set(indicatorsFile?.indicators.map((i) => i.id)),
    new Set(unitsFile?.units.map((u) => u.code)),
  );
  if (unitsFile && indicatorsFile) problems.push(...quality.problems);
  if (problems.length > 0 || !sourcesFile || !unitsFile || !indicatorsFile || !linksFile) {
    throw new UserError(`The catalogue in ${dir} has ${problems.length} problem(s)`, {
      details: problems.map(formatProblem),
      hint: 'Fix the files named above; `pejling catalogue validate` checks them again.',
    });
  }
  return {
    sources: sourcesFile.sources,
    units: unitsFile.units,
    groups: unitsFile.groups,
    groupings: unitsFile.groupings,
    indicators: indicatorsFile.indicators,
    goalSets: goalSets.map((g) => g.set).sort(byLevelThenNewest),
    links: linksFile.links,
    qualityStandards: quality.standards,
  };
}

/**
 * Fills every citation with its document's title, publisher and year and a readable `citation`
 * ("Aftale om nationale mål for sundhedsvæsenet (2016), De otte nationale mål, punkt 1"); returns a problem for
 * every citation of a document that sources.yaml does not hold.
 */
function resolveSources(
  records: readonly SourceRecord[],
  unitsFile: z.output<typeof orgUnitsFileSchema>,
  indicatorsFile: z.output<typeof indicatorsFileSchema>,
  linksFile: z.output<typeof linksFileSchema>,
  goalSets: { file: string; set: GoalSet }[],
): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const byId = new Map(records.map((r) => [r.id, r]));
  const resolve = (source: Source, file: string, at: string): void => {
    const record = byId.get(source.document);
    if (!record) {
      problems.push({
        file,
        path: `${at}.document`,
        message: `unknown source '${source.document}' (add it to sources.yaml or use one of: ${[...byId.keys()].join(', ')})`,
      });
      return;
    }
    Object.assign(source, citeSource(record, source.section), record.url && !source.url ? { url: record.url } : {});
  };
  unitsFile.groups.forEach((g, i) => {
    if (g.source) resolve(g.source, 'org-units.yaml', `groups[${i}].source`);
  });
  indicatorsFile.indicators.forEach((ind, i) => {
    if (ind.source) resolve(ind.source, 'indicators.yaml', `indicators[${i}].source`);
    else
      problems.push({ file: 'indicators.yaml', path: `indicators[${i}]`, message: 'every indicator cites a source' });
  });
  linksFile.links.forEach((l, i) => resolve(l.source, 'links.yaml', `links[${i}].source`));
  for (const { file, set } of goalSets) {
    resolve(set.source, file, 'source');
    set.principles.forEach((p, i) => resolve(p, file, `principles[${i}]`));
    set.goals.forEach((goal, g) => {
      resolve(goal.source, file, `goals[${g}].source`);
      goal.principles.forEach((p, i) => resolve(p, file, `goals[${g}].principles[${i}]`));
      goal.targets.forEach((t, i) => resolve(t.source, file, `goals[${g}].targets[${i}].source`));
    });
  }
  return problems;
}

/**
 * The fields a citation takes from its document.
 * @example citeSource({ id: 'x', title: 'Aftale om nationale mål', publisher: 'KL', year: 2016 }, 'punkt 1').citation
 * // 'Aftale om nationale mål (2016), punkt 1'
 */
export function citeSource(
  record: SourceRecord,
  section?: string,
): Pick<Source, 'title' | 'publisher' | 'year' | 'citation'> {
  const year = record.year === undefined ? '' : ` (${record.year})`;
  return {
    title: record.title,
    publisher: record.publisher,
    ...(record.year === undefined ? {} : { year: record.year }),
    citation: `${record.title}${year}${section ? `, ${section}` : ''}`,
  };
}

const LEVEL_ORDER = { national: 0, regional: 1, municipal: 2 } as const;

function byLevelThenNewest(a: GoalSet, b: GoalSet): number {
  return LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || b.period.from - a.period.from || a.id.localeCompare(b.id);
}

function formatIssuePath(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

interface UnitOrigins {
  units: { file: string; index: number }[];
  groups: { file: string; index: number }[];
  groupings: { file: string; index: number }[];
}

function checkReferences(
  unitsFile: z.output<typeof orgUnitsFileSchema>,
  origins: UnitOrigins,
  indicatorsFile: z.output<typeof indicatorsFileSchema>,
  linksFile: z.output<typeof linksFileSchema>,
  goalSets: { file: string; set: GoalSet }[],
): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const unitCodes = new Set<string>();
  const unitAt = (i: number) => origins.units[i] ?? { file: 'org-units.yaml', index: i };
  unitsFile.units.forEach((unit, i) => {
    if (unitCodes.has(unit.code)) {
      problems.push({
        file: unitAt(i).file,
        path: `units[${unitAt(i).index}].code`,
        message: `duplicate unit code '${unit.code}'`,
      });
    }
    unitCodes.add(unit.code);
  });
  unitsFile.units.forEach((unit, i) => {
    if (unit.parent !== null && !unitCodes.has(unit.parent)) {
      problems.push({
        file: unitAt(i).file,
        path: `units[${unitAt(i).index}].parent`,
        message: `unknown parent unit '${unit.parent}'`,
      });
    }
  });
  unitsFile.groups.forEach((group, i) => {
    group.members.forEach((member, j) => {
      if (!unitCodes.has(member)) {
        const at = origins.groups[i] ?? { file: 'org-units.yaml', index: i };
        problems.push({
          file: at.file,
          path: `groups[${at.index}].members[${j}]`,
          message: `unknown unit '${member}'`,
        });
      }
    });
    if (group.totalUnit !== undefined && !unitCodes.has(group.totalUnit)) {
      const at = origins.groups[i] ?? { file: 'org-units.yaml', index: i };
      problems.push({
        file: at.file,
        path: `groups[${at.index}].totalUnit`,
        message: `unknown unit '${group.totalUnit}' (totalUnit names the unit the members partition)`,
      });
    }
  });
  const groupIds = new Set(unitsFile.groups.map((g) => g.id));
  const groupingIds = new Set<string>();
  unitsFile.groupings.forEach((grouping, i) => {
    const at = origins.groupings[i] ?? { file: 'org-units.yaml', index: i };
    if (groupingIds.has(grouping.id))
      problems.push({
        file: at.file,
        path: `groupings[${at.index}].id`,
        message: `duplicate grouping '${grouping.id}'`,
      });
    groupingIds.add(grouping.id);
    for (const p of checkGrouping(grouping, unitsFile.units))
      problems.push({ file: at.file, path: `groupings[${at.index}].${p.path}`, message: p.message });
  });
  const checkScope = (file: string, where: string, scope: Scope) => {
    for (const key of ['units', 'withMembers'] as const) {
      scope[key]?.forEach((code, u) => {
        if (!unitCodes.has(code))
          problems.push({ file, path: `${where}.${key}[${u}]`, message: `unknown unit '${code}'` });
      });
    }
    scope.groups?.forEach((id, g) => {
      if (!groupIds.has(id)) problems.push({ file, path: `${where}.groups[${g}]`, message: `unknown group '${id}'` });
    });
  };

  const indicatorIds = new Set<string>();
  indicatorsFile.indicators.forEach((indicator, i) => {
    if (indicatorIds.has(indicator.id)) {
      problems.push({
        file: 'indicators.yaml',
        path: `indicators[${i}].id`,
        message: `duplicate indicator id '${indicator.id}'`,
      });
    }
    indicatorIds.add(indicator.id);
  });

  const goalIds = new Set<string>();
  const setIds = new Set<string>();
  const targetIds = new Set<string>();
  for (const { file, set } of goalSets) {
    if (setIds.has(set.id)) problems.push({ file, path: 'id', message: `duplicate goal set id '${set.id}'` });
    setIds.add(set.id);
    if (!unitCodes.has(set.unit)) problems.push({ file, path: 'unit', message: `unknown unit '${set.unit}'` });
    if (set.appliesTo) checkScope(file, 'appliesTo', set.appliesTo);
    set.goals.forEach((goal, g) => {
      const at = `goals[${g}]`;
      if (goalIds.has(goal.id)) problems.push({ file, path: `${at}.id`, message: `duplicate goal id '${goal.id}'` });
      goalIds.add(goal.id);
      const checkIndicator = (ref: string, where: string) => {
        if (!indicatorIds.has(ref)) {
          problems.push({
            file,
            path: where,
            message: `unknown indicator '${ref}' (not in indicators.yaml)`,
          });
        }
      };
      goal.indicators.forEach((ref, i) => checkIndicator(ref, `${at}.indicators[${i}]`));
      goal.versions.forEach((v, vi) =>
        v.indicators.forEach((ref, i) => checkIndicator(ref, `${at}.versions[${vi}].indicators[${i}]`)),
      );
      goal.targets.forEach((target, t) => {
        const tat = `${at}.targets[${t}]`;
        if (targetIds.has(target.id))
          problems.push({ file, path: `${tat}.id`, message: `duplicate target id '${target.id}'` });
        targetIds.add(target.id);
        checkIndicator(target.indicator, `${tat}.indicator`);
        checkScope(file, `${tat}.scope`, target.scope);
      });
    });
  }
  linksFile.links.forEach((link, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!goalIds.has(link[end])) {
        problems.push({
          file: 'links.yaml',
          path: `links[${i}].${end}`,
          message: `unknown goal '${link[end]}'`,
        });
      }
    }
  });
  return problems;
}
