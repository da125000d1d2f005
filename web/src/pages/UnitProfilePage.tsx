// One unit against Denmark: a spine chart of every indicator (the unit's value within the range of all
// municipalities), its region, and who to learn from.
import * as Plot from '@observablehq/plot';
import { useEffect, useState } from 'react';
import { getJson, type OrgUnit, type Text, useApi, type ValueRow } from '../api';
import { ChartWithTable, ComparisonBadge, DataTable, Link, PlotFigure, Status } from '../components/common';
import { UnitPicker } from '../components/UnitPicker';
import { digitsFor, formatNumber } from '../format';
import { type Lang, t } from '../i18n';
import { navigate } from '../router';

interface Overview {
  unit: OrgUnit;
  goalSets: {
    goals: {
      indicators: {
        id: string;
        name: Text;
        unitLabel: Text;
        polarity: string;
        measure: string;
        latest: ValueRow | null;
      }[];
    }[];
  }[];
}
interface SpineRow {
  id: string;
  name: Text;
  unitLabel: Text;
  polarity: string;
  period: string;
  own: ValueRow;
  dk: number | null;
  region: number | null;
  min: number;
  q1: number;
  q3: number;
  max: number;
  learnFrom: ValueRow[];
}

export function UnitProfilePage(props: { code: string; lang: Lang; units: OrgUnit[] }) {
  const { lang, code } = props;
  const overview = useApi<Overview>(`/api/overview?unit=${encodeURIComponent(code)}`);
  const [spine, setSpine] = useState<SpineRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const unit = props.units.find((u) => u.code === code);
  const name = (c: string) => {
    const u = props.units.find((x) => x.code === c);
    return u ? (lang === 'en' && u.nameEn ? u.nameEn : u.name) : c;
  };
  useEffect(() => {
    if (!overview.data) return;
    setSpine(undefined);
    const seen = new Map<string, Overview['goalSets'][number]['goals'][number]['indicators'][number]>();
    // Counts depend on a unit's size, so only rates, shares and means are placed among the municipalities.
    const comparable = (i: { measure: string; polarity: string }) =>
      i.measure !== 'count' && i.measure !== 'days-since-event' && i.polarity !== 'none';
    for (const s of overview.data.goalSets)
      for (const g of s.goals)
        for (const i of g.indicators)
          if (comparable(i) && i.latest && !i.latest.suppressed && i.latest.value !== null) seen.set(i.id, i);
    Promise.all(
      [...seen.values()].map(async (i) => {
        const latest = i.latest as ValueRow;
        const rows = await getJson<ValueRow[]>(
          `/api/indicators/${i.id}/values?period=${latest.period}&breakdown=total`,
        );
        const municipal = rows
          .filter((r) => props.units.find((u) => u.code === r.unit)?.type === 'municipality' && r.value !== null)
          .map((r) => r.value as number)
          .sort((a, b) => a - b);
        if (municipal.length < 3) return null;
        const q = (p: number) => municipal[Math.round(p * (municipal.length - 1))] as number;
        const learn =
          code === 'DK'
            ? { peers: [] }
            : await getJson<{ peers: ValueRow[] }>(
                `/api/indicators/${i.id}/learn-from?unit=${code}&period=${latest.period}`,
              ).catch(() => ({ peers: [] }));
        return {
          id: i.id,
          name: i.name,
          unitLabel: i.unitLabel,
          polarity: i.polarity,
          period: latest.period,
          own: latest,
          dk: rows.find((r) => r.unit === 'DK')?.value ?? null,
          region:
            unit?.parent && unit.parent !== 'DK' ? (rows.find((r) => r.unit === unit.parent)?.value ?? null) : null,
          min: municipal[0] as number,
          q1: q(0.25),
          q3: q(0.75),
          max: municipal.at(-1) as number,
          learnFrom: learn.peers,
        } satisfies SpineRow;
      }),
    )
      .then((rows) => setSpine(rows.filter((r): r is SpineRow => r !== null)))
      .catch((e: Error) => setError(e.message));
  }, [overview.data, code, props.units, unit?.parent]);

  // Each indicator scaled to 0..1 within the municipalities' range, flipped so that right is better.
  const scaled = (spine ?? []).map((r) => {
    const span = r.max - r.min || 1;
    const pos = (v: number | null) =>
      v === null ? null : r.polarity === 'lower-is-better' ? (r.max - v) / span : (v - r.min) / span;
    const lo = pos(r.q1) as number;
    const hi = pos(r.q3) as number;
    return {
      label: r.name[lang],
      own: pos(r.own.value),
      dk: pos(r.dk),
      q1: Math.min(lo, hi),
      q3: Math.max(lo, hi),
      comparison: r.own.comparison,
    };
  });
  const fmt = (v: number | null | undefined) => formatNumber(v, lang, digitsFor(v));
  return (
    <article aria-labelledby="profile-title">
      <div className="page-head">
        <h1 id="profile-title">
          {t('unitProfile', lang)}: {name(code)}
        </h1>
        <UnitPicker units={props.units} value={code} lang={lang} onChange={(c) => navigate(`/enhed/${c}`)} />
      </div>
      <Status loading={overview.loading || (!spine && !error)} error={overview.error ?? error} lang={lang} />
      {spine ? (
        <>
          <h2>{t('spine', lang)}</h2>
          <ChartWithTable
            lang={lang}
            chart={
              <PlotFigure
                testId="spine-chart"
                label={t('spine', lang)}
                deps={[scaled]}
                make={(width) =>
                  Plot.plot({
                    width,
                    height: scaled.length * 28 + 50,
                    marginLeft: Math.min(340, Math.round(width * 0.45)),
                    x: {
                      domain: [0, 1],
                      label:
                        lang === 'da'
                          ? 'dårligst ← kommunernes spænd → bedst'
                          : 'worst ← range of municipalities → best',
                      ticks: 0,
                    },
                    y: { label: null, domain: scaled.map((s) => s.label) },
                    marks: [
                      Plot.barX(scaled, { y: 'label', x1: 0, x2: 1, fill: '#eee' }),
                      Plot.barX(scaled, { y: 'label', x1: 'q1', x2: 'q3', fill: '#cfd8e3' }),
                      Plot.tickX(scaled, { y: 'label', x: 'dk', stroke: '#333', strokeWidth: 2 }),
                      Plot.dot(
                        scaled.filter((s) => s.own !== null),
                        {
                          y: 'label',
                          x: 'own',
                          r: 6,
                          fill: (s: { comparison: string }) =>
                            ({ better: '#1b7f5b', similar: '#d9b44a', worse: '#c4452d' })[s.comparison] ?? '#888',
                        },
                      ),
                    ],
                  })
                }
              />
            }
            table={
              <DataTable
                rows={spine}
                caption={t('spine', lang)}
                testId="profile-table"
                columns={[
                  {
                    key: 'name',
                    label: t('indicator', lang),
                    value: (r) => r.name[lang],
                    render: (r) => (
                      <Link to={`/indikator/${r.id}`} params={{ unit: code }}>
                        {r.name[lang]}
                      </Link>
                    ),
                  },
                  { key: 'period', label: t('period', lang), value: (r) => r.period },
                  {
                    key: 'own',
                    label: name(code),
                    value: (r) => r.own.value,
                    render: (r) => fmt(r.own.value),
                    numeric: true,
                  },
                  {
                    key: 'region',
                    label: unit?.parent && unit.parent !== 'DK' ? name(unit.parent) : t('regions', lang),
                    value: (r) => r.region,
                    render: (r) => fmt(r.region),
                    numeric: true,
                  },
                  { key: 'dk', label: t('denmark', lang), value: (r) => r.dk, render: (r) => fmt(r.dk), numeric: true },
                  {
                    key: 'range',
                    label: `${t('municipalities', lang)} (min–max)`,
                    value: (r) => r.min,
                    render: (r) => `${fmt(r.min)}–${fmt(r.max)}`,
                  },
                  {
                    key: 'comparison',
                    label: t('comparison', lang),
                    value: (r) => r.own.comparison,
                    render: (r) => <ComparisonBadge comparison={r.own.comparison} lang={lang} />,
                  },
                ]}
              />
            }
          />
          <p className="legend">
            {lang === 'da'
              ? 'Prik: enheden. Streg: Danmark. Mørk bjælke: midterste halvdel af kommunerne.'
              : 'Dot: the unit. Line: Denmark. Dark bar: the middle half of the municipalities.'}
          </p>
          {code !== 'DK' ? (
            <section aria-labelledby="learn-title">
              <h2 id="learn-title">{t('learnFrom', lang)}</h2>
              <ul className="learn-from" data-testid="learn-from">
                {spine
                  .filter((r) => r.learnFrom.length)
                  .map((r) => (
                    <li key={r.id}>
                      <strong>{r.name[lang]}</strong>:{' '}
                      {r.learnFrom
                        .slice(0, 5)
                        .map((p) => `${name(p.unit)} (${fmt(p.value)})`)
                        .join(', ')}
                    </li>
                  ))}
                {spine.every((r) => !r.learnFrom.length) ? <li>{t('learnFromNone', lang)}</li> : null}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </article>
  );
}
