// A goal with the goals at other levels that pursue it, and those it pursues ("røde tråde").
import { type Text, useApi } from '../api';
import { Link, Status } from '../components/common';
import { citationOf } from '../format';
import { type Lang, t } from '../i18n';

interface GoalSet {
  id: string;
  name: Text;
  level: string;
  owner: string;
  principles?: Principle[];
  goals: {
    id: string;
    name: Text;
    description?: Text;
    source: { document: string; section?: string; citation?: string };
    principles?: Principle[];
    indicators: string[];
  }[];
}
interface Principle {
  document: string;
  section?: string;
  quote?: string;
  citation?: string;
}
interface GoalLink {
  from: string;
  to: string;
  theme: string;
  explicit: boolean;
}

const THEMES: Record<string, Text> = {
  quality: { da: 'kvalitet', en: 'quality' },
  efficiency: { da: 'effektivitet', en: 'efficiency' },
  'citizen-involvement': { da: 'borgerinddragelse', en: 'citizen involvement' },
  'health-status': { da: 'sundhedstilstand', en: 'health status' },
  coherence: { da: 'sammenhæng', en: 'coherence' },
  equality: { da: 'lighed', en: 'equality' },
};

export function GoalLinksPage(props: { goalId: string; lang: Lang }) {
  const { lang } = props;
  const links = useApi<GoalLink[]>('/api/goal-links');
  const all = useApi<GoalSet[]>('/api/goal-sets?full=true');
  const find = (goalId: string) => {
    for (const set of all.data ?? []) {
      const goal = set.goals.find((g) => g.id === goalId);
      if (goal) return { set, goal };
    }
    return undefined;
  };
  const here = find(props.goalId);
  const pursuedBy = (links.data ?? []).filter((l) => l.to === props.goalId);
  const pursues = (links.data ?? []).filter((l) => l.from === props.goalId);
  const item = (l: GoalLink, other: string) => {
    const found = find(other);
    return (
      <li key={`${l.from}-${l.to}`}>
        <Link to={`/maal/${other}`}>{found?.goal.name[lang] ?? other}</Link>{' '}
        <span className="meta">
          ({found?.set.name[lang]}; {THEMES[l.theme]?.[lang] ?? l.theme}
          {l.explicit ? (lang === 'da' ? ', eksplicit i kilden' : ', explicit in the source') : ''})
        </span>
      </li>
    );
  };
  return (
    <article aria-labelledby="goal-title">
      <Status loading={all.loading || links.loading} error={all.error ?? links.error} lang={lang} />
      {here && links.data ? (
        <>
          <h1 id="goal-title">{here.goal.name[lang]}</h1>
          <p className="meta">
            {here.set.name[lang]} · {here.set.owner} · {t('source', lang)}: {citationOf(here.goal.source)}
          </p>
          {here.goal.description ? <p>{here.goal.description[lang]}</p> : null}
          {[...(here.set.principles ?? []), ...(here.goal.principles ?? [])].length ? (
            <section aria-labelledby="principles-title" data-testid="principles">
              <h2 id="principles-title">{t('principles', lang)}</h2>
              <ul>
                {[...(here.set.principles ?? []), ...(here.goal.principles ?? [])].map((p) => (
                  <li key={`${p.document}-${p.quote}`}>
                    {p.quote ? <q>{p.quote}</q> : null} <span className="meta">({citationOf(p)})</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <h2>{t('pursuedBy', lang)}</h2>
          <ul data-testid="pursued-by">{pursuedBy.length ? pursuedBy.map((l) => item(l, l.from)) : <li>–</li>}</ul>
          <h2>{t('pursues', lang)}</h2>
          <ul data-testid="pursues">{pursues.length ? pursues.map((l) => item(l, l.to)) : <li>–</li>}</ul>
          <h2>{t('indicator', lang)}</h2>
          <ul>
            {here.goal.indicators.map((id) => (
              <li key={id}>
                <Link to={`/indikator/${id}`}>{id}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}
