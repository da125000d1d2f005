// The signed-in state: who is signed in (GET /api/session) and the CSRF token that every form post sends.
import { useEffect, useState } from 'react';

export interface SessionUser {
  name: string;
  unit: string;
  role: 'viewer' | 'editor' | 'admin';
}
export interface SessionState {
  user: SessionUser | null;
  csrfToken?: string;
  private: boolean;
  oidc: boolean;
}

const CHANGED = 'pejling:session';

export async function loadSession(): Promise<SessionState> {
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  return response.json() as Promise<SessionState>;
}

/** The current session, reloaded whenever someone signs in or out. */
export function useSession(): SessionState | undefined {
  const [state, setState] = useState<SessionState | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const update = () => {
      loadSession()
        .then((s) => live && setState(s))
        .catch(() => live && setState({ user: null, private: false, oidc: false }));
    };
    update();
    window.addEventListener(CHANGED, update);
    return () => {
      live = false;
      window.removeEventListener(CHANGED, update);
    };
  }, []);
  return state;
}

export function sessionChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export interface Problem {
  status: number;
  detail?: string;
  errors?: string[];
  hint?: string;
}

/** Signs in with name and password; the answer is the new session or the problem. */
export async function signIn(name: string, password: string): Promise<SessionState | Problem> {
  const response = await fetch('/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const body = await response.json();
  return response.ok ? (body as SessionState) : ({ status: response.status, ...body } as Problem);
}

export async function signOut(): Promise<void> {
  await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' });
  sessionChanged();
}

/** A form post with the session's CSRF token. */
export async function postForm(path: string, form: FormData): Promise<{ status: number; body: unknown }> {
  const { csrfToken } = await loadSession();
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {},
    body: form,
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}
