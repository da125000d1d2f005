// The dashboard shell: header with navigation and language switch, then the page the URL names.
import type { ReactElement } from 'react';
import { type OrgUnit, useApi } from './api';
import { Link } from './components/common';
import { type Lang, t } from './i18n';
import { AccessibilityPage } from './pages/AccessibilityPage';
import { GoalLinksPage } from './pages/GoalLinksPage';
import { IndicatorPage } from './pages/IndicatorPage';
import { InequalityPage } from './pages/InequalityPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { SignInPage } from './pages/SignInPage';
import { TargetPage } from './pages/TargetPage';
import { UnitProfilePage } from './pages/UnitProfilePage';
import { UploadPage } from './pages/UploadPage';
import { QualityPlanListPage, QualityStandardPage } from './quality-plan/QualityPlanPage';
import { href, navigate, useRoute } from './router';
import { signOut, useSession } from './session';

export function App() {
  const route = useRoute();
  const lang: Lang = route.params.get('lang') === 'en' ? 'en' : 'da';
  const session = useSession();
  // In private mode the data needs a signed-in user; until then only the sign-in page is shown.
  const mayRead = session !== undefined && (!session.private || session.user !== null);
  // The unit structure in force on a date (`struktur`, default today): 5 regions up to 2026, 4 from 2027.
  const at = route.params.get('struktur');
  const units = useApi<OrgUnit[]>(
    mayRead ? (at ? `/api/org-units?at=${encodeURIComponent(at)}` : '/api/org-units') : null,
  );
  document.documentElement.lang = lang;
  const segments = route.path.split('/').filter(Boolean).map(decodeURIComponent);
  const unit = route.params.get('unit') ?? 'DK';
  let page: ReactElement | null;
  if (segments[0] === 'log-ind' || (session && !mayRead)) page = <SignInPage lang={lang} session={session} />;
  else if (!session) page = null;
  else if (segments[0] === 'indlaes') page = <UploadPage lang={lang} session={session} />;
  else if (segments[0] === 'indikator' && segments[1])
    page = <IndicatorPage id={segments[1]} unit={unit} params={route.params} lang={lang} units={units.data ?? []} />;
  else if (segments[0] === 'enhed' && segments[1])
    page = <UnitProfilePage code={segments[1]} lang={lang} units={units.data ?? []} />;
  else if (segments[0] === 'maal' && segments[1]) page = <GoalLinksPage goalId={segments[1]} lang={lang} />;
  else if (segments[0] === 'maalsaetning' && segments[1])
    page = (
      <TargetPage id={segments[1]} unit={route.params.get('unit') ?? undefined} lang={lang} units={units.data ?? []} />
    );
  else if (segments[0] === 'kvalitetsplan')
    page = segments[1] ? (
      <QualityStandardPage id={segments[1]} params={route.params} lang={lang} units={units.data ?? []} />
    ) : (
      <QualityPlanListPage lang={lang} />
    );
  else if (segments[0] === 'tilgaengelighed' && segments.length === 1) page = <AccessibilityPage lang={lang} />;
  else if (segments[0] === 'ulighed' && segments.length === 1)
    page = (
      <InequalityPage unit={unit} year={route.params.get('year') ?? undefined} lang={lang} units={units.data ?? []} />
    );
  else if (segments.length === 0) page = <OverviewPage unit={unit} lang={lang} units={units.data ?? []} />;
  else page = <NotFoundPage path={route.path} lang={lang} />;
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
          <Link to="/kvalitetsplan">{lang === 'da' ? 'Kvalitetsplan' : 'Quality plan'}</Link>
          <Link to="/ulighed" params={{ unit }}>
            {t('inequalityNav', lang)}
          </Link>
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
          {session?.user && session.user.role !== 'viewer' && <Link to="/indlaes">{t('upload', lang)}</Link>}
          {session?.user ? (
            <span className="signed-in" data-testid="session-user">
              {session.user.name} ({session.user.unit}){' '}
              <button type="button" className="link" data-testid="sign-out" onClick={() => void signOut()}>
                {t('signOut', lang)}
              </button>
            </span>
          ) : (
            <Link to="/log-ind" testId="sign-in-link">
              {t('signIn', lang)}
            </Link>
          )}
        </nav>
      </header>
      <main id="main">{page}</main>
      <footer className="site-footer">
        {lang === 'da'
          ? 'Kommunegrænser: DAGI, Geodatastyrelsen. Demo-data er syntetiske.'
          : 'Municipal boundaries: DAGI, Geodatastyrelsen. Demo data are synthetic.'}{' '}
        <a href="/api/openapi.json">API</a> ·{' '}
        <Link to="/tilgaengelighed" testId="accessibility-link">
          {t('accessibility', lang)}
        </Link>
      </footer>
    </>
  );
}
