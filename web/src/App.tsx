// The dashboard shell: header with navigation and language switch, then the page the URL names.
import type { ReactElement } from 'react';
import { type OrgUnit, useApi } from './api';
import { Link } from './components/common';
import { type Lang, t } from './i18n';
import { GoalLinksPage } from './pages/GoalLinksPage';
import { IndicatorPage } from './pages/IndicatorPage';
import { OverviewPage } from './pages/OverviewPage';
import { TargetPage } from './pages/TargetPage';
import { UnitProfilePage } from './pages/UnitProfilePage';
import { href, navigate, useRoute } from './router';

export function App() {
  const route = useRoute();
  const lang: Lang = route.params.get('lang') === 'en' ? 'en' : 'da';
  // The unit structure in force on a date (`struktur`, default today): 5 regions up to 2026, 4 from 2027.
  const at = route.params.get('struktur');
  const units = useApi<OrgUnit[]>(at ? `/api/org-units?at=${encodeURIComponent(at)}` : '/api/org-units');
  document.documentElement.lang = lang;
  const segments = route.path.split('/').filter(Boolean).map(decodeURIComponent);
  const unit = route.params.get('unit') ?? 'DK';
  let page: ReactElement;
  if (segments[0] === 'indikator' && segments[1])
    page = <IndicatorPage id={segments[1]} unit={unit} params={route.params} lang={lang} units={units.data ?? []} />;
  else if (segments[0] === 'enhed' && segments[1])
    page = <UnitProfilePage code={segments[1]} lang={lang} units={units.data ?? []} />;
  else if (segments[0] === 'maal' && segments[1]) page = <GoalLinksPage goalId={segments[1]} lang={lang} />;
  else if (segments[0] === 'maalsaetning' && segments[1])
    page = (
      <TargetPage id={segments[1]} unit={route.params.get('unit') ?? undefined} lang={lang} units={units.data ?? []} />
    );
  else page = <OverviewPage unit={unit} lang={lang} units={units.data ?? []} />;
  const otherLang = lang === 'da' ? 'en' : 'da';
  return (
    <>
      <header className="site-header">
        <Link to="/" params={{ unit }} className="brand">
          <strong>{t('appTitle', lang)}</strong> <span>{t('tagline', lang)}</span>
        </Link>
        <nav aria-label="main">
          <Link to="/" params={{ unit }}>
            {t('overview', lang)}
          </Link>
          <Link to={`/enhed/${unit}`}>{t('unitProfile', lang)}</Link>
          <a
            href={href(window.location.pathname, { ...Object.fromEntries(route.params), lang: otherLang })}
            data-testid="language-switch"
            lang={otherLang}
            onClick={(event) => {
              event.preventDefault();
              navigate(window.location.pathname, { ...Object.fromEntries(route.params), lang: otherLang });
            }}
          >
            {t('language', lang)}
          </a>
        </nav>
      </header>
      <main id="main">{page}</main>
      <footer className="site-footer">
        {lang === 'da'
          ? 'Kommunegrænser: DAGI, Geodatastyrelsen. Demo-data er syntetiske.'
          : 'Municipal boundaries: DAGI, Geodatastyrelsen. Demo data are synthetic.'}{' '}
        <a href="/api/openapi.json">API</a>
      </footer>
    </>
  );
}
