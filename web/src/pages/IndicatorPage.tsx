// One indicator: trend with its interval and target path, a map of all municipalities (or regions), a sortable
// table, a funnel plot, breakdowns with inequality measures, and downloads.
import * as Plot from '@observablehq/plot';
import { useEffect, useState } from 'react';
import { type Indicator, type OrgUnit, type Text, useApi, type ValueRow } from '../api';
import {
  ChartWithTable,
  type Column,
  ComparisonBadge,
  DataTable,
  Link,
  PlotFigure,
  Status,
} from '../components/common';
import { SyntheticNotice } from '../components/SyntheticMark';
import { UnitPicker } from '../components/UnitPicker';
import { citationOf, digitsFor, formatNumber } from '../format';
import { type GroupingShape, loadShapes, type Shapes } from '../geography';
import { BREAKDOWN_LABELS, COMPARISONS, type Lang, TRENDS, t } from '../i18n';
import { navigate } from '../router';

interface Trend {
  series: ValueRow[];
  trend: { slopePerYear: number; pValue: number | null; direction: keyof typeof TRENDS } | null;
}
interface Funnel {
  benchmark: { value: number };
  points: { unit: string; value: number; denominator: number; flag: string }[];
  curve: { denominator: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}
interface Inequality {
  groups: { education: string; value: number | null }[];
  measures: Record<
    'rateRatio' | 'rateDifference' | 'sii' | 'rii',
    { value: number; ciLow: number | null; ciHigh: number | null } | null
  > | null;
}
interface OverviewLite {
  goalSets: { goals: { indicators: { id: string; targets: { id: string; name: Text }[] }[] }[] }[];
}
interface Evaluation {
  baseline: { period: string | null; value: number } | null;
  goal: { period: string | null; value: number } | null;
  nextMilestone: { period: string; level: number } | null;
}

const COMPARISON_COLOURS = { better: '#1b7f5b', similar: '#d9b44a', worse: '#c4452d', 'not-compared': '#c8c8c8' };
const isYear = (p: string) => /^\d{4}$/.test(p);

/** The levels the map draws: municipalities, regions, or groups of municipalities (health clusters). */
type MapLevel = 'municipality' | 'region' | 'health-cluster';

export function IndicatorPage(props: {
  id: string;
  unit: string;
  params: URLSearchParams;
  lang: Lang;
  units: OrgUnit[];
}) {
  const { lang, id, unit } = props;
  const indicator = useApi<Indicator>(`/api/indicators/${encodeURIComponent(id)}`);
  const trend = useApi<Trend>(`/api/indicators/${encodeURIComponent(id)}/trend?unit=${encodeURIComponent(unit)}`);
  const dkTrend = useApi<Trend>(unit === 'DK' ? null : `/api/indicators/${encodeURIComponent(id)}/trend?unit=DK`);
  const years = (trend.data?.series ?? []).filter((r) => isYear(r.period) && r.value !== null).map((r) => r.period);
  const period = props.params.get('period') ?? years.at(-1) ?? null;
  const all = useApi<ValueRow[]>(
    period ? `/api/indicators/${encodeURIComponent(id)}/values?period=${period}&breakdown=total` : null,
  );
  const own = useApi<ValueRow[]>(
    period
      ? `/api/indicators/${encodeURIComponent(id)}/values?unit=${encodeURIComponent(unit)}&period=${period}`
      : null,
  );
  const measure = indicator.data?.measure;
  // The funnel compares units of one level: by default that of the chosen unit (a hospital among hospitals).
  const unitType = props.units.find((u) => u.code === unit)?.type;
  const [funnelLevel, setFunnelLevel] = useState<string | undefined>();
  const level =
    funnelLevel ??
    (unitType === 'region' ||
    unitType === 'health-cluster' ||
    unitType === 'hospital' ||
    unitType === 'gp-practice' ||
    unitType === 'gp-cluster'
      ? unitType
      : 'municipality');
  const funnel = useApi<Funnel>(
    period && (measure === 'proportion' || measure === 'rate')
      ? `/api/indicators/${encodeURIComponent(id)}/funnel?period=${period}&level=${level}`
      : null,
  );
  const inequality = useApi<Inequality>(
    period && indicator.data?.breakdowns.includes('education')
      ? `/api/indicators/${encodeURIComponent(id)}/inequality?unit=${encodeURIComponent(unit)}&period=${period}`
      : null,
  );
  const overview = useApi<OverviewLite>(`/api/overview?unit=${encodeURIComponent(unit)}`);
  const targetId = overview.data?.goalSets
    .flatMap((s) => s.goals.flatMap((g) => g.indicators))
    .find((i) => i.id === id && i.targets.length > 0)?.targets[0]?.id;
  const evaluation = useApi<Evaluation>(
    targetId ? `/api/targets/${encodeURIComponent(targetId)}/evaluation?unit=${encodeURIComponent(unit)}` : null,
  );
  const [mapLevel, setMapLevel] = useState<MapLevel>('municipality');
  // The table of every unit: the general practices (about 1,700) only when asked for.
  const [tablePractices, setTablePractices] = useState(false);
  const [colourBy, setColourBy] = useState<'comparison' | 'quintile'>('comparison');
  const [shapes, setShapes] = useState<Shapes | undefined>();
  const groupings = useApi<GroupingShape[]>('/api/groupings');
  useEffect(() => {
    if (props.units.length && groupings.data)
      loadShapes(props.units, groupings.data)
        .then(setShapes)
        .catch(() => undefined);
  }, [props.units, groupings.data]);

  const unitName = (code: string) => {
    const u = props.units.find((x) => x.code === code);
    return u ? (lang === 'en' && u.nameEn ? u.nameEn : u.name) : code;
  };
  const fmt = (v: number | null | undefined) => formatNumber(v, lang, digitsFor(v));
  const label = indicator.data ? indicator.data.unit[lang] : '';
  const series = (trend.data?.series ?? []).filter((r) => isYear(r.period) && r.value !== null && !r.suppressed);
  const dkSeries = (dkTrend.data?.series ?? []).filter((r) => isYear(r.period) && r.value !== null);
  const valueColumns: Column<ValueRow>[] = [
    {
      key: 'unit',
      label: t('unit', lang),
      value: (r) => unitName(r.unit),
      render: (r) => <Link to={`/enhed/${r.unit}`}>{unitName(r.unit)}</Link>,
    },
    { key: 'period', label: t('period', lang), value: (r) => r.period },
    {
      key: 'value',
      label: `${t('value', lang)} (${label})`,
      value: (r) => r.value,
      render: (r) => (r.suppressed ? t('suppressed', lang) : fmt(r.value)),
      numeric: true,
    },
    {
      key: 'ci',
      label: t('ci', lang),
      value: (r) => r.ciLow,
      render: (r) => (r.ciLow === null ? '–' : `${fmt(r.ciLow)}–${fmt(r.ciHigh)}`),
      numeric: true,
    },
    {
      key: 'numerator',
      label: t('numerator', lang),
      value: (r) => r.numerator,
      render: (r) => formatNumber(r.numerator, lang, 0),
      numeric: true,
    },
    {
      key: 'denominator',
      label: t('denominator', lang),
      value: (r) => r.denominator,
      render: (r) => formatNumber(r.denominator, lang, 0),
      numeric: true,
    },
    {
      key: 'comparison',
      label: t('comparison', lang),
      value: (r) => r.comparison,
      render: (r) => <ComparisonBadge comparison={r.comparison} lang={lang} />,
    },
  ];
  const practiceCodes = new Set(props.units.filter((u) => u.type === 'gp-practice').map((u) => u.code));
  const isPractice = (code: string) => practiceCodes.has(code);
  const tableHasPractices = (all.data ?? []).some((r) => isPractice(r.unit));
  const tableRows = (all.data ?? []).filter((r) => isPractice(r.unit) === tablePractices);
  const mapRows = (all.data ?? []).filter((r) => props.units.find((u) => u.code === r.unit)?.type === mapLevel);
  const quintiles = (() => {
    const values = mapRows
      .map((r) => r.value)
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    return [0.2, 0.4, 0.6, 0.8].map((q) => values[Math.floor(q * (values.length - 1))] ?? 0);
  })();
  const breakdownRows = (own.data ?? []).filter((r) => r.breakdown !== 'total');

  return (
    <article aria-labelledby="indicator-title">
      <Status loading={indicator.loading} error={indicator.error} lang={lang} />
      {indicator.data ? (
        <>
          <div className="page-head">
            <div>
              <h1 id="indicator-title">{indicator.data.name[lang]}</h1>
              <p className="meta">
                {indicator.data.description?.[lang] ?? ''} {t('unit', lang)}: {label} · {t('dataSource', lang)}:{' '}
                {indicator.data.dataSource} · {t('source', lang)}: {citationOf(indicator.data.source)}
              </p>
              {own.data?.some((r) => r.synthetic) || all.data?.some((r) => r.synthetic) ? (
                <SyntheticNotice lang={lang} />
              ) : null}
            </div>
            <UnitPicker
              units={props.units}
              value={unit}
              lang={lang}
              onChange={(code) => navigate(`/indikator/${id}`, { unit: code, period: period ?? undefined })}
            />
          </div>
          <p className="downloads">
            {t('download', lang)}:{' '}
            <a href={`/api/indicators/${id}/values?format=csv&csvStyle=danish`} download>
              CSV
            </a>{' '}
            ·{' '}
            <a href={`/api/indicators/${id}/values?format=xlsx`} download>
              XLSX
            </a>{' '}
            · <a href={`/api/indicators/${id}/values`}>JSON</a>
          </p>
        </>
      ) : null}

      <section aria-labelledby="trend-title">
        <h2 id="trend-title">
          {t('trend', lang)}: {unitName(unit)}{' '}
          {trend.data?.trend ? <small>({TRENDS[trend.data.trend.direction][lang]})</small> : null}
        </h2>
        <Status loading={trend.loading} error={trend.error} lang={lang} empty={!trend.loading && series.length === 0} />
        {series.length > 0 ? (
          <ChartWithTable
            lang={lang}
            chart={
              <PlotFigure
                testId="trend-chart"
                label={`${t('trend', lang)} ${indicator.data?.name[lang] ?? ''}`}
                deps={[series, dkSeries, evaluation.data, lang]}
                make={(width) => {
                  const e = evaluation.data;
                  const path =
                    e?.baseline?.period && e.goal?.period
                      ? [
                          { x: Number(e.baseline.period), y: e.baseline.value },
                          { x: Number(e.goal.period), y: e.goal.value },
                        ]
                      : [];
                  return Plot.plot({
                    width,
                    height: 300,
                    marginLeft: 60,
                    x: { label: null, tickFormat: (d: number) => String(d) },
                    y: { label, grid: true, tickFormat: (d: number) => formatNumber(d, lang, digitsFor(d)) },
                    marks: [
                      Plot.areaY(series, {
                        x: (r: ValueRow) => Number(r.period),
                        y1: 'ciLow',
                        y2: 'ciHigh',
                        fill: '#0b5394',
                        fillOpacity: 0.15,
                      }),
                      Plot.lineY(dkSeries, {
                        x: (r: ValueRow) => Number(r.period),
                        y: 'value',
                        stroke: '#777',
                        strokeDasharray: '4,3',
                      }),
                      Plot.lineY(path, { x: 'x', y: 'y', stroke: '#c4452d', strokeDasharray: '2,3' }),
                      ...(e?.nextMilestone
                        ? [
                            Plot.dot([{ x: Number(e.nextMilestone.period), y: e.nextMilestone.level }], {
                              x: 'x',
                              y: 'y',
                              fill: '#c4452d',
                              symbol: 'diamond',
                              r: 5,
                            }),
                          ]
                        : []),
                      Plot.lineY(series, {
                        x: (r: ValueRow) => Number(r.period),
                        y: 'value',
                        stroke: '#0b5394',
                        strokeWidth: 2,
                      }),
                      Plot.dot(series, {
                        x: (r: ValueRow) => Number(r.period),
                        y: 'value',
                        fill: '#0b5394',
                        title: (r: ValueRow) => `${r.period}: ${fmt(r.value)} (${fmt(r.ciLow)}–${fmt(r.ciHigh)})`,
                      }),
                    ],
                  });
                }}
              />
            }
            table={
              <DataTable
                rows={series}
                columns={valueColumns}
                caption={`${t('trend', lang)}: ${unitName(unit)}`}
                testId="trend-table"
              />
            }
          />
        ) : null}
        {unit !== 'DK' ? (
          <p className="legend">
            <span className="swatch dashed" /> {t('denmark', lang)} <span className="swatch target" />{' '}
            {t('target', lang)}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="map-title">
        <h2 id="map-title">
          {t('map', lang)} {period ? `(${period})` : ''}
        </h2>
        <div className="controls">
          <label>
            {t('unit', lang)}:{' '}
            <select value={mapLevel} onChange={(e) => setMapLevel(e.target.value as MapLevel)} data-testid="map-level">
              <option value="municipality">{t('municipalities', lang)}</option>
              <option value="region">{t('regions', lang)}</option>
              {shapes?.groups.has('health-cluster') && (
                <option value="health-cluster">{t('healthClusters', lang)}</option>
              )}
            </select>
          </label>
          <label>
            {t('colourBy', lang)}:{' '}
            <select value={colourBy} onChange={(e) => setColourBy(e.target.value as 'comparison' | 'quintile')}>
              <option value="comparison">{t('byComparison', lang)}</option>
              <option value="quintile">{t('byQuintile', lang)}</option>
            </select>
          </label>
        </div>
        {shapes && mapRows.length ? (
          <ChartWithTable
            lang={lang}
            chart={
              <PlotFigure
                testId="map"
                label={t('map', lang)}
                deps={[shapes, mapRows, mapLevel, colourBy, lang]}
                make={(width) => {
                  const byUnit = new Map(mapRows.map((r) => [r.unit, r]));
                  const features = (
                    mapLevel === 'municipality'
                      ? shapes.municipalities
                      : mapLevel === 'region'
                        ? shapes.regions
                        : (shapes.groups.get(mapLevel) ?? { features: [] })
                  ).features;
                  const quintile = (v: number | null) =>
                    v === null ? null : quintiles.filter((q) => v > q).length + 1;
                  return Plot.plot({
                    width: Math.min(width, 640),
                    height: Math.round(Math.min(width, 640) * 0.8),
                    projection: { type: 'reflect-y', domain: shapes.municipalities },
                    color:
                      colourBy === 'comparison'
                        ? {
                            type: 'categorical',
                            domain: Object.keys(COMPARISON_COLOURS),
                            range: Object.values(COMPARISON_COLOURS),
                            legend: true,
                            tickFormat: (k: keyof typeof COMPARISONS) => COMPARISONS[k][lang],
                          }
                        : {
                            type: 'ordinal',
                            domain: [1, 2, 3, 4, 5],
                            scheme: 'blues',
                            legend: true,
                            label: t('byQuintile', lang),
                          },
                    marks: [
                      Plot.geo(features, {
                        fill: (f: { properties: { code: string } }) => {
                          const row = byUnit.get(f.properties.code);
                          if (!row || row.value === null) return colourBy === 'comparison' ? 'not-compared' : null;
                          return colourBy === 'comparison' ? row.comparison : quintile(row.value);
                        },
                        stroke: 'white',
                        strokeWidth: mapLevel === 'region' ? 1 : 0.3,
                        title: (f: { properties: { code: string } }) => {
                          const row = byUnit.get(f.properties.code);
                          return `${unitName(f.properties.code)}: ${row?.suppressed ? t('suppressed', lang) : fmt(row?.value)} ${label}`;
                        },
                      }),
                      ...(shapes.groupBorders.has(mapLevel)
                        ? [Plot.geo([shapes.groupBorders.get(mapLevel)], { stroke: 'white', strokeWidth: 1.5 })]
                        : []),
                    ],
                  });
                }}
              />
            }
            table={<DataTable rows={mapRows} columns={valueColumns} caption={t('map', lang)} />}
          />
        ) : (
          <Status
            loading={all.loading || !shapes}
            error={all.error}
            lang={lang}
            empty={!all.loading && mapRows.length === 0}
          />
        )}
      </section>

      <section aria-labelledby="table-title">
        <h2 id="table-title">
          {t('allUnits', lang)} {period ? `(${period})` : ''}
        </h2>
        {years.length > 1 ? (
          <label className="controls">
            {t('period', lang)}:{' '}
            <select
              value={period ?? ''}
              onChange={(e) => navigate(`/indikator/${id}`, { unit, period: e.target.value })}
              data-testid="period-picker"
            >
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {tableHasPractices ? (
          <label className="controls">
            {t('unit', lang)}:{' '}
            <select
              data-testid="table-level"
              value={tablePractices ? 'gp-practice' : 'areas'}
              onChange={(e) => setTablePractices(e.target.value === 'gp-practice')}
            >
              <option value="areas">{t('areasAndHospitals', lang)}</option>
              <option value="gp-practice">{t('practices', lang)}</option>
            </select>
          </label>
        ) : null}
        <Status loading={all.loading} error={all.error} lang={lang} empty={!all.loading && !all.data?.length} />
        {tableRows.length ? (
          <DataTable
            rows={tableRows}
            columns={valueColumns}
            caption={`${indicator.data?.name[lang] ?? ''}, ${period}`}
            testId="values-table"
          />
        ) : null}
      </section>

      {funnel.data ? (
        <section aria-labelledby="funnel-title">
          <h2 id="funnel-title">
            {t('funnel', lang)} ({period})
          </h2>
          <label className="unit-picker">
            <span>{t('level', lang)}</span>
            <select data-testid="funnel-level" value={level} onChange={(e) => setFunnelLevel(e.target.value)}>
              <option value="municipality">{t('municipalities', lang)}</option>
              <option value="region">{t('regions', lang)}</option>
              <option value="health-cluster">{t('healthClusters', lang)}</option>
              <option value="hospital">{t('hospitals', lang)}</option>
              <option value="gp-practice">{t('practices', lang)}</option>
              <option value="gp-cluster">{t('practiceClusters', lang)}</option>
            </select>
          </label>
          <ChartWithTable
            lang={lang}
            chart={
              <PlotFigure
                testId="funnel"
                label={t('funnel', lang)}
                deps={[funnel.data, lang]}
                make={(width) => {
                  const f = funnel.data as Funnel;
                  return Plot.plot({
                    width,
                    height: 320,
                    marginLeft: 60,
                    x: {
                      type: 'log',
                      label: t('denominator', lang),
                      tickFormat: (d: number) => formatNumber(d, lang, 0),
                    },
                    y: { label, grid: true, tickFormat: (d: number) => formatNumber(d, lang, digitsFor(d)) },
                    marks: [
                      Plot.ruleY([f.benchmark.value], { stroke: '#333' }),
                      Plot.line(f.curve, { x: 'denominator', y: 'lower95', stroke: '#888', strokeDasharray: '4,3' }),
                      Plot.line(f.curve, { x: 'denominator', y: 'upper95', stroke: '#888', strokeDasharray: '4,3' }),
                      Plot.line(f.curve, { x: 'denominator', y: 'lower998', stroke: '#555' }),
                      Plot.line(f.curve, { x: 'denominator', y: 'upper998', stroke: '#555' }),
                      Plot.dot(f.points, {
                        x: 'denominator',
                        y: 'value',
                        r: 3,
                        fill: (p: { flag: string }) => (p.flag === 'within' ? '#0b5394' : '#c4452d'),
                        title: (p: { unit: string; value: number }) => `${unitName(p.unit)}: ${fmt(p.value)}`,
                      }),
                    ],
                  });
                }}
              />
            }
            table={
              <DataTable
                rows={funnel.data.points}
                caption={t('funnel', lang)}
                columns={[
                  { key: 'unit', label: t('unit', lang), value: (p) => unitName(p.unit) },
                  {
                    key: 'value',
                    label: t('value', lang),
                    value: (p) => p.value,
                    render: (p) => fmt(p.value),
                    numeric: true,
                  },
                  {
                    key: 'denominator',
                    label: t('denominator', lang),
                    value: (p) => p.denominator,
                    render: (p) => formatNumber(p.denominator, lang, 0),
                    numeric: true,
                  },
                  { key: 'flag', label: t('flag', lang), value: (p) => p.flag },
                ]}
              />
            }
          />
        </section>
      ) : null}

      {breakdownRows.length ? (
        <section aria-labelledby="breakdowns-title">
          <h2 id="breakdowns-title">
            {t('breakdowns', lang)}: {unitName(unit)} ({period})
          </h2>
          {(['sex', 'age_group', 'education', 'income'] as const).map((dimension) => {
            const rows = breakdownRows.filter((r) => r.breakdown.startsWith(`${dimension}:`) && r.value !== null);
            if (!rows.length) return null;
            const name = (r: ValueRow) =>
              BREAKDOWN_LABELS[r.breakdown]?.[lang] ?? r.breakdown.split(':')[1] ?? r.breakdown;
            return (
              <ChartWithTable
                key={dimension}
                lang={lang}
                chart={
                  <PlotFigure
                    label={t(dimension, lang)}
                    deps={[rows, lang]}
                    make={(width) =>
                      Plot.plot({
                        width,
                        height: Math.max(120, rows.length * 22 + 40),
                        marginLeft: 110,
                        x: { label, grid: true, tickFormat: (d: number) => formatNumber(d, lang, digitsFor(d)) },
                        y: { label: t(dimension, lang), domain: rows.map(name) },
                        marks: [
                          Plot.barX(rows, { y: name, x: 'value', fill: '#9fc5e8' }),
                          Plot.ruleY(rows, { y: name, x1: 'ciLow', x2: 'ciHigh', stroke: '#333' }),
                        ],
                      })
                    }
                  />
                }
                table={
                  <DataTable
                    rows={rows}
                    columns={[{ key: 'group', label: t(dimension, lang), value: name }, ...valueColumns.slice(2)]}
                    caption={t(dimension, lang)}
                  />
                }
              />
            );
          })}
          {inequality.data?.measures ? (
            <div className="inequality" data-testid="inequality">
              <h3>{t('inequality', lang)}</h3>
              <dl>
                {(['rateRatio', 'rateDifference', 'sii', 'rii'] as const).map((key) => {
                  const m = inequality.data?.measures?.[key];
                  return m ? (
                    <div key={key}>
                      <dt>{t(key, lang)}</dt>
                      <dd>
                        {fmt(m.value)} ({fmt(m.ciLow)}–{fmt(m.ciHigh)})
                      </dd>
                    </div>
                  ) : null;
                })}
              </dl>
            </div>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}
