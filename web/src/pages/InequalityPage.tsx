// Inequality in health for Denmark or a region: education, income and place for every indicator that has
// them, with the yearly inequality report as HTML or PDF.
import { type OrgUnit, type Text, useApi } from '../api';
import { Link, Status } from '../components/common';
import { SyntheticMark, SyntheticNotice } from '../components/SyntheticMark';
import { UnitPicker } from '../components/UnitPicker';
import { digitsFor, formatNumber } from '../format';
import { type Lang, t } from '../i18n';
import { navigate } from '../router';

interface Measure {
  value: number;
  ciLow: number | null;
  ciHigh: number | null;
}
interface Social {
  dimension: 'education' | 'income';
  groups: { category: string; value: number | null }[];
  measures: { rateRatio: Measure | null; rateDifference: Measure; sii: Measure | null; rii: Measure | null } | null;
}
interface Row {
  indicator: { id: string; name: Text; unit: Text };
  period: string;
  education: Social | null;
  income: Social | null;
  geography: { ratio: Measure; difference: Measure; fifths: { value: number }[] } | null;
  synthetic: boolean;
}
interface Inequality {
  unit: OrgUnit;
  year: number;
  keyFigures: {
    indicator: { id: string; name: Text; unit: Text };
    period: string;
    value: number | null;
    synthetic: boolean;
  }[];
  rows: Row[];
}

const GROUPS: Record<string, Text> = {
  basic: { da: 'grundskole', en: 'basic' },
  higher: { da: 'videregående', en: 'higher' },
  Q1: { da: 'fattigste fjerdedel', en: 'poorest quarter' },
  Q4: { da: 'rigeste fjerdedel', en: 'richest quarter' },
};

export function InequalityPage(props: { unit: string; year?: string; lang: Lang; units: OrgUnit[] }) {
  const { lang } = props;
  const unit = props.units.some((u) => u.code === props.unit && u.type === 'region') ? props.unit : 'DK';
  const lastYear = new Date().getFullYear() - 1;
  const year = props.year && /^\d{4}$/.test(props.year) ? props.year : String(lastYear);
  const data = useApi<Inequality>(`/api/inequality?unit=${encodeURIComponent(unit)}&year=${year}`);
  const n = (m: Measure | null | undefined) =>
    m
      ? `${formatNumber(m.value, lang, digitsFor(m.value))} (${formatNumber(m.ciLow, lang, digitsFor(m.value))}–${formatNumber(m.ciHigh, lang, digitsFor(m.value))})`
      : '–';
  const v = (x: number | null | undefined) => formatNumber(x, lang, digitsFor(x ?? 0));
  const socialRow = (label: string, q: Social | null) => {
    if (!q) return null;
    const first = q.groups[0];
    const last = q.groups.at(-1);
    return (
      <tr data-testid={`dimension-${q.dimension}`}>
        <th scope="row">{label}</th>
        <td className="num">
          {GROUPS[first?.category ?? '']?.[lang]}: {v(first?.value)}
        </td>
        <td className="num">
          {GROUPS[last?.category ?? '']?.[lang]}: {v(last?.value)}
        </td>
        <td className="num">{n(q.measures?.rateDifference)}</td>
        <td className="num">{n(q.measures?.rateRatio)}</td>
        <td className="num">{n(q.measures?.sii)}</td>
      </tr>
    );
  };
  const years = Array.from({ length: 10 }, (_, i) => String(lastYear - i));
  return (
    <article aria-labelledby="inequality-title">
      <div className="page-head">
        <h1 id="inequality-title">
          {t('inequalityTitle', lang)} {year}: {unit === 'DK' ? t('denmark', lang) : (data.data?.unit.name ?? unit)}
        </h1>
        <UnitPicker
          units={props.units.filter((u) => u.type === 'nation' || u.type === 'region')}
          value={unit}
          lang={lang}
          onChange={(code) => navigate('/ulighed', { unit: code, year })}
        />
        <label className="unit-picker">
          <span>{t('period', lang)}</span>
          <select
            value={year}
            data-testid="year-picker"
            onChange={(e) => navigate('/ulighed', { unit, year: e.target.value })}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p>{t('inequalityIntro', lang)}</p>
      <p className="downloads">
        <a href={`/api/reports/${unit}?kind=inequality&year=${year}&format=pdf`} data-testid="inequality-pdf">
          {t('inequalityReport', lang)} (PDF)
        </a>{' '}
        · <a href={`/api/reports/${unit}?kind=inequality&year=${year}&format=html`}>HTML</a>
      </p>
      <Status loading={data.loading} error={data.error} lang={lang} />
      {data.data?.rows.some((r) => r.synthetic) ? <SyntheticNotice lang={lang} /> : null}
      {data.data?.keyFigures.length ? (
        <section>
          <h2>{t('keyFigures', lang)}</h2>
          <ul>
            {data.data.keyFigures.map((k) => (
              <li key={k.indicator.id}>
                <Link to={`/indikator/${k.indicator.id}`} params={{ unit }}>
                  {k.indicator.name[lang]}
                </Link>
                : {v(k.value)} {k.indicator.unit[lang]} ({k.period}){' '}
                {k.synthetic ? <SyntheticMark lang={lang} /> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.data?.rows.map((r) => (
        <section key={r.indicator.id} data-testid={`inequality-${r.indicator.id}`}>
          <h2>
            <Link to={`/indikator/${r.indicator.id}`} params={{ unit }}>
              {r.indicator.name[lang]}
            </Link>{' '}
            {r.synthetic ? <SyntheticMark lang={lang} /> : null}
          </h2>
          <p className="meta">
            {r.period} · {r.indicator.unit[lang]}
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dimension', lang)}</th>
                  <th scope="col">{t('worstOff', lang)}</th>
                  <th scope="col">{t('bestOff', lang)}</th>
                  <th scope="col">{t('difference', lang)}</th>
                  <th scope="col">{t('ratio', lang)}</th>
                  <th scope="col">SII</th>
                </tr>
              </thead>
              <tbody>
                {socialRow(t('byEducation', lang), r.education)}
                {socialRow(t('byIncome', lang), r.income)}
                {r.geography ? (
                  <tr data-testid="dimension-place">
                    <th scope="row">{t('byPlace', lang)}</th>
                    <td className="num">{v(r.geography.fifths[4]?.value)}</td>
                    <td className="num">{v(r.geography.fifths[0]?.value)}</td>
                    <td className="num">{n(r.geography.difference)}</td>
                    <td className="num">{n(r.geography.ratio)}</td>
                    <td className="num">–</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </article>
  );
}
