// The status report's quality-plan section: per quality standard, in Danish sentences, which requirements the unit
// (or the municipalities below it) met, which not, what changed since last year, and the linked indicators. The
// numbers come from the same computation as GET /api/quality-standards/{id}/compliance and are tagged with it.
import { type ComplianceCounts, type ComplianceView, complianceView } from '../analysis/index.js';
import { type QualityStandard, versionInForce } from '../catalogue/index.js';
import type { ComplianceStatus, IndicatorValue, Store } from '../store/index.js';
import { danishNumber } from './danish.js';

export interface QualityPlanIndicator {
  id: string;
  name: string;
  unitLabel: string;
  latest: IndicatorValue | null;
}

export interface QualityPlanSection {
  standard: QualityStandard;
  view: ComplianceView;
  indicators: QualityPlanIndicator[];
  recorded: boolean;
}

export const STATUS_DA: Record<ComplianceStatus, string> = {
  met: 'opfyldt',
  'partly-met': 'delvist opfyldt',
  'not-met': 'ikke opfyldt',
  'not-reported': 'ikke indberettet',
};

/** The quality-plan sections of a unit's report for a year: one per standard with an edition in force. */
export async function gatherQualityPlan(store: Store, unit: string, year: number): Promise<QualityPlanSection[]> {
  const sections: QualityPlanSection[] = [];
  for (const standard of await store.listQualityStandards()) {
    const version = versionInForce(standard, year);
    if (!version) continue;
    const view = await complianceView(store, standard.id, { unit, year });
    const ids = [...new Set([...version.indicators, ...version.requirements.flatMap((r) => r.indicators)])];
    const indicators: QualityPlanIndicator[] = [];
    for (const id of ids) {
      const indicator = await store.getIndicator(id);
      if (!indicator) continue;
      const values = (await store.queryValues({ indicator: id, unit, breakdown: 'total' })).filter(
        (v) => /^\d{4}$/.test(v.period) && Number(v.period) <= year,
      );
      indicators.push({ id, name: indicator.name.da, unitLabel: indicator.unit.da, latest: values.at(-1) ?? null });
    }
    const recorded = (await store.queryCompliance({ standard: standard.id, year })).length > 0;
    sections.push({ standard, view, indicators, recorded });
  }
  return sections;
}

const escapeText = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

const percent = (share: number | null) => (share === null ? '–' : `${danishNumber(share * 100, 1)} %`);

/** A number tagged with the standard, unit, year and field it came from, so tests can compare it with the API. */
function n(value: number | null, at: { standard: string; unit: string; year: number; field: string }, text?: string) {
  return `<span class="n" data-standard="${escapeText(at.standard)}" data-unit="${escapeText(at.unit)}" data-year="${at.year}" data-field="${at.field}">${text ?? danishNumber(value, 0)}</span>`;
}

function countsSentence(counts: ComplianceCounts, at: { standard: string; unit: string; year: number }): string {
  const tag = (field: keyof ComplianceCounts) =>
    field === 'shareMet'
      ? n(counts.shareMet, { ...at, field }, percent(counts.shareMet))
      : n(counts[field] as number, { ...at, field });
  return `${tag('met')} af ${tag('total')} krav opfyldt (${tag('shareMet')}); ${tag('partlyMet')} delvist opfyldt, ${tag('notMet')} ikke opfyldt og ${tag('notReported')} ikke indberettet`;
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} og ${items.at(-1)}`;

function municipalityText(section: QualityPlanSection): string {
  const { view } = section;
  const at = { standard: view.standard.id, unit: view.unit.code, year: view.year };
  const requirements = view.requirements ?? [];
  const label = (r: { number: number; title: { da: string } }) => `krav ${r.number} (${escapeText(r.title.da)})`;
  const by = (status: ComplianceStatus) => requirements.filter((r) => r.status === status).map(label);
  const sentences = [`I ${view.year} har ${escapeText(view.unit.name)} ${countsSentence(view.unit.counts, at)}.`];
  for (const status of ['met', 'partly-met', 'not-met', 'not-reported'] as const) {
    const items = by(status);
    if (items.length)
      sentences.push(`${STATUS_DA[status][0]?.toUpperCase()}${STATUS_DA[status].slice(1)}: ${list(items)}.`);
  }
  const changed = requirements.filter((r) => r.previousStatus !== null && r.previousStatus !== r.status);
  if (view.previous)
    sentences.push(
      changed.length
        ? `Siden ${view.year - 1}: ${list(changed.map((r) => `${label(r)} er gået fra ${STATUS_DA[r.previousStatus as ComplianceStatus]} til ${STATUS_DA[r.status]}`))}.`
        : `Ingen krav har skiftet status siden ${view.year - 1}.`,
    );
  const comparison = view.comparison.map(
    (a) =>
      `${escapeText(a.name)} ${n(a.counts.shareMet, { standard: at.standard, unit: a.code, year: at.year, field: 'shareMet' }, percent(a.counts.shareMet))}`,
  );
  if (comparison.length) sentences.push(`Andel opfyldte krav til sammenligning: ${list(comparison)}.`);
  return `<p class="lede">${sentences.join(' ')}</p>`;
}

function areaText(section: QualityPlanSection): string {
  const { view } = section;
  const at = { standard: view.standard.id, unit: view.unit.code, year: view.year };
  const where = view.unit.level === 'nation' ? 'landets' : 'regionens';
  const sentences = [
    `I ${view.year} har ${where} ${view.municipalities.length} kommuner tilsammen ${countsSentence(view.unit.counts, at)}.`,
  ];
  if (view.previous?.counts.shareMet != null && view.unit.counts.shareMet !== null) {
    const before = view.previous.counts.shareMet;
    const now = view.unit.counts.shareMet;
    sentences.push(
      `Andelen af opfyldte krav er ${now > before ? 'steget' : now < before ? 'faldet' : 'uændret'} fra ${percent(before)} i ${view.year - 1} til ${percent(now)} i ${view.year}.`,
    );
  }
  const comparison = view.comparison.map(
    (a) =>
      `${escapeText(a.name)} ${n(a.counts.shareMet, { standard: at.standard, unit: a.code, year: at.year, field: 'shareMet' }, percent(a.counts.shareMet))}`,
  );
  if (comparison.length) sentences.push(`Andel opfyldte krav til sammenligning: ${list(comparison)}.`);
  const version = view.version;
  const weakest = [...version.requirements]
    .map((r) => ({ r, c: view.unit.perRequirement[r.number] }))
    .filter((x) => x.c && x.c.total > 0)
    .sort((a, b) => (a.c?.shareMet ?? 0) - (b.c?.shareMet ?? 0))[0];
  if (weakest?.c)
    sentences.push(
      `Færrest kommuner opfylder krav ${weakest.r.number} (${escapeText(weakest.r.title.da)}): ${weakest.c.met} af ${weakest.c.total}.`,
    );
  const rows = version.requirements
    .map((r) => {
      const c = view.unit.perRequirement[r.number];
      if (!c) return '';
      const cell = (field: keyof ComplianceCounts) =>
        n(c[field] as number, { ...at, field: `requirement:${r.number}:${field}` });
      return `<tr><td>${r.number}. ${escapeText(r.title.da)}</td><td class="r">${cell('met')}</td><td class="r">${cell('partlyMet')}</td><td class="r">${cell('notMet')}</td><td class="r">${cell('notReported')}</td><td class="r">${percent(c.shareMet)}</td></tr>`;
    })
    .join('');
  const regions = view.regions.length
    ? `<table><thead><tr><th>Region</th><th class="r">Opfyldt</th><th class="r">Krav i alt</th><th class="r">Andel opfyldt</th></tr></thead><tbody>${view.regions
        .map(
          (a) =>
            `<tr><td>${escapeText(a.name)}</td><td class="r">${n(a.counts.met, { standard: at.standard, unit: a.code, year: at.year, field: 'met' })}</td><td class="r">${n(a.counts.total, { standard: at.standard, unit: a.code, year: at.year, field: 'total' })}</td><td class="r">${n(a.counts.shareMet, { standard: at.standard, unit: a.code, year: at.year, field: 'shareMet' }, percent(a.counts.shareMet))}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<p class="lede">${sentences.join(' ')}</p>
    <table><thead><tr><th>Krav</th><th class="r">Opfyldt</th><th class="r">Delvist</th><th class="r">Ikke opfyldt</th><th class="r">Ikke indberettet</th><th class="r">Andel opfyldt</th></tr></thead><tbody>${rows}</tbody></table>${regions}`;
}

function indicatorText(section: QualityPlanSection): string {
  if (!section.indicators.length) return '';
  const items = section.indicators.map(
    (i) =>
      `${escapeText(i.name)}: ${i.latest && !i.latest.suppressed && i.latest.value !== null ? `${danishNumber(i.latest.value)} ${escapeText(i.unitLabel)} (${i.latest.period})` : 'ingen værdi'}`,
  );
  return `<p><strong>Tilknyttede indikatorer:</strong> ${items.join('; ')}.</p>`;
}

/** The quality-plan part of the report, with its own heading; empty when there are no standards. */
export function renderQualityPlan(sections: readonly QualityPlanSection[]): string {
  if (!sections.length) return '';
  const body = sections
    .map((section) => {
      const { view, standard } = section;
      const version = view.version;
      const notes = [
        `${escapeText(standard.publisher)}, udgave ${escapeText(version.version)} (${version.date})`,
        version.confidence === 'summary' ? 'kravteksterne er resuméer, ikke standardens ordlyd' : '',
        view.synthetic ? 'opfyldelsesdata er syntetiske demodata' : '',
        'krav uden registrering tælles som ikke indberettet',
      ].filter(Boolean);
      const text = !section.recorded
        ? `<p class="lede">Der er ikke registreret opfyldelse af kravene for ${view.year}.</p>`
        : view.unit.level === 'municipality'
          ? municipalityText(section)
          : areaText(section);
      return `<section class="quality-standard" data-standard="${escapeText(standard.id)}">
        <h3>${escapeText(view.standard.title.da)}</h3>
        <p class="meta">${notes.join(' · ')}.</p>
        ${text}
        ${indicatorText(section)}
      </section>`;
    })
    .join('');
  return `<div class="goal" id="kvalitetsplan"><h2>Kvalitetsplanen for det nære sundhedsvæsen</h2>${body}</div>`;
}
