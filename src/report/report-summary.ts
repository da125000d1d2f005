// The report's first page in numbers and words: how many targets are achieved, on track, off track and not
// assessable, the largest changes, and where the unit stands against Denmark.
import type { Verdict } from '../analysis/index.js';
import { danishNumber } from './danish.js';
import type { ReportData, ReportIndicator } from './report-data.js';

export interface ReportSummary {
  counts: Record<Verdict, number>;
  sentences: string[];
  /** Indicators whose shown values are synthetic demo values. */
  syntheticIndicators: string[];
}

const VERDICTS: readonly Verdict[] = ['achieved', 'on-track', 'off-track', 'not-assessable'];

/** Every indicator of the report once, in report order. */
export function reportIndicators(data: ReportData): ReportIndicator[] {
  const seen = new Map<string, ReportIndicator>();
  for (const set of data.goalSets)
    for (const goal of set.goals) for (const row of goal.indicators) seen.set(row.indicator.id, row);
  return [...seen.values()];
}

/** True when the values a report shows for this indicator are synthetic. */
export function isSynthetic(row: ReportIndicator): boolean {
  return row.series.some((r) => r.synthetic) || Boolean(row.latest?.synthetic);
}

/**
 * Counts and three to five sentences for the summary page.
 * @example summariseReport(await gatherReport(store, { unit: 'DK', year: 2024 })).counts.achieved
 */
export function summariseReport(data: ReportData): ReportSummary {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const t of data.targets) counts[t.evaluation.status]++;
  const rows = reportIndicators(data);
  const name = data.unit.code === 'DK' ? 'Danmark' : data.unit.name;
  const sentences = [
    `Af ${data.targets.length} målsætninger, der gælder for ${name}, er ${counts.achieved} opfyldt, ${counts['on-track']} på vej, ${counts['off-track']} ikke på vej, og ${counts['not-assessable']} kan ikke vurderes ud fra data til og med ${data.year}.`,
  ];

  const changes = rows.flatMap((row) => {
    const { first, latest, indicator } = row;
    if (!first || !latest || first.period === latest.period || indicator.polarity === 'none') return [];
    // A count of days since an event jumps back to 0 with every event: not a change to report.
    if (indicator.measure === 'days-since-event') return [];
    if (first.value === null || latest.value === null || latest.suppressed || first.value === 0) return [];
    const percent = ((latest.value - first.value) / Math.abs(first.value)) * 100;
    const better = indicator.polarity === 'higher-is-better' ? percent > 0 : percent < 0;
    return [{ row, percent, better }];
  });
  const largest = (better: boolean) =>
    changes.filter((c) => c.better === better).sort((a, b) => Math.abs(b.percent) - Math.abs(a.percent))[0];
  const describeChange = (label: string, c: NonNullable<ReturnType<typeof largest>>) => {
    const { first, latest, indicator } = c.row;
    const sign = c.percent > 0 ? '+' : '−';
    return `${label} er ${indicator.name.da.charAt(0).toLowerCase()}${indicator.name.da.slice(1)}: fra ${danishNumber(first?.value)} i ${first?.period} til ${danishNumber(latest?.value)} ${indicator.unit.da} i ${latest?.period} (${sign}${danishNumber(Math.abs(c.percent), 0)} %).`;
  };
  const improvement = largest(true);
  const decline = largest(false);
  if (improvement) sentences.push(describeChange('Den største forbedring', improvement));
  if (decline) sentences.push(describeChange('Den største forværring', decline));

  if (data.unit.code === 'DK') {
    const tally = new Map<string, { better: number; worse: number }>();
    for (const row of rows)
      for (const peer of row.peers) {
        const t = tally.get(peer.unit.name) ?? { better: 0, worse: 0 };
        if (peer.row.comparison === 'better') t.better++;
        if (peer.row.comparison === 'worse') t.worse++;
        tally.set(peer.unit.name, t);
      }
    const ranked = [...tally.entries()];
    const best = ranked.sort((a, b) => b[1].better - a[1].better)[0];
    const worst = [...ranked].sort((a, b) => b[1].worse - a[1].worse)[0];
    if (best && worst)
      sentences.push(
        `Blandt regionerne ligger ${best[0]} oftest signifikant bedre end landet (${best[1].better} indikatorer) og ${worst[0]} oftest signifikant dårligere (${worst[1].worse} indikatorer).`,
      );
  } else {
    const by = { better: 0, similar: 0, worse: 0 };
    for (const row of rows) {
      const c = row.latest?.comparison;
      if (c === 'better' || c === 'similar' || c === 'worse') by[c]++;
    }
    sentences.push(
      `Sammenlignet med Danmark ligger ${name} signifikant bedre på ${by.better} indikatorer, på niveau med landet på ${by.similar} og signifikant dårligere på ${by.worse}.`,
    );
  }
  const syntheticIndicators = rows.filter(isSynthetic).map((r) => r.indicator.id);
  if (syntheticIndicators.length)
    sentences.push(
      `${syntheticIndicators.length} af rapportens ${rows.length} indikatorer bygger på syntetiske demotal, der er markeret på hver side, hvor de står.`,
    );
  return { counts, sentences, syntheticIndicators };
}
