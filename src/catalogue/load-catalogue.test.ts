import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../domain/errors.js';
import { DEFAULT_CATALOGUE_DIR, loadCatalogue, type Target, targetsOf, unitsAt } from './index.js';

const catalogue = await loadCatalogue();
const target = (id: string): Target => {
  const found = targetsOf(catalogue.goalSets).find((t) => t.target.id === id)?.target;
  if (!found) throw new Error(`target ${id} missing`);
  return found;
};

describe('the shipped catalogue', () => {
  it('holds the goal sets of every source document', () => {
    const ids = catalogue.goalSets.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'national-goals-2016',
        'health-reform-2022',
        'region-midtjylland-health-agreement-2015-18',
        'viborg-health-policy',
        'viborg-budget-2017',
        'more-citizen-less-patient-2013',
      ]),
    );
    for (const set of catalogue.goalSets) {
      expect(set.source.title, set.id).toBeTruthy();
      for (const goal of set.goals) expect(goal.source.title, goal.id).toBeTruthy();
    }
  });

  it('has the 8 national goals with 25+ indicators, versioned by year, goal 7 renamed in 2022', () => {
    const national = catalogue.goalSets.find((s) => s.id === 'national-goals-2016')!;
    expect(national.goals.map((g) => g.name.da)).toEqual([
      'Bedre sammenhængende patientforløb',
      'Styrket indsats for kronikere og ældre patienter',
      'Forbedret overlevelse og patientsikkerhed',
      'Behandling af høj kvalitet',
      'Hurtig udredning og behandling',
      'Øget patientinddragelse',
      'Flere sunde leveår',
      'Mere effektivt sundhedsvæsen',
    ]);
    const all = new Set(national.goals.flatMap((g) => [...g.indicators, ...g.versions.flatMap((v) => v.indicators)]));
    expect(all.size).toBeGreaterThanOrEqual(25);
    const goal7 = national.goals[6]!;
    expect(goal7.versions.find((v) => v.from === 2022)?.name?.da).toBe('Mere lighed og flere sunde leveår');
  });

  it('has every quantified target of the documents with its exact numbers', () => {
    const readmission = target('reform-acute-readmissions');
    expect(readmission).toMatchObject({
      kind: 'relative-change',
      value: -15,
      deadline: '2035',
      indicator: 'acute-readmission-somatic-30d',
    });
    expect(readmission.milestones).toEqual([
      { period: '2026', value: -5 },
      { period: '2030', value: -10 },
      { period: '2035', value: -15 },
    ]);
    expect(target('reform-6500-gps')).toMatchObject({
      kind: 'absolute',
      comparator: '>=',
      value: 6500,
      deadline: '2035',
    });
    expect(target('regions-co2-minus-75')).toMatchObject({
      kind: 'relative-change',
      value: -75,
      deadline: '2030',
      baseline: { period: '2018' },
    });
    expect(target('reform-patient-responsible-share').pending?.statusDue).toBe('2024');
    expect(target('viborg-preventable-admissions-minus-10-yearly')).toMatchObject({
      kind: 'annual-relative-change',
      value: -10,
      baseline: { period: '2015' },
      deadline: '2019',
      scope: { units: ['791'] },
    });
    expect(target('viborg-health-talks-150')).toMatchObject({ kind: 'absolute', value: 150 });
    expect(target('viborg-health-talks-70-percent-better')).toMatchObject({ kind: 'threshold', value: 70 });
    expect(target('viborg-300-days-since-medication-error')).toMatchObject({
      kind: 'days-since-event',
      value: 300,
    });
    expect(target('plan2013-hospital-mortality-minus-10')).toMatchObject({
      kind: 'relative-change',
      value: -10,
    });
    expect(target('plan2013-patient-injuries-minus-20')).toMatchObject({
      kind: 'relative-change',
      value: -20,
    });
    for (const id of ['reform-hospital-courses-per-citizen', 'reform-chronic-activity']) {
      expect(target(id)).toMatchObject({ kind: 'direction', direction: 'decrease' });
    }
    expect(target('reform-virtual-courses')).toMatchObject({ kind: 'direction', direction: 'increase' });
  });

  it('has targets that reference existing indicators and units', () => {
    const indicatorIds = new Set(catalogue.indicators.map((i) => i.id));
    const unitCodes = new Set(catalogue.units.map((u) => u.code));
    const targets = targetsOf(catalogue.goalSets);
    expect(targets.length).toBeGreaterThan(30);
    for (const { target: t } of targets) {
      expect(indicatorIds.has(t.indicator), `${t.id} → ${t.indicator}`).toBe(true);
      for (const code of t.scope.units ?? []) expect(unitCodes.has(code), `${t.id} → unit ${code}`).toBe(true);
    }
  });

  it('has Denmark, 5 regions and 98 municipalities matching the reference table', async () => {
    const reference = (
      await readFile(new URL('../../../shared/reference/municipalities.csv', import.meta.url), 'utf8').catch(() => '')
    )
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const in2026 = unitsAt(catalogue, '2026-12-31');
    const byType = (type: string) => in2026.filter((u) => u.type === type);
    expect(byType('nation').map((u) => u.code)).toEqual(['DK']);
    expect(byType('region').map((u) => u.code)).toEqual(['1081', '1082', '1083', '1084', '1085']);
    expect(byType('municipality')).toHaveLength(98);
    if (reference.length > 0) {
      for (const [code, name, region] of reference) {
        expect(
          catalogue.units.find((u) => u.code === code),
          code,
        ).toMatchObject({ name, parent: region });
      }
    }
  });
});

describe('a broken catalogue', () => {
  let dir: string;
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function brokenCopy(file: string, edit: (text: string) => string): Promise<string> {
    dir = await mkdtemp(path.join(tmpdir(), 'pejling-catalogue-'));
    await cp(DEFAULT_CATALOGUE_DIR, dir, { recursive: true });
    const full = path.join(dir, file);
    await writeFile(full, edit(await readFile(full, 'utf8')));
    return dir;
  }

  async function problemsOf(dirPath: string): Promise<string[]> {
    try {
      await loadCatalogue(dirPath);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return [...(error as UserError).details];
    }
    throw new Error('the broken catalogue was accepted');
  }

  it('names the file and path of a target pointing at an unknown indicator', async () => {
    const d = await brokenCopy('goal-sets/health-reform-2022.yaml', (t) =>
      t.replace('indicator: virtual-course-share', 'indicator: virtual-course-shares'),
    );
    expect(await problemsOf(d)).toEqual([
      "goal-sets/health-reform-2022.yaml at goals[2].targets[0].indicator: unknown indicator 'virtual-course-shares' (not in indicators.yaml)",
    ]);
  });

  it('rejects a bad period, a missing required field and a wrong schema version', async () => {
    const d = await brokenCopy('goal-sets/viborg-budget-2017.yaml', (t) =>
      t
        .replace('schemaVersion: 1', 'schemaVersion: 2')
        .replace('deadline: 2017\n', 'deadline: 2017Q9\n')
        .replace(/\n\s+value: 300\n/, '\n'),
    );
    const problems = await problemsOf(d);
    expect(problems).toContain(
      'goal-sets/viborg-budget-2017.yaml at schemaVersion: schemaVersion must be 1; migrate the file or update Pejling',
    );
    expect(problems).toContain(
      "goal-sets/viborg-budget-2017.yaml at goals[1].targets[0].deadline: '2017Q9' is not a period (use 2024, 2024Q1, 2024M01 or 2024W05)",
    );
    expect(problems).toContain(
      'goal-sets/viborg-budget-2017.yaml at goals[2].targets[0].value: value is required for a days-since-event target (the number of days)',
    );
  });

  it('reports invalid YAML with its line', async () => {
    const d = await brokenCopy('links.yaml', (t) => t.replace('links:\n', 'links:\n  - from: [unclosed\n'));
    const problems = await problemsOf(d);
    expect(problems[0]).toMatch(/^links\.yaml at line \d+, column \d+: not valid YAML/);
  });

  it('rejects an unknown unit in a scope and a duplicate unit code', async () => {
    const d = await brokenCopy('org-units.yaml', (t) => t.replace('code: "147"', 'code: "101"'));
    const problems = await problemsOf(d);
    expect(problems).toContain("org-units.yaml at units[7].code: duplicate unit code '101'");
  });

  it('rejects a municipality in two health clusters at once, naming the file and the membership', async () => {
    const d = await brokenCopy('units/health-clusters.yaml', (t) =>
      t.replace('{ group: HC8402, member: "153"', '{ group: HC8402, member: "101"'),
    );
    const problems = await problemsOf(d);
    expect(
      problems.some((p) =>
        /^units\/health-clusters\.yaml at groupings\[0\]\.memberships\[\d+\]: '101' is in 'HC8401'/.test(p),
      ),
      problems.join('\n'),
    ).toBe(true);
  });

  it('rejects a membership of an unknown unit and a goal set applying to an unknown group', async () => {
    const d = await brokenCopy('units/regions-2027.yaml', (t) => t.replace('member: "101"', 'member: "9999"'));
    await writeFile(
      path.join(d, 'goal-sets/region-midtjylland-health-agreement-2015-18.yaml'),
      (await readFile(path.join(d, 'goal-sets/region-midtjylland-health-agreement-2015-18.yaml'), 'utf8')).replace(
        'groups: [health-agreement-1082]',
        'groups: [health-agreement-9999]',
      ),
    );
    const problems = await problemsOf(d);
    expect(problems).toContain("units/regions-2027.yaml at groupings[0].memberships[0].member: unknown unit '9999'");
    expect(problems).toContain(
      "goal-sets/region-midtjylland-health-agreement-2015-18.yaml at appliesTo.groups[0]: unknown group 'health-agreement-9999'",
    );
  });
});
