// The quality plan: the standards (list), and per standard a requirement × municipality matrix with a year switch,
// region and cluster filters and sorting, a map of the share of requirements met, a municipality's trend, and the
// requirements with their linked monitoring indicators beside them.
import * as Plot from '@observablehq/plot';
import { useEffect, useState } from 'react';
import { type Indicator, type OrgUnit, useApi } from '../api';
import { ChartWithTable, DataTable, Link, PlotFigure, Status } from '../components/common';
import { formatNumber } from '../format';
import { loadShapes, type Shapes } from '../geography';
import type { Lang } from '../i18n';
import { navigate } from '../router';
import { BASIS_TEXT, type Status as ComplianceStatus, q, STATUS_COLOURS, STATUS_TEXT } from './texts';
import type { Compliance, Counts, Standard, StandardSummary } from './types';
import './quality-plan.css';

const percent = (share: number | null | undefined, lang: Lang) =>
  share === null || share === undefined ? '–' : `${formatNumber(share * 100, lang, 1)} %`;

export function CountsLine(props: { counts: Counts; lang: Lang; testId?: string }) {
  const { counts, lang } = props;
  return (
    <span data-testid={props.testId}>
      <strong>
        {counts.met} {q('of', lang)} {counts.total}
      </strong>{' '}
      {q('requirementsMet', lang)} ({percent(counts.shareMet, lang)}) · {STATUS_TEXT['partly-met'][lang]}:{' '}
      {counts.partlyMet} · {STATUS_TEXT['not-met'][lang]}: {counts.notMet} · {STATUS_TEXT['not-reported'][lang]}:{' '}
      {counts.notReported}
    </span>
  );
}

export function StatusCell(props: { status: ComplianceStatus; lang: Lang }) {
  const s = STATUS_TEXT[props.status];
  return (
    <span className={`status-cell status-${props.status}`} title={s[props.lang]}>
      <span aria-hidden="true">{s.symbol}</span>
      <span className="sr-only">{s[props.lang]}</span>
    </span>
  );
}

function Legend(props: { lang: Lang }) {
  return (
    <p className="legend">
      {(Object.keys(STATUS_TEXT) as ComplianceStatus[]).map((s) => (
        <span key={s} className="legend-item">
          <StatusCell status={s} lang={props.lang} /> {STATUS_TEXT[s][props.lang]}
        </span>
      ))}
    </p>
  );
}

/** `/kvalitetsplan`: every standard with Denmark's share of requirements met in its latest year. */
export function QualityPlanListPage(props: { lang: Lang }) {
  const { lang } = props;
  const standards = useApi<StandardSummary[]>('/api/quality-standards');
  return (
    <section aria-labelledby="qp-title">
      <h1 id="qp-title">{q('qualityPlanTitle', lang)}</h1>
      <p>{q('intro', lang)}</p>
      <Status loading={standards.loading} error={standards.error} lang={lang} empty={standards.data?.length === 0} />
      <ul className="standard-list">
        {standards.data?.map((s) => (
          <li key={s.id} data-testid={`standard-${s.id}`}>
            <Link to={`/kvalitetsplan/${s.id}`}>{s.title[lang]}</Link>
            <span className="muted">
              {' '}
              · {s.publisher}, {q('edition', lang).toLowerCase()} {s.version} · {s.requirements}{' '}
              {q('requirements', lang).toLowerCase()}
              {s.confidence === 'summary' ? ` · ${q('summary', lang)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `/kvalitetsplan/{id}?year=&region=&cluster=&unit=&sort=`. */
export function QualityStandardPage(props: { id: string; params: URLSearchParams; lang: Lang; units: OrgUnit[] }) {
  const { lang, params, id } = props;
  const year = params.get('year') ?? undefined;
  const region = params.get('region') ?? '';
  const cluster = params.get('cluster') ?? '';
  const picked = params.get('unit') ?? '';
  const sort = params.get('sort') ?? 'name';
  const set = (change: Record<string, string | undefined>) =>
    navigate(`/kvalitetsplan/${id}`, {
      year,
      region: region || undefined,
      cluster: cluster || undefined,
      unit: picked || undefined,
      sort: sort === 'name' ? undefined : sort,
      ...change,
    });
  const scope = cluster || region || 'DK';
  const query = (unit: string) =>
    `/api/quality-standards/${encodeURIComponent(id)}/compliance?unit=${encodeURIComponent(unit)}${year ? `&year=${year}` : ''}`;
  const standard = useApi<Standard>(`/api/quality-standards/${encodeURIComponent(id)}`);
  const view = useApi<Compliance>(query(scope));
  const chosen = useApi<Compliance>(picked ? query(picked) : null);
  const indicators = useApi<Indicator[]>('/api/indicators');
  const [shapes, setShapes] = useState<Shapes>();
  useEffect(() => {
    if (props.units.length) loadShapes(props.units).then(setShapes);
  }, [props.units]);

  const data = view.data;
  const version = data?.version;
  const unitName = (code: string | null) => {
    const u = props.units.find((x) => x.code === code);
    return u ? (lang === 'en' && u.nameEn ? u.nameEn : u.name) : (code ?? '');
  };
  const indicatorName = (ref: string) => indicators.data?.find((i) => i.id === ref)?.name[lang] ?? ref;
  const rows = [...(data?.municipalities ?? [])].sort((a, b) =>
    sort === 'share-desc'
      ? (b.counts.shareMet ?? -1) - (a.counts.shareMet ?? -1) || a.name.localeCompare(b.name, 'da')
      : sort === 'share-asc'
        ? (a.counts.shareMet ?? 2) - (b.counts.shareMet ?? 2) || a.name.localeCompare(b.name, 'da')
        : sort === 'region'
          ? (a.region ?? '').localeCompare(b.region ?? '') || a.name.localeCompare(b.name, 'da')
          : a.name.localeCompare(b.name, 'da'),
  );
  const regions = props.units.filter((u) => u.type === 'region');
  const title = data?.standard.title[lang] ?? standard.data?.title[lang] ?? '…';

  return (
    <section aria-labelledby="qs-title" className="quality-plan">
      <p className="breadcrumb">
        <Link to="/kvalitetsplan">{q('qualityPlan', lang)}</Link>
      </p>
      <h1 id="qs-title">{title}</h1>
      {version ? (
        <p className="meta">
          {standard.data?.publisher} · {q('edition', lang)} {version.version} ({version.date}) · {q('source', lang)}:{' '}
          {version.source.document}
          {version.confidence === 'summary' ? (
            <>
              {' '}
              · <span className="badge verdict-not-assessable">{q('summary', lang)}</span>
            </>
          ) : null}
          {standard.data && standard.data.versions.length > 1
            ? ` · ${q('editions', lang)}: ${standard.data.versions.map((v) => v.version).join(', ')}`
            : ''}
        </p>
      ) : null}
      {data?.synthetic ? (
        <p className="notice" data-testid="synthetic-notice">
          {q('synthetic', lang)}
        </p>
      ) : null}

      <div className="controls">
        <label>
          {q('year', lang)}:{' '}
          <select value={String(data?.year ?? '')} onChange={(e) => set({ year: e.target.value })} data-testid="year">
            {(data?.years ?? []).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label>
          {q('region', lang)}:{' '}
          <select
            value={region}
            onChange={(e) => set({ region: e.target.value || undefined, cluster: undefined })}
            data-testid="region-filter"
          >
            <option value="">{q('all', lang)}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {unitName(r.code)}
              </option>
            ))}
          </select>
        </label>
        {data?.clusters.length ? (
          <label>
            {q('cluster', lang)}:{' '}
            <select
              value={cluster}
              onChange={(e) => set({ cluster: e.target.value || undefined })}
              data-testid="cluster-filter"
            >
              <option value="">{q('all', lang)}</option>
              {data.clusters.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name[lang]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {q('sort', lang)}:{' '}
          <select value={sort} onChange={(e) => set({ sort: e.target.value })} data-testid="sort">
            <option value="name">{q('byName', lang)}</option>
            <option value="share-desc">{q('byShareDesc', lang)}</option>
            <option value="share-asc">{q('byShareAsc', lang)}</option>
            <option value="region">{q('byRegion', lang)}</option>
          </select>
        </label>
      </div>
      <Status loading={view.loading} error={view.error} lang={lang} />

      {data && version ? (
        <>
          <p data-testid="scope-summary">
            {lang === 'en' && data.unit.nameEn ? data.unit.nameEn : data.unit.name} {data.year}:{' '}
            <CountsLine counts={data.unit.counts} lang={lang} />
          </p>
          {data.comparison.length ? (
            <p className="muted">
              {data.comparison
                .map((a) => `${lang === 'en' && a.nameEn ? a.nameEn : a.name} ${percent(a.counts.shareMet, lang)}`)
                .join(' · ')}
            </p>
          ) : null}

          <h2 id="matrix-title">
            {q('matrix', lang)} ({data.year})
          </h2>
          <Legend lang={lang} />
          <p className="legend">{q('notReportedNote', lang)}</p>
          <div className="table-wrap matrix-wrap">
            <table className="compliance-matrix" data-testid="compliance-matrix" aria-labelledby="matrix-title">
              <thead>
                <tr>
                  <th scope="col">{q('municipality', lang)}</th>
                  {version.requirements.map((r) => (
                    <th key={r.number} scope="col" className="req" title={r.text[lang]}>
                      <span className="req-number">{r.number}</span>
                      <span className="req-title">{r.title[lang]}</span>
                    </th>
                  ))}
                  <th scope="col" className="num">
                    {q('shareMet', lang)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={row.code}
                    data-testid={`matrix-row-${row.code}`}
                    className={row.code === picked ? 'picked' : ''}
                  >
                    <th scope="row">
                      <a
                        href={`/kvalitetsplan/${id}?unit=${row.code}`}
                        onClick={(e) => {
                          e.preventDefault();
                          set({ unit: row.code });
                        }}
                      >
                        {unitName(row.code)}
                      </a>
                    </th>
                    {version.requirements.map((r) => {
                      const status = row.statuses[String(r.number)];
                      return (
                        <td key={r.number} data-testid={`cell-${row.code}-${r.number}`} data-status={status ?? ''}>
                          {status ? <StatusCell status={status} lang={lang} /> : '–'}
                        </td>
                      );
                    })}
                    <td className="num" data-testid={`share-${row.code}`}>
                      {percent(row.counts.shareMet, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>{q('map', lang)}</h2>
          {shapes ? (
            <ChartWithTable
              lang={lang}
              chart={
                <PlotFigure
                  testId="compliance-map"
                  label={q('map', lang)}
                  deps={[shapes, data, lang]}
                  make={(width) => {
                    const byCode = new Map(data.municipalities.map((m) => [m.code, m]));
                    // Only the municipalities in view (a region or cluster when filtered), framed to fit.
                    const shown = {
                      ...shapes.municipalities,
                      features: shapes.municipalities.features.filter((f) => byCode.has(f.properties.code)),
                    };
                    const w = Math.min(width, 600);
                    return Plot.plot({
                      width: w,
                      height: Math.round(w * 0.8),
                      projection: { type: 'reflect-y', domain: shown },
                      color: {
                        type: 'linear',
                        domain: [0, 100],
                        scheme: 'greens',
                        legend: true,
                        label: `${q('shareMet', lang)} (%)`,
                      },
                      marks: [
                        Plot.geo(shown.features, {
                          fill: (f: { properties: { code: string } }) => {
                            const share = byCode.get(f.properties.code)?.counts.shareMet;
                            return share === null || share === undefined ? '#eee' : share * 100;
                          },
                          stroke: 'white',
                          strokeWidth: 0.3,
                          title: (f: { properties: { code: string } }) =>
                            `${unitName(f.properties.code)}: ${percent(byCode.get(f.properties.code)?.counts.shareMet, lang)}`,
                        }),
                      ],
                    });
                  }}
                />
              }
              table={
                <DataTable
                  caption={q('map', lang)}
                  rows={data.municipalities}
                  columns={[
                    { key: 'name', label: q('municipality', lang), value: (r) => unitName(r.code) },
                    {
                      key: 'share',
                      label: q('shareMet', lang),
                      numeric: true,
                      value: (r) => r.counts.shareMet,
                      render: (r) => percent(r.counts.shareMet, lang),
                    },
                  ]}
                />
              }
            />
          ) : null}

          <h2>
            {q('trend', lang)}:{' '}
            {picked ? unitName(picked) : lang === 'en' && data.unit.nameEn ? data.unit.nameEn : data.unit.name}
          </h2>
          {!picked ? <p className="muted">{q('chooseMunicipality', lang)}</p> : null}
          <TrendBlock view={picked ? chosen.data : data} lang={lang} />
          {picked && chosen.data?.requirements ? (
            <div className="table-wrap">
              <table data-testid="unit-requirements">
                <caption className="sr-only">{unitName(picked)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{q('requirements', lang)}</th>
                    <th scope="col">{q('status', lang)}</th>
                    <th scope="col">{q('previous', lang)}</th>
                    <th scope="col">{q('assessed', lang)}</th>
                  </tr>
                </thead>
                <tbody>
                  {chosen.data.requirements.map((r) => (
                    <tr key={r.number}>
                      <td>
                        {r.number}. {r.title[lang]}
                      </td>
                      <td>
                        <StatusCell status={r.status} lang={lang} /> {STATUS_TEXT[r.status][lang]}
                      </td>
                      <td>{r.previousStatus ? STATUS_TEXT[r.previousStatus][lang] : '–'}</td>
                      <td>
                        {r.assessedOn ?? '–'}
                        {r.basis ? ` (${BASIS_TEXT[r.basis as keyof typeof BASIS_TEXT]?.[lang] ?? r.basis})` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}

          <div className="requirements-grid">
            <section>
              <h2>{q('requirements', lang)}</h2>
              <ol className="requirement-list">
                {version.requirements.map((r) => (
                  <li key={r.number} value={r.number}>
                    <strong>{r.title[lang]}.</strong> {r.text[lang]}
                    {(r.confidence ?? version.confidence) === 'summary' ? (
                      <span className="muted"> ({q('summary', lang).toLowerCase()})</span>
                    ) : null}
                    {r.indicators.length ? (
                      <span className="muted"> → {r.indicators.map((ref) => indicatorName(ref)).join(', ')}</span>
                    ) : null}
                  </li>
                ))}
              </ol>
              {version.recommendations.length || version.recommendationsNote ? (
                <>
                  <h3>{q('recommendations', lang)}</h3>
                  {version.recommendationsNote ? <p className="muted">{version.recommendationsNote[lang]}</p> : null}
                  <ol>
                    {version.recommendations.map((r) => (
                      <li key={r.number} value={r.number}>
                        <strong>{r.title[lang]}.</strong> {r.text[lang]}
                      </li>
                    ))}
                  </ol>
                </>
              ) : null}
            </section>
            <aside aria-labelledby="linked-indicators" data-testid="linked-indicators">
              <h2 id="linked-indicators">{q('indicators', lang)}</h2>
              <ul>
                {version.indicators.map((ref) => (
                  <li key={ref}>
                    <Link to={`/indikator/${ref}`} params={{ unit: picked || scope.replace(/^[a-z].*/, 'DK') }}>
                      {indicatorName(ref)}
                    </Link>
                  </li>
                ))}
              </ul>
              {version.indicatorsNote ? <p className="muted">{version.indicatorsNote}</p> : null}
            </aside>
          </div>
        </>
      ) : null}
    </section>
  );
}

function TrendBlock(props: { view: Compliance | undefined; lang: Lang }) {
  const { view, lang } = props;
  if (!view) return null;
  const points = view.trend.flatMap((t) =>
    (['met', 'partlyMet', 'notMet', 'notReported'] as const).map((key) => ({
      year: String(t.year),
      key,
      status: ({ met: 'met', partlyMet: 'partly-met', notMet: 'not-met', notReported: 'not-reported' } as const)[key],
      count: t.counts[key],
    })),
  );
  return (
    <ChartWithTable
      lang={lang}
      chart={
        <PlotFigure
          testId="compliance-trend"
          label={q('trend', lang)}
          deps={[view, lang]}
          make={(width) =>
            Plot.plot({
              width: Math.min(width, 560),
              height: 220,
              x: { label: q('year', lang) },
              y: { label: q('requirements', lang), grid: true },
              color: {
                domain: Object.keys(STATUS_COLOURS),
                range: Object.values(STATUS_COLOURS),
                legend: true,
                tickFormat: (s: ComplianceStatus) => STATUS_TEXT[s][lang],
              },
              marks: [
                Plot.barY(points, {
                  x: 'year',
                  y: 'count',
                  fill: 'status',
                  title: (p) => `${STATUS_TEXT[p.status as ComplianceStatus][lang]}: ${p.count}`,
                }),
              ],
            })
          }
        />
      }
      table={
        <DataTable
          caption={q('trend', lang)}
          rows={view.trend}
          columns={[
            { key: 'year', label: q('year', lang), value: (r) => r.year },
            { key: 'met', label: STATUS_TEXT.met[lang], numeric: true, value: (r) => r.counts.met },
            { key: 'partly', label: STATUS_TEXT['partly-met'][lang], numeric: true, value: (r) => r.counts.partlyMet },
            { key: 'not', label: STATUS_TEXT['not-met'][lang], numeric: true, value: (r) => r.counts.notMet },
            {
              key: 'notReported',
              label: STATUS_TEXT['not-reported'][lang],
              numeric: true,
              value: (r) => r.counts.notReported,
            },
            {
              key: 'share',
              label: q('shareMet', lang),
              numeric: true,
              value: (r) => r.counts.shareMet,
              render: (r) => percent(r.counts.shareMet, lang),
            },
          ]}
        />
      }
    />
  );
}
