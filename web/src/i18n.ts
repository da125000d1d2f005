// Danish first, English second: every text of the user interface.
export type Lang = 'da' | 'en';

const texts = {
  appTitle: { da: 'Pejling', en: 'Pejling' },
  tagline: {
    da: 'Mål og indikatorer for det danske sundhedsvæsen',
    en: 'Goals and indicators for the Danish health system',
  },
  overview: { da: 'Overblik', en: 'Overview' },
  unit: { da: 'Enhed', en: 'Unit' },
  chooseUnit: { da: 'Vælg Danmark, en region eller en kommune', en: 'Choose Denmark, a region or a municipality' },
  indicator: { da: 'Indikator', en: 'Indicator' },
  latest: { da: 'Seneste', en: 'Latest' },
  period: { da: 'Periode', en: 'Period' },
  trend: { da: 'Udvikling', en: 'Trend' },
  verdict: { da: 'Målsætning', en: 'Target' },
  comparison: { da: 'Sammenlignet med Danmark', en: 'Compared with Denmark' },
  denmark: { da: 'Danmark', en: 'Denmark' },
  loading: { da: 'Henter …', en: 'Loading …' },
  empty: { da: 'Ingen data', en: 'No data' },
  error: { da: 'Noget gik galt', en: 'Something went wrong' },
  showTable: { da: 'Vis som tabel', en: 'Show as table' },
  download: { da: 'Hent data', en: 'Download data' },
  value: { da: 'Værdi', en: 'Value' },
  ci: { da: '95 %-konfidensinterval', en: '95 % confidence interval' },
  numerator: { da: 'Tæller', en: 'Numerator' },
  denominator: { da: 'Nævner', en: 'Denominator' },
  suppressed: { da: 'Diskretioneret', en: 'Suppressed' },
  map: { da: 'Kort', en: 'Map' },
  funnel: { da: 'Tragtdiagram', en: 'Funnel plot' },
  breakdowns: { da: 'Opdelinger', en: 'Breakdowns' },
  inequality: { da: 'Ulighed efter uddannelse', en: 'Inequality by education' },
  rateRatio: { da: 'Ratio (kort/lang uddannelse)', en: 'Ratio (basic/higher education)' },
  rateDifference: { da: 'Forskel (kort − lang uddannelse)', en: 'Difference (basic − higher education)' },
  sii: { da: 'Hældningsindeks (SII)', en: 'Slope index (SII)' },
  rii: { da: 'Relativt ulighedsindeks (RII)', en: 'Relative index (RII)' },
  allUnits: { da: 'Alle enheder', en: 'All units' },
  municipalities: { da: 'Kommuner', en: 'Municipalities' },
  regions: { da: 'Regioner', en: 'Regions' },
  colourBy: { da: 'Farve efter', en: 'Colour by' },
  byComparison: { da: 'sammenligning med Danmark', en: 'comparison with Denmark' },
  byQuintile: { da: 'kvintil', en: 'quintile' },
  unitProfile: { da: 'Enhedsprofil', en: 'Unit profile' },
  learnFrom: { da: 'Lær af', en: 'Learn from' },
  learnFromNone: {
    da: 'Ingen enheder i regionen er signifikant bedre.',
    en: 'No unit in the region is significantly better.',
  },
  spine: { da: 'Alle indikatorer mod Danmark', en: 'All indicators against Denmark' },
  goalLinks: { da: 'Røde tråde', en: 'Goal links' },
  pursuedBy: { da: 'Forfølges af', en: 'Pursued by' },
  pursues: { da: 'Forfølger', en: 'Pursues' },
  target: { da: 'Målsætning', en: 'Target' },
  baseline: { da: 'Udgangspunkt', en: 'Baseline' },
  required: { da: 'Krævet nu (lige vej)', en: 'Required now (straight path)' },
  projected: { da: 'Fremskrevet', en: 'Projected' },
  goal: { da: 'Mål', en: 'Goal' },
  milestone: { da: 'Næste delmål', en: 'Next milestone' },
  source: { da: 'Kilde', en: 'Source' },
  dataSource: { da: 'Datakilde', en: 'Data source' },
  synthetic: { da: 'Syntetisk', en: 'Synthetic' },
  notFoundTitle: { da: 'Siden findes ikke', en: 'Page not found' },
  notFoundText: { da: 'Der er ingen side på adressen', en: 'There is no page at the address' },
  notFoundHome: { da: 'Gå til forsiden', en: 'Go to the front page' },
  accessibility: { da: 'Tilgængelighedserklæring', en: 'Accessibility statement' },
  income: { da: 'Indkomst', en: 'Income' },
  principles: { da: 'Principper for opfølgningen', en: 'Principles for the follow-up' },
  inequalityNav: { da: 'Ulighed', en: 'Inequality' },
  inequalityTitle: { da: 'Ulighed i sundhed', en: 'Inequality in health' },
  inequalityIntro: {
    da: 'Uligheden i sundhed efter uddannelse, indkomst og sted for hver indikator, der kan opdeles sådan: den dårligst stillede gruppe mod den bedst stillede med 95 %-konfidensintervaller, og hældningsindekset (SII). Sted: kommunerne ordnet efter værdi og delt i fem lige store grupper.',
    en: 'Inequality in health by education, income and place for every indicator that can be broken down so: the worst-off group against the best-off with 95 % confidence intervals, and the slope index (SII). Place: the municipalities ranked by value and split into five equal groups.',
  },
  inequalityReport: { da: 'Hent ulighedsrapporten', en: 'Download the inequality report' },
  keyFigures: { da: 'Nøgletal', en: 'Key figures' },
  dimension: { da: 'Opdeling', en: 'Dimension' },
  worstOff: { da: 'Dårligst stillede', en: 'Worst off' },
  bestOff: { da: 'Bedst stillede', en: 'Best off' },
  difference: { da: 'Forskel (95 %-KI)', en: 'Difference (95 % CI)' },
  ratio: { da: 'Forhold (95 %-KI)', en: 'Ratio (95 % CI)' },
  byEducation: { da: 'Uddannelse', en: 'Education' },
  byIncome: { da: 'Indkomst', en: 'Income' },
  byPlace: { da: 'Sted (kommunernes femtedele)', en: 'Place (fifths of municipalities)' },
  syntheticHelp: {
    da: 'Syntetiske demotal: opdigtede værdier, der viser, hvordan Pejling virker – ikke målte data.',
    en: 'Synthetic demo values: made-up numbers that show how Pejling works – not measured data.',
  },
  language: { da: 'English', en: 'Dansk' },
  sex: { da: 'Køn', en: 'Sex' },
  age_group: { da: 'Aldersgruppe', en: 'Age group' },
  education: { da: 'Uddannelse', en: 'Education' },
  total: { da: 'I alt', en: 'Total' },
  notTargeted: { da: 'ingen målsætning', en: 'no target' },
  goalSets: { da: 'Målsæt', en: 'Goal sets' },
  lower: { da: 'Nedre', en: 'Lower' },
  upper: { da: 'Øvre', en: 'Upper' },
  flag: { da: 'Placering', en: 'Position' },
} as const;

export type TextKey = keyof typeof texts;

export function t(key: TextKey, lang: Lang): string {
  return texts[key][lang];
}

export const VERDICTS = {
  achieved: { da: 'Opfyldt', en: 'Achieved' },
  'on-track': { da: 'På vej', en: 'On track' },
  'off-track': { da: 'Ikke på vej', en: 'Off track' },
  'not-assessable': { da: 'Kan ikke vurderes', en: 'Not assessable' },
} as const;

export const COMPARISONS = {
  better: { da: 'Bedre', en: 'Better' },
  similar: { da: 'Som landet', en: 'Similar' },
  worse: { da: 'Dårligere', en: 'Worse' },
  'not-compared': { da: 'Ikke sammenlignet', en: 'Not compared' },
} as const;

export const TRENDS = {
  increasing: { da: '↑ stigende', en: '↑ increasing' },
  decreasing: { da: '↓ faldende', en: '↓ decreasing' },
  'no-significant-change': { da: '→ uændret', en: '→ no change' },
} as const;

export const BREAKDOWN_LABELS: Record<string, { da: string; en: string }> = {
  'sex:M': { da: 'Mænd', en: 'Men' },
  'sex:F': { da: 'Kvinder', en: 'Women' },
  'education:basic': { da: 'Grundskole', en: 'Basic' },
  'education:vocational': { da: 'Erhvervsfaglig', en: 'Vocational' },
  'education:higher': { da: 'Videregående', en: 'Higher' },
  'education:unknown': { da: 'Uoplyst', en: 'Unknown' },
  'income:Q1': { da: 'Fattigste fjerdedel', en: 'Poorest quarter' },
  'income:Q2': { da: '2. fjerdedel', en: '2nd quarter' },
  'income:Q3': { da: '3. fjerdedel', en: '3rd quarter' },
  'income:Q4': { da: 'Rigeste fjerdedel', en: 'Richest quarter' },
  'income:unknown': { da: 'Uoplyst', en: 'Unknown' },
};
