// Small shared pieces: links, loading and error states, badges, tables, and a mount point for Plot charts.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { COMPARISONS, type Lang, t, VERDICTS } from '../i18n';
import { href, navigate } from '../router';

export function Link(props: {
  to: string;
  params?: Record<string, string | undefined>;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const target = href(props.to, props.params);
  return (
    <a
      href={target}
      className={props.className}
      data-testid={props.testId}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.to, Object.fromEntries(new URLSearchParams(target.split('?')[1] ?? '')));
      }}
    >
      {props.children}
    </a>
  );
}

export function Status(props: { loading: boolean; error: string | undefined; lang: Lang; empty?: boolean }) {
  if (props.loading)
    return (
      <p className="status" role="status" aria-live="polite">
        {t('loading', props.lang)}
      </p>
    );
  if (props.error)
    return (
      <p className="status error" role="alert">
        {t('error', props.lang)}: {props.error}
      </p>
    );
  if (props.empty) return <p className="status">{t('empty', props.lang)}</p>;
  return null;
}

export function VerdictBadge(props: { status: keyof typeof VERDICTS; lang: Lang }) {
  return <span className={`badge verdict-${props.status}`}>{VERDICTS[props.status][props.lang]}</span>;
}

export function ComparisonBadge(props: { comparison: keyof typeof COMPARISONS; lang: Lang }) {
  return <span className={`badge comparison-${props.comparison}`}>{COMPARISONS[props.comparison][props.lang]}</span>;
}

export interface Column<T> {
  key: string;
  label: string;
  value: (row: T) => string | number | null;
  render?: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A sortable table; every chart also offers one. */
export function DataTable<T>(props: { rows: T[]; columns: Column<T>[]; caption: string; testId?: string }) {
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const column = props.columns.find((c) => c.key === sort?.key);
  const rows = column
    ? [...props.rows].sort((a, b) => {
        const x = column.value(a);
        const y = column.value(b);
        const order = x === null ? 1 : y === null ? -1 : x < y ? -1 : x > y ? 1 : 0;
        return sort?.desc ? -order : order;
      })
    : props.rows;
  return (
    <div className="table-wrap">
      <table data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  onClick={() => setSort({ key: c.key, desc: sort?.key === c.key ? !sort.desc : false })}
                >
                  {c.label}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no other stable key
            <tr key={i}>
              {props.columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render ? c.render(row) : c.value(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Mounts an element made by Observable Plot (an SVG or figure). */
export function PlotFigure(props: {
  make: (width: number) => Element | null;
  deps: unknown[];
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // The caller lists what the chart depends on.
  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    // Charts take the width of their box (within reason), so they fill a laptop screen and fit a phone.
    const width = Math.max(300, Math.min(node.clientWidth - 20, 1000));
    const element = props.make(width);
    // The box is one image with one label (and a table beside it); the labels Plot puts on its inner marks
    // are not allowed on elements without a role, and screen readers do not reach inside an image anyway.
    if (element) {
      for (const inner of [element, ...element.querySelectorAll('[aria-label], [aria-description]')]) {
        inner.removeAttribute('aria-label');
        inner.removeAttribute('aria-description');
      }
      element.setAttribute('aria-hidden', 'true');
    }
    node.replaceChildren(...(element ? [element] : []));
    return () => node.replaceChildren();
  }, props.deps);
  return <div ref={ref} className="chart" role="img" aria-label={props.label} data-testid={props.testId} />;
}

/** A chart with its table behind a toggle, so every chart can be read as a table. */
export function ChartWithTable(props: { chart: ReactNode; table: ReactNode; lang: Lang }) {
  return (
    <div className="chart-block">
      {props.chart}
      <details>
        <summary>{t('showTable', props.lang)}</summary>
        {props.table}
      </details>
    </div>
  );
}
