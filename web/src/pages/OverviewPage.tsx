// Goals at a glance for one unit: goal set → goal → indicator with the latest value, trend, verdicts and the
// comparison with Denmark, as one compact table per goal set.
import { useState } from 'react';
import { type OrgUnit, type Text, useApi, type ValueRow } from '../api';
import { ComparisonBadge, Link, Status, VerdictBadge } from '../components/common';
import { SyntheticMark } from '../components/SyntheticMark';
import { UnitPicker } from '../components/UnitPicker';
import { digitsFor, formatNumber } from '../format';
import { type Lang, TRENDS, t } from '../i18n';
import { QualitySummary } from '../quality-plan/QualitySummary';
import { navigate } from '../router';

interface OverviewIndicator {
  id: string;
  name: Text;
  unitLabel: Text;
  latest: ValueRow | null;
  trend: keyof typeof TRENDS | null;
  targets: { id: string; name: Text; status: 'achieved' | 'on-track' | 'off-track' | 'not-assessable' }[];
}
interface Overview {
  unit: OrgUnit;
  goalSets: {
    id: string;
    name: Text;
    level: string;
    owner: string;
    goals: { id: string; name: Text; indicators: OverviewIndicator[] }[];
  }[];
}

export function OverviewPage(props: { unit: string; lang: Lang; units: OrgUnit[] }) {
  const { lang } = props;
  const overview = useApi<Overview>(`/api/overview?unit=${encodeURIComponent(props.unit)}`);
  const [onlyWithData, setOnlyWithData] = useState(false);
  const shown = (i: OverviewIndicator) => !onlyWithData || i.latest !== null || i.targets.length > 0;
  return (
    <section aria-labelledby="overview-title">
      <div className="page-head">
        <h1 id="overview-title">
          {t('overview', lang)}:{' '}
          {overview.data
            ? lang === 'en' && overview.data.unit.nameEn
              ? overview.data.unit.nameEn
              : overview.data.unit.name
            : '…'}
        </h1>
        <UnitPicker
          units={props.units}
          value={props.unit}
          lang={lang}
          onChange={(code) => navigate('/', { unit: code })}
        />
      </div>
      <p className="downloads">
        <a href={`/api/reports/${encodeURIComponent(props.unit)}?format=pdf`} data-testid="report-pdf">
          {lang === 'da' ? 'Hent statusrapport (PDF)' : 'Download status report (PDF)'}
        </a>{' '}
        · <a href={`/api/reports/${encodeURIComponent(props.unit)}?format=html`}>HTML</a>
      </p>
      <label className="controls">
        <input
          type="checkbox"
          checked={onlyWithData}
          onChange={(e) => setOnlyWithData(e.target.checked)}
          data-testid="only-with-data"
        />{' '}
        {lang === 'da' ? 'Vis kun indikatorer med data' : 'Show only indicators with data'}
      </label>
      <Status loading={overview.loading} error={overview.error} lang={lang} />
      <QualitySummary unit={props.unit} lang={lang} />
      {overview.data?.goalSets.map((set) => (
        <section key={set.id} className="goal-set" data-testid={`goal-set-${set.id}`}>
          <h2>{set.name[lang]}</h2>
          <p className="meta">{set.owner}</p>
          <div className="table-wrap">
            <table className="overview">
              <caption className="sr-only">{set.name[lang]}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('indicator', lang)}</th>
                  <th scope="col" className="num">
                    {t('latest', lang)}
                  </th>
                  <th scope="col">{t('trend', lang)}</th>
                  <th scope="col">{t('verdict', lang)}</th>
                  <th scope="col">{t('comparison', lang)}</th>
                </tr>
              </thead>
              {set.goals.map((goal) => (
                <tbody key={goal.id}>
                  <tr className="goal-row">
                    <th colSpan={5} scope="rowgroup">
                      <Link to={`/maal/${goal.id}`}>{goal.name[lang]}</Link>
                    </th>
                  </tr>
                  {goal.indicators.filter(shown).map((ind) => (
                    <tr key={ind.id} data-testid={`row-${set.id}-${ind.id}`}>
                      <td>
                        <Link to={`/indikator/${ind.id}`} params={{ unit: props.unit }}>
                          {ind.name[lang]}
                        </Link>
                      </td>
                      <td className="num" data-testid="latest-value">
                        {ind.latest?.suppressed
                          ? t('suppressed', lang)
                          : ind.latest
                            ? `${formatNumber(ind.latest.value, lang, digitsFor(ind.latest.value))} `
                            : '–'}
                        {ind.latest && !ind.latest.suppressed ? (
                          <span className="unit-label">
                            {ind.unitLabel[lang]} ({ind.latest.period})
                          </span>
                        ) : null}
                        {ind.latest?.synthetic ? <SyntheticMark lang={lang} /> : null}
                      </td>
                      <td>{ind.trend ? TRENDS[ind.trend][lang] : '–'}</td>
                      <td>
                        {ind.targets.length === 0 ? <span className="muted">{t('notTargeted', lang)}</span> : null}
                        {ind.targets.map((target) => (
                          <Link
                            key={target.id}
                            to={`/maalsaetning/${target.id}`}
                            params={{ unit: props.unit }}
                            className="target-link"
                          >
                            <VerdictBadge status={target.status} lang={lang} />
                          </Link>
                        ))}
                      </td>
                      <td>{ind.latest ? <ComparisonBadge comparison={ind.latest.comparison} lang={lang} /> : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        </section>
      ))}
    </section>
  );
}
