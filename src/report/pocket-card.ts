// One-page pocket cards ("lommekort") for a ward or unit: chosen indicators in large type, including
// days-since-event counters against their target (e.g. 300 days since a medication error needing a doctor).
import { evaluateTarget, loadUnitStructure, type ValueRow, valueRows } from '../analysis/index.js';
import { targetUnits } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { danishNumber, VERDICT_DA } from './danish.js';
import { escapeHtml, REPORT_CSS, tagged } from './render-report.js';

/** What a tile shows instead of a number, and why, in the status report's words. */
const SUPPRESSED = 'diskretioneret';
const SUPPRESSED_WHY = 'Skjult: færre end 5 personer, eller et tal der ville afsløre dem.';
const NO_VALUES = 'Ingen værdier for enheden.';

/** A pocket card is one page: more tiles than this do not fit. */
export const MAX_POCKET_CARD_INDICATORS = 12;

export async function renderPocketCard(
  store: Store,
  options: { unit: string; indicators: readonly string[]; title?: string },
): Promise<string> {
  const structure = await loadUnitStructure(store);
  const unit = structure.units.find((u) => u.code === options.unit);
  if (!unit) throw new UserError(`Unknown unit '${options.unit}'`);
  if (options.indicators.length === 0)
    throw new UserError('Name at least one indicator for the pocket card', {
      hint: 'e.g. --indicators days-since-medication-error,acute-readmission-somatic-30d',
    });
  if (options.indicators.length > MAX_POCKET_CARD_INDICATORS)
    throw new UserError(
      `A pocket card holds at most ${MAX_POCKET_CARD_INDICATORS} indicators; ${options.indicators.length} were asked for`,
      { hint: 'Choose fewer indicators, or make two cards.' },
    );
  const targets = await store.listTargets();
  const goalSets = new Map((await store.listGoalSets()).map((s) => [s.id, s]));
  const tiles: string[] = [];
  for (const id of options.indicators) {
    const indicator = await store.getIndicator(id);
    if (!indicator) throw new UserError(`Unknown indicator '${id}'`);
    const rows = (await valueRows(store, indicator, { unit: unit.code, breakdown: 'total' })).filter(
      (r) => r.value !== null || r.suppressed,
    );
    const latest: ValueRow | undefined = rows.at(-1);
    const target = targets.find(
      (t) =>
        t.target.indicator === id &&
        targetUnits(goalSets.get(t.goalSetId), t.target, structure).some((u) => u.code === unit.code),
    )?.target;
    const evaluation = target ? evaluateTarget(target, indicator, unit.code, rows) : undefined;
    const big = !latest
      ? `<div class="big">–</div><div class="why">${NO_VALUES}</div>`
      : latest.suppressed
        ? `<div class="big hidden">${SUPPRESSED}</div><div class="why">${SUPPRESSED_WHY}</div>`
        : `<div class="big">${tagged(latest.value, { indicator: id, unit: unit.code, period: latest.period, field: 'value' })}</div>`;
    tiles.push(`<div class="tile">
      <div class="label">${escapeHtml(indicator.name.da)}</div>
      ${big}
      <div class="meta">${escapeHtml(indicator.unit.da)}${latest ? ` · ${latest.period}` : ''}${target?.value !== undefined ? ` · mål ${danishNumber(target.value, 0)}` : ''}</div>
      ${evaluation ? `<div class="badge ${evaluation.status}">${VERDICT_DA[evaluation.status]}</div>` : ''}
    </div>`);
  }
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Lommekort: ${escapeHtml(unit.name)}</title>
<style>${REPORT_CSS}
.card { border: 2px solid #0b5394; border-radius: 8pt; padding: 12pt; } .tiles { display: grid; grid-template-columns: 1fr 1fr; gap: 10pt; }
.tile { border: 1px solid #dde1e6; border-radius: 6pt; padding: 8pt; break-inside: avoid; } .label { font-weight: 600; }
.big { font-size: 30pt; font-weight: 700; color: #0b5394; line-height: 1.1; margin: 4pt 0; }
.big.hidden { font-size: 18pt; color: #5f6b7a; } .why { font-size: 9pt; color: #5f6b7a; margin-bottom: 2pt; }</style></head>
<body><div class="card"><h1>${escapeHtml(options.title ?? `Lommekort: ${unit.name}`)}</h1>
<p class="meta">Udskrevet ${new Date().toISOString().slice(0, 10)} af Pejling.</p><div class="tiles">${tiles.join('')}</div></div></body></html>`;
}
