// Danish numbers and sentences for reports: "… er faldet fra 10,4 pct. i 2019 til 9,8 pct. i 2024".
import type { TargetEvaluation } from '../analysis/index.js';

const formats = new Map<number, Intl.NumberFormat>();

export function digitsFor(value: number): number {
  const a = Math.abs(value);
  return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}

/** 10,4 — Danish decimal comma and thousands dots. */
export function danishNumber(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const d = digits ?? digitsFor(value);
  let f = formats.get(d);
  if (!f) {
    f = new Intl.NumberFormat('da-DK', { minimumFractionDigits: d, maximumFractionDigits: d });
    formats.set(d, f);
  }
  return f.format(value);
}

export const VERDICT_DA: Record<TargetEvaluation['status'], string> = {
  achieved: 'opfyldt',
  'on-track': 'på vej',
  'off-track': 'ikke på vej',
  'not-assessable': 'kan ikke vurderes',
};

export const COMPARISON_DA = {
  better: 'signifikant bedre end landet',
  similar: 'på niveau med landet',
  worse: 'signifikant dårligere end landet',
  'not-compared': 'ikke sammenlignet med landet',
} as const;

/** "X er faldet fra a i y0 til b i y1" (or steget / uændret). */
export function changeSentence(
  name: string,
  unitLabel: string,
  from: { period: string; value: number } | null,
  to: { period: string; value: number },
): string {
  const v = (x: number) => `${danishNumber(x)} ${unitLabel}`;
  if (!from || from.period === to.period) return `${name} var ${v(to.value)} i ${to.period}.`;
  const a = danishNumber(from.value);
  const b = danishNumber(to.value);
  const verb = a === b ? 'uændret' : to.value < from.value ? 'faldet' : 'steget';
  return verb === 'uændret'
    ? `${name} er uændret på ${v(to.value)} fra ${from.period} til ${to.period}.`
    : `${name} er ${verb} fra ${v(from.value)} i ${from.period} til ${v(to.value)} i ${to.period}.`;
}

export function verdictSentence(targetName: string, e: TargetEvaluation, unitLabel: string): string {
  const parts = [`Målsætningen «${targetName}» er ${VERDICT_DA[e.status]}`];
  const details: string[] = [];
  if (e.status === 'not-assessable') {
    const why: Record<string, string> = {
      'no-data': 'der er ingen værdier',
      'no-baseline': 'der er ingen værdi for udgangsåret',
      'too-few-periods': 'der er for få år til en fremskrivning',
      'suppressed-data': 'den seneste værdi er diskretioneret',
      'target-pending': 'målsætningens tal er ikke aftalt endnu',
    };
    details.push(why[e.reason ?? ''] ?? '');
  } else {
    if (e.baseline)
      details.push(
        `udgangspunkt ${danishNumber(e.baseline.value)} ${unitLabel}${e.baseline.period ? ` i ${e.baseline.period}` : ''}`,
      );
    if (e.required) details.push(`krævet på en lige vej ${danishNumber(e.required.value)} i ${e.required.period}`);
    if (e.nextMilestone)
      details.push(`næste delmål ${danishNumber(e.nextMilestone.level)} i ${e.nextMilestone.period}`);
    if (e.projected) details.push(`fremskrevet ${danishNumber(e.projected.value)} i ${e.projected.period}`);
  }
  return `${parts[0]}${details.filter(Boolean).length ? `: ${details.filter(Boolean).join(', ')}` : ''}.`;
}
