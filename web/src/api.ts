// The web app talks only to the HTTP API.
import { useEffect, useState } from 'react';

export interface Text {
  da: string;
  en: string;
}
export interface OrgUnit {
  code: string;
  name: string;
  nameEn?: string;
  type: string;
  parent: string | null;
  validFrom?: string;
  validTo?: string | null;
  confidence?: 'confirmed' | 'probable' | 'uncertain';
}
export interface ValueRow {
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  synthetic?: boolean;
  comparison: 'better' | 'similar' | 'worse' | 'not-compared';
}
export interface Indicator {
  id: string;
  name: Text;
  description?: Text;
  unit: Text;
  polarity: string;
  measure: string;
  origin: string;
  dataSource: string;
  source?: { document: string; section?: string; quote?: string; citation?: string };
  synthetic?: boolean;
  confidence: string;
  breakdowns: string[];
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? `${response.status} ${response.statusText}`);
  }
  return response.json() as Promise<T>;
}

/** Loads JSON from the API; `null` path means nothing to load. */
export function useApi<T>(path: string | null): { data: T | undefined; error: string | undefined; loading: boolean } {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== null,
  });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    getJson<T>(path)
      .then((data) => live && setState({ data, error: undefined, loading: false }))
      .catch((error: Error) => live && setState({ data: undefined, error: error.message, loading: false }));
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}
