// The quality-plan pages' texts, Danish first.
import type { Lang } from '../i18n';

export type Status = 'met' | 'partly-met' | 'not-met' | 'not-reported';

export const STATUS_TEXT: Record<Status, { da: string; en: string; symbol: string }> = {
  met: { da: 'Opfyldt', en: 'Met', symbol: '✓' },
  'partly-met': { da: 'Delvist opfyldt', en: 'Partly met', symbol: '◐' },
  'not-met': { da: 'Ikke opfyldt', en: 'Not met', symbol: '✗' },
  'not-reported': { da: 'Ikke indberettet', en: 'Not reported', symbol: '?' },
};

export const BASIS_TEXT = {
  'self-assessment': { da: 'selvevaluering', en: 'self-assessment' },
  audit: { da: 'tilsyn/audit', en: 'audit' },
  register: { da: 'registerdata', en: 'register data' },
} as const;

/** Colours of the statuses (the text symbol carries the meaning too, for colour-blind readers). */
export const STATUS_COLOURS: Record<Status, string> = {
  met: '#2e8b57',
  'partly-met': '#e0b43c',
  'not-met': '#c4452d',
  'not-reported': '#b7bcc2',
};

const texts = {
  qualityPlan: { da: 'Kvalitetsplan', en: 'Quality plan' },
  qualityPlanTitle: {
    da: 'Kvalitetsplanen for det nære sundhedsvæsen',
    en: 'The quality plan for local health services',
  },
  intro: {
    da: 'Nationale kvalitetsstandarder med forpligtende krav til kommunernes sundhedstilbud, fulgt år for år.',
    en: "National quality standards with binding requirements for the municipalities' health services, followed year by year.",
  },
  year: { da: 'År', en: 'Year' },
  region: { da: 'Region', en: 'Region' },
  cluster: { da: 'Sundhedsklynge', en: 'Health cluster' },
  all: { da: 'Alle', en: 'All' },
  sort: { da: 'Sortér', en: 'Sort' },
  byName: { da: 'navn', en: 'name' },
  byShareDesc: { da: 'flest krav opfyldt', en: 'most requirements met' },
  byShareAsc: { da: 'færrest krav opfyldt', en: 'fewest requirements met' },
  byRegion: { da: 'region', en: 'region' },
  matrix: { da: 'Krav × kommune', en: 'Requirement × municipality' },
  municipality: { da: 'Kommune', en: 'Municipality' },
  shareMet: { da: 'Andel opfyldt', en: 'Share met' },
  requirements: { da: 'Krav (forpligtende)', en: 'Requirements (binding)' },
  recommendations: { da: 'Anbefalinger (ikke forpligtende)', en: 'Recommendations (not binding)' },
  indicators: { da: 'Tilknyttede indikatorer', en: 'Linked indicators' },
  map: { da: 'Kort: andel af kravene opfyldt', en: 'Map: share of requirements met' },
  trend: { da: 'Udvikling', en: 'Trend' },
  summary: { da: 'Resumé, ikke standardens ordlyd', en: 'Summary, not the standard’s wording' },
  synthetic: { da: 'Opfyldelsesdata er syntetiske demodata.', en: 'Compliance data are synthetic demo data.' },
  notReportedNote: {
    da: 'Krav uden registrering vises som ikke indberettet.',
    en: 'Requirements without a record show as not reported.',
  },
  edition: { da: 'Udgave', en: 'Edition' },
  editions: { da: 'Udgaver', en: 'Editions' },
  met: { da: 'opfyldt', en: 'met' },
  of: { da: 'af', en: 'of' },
  requirementsMet: { da: 'krav opfyldt', en: 'requirements met' },
  chooseMunicipality: { da: 'Vælg en kommune for dens udvikling', en: 'Choose a municipality for its trend' },
  openStandard: { da: 'Se standarden', en: 'Open the standard' },
  publisher: { da: 'Udgiver', en: 'Publisher' },
  source: { da: 'Kilde', en: 'Source' },
  status: { da: 'Status', en: 'Status' },
  assessed: { da: 'Vurderet', en: 'Assessed' },
  previous: { da: 'Året før', en: 'Year before' },
} as const;

export function q(key: keyof typeof texts, lang: Lang): string {
  return texts[key][lang];
}
