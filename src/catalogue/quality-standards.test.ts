// The shipped quality standards validate and load; broken files are named with file, path and reason; a new
// edition keeps the old one.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { UserError } from '../domain/errors.js';
import { appliesTo, currentVersion, DEFAULT_CATALOGUE_DIR, loadCatalogue, versionInForce } from './index.js';

const catalogue = await loadCatalogue();
const standard = (id: string) => {
  const found = catalogue.qualityStandards?.find((s) => s.id === id);
  if (!found) throw new Error(`standard ${id} missing`);
  return found;
};

describe('the shipped quality standards', () => {
  it('hold the two first packages with the summarised requirements, marked as summaries', () => {
    expect(catalogue.qualityStandards?.map((s) => s.id)).toEqual([
      'municipal-acute-functions',
      'chronic-illness-prevention',
    ]);
    const acute = currentVersion(standard('municipal-acute-functions'));
    expect(acute).toMatchObject({ version: '2023', date: '2023-09-28', confidence: 'summary' });
    expect(acute.requirements.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(acute.recommendations).toHaveLength(1);
    const prevention = currentVersion(standard('chronic-illness-prevention'));
    expect(prevention).toMatchObject({ version: '2024', date: '2024-01-26', confidence: 'summary' });
    expect(prevention.requirements.map((r) => r.title.da)).toEqual([
      'Afklarende samtale',
      'Sygdomsmestring',
      'Nikotinafvænning',
      'Fysisk aktivitet',
      'Ernæring',
      'Alkohol',
      'Monitorering og evaluering',
    ]);
    for (const s of catalogue.qualityStandards ?? [])
      for (const v of s.versions)
        for (const r of v.requirements) {
          expect(r.text.da.length, `${s.id} ${r.number}`).toBeGreaterThan(5);
          expect(r.text.en.length, `${s.id} ${r.number}`).toBeGreaterThan(5);
        }
  });

  it('apply to every municipality by default and link indicators that exist', () => {
    const acute = currentVersion(standard('municipal-acute-functions'));
    const municipalities = catalogue.units.filter((u) => u.type === 'municipality');
    expect(municipalities.filter((m) => appliesTo(acute, m))).toHaveLength(98);
    expect(appliesTo(acute, { code: '1081', type: 'region' })).toBe(false);
    const ids = new Set(catalogue.indicators.map((i) => i.id));
    expect(acute.indicators.length).toBeGreaterThan(0);
    for (const ref of acute.indicators) expect(ids.has(ref), ref).toBe(true);
  });
});

describe('quality standard files', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const copy = async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pejling-qs-'));
    await cp(DEFAULT_CATALOGUE_DIR, dir, { recursive: true });
    return dir;
  };
  const file = (d: string) => path.join(d, 'quality-standards', 'municipal-acute-functions.yaml');

  it('are rejected with file, path and reason', async () => {
    const d = await copy();
    const doc = parse(await readFile(file(d), 'utf8'));
    const problems = async () => {
      await writeFile(file(d), stringify(doc));
      const error = await loadCatalogue(d).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      return (error as UserError).details;
    };
    doc.versions[0].confidence = 'rumour';
    expect((await problems())[0]).toMatch(
      /^quality-standards\/municipal-acute-functions\.yaml at versions\[0\]\.confidence: Invalid option: expected one of "official"\|"summary"/,
    );
    doc.versions[0].confidence = 'summary';
    doc.versions[0].requirements[1].number = 1;
    expect(await problems()).toEqual([
      'quality-standards/municipal-acute-functions.yaml at versions[0].requirements[1].number: number 1 is used twice in requirements',
    ]);
    doc.versions[0].requirements[1].number = 2;
    doc.versions[0].requirements[2].indicators = ['no-such-indicator'];
    expect(await problems()).toEqual([
      "quality-standards/municipal-acute-functions.yaml at versions[0].requirements[2].indicators[0]: unknown indicator 'no-such-indicator' (not in indicators.yaml)",
    ]);
  });

  it('take the official texts and a new edition without code changes; the old edition stays in force for its years', async () => {
    const d = await copy();
    const doc = parse(await readFile(file(d), 'utf8'));
    doc.versions[0].requirements[0].text.da = 'Standardens egen ordlyd for krav 1.';
    doc.versions[0].requirements[0].confidence = 'official';
    const next = structuredClone(doc.versions[0]);
    next.version = '2026';
    next.date = '2026-03-01';
    next.firstYear = 2026;
    next.confidence = 'official';
    next.requirements.push({
      number: 9,
      title: { da: 'Nyt krav', en: 'New requirement' },
      text: { da: 'Et nyt krav.', en: 'A new requirement.' },
    });
    doc.versions.push(next);
    await writeFile(file(d), stringify(doc));
    const loaded = (await loadCatalogue(d)).qualityStandards?.find((s) => s.id === 'municipal-acute-functions');
    if (!loaded) throw new Error('missing');
    expect(loaded.versions.map((v) => v.version)).toEqual(['2023', '2026']);
    expect(versionInForce(loaded, 2022)).toBeUndefined();
    expect(versionInForce(loaded, 2025)?.requirements).toHaveLength(8);
    expect(versionInForce(loaded, 2026)?.requirements).toHaveLength(9);
    expect(loaded.versions[0]?.requirements[0]).toMatchObject({
      confidence: 'official',
      text: { da: 'Standardens egen ordlyd for krav 1.' },
    });
    // Editions are listed oldest first.
    doc.versions[1].firstYear = 2020;
    await writeFile(file(d), stringify(doc));
    const error = (await loadCatalogue(d).catch((e: UserError) => e)) as UserError;
    expect(error.details.join('\n')).toContain('versions[1].firstYear: versions are listed oldest first');
  });
});
