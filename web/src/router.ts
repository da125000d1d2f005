// State in the URL: the path names the page, the query the unit, period and language, so views can be shared.
import { useEffect, useState } from 'react';

export interface Route {
  path: string;
  params: URLSearchParams;
}

const read = (): Route => ({ path: window.location.pathname, params: new URLSearchParams(window.location.search) });

export function useRoute(): Route {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('popstate', update);
    window.addEventListener('pejling:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('pejling:navigate', update);
    };
  }, []);
  return route;
}

/** Navigates within the app, keeping the language unless told otherwise. */
export function navigate(path: string, params: Record<string, string | undefined> = {}): void {
  window.history.pushState(null, '', href(path, params));
  window.dispatchEvent(new Event('pejling:navigate'));
  window.scrollTo(0, 0);
}

/** The URL of a page, keeping the current language and unit structure unless `params` say otherwise. */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const current = new URLSearchParams(window.location.search);
  const next = new URLSearchParams();
  const lang = params.lang ?? current.get('lang') ?? undefined;
  const struktur = params.struktur ?? current.get('struktur') ?? undefined;
  for (const [k, v] of Object.entries({ ...params, lang, struktur })) if (v) next.set(k, v);
  const query = next.toString();
  return `${path}${query ? `?${query}` : ''}`;
}
