// Sign-in: name and password, or the organisation's OpenID Connect provider where one is configured.
import { useState } from 'react';
import type { Lang } from '../i18n';
import { navigate } from '../router';
import { type SessionState, sessionChanged, signIn } from '../session';

const TEXT = {
  title: { da: 'Log ind', en: 'Sign in' },
  name: { da: 'Brugernavn', en: 'User name' },
  password: { da: 'Adgangskode', en: 'Password' },
  submit: { da: 'Log ind', en: 'Sign in' },
  oidc: { da: 'Log ind med organisationens login', en: "Sign in with your organisation's login" },
  wrong: { da: 'Forkert brugernavn eller adgangskode.', en: 'Wrong user name or password.' },
  tooMany: { da: 'For mange forsøg. Prøv igen senere.', en: 'Too many attempts. Try again later.' },
  signedIn: { da: 'Du er logget ind som', en: 'You are signed in as' },
  oidcRefused: { da: 'Login via organisationen blev afvist', en: "Your organisation's sign-in was refused" },
} as const;

export function SignInPage(props: { lang: Lang; session: SessionState | undefined }) {
  const { lang, session } = props;
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const refused = new URLSearchParams(window.location.search).get('oidc');
  const [error, setError] = useState<string | undefined>(refused ? `${TEXT.oidcRefused[lang]}: ${refused}` : undefined);
  const [busy, setBusy] = useState(false);
  if (session?.user)
    return (
      <section>
        <h1>{TEXT.title[lang]}</h1>
        <p data-testid="signed-in-as">
          {TEXT.signedIn[lang]} {session.user.name} ({session.user.unit}, {session.user.role}).
        </p>
      </section>
    );
  return (
    <section>
      <h1>{TEXT.title[lang]}</h1>
      <form
        className="sign-in"
        data-testid="sign-in-form"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          const result = await signIn(name, password);
          setBusy(false);
          if ('user' in result) {
            sessionChanged();
            navigate(result.user?.role === 'viewer' ? '/' : '/indlaes');
          } else setError(result.status === 429 ? TEXT.tooMany[lang] : TEXT.wrong[lang]);
        }}
      >
        <label>
          {TEXT.name[lang]}
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {TEXT.password[lang]}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          {TEXT.submit[lang]}
        </button>
        {error && (
          <p className="status error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
      </form>
      {session?.oidc && (
        <p>
          <a href="/api/session/oidc" data-testid="oidc-sign-in">
            {TEXT.oidc[lang]}
          </a>
        </p>
      )}
    </section>
  );
}
