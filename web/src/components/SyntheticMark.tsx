// Marks made-up demo values, so no one mistakes them for measured data.
import { type Lang, t } from '../i18n';

export function SyntheticMark(props: { lang: Lang }) {
  return (
    <span className="badge synthetic" title={t('syntheticHelp', props.lang)} data-testid="synthetic-mark">
      {t('synthetic', props.lang)}
    </span>
  );
}

/** A notice above pages that show synthetic values. */
export function SyntheticNotice(props: { lang: Lang }) {
  return (
    <p className="synthetic-notice" role="note" data-testid="synthetic-notice">
      <SyntheticMark lang={props.lang} /> {t('syntheticHelp', props.lang)}
    </p>
  );
}
