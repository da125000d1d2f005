// Every citation in the catalogue names a document by title, and every quote is found in the text it cites.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, type Source } from './index.js';

const catalogue = await loadCatalogue();

/** The texts the documents were read from (docs/catalogue.md, "Goal sets and their sources"). */
const TEXTS: Record<string, string> = {
  'national-goals-agreement-2016': 'seeds/000_50a0af6ac1b6cb81.txt',
  'health-goals-memo': 'seeds/001_e7532188d1e1d5ec.txt',
  'five-principles-2018': 'seeds/002_34efb6d00a8cf68c.txt',
  'more-citizen-less-patient-2013': 'seeds/003_d1e62b6ebb86bd31.txt',
  'health-reform-agreement-2022': 'seeds/004_499e1964a9dcd47b.txt',
  'national-goal-indicators': 'reference/national-goal-indicators.csv',
};
// The documents sit beside the checkout (../shared) where they are available; elsewhere the quote check is skipped.
const sharedDirs = ['../../../shared/', '../../../../shared/'].map((p) => new URL(p, import.meta.url));
const texts = new Map<string, string>();
for (const [id, file] of Object.entries(TEXTS)) {
  for (const dir of sharedDirs) {
    const text = await readFile(new URL(file, dir), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      texts.set(id, normalise(text));
      break;
    }
  }
}

/** Line breaks, hyphenation at line ends, spaces before punctuation and dash and quote styles do not count. */
function normalise(text: string): string {
  return text
    .replace(/-[ \t]*\r?\n\s*/g, '')
    .replace(/[–—]/g, '-')
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:)])/g, '$1')
    .toLowerCase();
}

function everySource(): { where: string; source: Source }[] {
  const out: { where: string; source: Source }[] = [];
  for (const set of catalogue.goalSets) {
    out.push({ where: set.id, source: set.source });
    for (const p of set.principles) out.push({ where: `${set.id} principle`, source: p });
    for (const goal of set.goals) {
      out.push({ where: goal.id, source: goal.source });
      for (const p of goal.principles) out.push({ where: `${goal.id} principle`, source: p });
      for (const t of goal.targets) out.push({ where: t.id, source: t.source });
    }
  }
  for (const i of catalogue.indicators) if (i.source) out.push({ where: i.id, source: i.source });
  for (const l of catalogue.links) out.push({ where: `${l.from} → ${l.to}`, source: l.source });
  for (const g of catalogue.groups) if (g.source) out.push({ where: g.id, source: g.source });
  return out;
}

const FILE_NAME = /\b\d{3}_[0-9a-f]{16}\.txt\b|\.(txt|csv|pdf|yaml)\b/;

describe('sources', () => {
  it('cite every goal, target and indicator by title, never by file name', () => {
    const all = everySource();
    expect(all.length).toBeGreaterThan(150);
    for (const i of catalogue.indicators) expect(i.source, i.id).toBeDefined();
    for (const { where, source } of all) {
      expect(source.title, where).toBeTruthy();
      expect(source.citation?.startsWith(source.title ?? '?'), where).toBe(true);
      expect(JSON.stringify(source), where).not.toMatch(FILE_NAME);
    }
    expect(JSON.stringify(catalogue.indicators.map((i) => i.references))).not.toMatch(FILE_NAME);
  });

  it('quote only words that stand in the documents', () => {
    let checked = 0;
    for (const { where, source } of everySource()) {
      const text = texts.get(source.document);
      if (!source.quote || !text) continue;
      for (const part of source.quote.split(' / ')) {
        expect(text.includes(normalise(part)), `${where}: "${part}" not in ${source.document}`).toBe(true);
        checked++;
      }
    }
    if (texts.size > 0) expect(checked).toBeGreaterThan(60);
  });

  it('give every link marked explicit a quote that names both of its goals', () => {
    const goals = new Map(catalogue.goalSets.flatMap((s) => s.goals.map((g) => [g.id, { goal: g, set: s }] as const)));
    const explicit = catalogue.links.filter((l) => l.explicit);
    expect(explicit.length).toBeGreaterThan(0);
    for (const link of explicit) {
      const quote = normalise(link.source.quote ?? '');
      for (const end of [link.from, link.to]) {
        const found = goals.get(end);
        if (!found) throw new Error(`unknown goal ${end}`);
        // The goal is named when three consecutive words of its name (or of its goal set's name) stand in the quote.
        const named = [found.goal.name.da, found.set.name.da].some((name) => {
          const words = normalise(name).split(' ');
          return words.some((_, i) => i + 3 <= words.length && quote.includes(words.slice(i, i + 3).join(' ')));
        });
        expect(named, `${link.from} → ${link.to}: the quote does not name ${end}`).toBe(true);
      }
    }
  });

  it('represent the five principles where they apply', () => {
    const cited = everySource().filter((s) => s.source.document === 'five-principles-2018');
    expect(cited.map((c) => c.where)).toEqual(
      expect.arrayContaining(['national-goals-2016 principle', 'reform-care-near-home principle']),
    );
  });

  it('date the five regional health agreements from 2015, after the 98 agreements of 2013', () => {
    const agreements = catalogue.groups.filter((g) => g.type === 'health-agreement');
    expect(agreements).toHaveLength(5);
    for (const g of agreements) expect(g.validFrom, g.id).toBe('2015-01-01');
  });
});
