// Any path the dashboard does not know: say so, and offer the way home.
import { Link } from '../components/common';
import { type Lang, t } from '../i18n';

export function NotFoundPage(props: { path: string; lang: Lang }) {
  return (
    <article aria-labelledby="not-found-title" data-testid="not-found">
      <h1 id="not-found-title">{t('notFoundTitle', props.lang)}</h1>
      <p>
        {t('notFoundText', props.lang)} <code>{props.path}</code>
      </p>
      <p>
        <Link to="/">{t('notFoundHome', props.lang)}</Link>
      </p>
    </article>
  );
}
