// On the unit overview: the unit's compliance with each quality standard in its latest year, linking to the matrix.
import { useEffect, useState } from 'react';
import { getJson, useApi } from '../api';
import { Link } from '../components/common';
import type { Lang } from '../i18n';
import { CountsLine } from './QualityPlanPage';
import { q } from './texts';
import type { Compliance, StandardSummary } from './types';

export function QualitySummary(props: { unit: string; lang: Lang }) {
  const { lang, unit } = props;
  const standards = useApi<StandardSummary[]>('/api/quality-standards');
  const [views, setViews] = useState<Compliance[]>([]);
  useEffect(() => {
    if (!standards.data) return;
    let live = true;
    Promise.all(
      standards.data.map((s) =>
        getJson<Compliance>(
          `/api/quality-standards/${encodeURIComponent(s.id)}/compliance?unit=${encodeURIComponent(unit)}`,
        ).catch(() => null),
      ),
    ).then((all) => live && setViews(all.filter((v): v is Compliance => v !== null)));
    return () => {
      live = false;
    };
  }, [standards.data, unit]);
  if (!views.length) return null;
  return (
    <section className="goal-set quality-summary" data-testid="quality-summary" aria-labelledby="quality-summary-title">
      <h2 id="quality-summary-title">{q('qualityPlanTitle', lang)}</h2>
      <ul>
        {views.map((v) => (
          <li key={v.standard.id} data-testid={`quality-summary-${v.standard.id}`}>
            <Link
              to={`/kvalitetsplan/${v.standard.id}`}
              params={{
                ...(v.unit.level === 'municipality' ? { unit } : {}),
                ...(v.unit.level === 'region' ? { region: unit } : {}),
              }}
            >
              {v.standard.title[lang]}
            </Link>{' '}
            ({v.year}): <CountsLine counts={v.unit.counts} lang={lang} />
          </li>
        ))}
      </ul>
    </section>
  );
}
