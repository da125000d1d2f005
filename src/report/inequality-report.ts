// The yearly inequality report: for every indicator broken down by education or income, the gap between the
// most and least advantaged groups with SII/RII, and the spread between municipalities (worst vs best fifth),
// as "Mere borger, mindre patient" (2013) asks: inequality in health monitored and reported every year.
import {
  type GeographicInequality,
  geographicInequality,
  type InequalityDimension,
  inequalityOf,
} from '../analysis/index.js';
import type { Indicator, OrgUnit } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { danishNumber } from './danish.js';
import { embeddedFonts, escapeHtml, REPORT_CSS, tagged } from './render-report.js';

type SocialInequality = Awaited<ReturnType<typeof inequalityOf>>;

export interface InequalityRow {
  indicator: Indicator;
  period: string;
  education: SocialInequality | null;
  income: SocialInequality | null;
  geography: GeographicInequality | null;
  synthetic: boolean;
}

export interface InequalityData {
  unit: OrgUnit;
  year: number;
  /** The indicators of the goals about equality (theme `equality`): gaps measured directly. */
  keyFigures: { indicator: Indicator; period: string; value: number | null; synthetic: boolean }[];
  rows: InequalityRow[];
  generatedAt: string;
}

/** The latest year up to `year` with a total value for the unit. */
async function periodUpTo(store: Store, indicator: Indicator, unit: string, year: number): Promise<string | null> {
  const rows = await store.queryValues({ indicator: indicator.id, unit, breakdown: 'total' });
  const years = rows.map((r) => r.period).filter((p) => /^\d{4}$/.test(p) && Number(p) <= year);
  return years.sort().at(-1) ?? null;
}

/**
 * Gathers education, income and place inequality for every indicator that has them, for a unit and year.
 * @example await gatherInequality(store, { unit: 'DK', year: 2024 })
 */
export async function gatherInequality(store: Store, options: { unit: string; year: number }): Promise<InequalityData> {
  const units = await store.listOrgUnits();
  const unit = units.find((u) => u.code === options.unit);
  if (!unit || unit.type === 'municipality' || !['nation', 'region'].includes(unit.type))
    throw new UserError(`The inequality report is for Denmark or a region; got '${options.unit}'`, {
      hint: 'Use --unit DK or a region code (1081-1085).',
    });
  const indicators = await store.listIndicators();
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const rows: InequalityRow[] = [];
  for (const indicator of indicators) {
    const dims = (['education', 'income'] as InequalityDimension[]).filter((d) => indicator.breakdowns.includes(d));
    if (dims.length === 0) continue;
    const period = await periodUpTo(store, indicator, unit.code, options.year);
    if (!period) continue;
    const social = async (d: InequalityDimension) =>
      dims.includes(d) ? await inequalityOf(store, indicator, unit.code, period, d) : null;
    const geography =
      indicator.measure === 'proportion' || indicator.measure === 'rate'
        ? await geographicInequality(store, indicator, { period, within: unit.code })
        : null;
    const values = await store.queryValues({ indicator: indicator.id, unit: unit.code, period });
    rows.push({
      indicator,
      period,
      education: await social('education'),
      income: await social('income'),
      geography: geography?.ratio ? geography : null,
      synthetic: values.some((v) => v.synthetic),
    });
  }
  const equalityIndicators = [
    ...new Set(
      (await store.listGoalSets())
        .flatMap((s) => s.goals)
        .filter((g) => g.theme === 'equality')
        .flatMap((g) => g.indicators),
    ),
  ];
  const keyFigures: InequalityData['keyFigures'] = [];
  for (const id of equalityIndicators) {
    const indicator = byId.get(id);
    if (!indicator) continue;
    const period = await periodUpTo(store, indicator, unit.code, options.year);
    if (!period) continue;
    const [row] = await store.queryValues({ indicator: id, unit: unit.code, period, breakdown: 'total' });
    keyFigures.push({ indicator, period, value: row?.value ?? null, synthetic: Boolean(row?.synthetic) });
  }
  return { unit, year: options.year, keyFigures, rows, generatedAt: new Date().toISOString().slice(0, 10) };
}

const GROUP_DA: Record<string, string> = {
  basic: 'grundskole',
  vocational: 'erhvervsfaglig',
  higher: 'videregående',
  Q1: 'fattigste fjerdedel',
  Q2: '2. fjerdedel',
  Q3: '3. fjerdedel',
  Q4: 'rigeste fjerdedel',
};
const SYNTHETIC = '<span class="synthetic">Syntetiske demotal</span>';

const interval = (m: { value: number; ciLow: number | null; ciHigh: number | null } | null | undefined) =>
  m ? `${danishNumber(m.value)} (${danishNumber(m.ciLow)}–${danishNumber(m.ciHigh)})` : '–';

function socialRow(row: InequalityRow, unit: string, q: SocialInequality | null, label: string): string {
  if (!q) return '';
  const first = q.groups[0];
  const last = q.groups.at(-1);
  const value = (g: typeof first) =>
    g?.value === null || g?.value === undefined
      ? '–'
      : tagged(g.value, {
          indicator: row.indicator.id,
          unit,
          period: row.period,
          field: `${q.dimension}:${g.category}`,
        });
  return `<tr data-dimension="${q.dimension}"><td>${label}</td><td>${GROUP_DA[first?.category ?? ''] ?? ''}: ${value(first)}</td><td>${GROUP_DA[last?.category ?? ''] ?? ''}: ${value(last)}</td><td class="r">${interval(q.measures?.rateDifference)}</td><td class="r">${interval(q.measures?.rateRatio)}</td><td class="r">${interval(q.measures?.sii)}</td><td class="r">${interval(q.measures?.rii)}</td></tr>`;
}

function placeRow(g: GeographicInequality | null): string {
  if (!g?.ratio) return '';
  const best = g.fifths[0];
  const worst = g.fifths[4];
  return `<tr data-dimension="place"><td>Sted (kommunernes femtedele)</td><td>værste femtedel: ${danishNumber(worst?.value)}</td><td>bedste femtedel: ${danishNumber(best?.value)}</td><td class="r">${interval(g.difference)}</td><td class="r">${interval(g.ratio)}</td><td class="r">–</td><td class="r">–</td></tr>`;
}

/**
 * The inequality report as HTML (Danish).
 * @example renderInequalityHtml(await gatherInequality(store, { unit: 'DK', year: 2024 }))
 */
export function renderInequalityHtml(data: InequalityData): string {
  const name = data.unit.code === 'DK' ? 'Danmark' : data.unit.name;
  const synthetic = data.rows.some((r) => r.synthetic) || data.keyFigures.some((k) => k.synthetic);
  const widest = (dim: 'education' | 'income') =>
    data.rows
      .filter((r) => r[dim]?.measures?.rateRatio)
      .sort(
        (a, b) =>
          Math.abs(Math.log(b[dim]?.measures?.rateRatio?.value ?? 1)) -
          Math.abs(Math.log(a[dim]?.measures?.rateRatio?.value ?? 1)),
      )[0];
  const sentences = [
    `Rapporten følger uligheden i sundhed efter uddannelse, indkomst og sted for ${name} i ${data.year}, som «Mere borger, mindre patient» (2013) lægger op til: en løbende monitorering, der afrapporteres årligt.`,
  ];
  for (const [dim, text] of [
    ['education', 'mellem grundskole og videregående uddannelse'],
    ['income', 'mellem den fattigste og den rigeste fjerdedel'],
  ] as const) {
    const w = widest(dim);
    const ratio = w?.[dim]?.measures?.rateRatio;
    if (w && ratio)
      sentences.push(
        `Den største relative forskel ${text} ses for ${w.indicator.name.da.charAt(0).toLowerCase()}${w.indicator.name.da.slice(1)} (forhold ${danishNumber(ratio.value)}).`,
      );
  }
  const keyFigures = data.keyFigures.length
    ? `<h2>Nøgletal</h2><table><thead><tr><th>Indikator</th><th class="r">Værdi</th><th>År</th></tr></thead><tbody>${data.keyFigures
        .map(
          (k) =>
            `<tr><td>${escapeHtml(k.indicator.name.da)}${k.synthetic ? ` ${SYNTHETIC}` : ''}</td><td class="r">${tagged(k.value, { indicator: k.indicator.id, unit: data.unit.code, period: k.period, field: 'value' })} ${escapeHtml(k.indicator.unit.da)}</td><td>${k.period}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const sections = data.rows
    .map(
      (
        r,
      ) => `<section class="indicator keep" data-indicator="${escapeHtml(r.indicator.id)}"${r.synthetic ? ' data-synthetic="true"' : ''}>
<h3>${escapeHtml(r.indicator.name.da)}${r.synthetic ? ` ${SYNTHETIC}` : ''}</h3>
<p class="meta">${r.period} · ${escapeHtml(r.indicator.unit.da)} · forskel og forhold: dårligst stillede gruppe mod bedst stillede, med 95 %-konfidensinterval</p>
<table><thead><tr><th>Dimension</th><th>Dårligst stillede</th><th>Bedst stillede</th><th class="r">Forskel</th><th class="r">Forhold</th><th class="r">SII</th><th class="r">RII</th></tr></thead>
<tbody>${socialRow(r, data.unit.code, r.education, 'Uddannelse')}${socialRow(r, data.unit.code, r.income, 'Indkomst')}${placeRow(r.geography)}</tbody></table>
</section>`,
    )
    .join('');
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Ulighed i sundhed ${data.year}: ${escapeHtml(name)}</title>
<style>${embeddedFonts()}${REPORT_CSS}</style></head><body${synthetic ? ' data-synthetic="true"' : ''}>
<div class="cover"><h1>Ulighed i sundhed ${data.year}: ${escapeHtml(name)}</h1>
<p class="meta">Uddannelse, indkomst og sted. Udarbejdet af Pejling ${data.generatedAt}. Tal med 1–4 personer er diskretioneret.</p></div>
<section class="keep"><h2>Sammenfatning</h2><p class="lede">${sentences.map(escapeHtml).join(' ')}</p>
<p class="meta">SII (hældningsindekset) er forskellen mellem de to ender af den sociale gradient; RII er forholdet. Sted: kommunerne ordnet fra bedste til værste værdi og delt i fem lige store grupper; forholdet er den værste femtedel mod den bedste. Ordningen efter de målte værdier overdriver spredningen noget, når tallene er små.</p></section>
${keyFigures}
<h2>Indikatorer</h2>
${sections}
</body></html>`;
}
