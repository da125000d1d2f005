// The status report as one self-contained HTML file: fonts embedded, charts as SVG, Danish sentences written from
// the data, every number tagged with where it came from (data-indicator, data-unit, data-period, data-field).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValueRow } from '../analysis/index.js';
import { citationOf } from '../catalogue/index.js';
import { trendSvg } from './charts.js';
import { COMPARISON_DA, changeSentence, danishNumber, VERDICT_DA, verdictSentence } from './danish.js';
import { renderQualityPlan } from './quality-plan-section.js';
import type { ReportData, ReportIndicator } from './report-data.js';
import { isSynthetic, summariseReport } from './report-summary.js';

const require = createRequire(import.meta.url);
let fontCss: string | undefined;

/** Inter (from @fontsource/inter, shipped with npm), embedded so the report looks the same everywhere. */
export function embeddedFonts(): string {
  if (fontCss) return fontCss;
  const face = (weight: number) => {
    const file = require.resolve(`@fontsource/inter/files/inter-latin-${weight}-normal.woff2`);
    const data = readFileSync(file).toString('base64');
    return `@font-face{font-family:Inter;font-weight:${weight};font-style:normal;src:url(data:font/woff2;base64,${data}) format('woff2');}`;
  };
  fontCss = [400, 600, 700].map(face).join('\n');
  return fontCss;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** A number with its provenance, so tests (and readers of the HTML) can trace it. */
export function tagged(
  value: number | null,
  source: { indicator: string; unit: string; period: string; field: string },
): string {
  return `<span class="n" data-indicator="${escapeHtml(source.indicator)}" data-unit="${escapeHtml(source.unit)}" data-period="${escapeHtml(source.period)}" data-field="${source.field}">${danishNumber(value)}</span>`;
}

const anchor = (id: string) => `g-${id.replace(/[^a-z0-9-]/gi, '')}`;

export const REPORT_CSS = `
@page { size: A4; margin: 18mm 15mm; }
body { font-family: Inter, sans-serif; color: #1a1a1a; font-size: 10pt; line-height: 1.45; margin: 0; }
h1 { font-size: 20pt; margin: 0 0 4pt; } h2 { font-size: 14pt; margin: 18pt 0 6pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; break-after: avoid; } .meta { color: #555; font-size: 9pt; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.summary { break-after: page; page-break-after: always; } .summary h2 { margin-top: 6pt; }
.summary .counts { display: flex; gap: 8pt; margin: 6pt 0 10pt; } .summary .counts div { flex: 1; padding: 6pt; border-radius: 4pt; text-align: center; }
.summary .counts strong { display: block; font-size: 18pt; } .summary table { font-size: 8pt; }
.synthetic { display: inline-block; padding: 0 5pt; border-radius: 8pt; font-size: 8pt; font-weight: 400; background: #fff1c2; color: #5c4300; border: 1px dashed #8a6a00; }
.goal { break-before: auto; } .indicator { break-inside: avoid; border-top: 1px solid #dde1e6; padding-top: 6pt; margin-top: 8pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4pt 0; } thead { display: table-header-group; }
tr { break-inside: avoid; } th, td { border-bottom: 1px solid #e3e6ea; padding: 2pt 4pt; text-align: left; } td.r, th.r { text-align: right; }
.toc ol { padding-left: 14pt; } .toc a { color: #0b5394; text-decoration: none; }
.badge { display: inline-block; padding: 0 5pt; border-radius: 8pt; font-size: 8.5pt; }
.achieved { background: #d9f2e6; } .on-track { background: #e3eefa; } .off-track { background: #fbe3dd; } .not-assessable { background: #eee; }
svg { max-width: 100%; } .cover { margin-bottom: 12pt; } .lede { font-size: 11pt; }
`;

function indicatorSection(data: ReportData, row: ReportIndicator): string {
  const { indicator, latest } = row;
  if (!latest) return '';
  const unitLabel = indicator.unit.da;
  const src = (r: ValueRow, field: string) => ({ indicator: indicator.id, unit: r.unit, period: r.period, field });
  const sentences: string[] = [];
  if (latest.suppressed || latest.value === null) {
    sentences.push(`${indicator.name.da}: tallet for ${latest.period} er diskretioneret (færre end 5 personer).`);
  } else {
    const from =
      row.first && row.first.period !== latest.period
        ? { period: row.first.period, value: row.first.value as number }
        : null;
    sentences.push(changeSentence(indicator.name.da, unitLabel, from, { period: latest.period, value: latest.value }));
    if (latest.ciLow !== null)
      sentences.push(
        `95 %-konfidensintervallet for ${latest.period} er ${danishNumber(latest.ciLow)}–${danishNumber(latest.ciHigh)}.`,
      );
    if (row.denmark?.value !== null && row.denmark?.value !== undefined) {
      sentences.push(`Det er ${COMPARISON_DA[latest.comparison]} (${danishNumber(row.denmark.value)} ${unitLabel}).`);
    }
  }
  for (const t of row.targets) sentences.push(verdictSentence(t.name.da, t.evaluation, unitLabel));
  const target = row.targets.find((t) => t.evaluation.nextMilestone || t.evaluation.goal)?.evaluation;
  const chart = trendSvg(row.series, [], target?.nextMilestone?.level ?? target?.goal?.value ?? null, unitLabel);
  const valueCell = (r: ValueRow) => (r.suppressed ? 'diskretioneret' : tagged(r.value, src(r, 'value')));
  const ci = (r: ValueRow) => (r.ciLow === null ? '–' : `${danishNumber(r.ciLow)}–${danishNumber(r.ciHigh)}`);
  const peerTitle =
    data.unit.type === 'nation' ? 'Regionerne' : data.unit.type === 'region' ? 'Regionens kommuner' : 'Regionen';
  const peers = row.peers.length
    ? `<table><thead><tr><th>${peerTitle}</th><th class="r">Værdi (${escapeHtml(unitLabel)})</th><th class="r">95 %-KI</th><th>Sammenlignet med landet</th></tr></thead><tbody>
      ${row.peers.map((p) => `<tr><td>${escapeHtml(p.unit.name)}</td><td class="r">${valueCell(p.row)}</td><td class="r">${ci(p.row)}</td><td>${COMPARISON_DA[p.row.comparison]}</td></tr>`).join('')}
      </tbody></table>`
    : '';
  const targetsTable = row.targets.length
    ? `<table><thead><tr><th>Målsætning</th><th>Status</th><th class="r">Udgangspunkt</th><th class="r">Seneste</th><th class="r">Krævet nu</th><th class="r">Fremskrevet</th></tr></thead><tbody>
      ${row.targets
        .map((t) => {
          const e = t.evaluation;
          return `<tr><td>${escapeHtml(t.name.da)}</td><td><span class="badge ${e.status}">${VERDICT_DA[e.status]}</span></td><td class="r">${danishNumber(e.baseline?.value)}</td><td class="r">${danishNumber(e.latest?.value)}</td><td class="r">${danishNumber(e.required?.value)}</td><td class="r">${e.projected ? `${danishNumber(e.projected.value)} (${e.projected.period})` : '–'}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '';
  const q = row.inequality;
  const inequality =
    q?.measures && q.groups.every((g) => g.value !== null)
      ? `<p><strong>Ulighed efter uddannelse (${q.period}):</strong> ${q.groups
          .map(
            (g) =>
              `${({ basic: 'grundskole', vocational: 'erhvervsfaglig', higher: 'videregående' } as Record<string, string>)[g.education ?? ''] ?? g.education} ${tagged(g.value, { indicator: indicator.id, unit: data.unit.code, period: q.period, field: `education:${g.education}` })}`,
          )
          .join(
            ', ',
          )}. ${q.measures.rateRatio ? `Forholdet mellem korteste og længste uddannelse er ${danishNumber(q.measures.rateRatio.value)} (${danishNumber(q.measures.rateRatio.ciLow)}–${danishNumber(q.measures.rateRatio.ciHigh)}); ` : ''}hældningsindekset (SII) er ${danishNumber(q.measures.sii?.value)}.</p>`
      : '';
  const synthetic = isSynthetic(row) ? ` ${SYNTHETIC_MARK}` : '';
  return `<section class="indicator" data-indicator="${escapeHtml(indicator.id)}"${synthetic ? ' data-synthetic="true"' : ''}>
    <h3>${escapeHtml(indicator.name.da)}${synthetic}</h3>
    <p class="lede">${sentences.map(escapeHtml).join(' ')}</p>
    <p>Seneste værdi: ${latest.suppressed ? 'diskretioneret' : `${tagged(latest.value, src(latest, 'value'))} ${escapeHtml(unitLabel)} (${latest.period}), 95 %-KI ${ci(latest)}`}${row.denmark ? `; Danmark ${tagged(row.denmark.value, src(row.denmark, 'value'))}` : ''}.</p>
    ${chart}
    ${targetsTable}
    ${peers}
    ${inequality}
    <p class="meta">Datakilde: ${escapeHtml(indicator.dataSource)}.${indicator.source ? ` Kilde: ${escapeHtml(citationOf(indicator.source))}.` : ''}</p>
  </section>`;
}

const SYNTHETIC_MARK = '<span class="synthetic">Syntetiske demotal</span>';
const VERDICT_ORDER = ['achieved', 'on-track', 'off-track', 'not-assessable'] as const;

/** The first page: verdict counts, three to five sentences and every target with its verdict. */
function summaryPage(data: ReportData): string {
  const summary = summariseReport(data);
  const counts = VERDICT_ORDER.map(
    (v) => `<div class="${v}" data-verdict="${v}"><strong>${summary.counts[v]}</strong>${VERDICT_DA[v]}</div>`,
  ).join('');
  const rows = data.targets
    .map((t) => {
      const e = t.evaluation;
      const synthetic = summary.syntheticIndicators.includes(t.indicator.id) ? ` ${SYNTHETIC_MARK}` : '';
      return `<tr data-target="${escapeHtml(t.id)}" data-status="${e.status}"><td>${escapeHtml(t.goal.name.da)}</td><td>${escapeHtml(t.name.da)}${synthetic}</td><td><span class="badge ${e.status}">${VERDICT_DA[e.status]}</span></td><td class="r">${e.latest ? `${danishNumber(e.latest.value)} (${e.latest.period})` : '–'}</td></tr>`;
    })
    .join('');
  return `<section class="summary"><h2>Sammenfatning</h2>
<p class="lede">${summary.sentences.map((s) => `<span class="sentence">${escapeHtml(s)}</span>`).join(' ')}</p>
<div class="counts">${counts}</div>
<table><thead><tr><th>Mål</th><th>Målsætning</th><th>Status</th><th class="r">Seneste</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}

/**
 * The whole report as HTML.
 * @example renderReportHtml(await gatherReport(store, { unit: 'DK', year: 2024 }))
 */
export function renderReportHtml(data: ReportData): string {
  const kind =
    data.unit.type === 'nation'
      ? 'National statusrapport'
      : data.unit.type === 'region'
        ? 'Regional statusrapport'
        : 'Kommunal statusrapport';
  const toc = data.goalSets
    .map(
      (s) =>
        `<li>${escapeHtml(s.set.name.da)}<ol>${s.goals.map((g) => `<li><a href="#${anchor(g.id)}">${escapeHtml(g.name.da)}</a></li>`).join('')}</ol></li>`,
    )
    .join('');
  // A heading never ends a page: each goal set's heading and each goal's heading is kept in one unbreakable
  // block with the first indicator section that follows it.
  const body = data.goalSets
    .map((s) =>
      s.goals
        .map((g, gi) => {
          const [first, ...rest] = g.indicators.map((i) => indicatorSection(data, i));
          const setHead =
            gi === 0
              ? `<h2>${escapeHtml(s.set.name.da)}</h2><p class="meta">${escapeHtml(s.set.owner)} · Kilde: ${escapeHtml(citationOf(s.set.source))}</p>`
              : '';
          return `<div class="goal" id="${anchor(g.id)}"><div class="keep">${setHead}<h3 style="font-size:12.5pt">${escapeHtml(g.name.da)}</h3>${first ?? ''}</div>${rest.join('')}</div>`;
        })
        .join(''),
    )
    .join('');
  const synthetic = data.goalSets.some((s) => s.goals.some((g) => g.indicators.some(isSynthetic)));
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${kind} ${data.year}: ${escapeHtml(data.unit.name)}</title>
<style>${embeddedFonts()}${REPORT_CSS}</style></head><body${synthetic ? ' data-synthetic="true"' : ''}>
<div class="cover"><h1>${kind} ${data.year}: ${escapeHtml(data.unit.name)}</h1>
<p class="meta">Mål, indikatorer og målsætninger for sundhedsvæsenet. Udarbejdet af Pejling ${data.generatedAt}. Tal med 1–4 personer er diskretioneret.</p></div>
${summaryPage(data)}
<nav class="toc"><h2>Indhold</h2><ol>${toc}${data.qualityPlan?.length ? '<li><a href="#kvalitetsplan">Kvalitetsplanen for det nære sundhedsvæsen</a></li>' : ''}</ol></nav>
${body}
${renderQualityPlan(data.qualityPlan ?? [])}
</body></html>`;
}
