// A target's verdict for a unit with the numbers behind it, on a chart: the series, the baseline, the straight
// path to the goal, the milestones and the projection with its interval.
import * as Plot from '@observablehq/plot';
import { type OrgUnit, type Text, useApi, type ValueRow } from '../api';
import { ChartWithTable, DataTable, Link, PlotFigure, Status, VerdictBadge } from '../components/common';
import { UnitPicker } from '../components/UnitPicker';
import { citationOf, digitsFor, formatNumber } from '../format';
import { type Lang, t } from '../i18n';
import { navigate } from '../router';

interface Evaluation {
  target: string;
  unit: string;
  indicator: string;
  kind: string;
  appliesTo?: string[];
  /** The unit types the indicator has values for, when the unit's type has none. */
  valuesFor?: string[];
  status: 'achieved' | 'on-track' | 'off-track' | 'not-assessable';
  reason?: string;
  explanation: string;
  baseline: { period: string | null; value: number } | null;
  latest: { period: string; value: number; ciLow: number | null; ciHigh: number | null } | null;
  goal: { period: string | null; value: number } | null;
  nextMilestone: { period: string; value: number; level: number } | null;
  required: { period: string; value: number } | null;
  projected: { period: string; value: number; low: number | null; high: number | null } | null;
  trend: { slopePerYear: number; pValue: number | null; periods: number } | null;
}
interface Target {
  id: string;
  name: Text;
  scope: { units?: string[]; groups?: string[]; withMembers?: string[]; types?: string[] };
  milestones: { period: string; value: number }[];
  source: { document: string; section?: string; quote?: string; citation?: string };
}

export function TargetPage(props: { id: string; unit: string | undefined; lang: Lang; units: OrgUnit[] }) {
  const { lang } = props;
  const query = props.unit ? `?unit=${encodeURIComponent(props.unit)}` : '';
  const evaluation = useApi<Evaluation>(`/api/targets/${encodeURIComponent(props.id)}/evaluation${query}`);
  const e = evaluation.data;
  const series = useApi<{ series: ValueRow[] }>(e ? `/api/indicators/${e.indicator}/trend?unit=${e.unit}` : null);
  const sets = useApi<{ goals: { targets: Target[] }[] }[]>('/api/goal-sets?full=true');
  const target = sets.data?.flatMap((s) => s.goals.flatMap((g) => g.targets)).find((x) => x.id === props.id);
  // The units the target applies to (its scope within where its goal set was agreed), from the API.
  const inScope = props.units.filter((u) => e?.appliesTo?.includes(u.code));
  const fmt = (v: number | null | undefined) => formatNumber(v, lang, digitsFor(v));
  const points = (series.data?.series ?? []).filter(
    (r) => /^\d{4}$/.test(r.period) && r.value !== null && !r.suppressed,
  );
  const numbers = e
    ? [
        [t('baseline', lang), e.baseline ? `${fmt(e.baseline.value)} (${e.baseline.period ?? ''})` : '–'],
        [t('latest', lang), e.latest ? `${fmt(e.latest.value)} (${e.latest.period})` : '–'],
        [t('required', lang), e.required ? `${fmt(e.required.value)} (${e.required.period})` : '–'],
        [t('milestone', lang), e.nextMilestone ? `${fmt(e.nextMilestone.level)} (${e.nextMilestone.period})` : '–'],
        [t('goal', lang), e.goal ? `${fmt(e.goal.value)}${e.goal.period ? ` (${e.goal.period})` : ''}` : '–'],
        [
          t('projected', lang),
          e.projected
            ? `${fmt(e.projected.value)} (${e.projected.period}; ${fmt(e.projected.low)}–${fmt(e.projected.high)})`
            : '–',
        ],
      ]
    : [];
  return (
    <article aria-labelledby="target-title">
      <Status loading={evaluation.loading} error={evaluation.error} lang={lang} />
      {e ? (
        <>
          <div className="page-head">
            <div>
              <h1 id="target-title">{target?.name[lang] ?? e.target}</h1>
              <p className="meta">
                <Link to={`/indikator/${e.indicator}`} params={{ unit: e.unit }}>
                  {e.indicator}
                </Link>
                {target ? ` · ${t('source', lang)}: ${citationOf(target.source)}` : ''}
              </p>
              {target?.source.quote ? <blockquote>{target.source.quote}</blockquote> : null}
            </div>
            {inScope.length > 1 ? (
              <UnitPicker
                units={inScope}
                value={e.unit}
                lang={lang}
                onChange={(code) => navigate(`/maalsaetning/${props.id}`, { unit: code })}
              />
            ) : null}
          </div>
          <p className="verdict-line" data-testid="verdict">
            <VerdictBadge status={e.status} lang={lang} />{' '}
            <span>{lang === 'en' ? e.explanation : danishExplanation(e, fmt)}</span>
          </p>
          <ChartWithTable
            lang={lang}
            chart={
              <PlotFigure
                testId="target-chart"
                label={t('target', lang)}
                deps={[points, e]}
                make={(width) => {
                  const path =
                    e.baseline?.period && e.goal?.period
                      ? [
                          { x: Number(e.baseline.period), y: e.baseline.value },
                          { x: Number(e.goal.period), y: e.goal.value },
                        ]
                      : [];
                  const milestones = (target?.milestones ?? [])
                    .filter(() => e.baseline)
                    .map((m) => ({ x: Number(m.period), y: (e.baseline?.value ?? 0) * (1 + m.value / 100) }));
                  return Plot.plot({
                    width,
                    height: 320,
                    marginLeft: 60,
                    x: { label: null, tickFormat: (d: number) => String(d) },
                    y: { grid: true, tickFormat: (d: number) => formatNumber(d, lang, digitsFor(d)) },
                    marks: [
                      Plot.areaY(points, {
                        x: (r: ValueRow) => Number(r.period),
                        y1: 'ciLow',
                        y2: 'ciHigh',
                        fill: '#0b5394',
                        fillOpacity: 0.15,
                      }),
                      Plot.lineY(path, { x: 'x', y: 'y', stroke: '#c4452d', strokeDasharray: '2,3' }),
                      Plot.dot(milestones, { x: 'x', y: 'y', symbol: 'diamond', fill: '#c4452d', r: 5 }),
                      ...(e.projected && e.latest
                        ? [
                            Plot.link(
                              [
                                {
                                  x1: Number(e.latest.period),
                                  y1: e.latest.value,
                                  x2: Number(e.projected.period),
                                  y2: e.projected.value,
                                },
                              ],
                              { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', stroke: '#0b5394', strokeDasharray: '6,4' },
                            ),
                            Plot.ruleX(
                              [
                                {
                                  x: Number(e.projected.period),
                                  y1: e.projected.low ?? e.projected.value,
                                  y2: e.projected.high ?? e.projected.value,
                                },
                              ],
                              { x: 'x', y1: 'y1', y2: 'y2', stroke: '#0b5394' },
                            ),
                          ]
                        : []),
                      Plot.lineY(points, {
                        x: (r: ValueRow) => Number(r.period),
                        y: 'value',
                        stroke: '#0b5394',
                        strokeWidth: 2,
                      }),
                      Plot.dot(points, { x: (r: ValueRow) => Number(r.period), y: 'value', fill: '#0b5394' }),
                    ],
                  });
                }}
              />
            }
            table={
              <DataTable
                rows={numbers}
                caption={t('target', lang)}
                columns={[
                  { key: 'k', label: '', value: (r) => r[0] as string },
                  { key: 'v', label: t('value', lang), value: (r) => r[1] as string },
                ]}
              />
            }
          />
          <table className="numbers" data-testid="target-numbers">
            <tbody>
              {numbers.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </article>
  );
}

/** Unit types in the plural, for "the indicator is published only for …". */
const TYPES_DA: Record<string, string> = {
  nation: 'hele landet',
  region: 'regioner',
  municipality: 'kommuner',
  'health-cluster': 'sundhedsklynger',
  hospital: 'sygehuse',
  'gp-practice': 'lægepraksisser',
  'gp-cluster': 'kvalitetsklynger',
};

/** A Danish sentence from the numbers behind the verdict. */
function danishExplanation(e: Evaluation, fmt: (v: number | null | undefined) => string): string {
  if (e.status === 'not-assessable') {
    const reasons: Record<string, string> = {
      'no-data': 'Der er ingen værdier for enheden.',
      'no-baseline': 'Der er ingen værdi for udgangsåret.',
      'too-few-periods': 'Der er for få år siden udgangspunktet til en fremskrivning.',
      'suppressed-data': 'Den seneste værdi er diskretioneret (små tal).',
      'target-pending': 'Målsætningens tal er endnu ikke aftalt.',
    };
    if (e.reason === 'no-data' && e.valuesFor) {
      return e.valuesFor.length > 0
        ? `Indikatoren opgøres ikke for denne type enhed, kun for ${e.valuesFor.map((type) => TYPES_DA[type] ?? type).join(' og ')}.`
        : 'Indikatoren har endnu ingen værdier for nogen enhed.';
    }
    return reasons[e.reason ?? ''] ?? 'Målsætningen kan ikke vurderes.';
  }
  const parts = [];
  if (e.latest) parts.push(`Seneste værdi er ${fmt(e.latest.value)} (${e.latest.period})`);
  if (e.required) parts.push(`krævet på en lige vej er ${fmt(e.required.value)}`);
  if (e.projected) parts.push(`fremskrevet ${fmt(e.projected.value)} i ${e.projected.period}`);
  if (e.nextMilestone) parts.push(`mod delmålet ${fmt(e.nextMilestone.level)} i ${e.nextMilestone.period}`);
  else if (e.goal) parts.push(`mod målet ${fmt(e.goal.value)}`);
  return `${parts.join(', ')}.`;
}
