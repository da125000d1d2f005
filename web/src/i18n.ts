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
  structure: { da: 'Struktur', en: 'Structure' },
  level: { da: 'Niveau', en: 'Level' },
  from: { da: 'fra', en: 'from' },
  healthClusters: { da: 'Sundhedsklynger', en: 'Health clusters' },
  hospitals: { da: 'Akutsygehuse', en: 'Acute hospitals' },
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
};
