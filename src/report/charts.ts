// SVG charts for reports, drawn by Observable Plot on a server-side DOM (jsdom).
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import type { ValueRow } from '../analysis/index.js';
import { danishNumber } from './danish.js';

let dom: JSDOM | undefined;
const documentFor = () => {
  dom ??= new JSDOM('<!doctype html><html><body></body></html>');
  return dom.window.document;
};

/** A small trend chart: the series with its 95 % band, Denmark dashed, the target level as a red rule. */
export function trendSvg(series: ValueRow[], denmark: ValueRow[], target: number | null, label: string): string {
  const points = series.filter((r) => /^\d{4}$/.test(r.period) && r.value !== null && !r.suppressed);
  if (points.length < 2) return '';
  const dk = denmark.filter((r) => /^\d{4}$/.test(r.period) && r.value !== null);
  const x = (r: ValueRow) => Number(r.period);
  const chart = Plot.plot({
    document: documentFor(),
    width: 520,
    height: 180,
    marginLeft: 52,
    style: { fontFamily: 'Inter, sans-serif', fontSize: '10px' },
    x: { label: null, tickFormat: (d: number) => String(d), ticks: Math.min(points.length, 8) },
    y: { label, grid: true, tickFormat: (d: number) => danishNumber(d) },
    marks: [
      Plot.areaY(points, { x, y1: 'ciLow', y2: 'ciHigh', fill: '#0b5394', fillOpacity: 0.15 }),
      Plot.lineY(dk, { x, y: 'value', stroke: '#777', strokeDasharray: '4,3' }),
      ...(target !== null ? [Plot.ruleY([target], { stroke: '#c4452d', strokeDasharray: '2,3' })] : []),
      Plot.lineY(points, { x, y: 'value', stroke: '#0b5394', strokeWidth: 2 }),
      Plot.dot(points, { x, y: 'value', fill: '#0b5394', r: 2.5 }),
    ],
  }) as unknown as { outerHTML: string };
  return chart.outerHTML;
}
