// Upload for editors: choose a file, see the validation report and what would change (new, changed old → new,
// unchanged), then confirm. Both posts carry the session's CSRF token.
import { useState } from 'react';
import { Link } from '../components/common';
import { digitsFor, formatNumber } from '../format';
import type { Lang } from '../i18n';
import { type Problem, postForm, type SessionState } from '../session';

const TEXT = {
  title: { da: 'Indlæs tal', en: 'Upload values' },
  intro: {
    da: 'Vælg en fil (CSV, XLSX eller JSON). Du ser først, hvad der ville ændre sig; intet skrives, før du bekræfter.',
    en: 'Choose a file (CSV, XLSX or JSON). You first see what would change; nothing is written until you confirm.',
  },
  file: { da: 'Fil', en: 'File' },
  check: { da: 'Kontrollér fil', en: 'Check file' },
  confirm: { da: 'Bekræft indlæsning', en: 'Confirm upload' },
  problems: { da: 'Filen har fejl; intet er skrevet', en: 'The file has problems; nothing was written' },
  refused: { da: 'Afvist', en: 'Refused' },
  wouldWrite: { da: 'Ville skrive', en: 'Would write' },
  wrote: { da: 'Skrevet', en: 'Written' },
  inserted: { da: 'nye', en: 'new' },
  changed: { da: 'ændrede', en: 'changed' },
  unchanged: { da: 'uændrede', en: 'unchanged' },
  revision: { da: 'Revision', en: 'Revision' },
  signIn: { da: 'Log ind for at indlæse tal.', en: 'Sign in to upload values.' },
  notEditor: { da: 'Din rolle må ikke indlæse tal.', en: 'Your role may not upload values.' },
  row: { da: 'række', en: 'row' },
  column: { da: 'kolonne', en: 'column' },
} as const;

interface ImportReport {
  file: string;
  rowsInFile: number;
  values: number;
  written: boolean;
  importId: number | null;
  problems: { row: number; column: string; value: string; reason: string }[];
  diff: {
    inserted: number;
    changed: number;
    unchanged: number;
    examples: {
      indicator: string;
      unit: string;
      period: string;
      breakdown: string;
      before: number | null;
      after: number | null;
    }[];
  } | null;
}

export function UploadPage(props: { lang: Lang; session: SessionState | undefined }) {
  const { lang, session } = props;
  const [file, setFile] = useState<File | undefined>(undefined);
  const [report, setReport] = useState<ImportReport | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (!session) return null;
  if (!session.user)
    return (
      <section>
        <h1>{TEXT.title[lang]}</h1>
        <p>
          <Link to="/log-ind">{TEXT.signIn[lang]}</Link>
        </p>
      </section>
    );
  if (session.user.role === 'viewer')
    return (
      <section>
        <h1>{TEXT.title[lang]}</h1>
        <p>{TEXT.notEditor[lang]}</p>
      </section>
    );

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('dryRun', String(dryRun));
    const { status, body } = await postForm('/api/imports', form);
    setBusy(false);
    if (status === 200 || status === 422) {
      setProblem(undefined);
      setReport(body as ImportReport);
    } else {
      setReport(undefined);
      setProblem({ status, ...(body as object) } as Problem);
    }
  };
  const n = (v: number | null) => formatNumber(v, lang, digitsFor(v));
  const diff = report?.diff;
  return (
    <section>
      <h1>{TEXT.title[lang]}</h1>
      <p className="muted">{TEXT.intro[lang]}</p>
      <form
        className="upload"
        data-testid="upload-form"
        onSubmit={(event) => {
          event.preventDefault();
          void send(true);
        }}
      >
        <label>
          {TEXT.file[lang]}
          <input
            type="file"
            name="file"
            data-testid="upload-file"
            accept=".csv,.xlsx,.json,.txt"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setReport(undefined);
              setProblem(undefined);
            }}
            required
          />
        </label>
        <button type="submit" disabled={busy || !file} data-testid="upload-check">
          {TEXT.check[lang]}
        </button>
      </form>
      {problem && (
        <div className="status error" role="alert" data-testid="upload-problem">
          <p>
            {TEXT.refused[lang]} ({problem.status}): {problem.detail}
          </p>
          {problem.errors && (
            <ul>
              {problem.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {report && report.problems.length > 0 && (
        <div className="status error" role="alert" data-testid="upload-problems">
          <p>{TEXT.problems[lang]}:</p>
          <ul>
            {report.problems.map((p) => (
              <li key={`${p.row}-${p.column}`}>
                {TEXT.row[lang]} {p.row}, {TEXT.column[lang]} {p.column}: '{p.value}' {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {report && diff && (
        <div data-testid="upload-diff">
          <h2>{report.written ? TEXT.wrote[lang] : TEXT.wouldWrite[lang]}</h2>
          <p data-testid="upload-counts">
            {diff.inserted} {TEXT.inserted[lang]}, {diff.changed} {TEXT.changed[lang]}, {diff.unchanged}{' '}
            {TEXT.unchanged[lang]}
          </p>
          {diff.examples.length > 0 && (
            <div className="table-wrap">
              <table>
                <tbody>
                  {diff.examples.map((e) => (
                    <tr key={`${e.indicator}-${e.unit}-${e.period}-${e.breakdown}`}>
                      <td>{e.indicator}</td>
                      <td>{e.unit}</td>
                      <td>{e.period}</td>
                      <td>{e.breakdown}</td>
                      <td className="num">
                        {n(e.before)} → {n(e.after)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.written && report.importId !== null && (
            <p data-testid="upload-written">
              {TEXT.revision[lang]} {report.importId}
            </p>
          )}
          {!report.written && diff.inserted + diff.changed > 0 && (
            <button type="button" disabled={busy} data-testid="upload-confirm" onClick={() => void send(false)}>
              {TEXT.confirm[lang]}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
