// The catalogue's file formats (schema version 1): org units, indicators, goal sets, goal links.
import { z } from 'zod';
import { normalisePeriod } from '../domain/period.js';

export const CATALOGUE_SCHEMA_VERSION = 1;

const schemaVersion = z.literal(CATALOGUE_SCHEMA_VERSION, {
  error: `schemaVersion must be ${CATALOGUE_SCHEMA_VERSION}; migrate the file or update Pejling`,
});
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes, e.g. "acute-readmission"');
const isoDate = z.iso.date();
const period = z.union([z.string(), z.number().int()]).transform((value, ctx) => {
  const normalised = normalisePeriod(String(value));
  if (!normalised) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not a period (use 2024, 2024Q1, 2024M01 or 2024W05)`,
    });
    return z.NEVER;
  }
  return normalised;
});

export const textSchema = z.object({ da: z.string().min(1), en: z.string().min(1) }).strict();
export type Text = z.infer<typeof textSchema>;

/**
 * A citation: `document` names a record of sources.yaml (or, in a local goal set, the document itself);
 * the loader adds the record's title, publisher, year and a readable `citation`.
 */
export const sourceSchema = z
  .object({
    document: z.string().min(1),
    section: z.string().min(1).optional(),
    quote: z.string().optional(),
    url: z.string().optional(),
    title: z.string().min(1).optional(),
    publisher: z.string().min(1).optional(),
    year: z.number().int().optional(),
    citation: z.string().min(1).optional(),
  })
  .strict();
export type Source = z.infer<typeof sourceSchema>;

/** A document the catalogue cites (sources.yaml). */
export const sourceRecordSchema = z
  .object({
    id,
    title: z.string().min(1),
    publisher: z.string().min(1),
    year: z.number().int().optional(),
    url: z.string().url().optional(),
    note: z.string().optional(),
  })
  .strict();
export type SourceRecord = z.infer<typeof sourceRecordSchema>;
export const sourcesFileSchema = z.object({ schemaVersion, sources: z.array(sourceRecordSchema) }).strict();

// ---------- org units ----------
export const confidenceSchema = z.enum(['confirmed', 'probable', 'uncertain']);
export type Confidence = z.infer<typeof confidenceSchema>;

export const orgUnitTypeSchema = z.enum([
  'nation',
  'region',
  'municipality',
  'health-cluster',
  'hospital',
  'gp-practice',
  'gp-cluster',
]);
export type OrgUnitType = z.infer<typeof orgUnitTypeSchema>;

export const orgUnitSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9]+$/, 'unit codes are upper-case letters and digits, e.g. DK, 1082, 791'),
    name: z.string().min(1),
    nameEn: z.string().min(1).optional(),
    type: orgUnitTypeSchema,
    parent: z.string().nullable(),
    iso: z.string().optional(),
    validFrom: isoDate,
    validTo: isoDate.nullable().default(null),
    /** How sure the unit's code, name or membership is (absent: confirmed). */
    confidence: confidenceSchema.optional(),
    confidenceNote: z.string().optional(),
    source: sourceSchema.optional(),
  })
  .strict()
  .refine((u) => u.validTo === null || u.validFrom <= u.validTo, {
    message: 'validTo must be on or after validFrom',
    path: ['validTo'],
  });
export type OrgUnit = z.infer<typeof orgUnitSchema>;

export const orgUnitGroupSchema = z
  .object({
    id,
    name: textSchema,
    type: z.enum(['health-agreement', 'health-cluster', 'peer-group']),
    members: z.array(z.string()).min(1),
    /**
     * The unit whose values count exactly the persons of the other members together (the members partition
     * it, e.g. a health cluster published as a unit); disclosure control then uses totalUnit = Σ members.
     */
    totalUnit: z.string().optional(),
    validFrom: isoDate,
    validTo: isoDate.nullable().default(null),
    source: sourceSchema.optional(),
  })
  .strict();
export type OrgUnitGroup = z.infer<typeof orgUnitGroupSchema>;

/** One unit's membership of a group unit (a cluster, a region of a new structure, a practice group) for a time. */
export const membershipSchema = z
  .object({
    group: z.string().min(1),
    member: z.string().min(1),
    validFrom: isoDate,
    validTo: isoDate.nullable().default(null),
    confidence: confidenceSchema.default('confirmed'),
    note: z.string().optional(),
  })
  .strict();
export type Membership = z.infer<typeof membershipSchema>;

/**
 * A grouping: which units belong to which group unit, and from when. `partitionsPersons` says that on any date
 * the groups in force hold each member at most once, so persons (counted where they live) are split without
 * overlap and group counts add up; `parentOfMembers` says a group is its members' parent while the
 * membership lasts (a new regional structure).
 */
export const groupingSchema = z
  .object({
    id,
    name: textSchema,
    /** The type of the group units (e.g. health-cluster, region). */
    groupType: orgUnitTypeSchema,
    /** The type of the member units (municipality, gp-practice, hospital). */
    memberTypes: z.array(orgUnitTypeSchema).min(1).default(['municipality']),
    partitionsPersons: z.boolean(),
    parentOfMembers: z.boolean().default(false),
    source: sourceSchema.optional(),
    note: z.string().optional(),
    memberships: z.array(membershipSchema).min(1),
  })
  .strict();
export type Grouping = z.infer<typeof groupingSchema>;

export const orgUnitsFileSchema = z
  .object({
    schemaVersion,
    units: z.array(orgUnitSchema).default([]),
    groups: z.array(orgUnitGroupSchema).default([]),
    groupings: z.array(groupingSchema).default([]),
  })
  .strict();

// ---------- indicators ----------
export const polaritySchema = z.enum(['higher-is-better', 'lower-is-better', 'none']);
export type Polarity = z.infer<typeof polaritySchema>;

export const indicatorSchema = z
  .object({
    id,
    name: textSchema,
    description: textSchema.optional(),
    /** How values are measured; decides the statistics (Wilson for proportions, Poisson for rates, …). */
    measure: z.enum(['proportion', 'rate', 'mean', 'count', 'ratio', 'index', 'days-since-event']),
    /** Value = numerator / denominator × multiplier (100 for %, 1000 for per 1,000). */
    multiplier: z.number().positive().default(1),
    unit: textSchema,
    polarity: polaritySchema,
    periodTypes: z
      .array(z.enum(['year', 'quarter', 'month', 'week']))
      .min(1)
      .default(['year']),
    breakdowns: z.array(z.enum(['sex', 'age_group', 'education', 'income'])).default([]),
    numerator: textSchema.optional(),
    denominator: textSchema.optional(),
    origin: z.enum(['register', 'imported']),
    dataSource: z.string().min(1),
    /** How sure we are that this indicator is defined as the source says. */
    confidence: confidenceSchema,
    confidenceNote: z.string().optional(),
    references: z.array(z.string()).default([]),
    /** The document that names this indicator (or its aim). */
    source: sourceSchema.optional(),
    /** Values in the store are synthetic (the demo), not measured. Set on the stored definition, not in files. */
    synthetic: z.boolean().optional(),
  })
  .strict();
export type Indicator = z.infer<typeof indicatorSchema>;

export const indicatorsFileSchema = z.object({ schemaVersion, indicators: z.array(indicatorSchema) }).strict();

// ---------- targets ----------
export const targetKindSchema = z.enum([
  'absolute',
  'relative-change',
  'annual-relative-change',
  'threshold',
  'direction',
  'days-since-event',
]);
export type TargetKind = z.infer<typeof targetKindSchema>;

/**
 * The units a target or goal set applies to: the union of `units`, the members of `groups`, the units named in
 * `withMembers` together with their members (children and grouping members), and every unit of `types`.
 */
export const scopeSchema = z
  .object({
    units: z.array(z.string()).optional(),
    groups: z.array(z.string()).optional(),
    withMembers: z.array(z.string()).optional(),
    types: z.array(orgUnitTypeSchema).optional(),
  })
  .strict()
  .refine(
    (s) => (s.units?.length ?? 0) + (s.groups?.length ?? 0) + (s.withMembers?.length ?? 0) + (s.types?.length ?? 0) > 0,
    'a scope names units, groups, units with their members, or unit types',
  );
export type Scope = z.infer<typeof scopeSchema>;

export const milestoneSchema = z.object({ period, value: z.number() }).strict();
export type Milestone = z.infer<typeof milestoneSchema>;

export const targetSchema = z
  .object({
    id,
    name: textSchema,
    indicator: id,
    kind: targetKindSchema,
    scope: scopeSchema,
    /** For direction targets, and the sense of change for relative targets. */
    direction: z.enum(['increase', 'decrease']).optional(),
    /** For absolute and threshold targets: whether the value must be at least or at most the target. */
    comparator: z.enum(['>=', '<=']).optional(),
    baseline: z.object({ period: period.optional(), value: z.number().optional() }).strict().optional(),
    /** absolute/threshold: the level; relative-change: % change from baseline; annual: % per year; days: days. */
    value: z.number().optional(),
    deadline: period.optional(),
    milestones: z.array(milestoneSchema).default([]),
    /** A target whose number is still to be decided, with when status is due. */
    pending: z.object({ statusDue: period, note: z.string() }).strict().optional(),
    source: sourceSchema,
    note: z.string().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const need = (field: keyof typeof t, why: string) => {
      if (t[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
    };
    switch (t.kind) {
      case 'absolute':
      case 'threshold':
        if (!t.pending) need('value', `for a ${t.kind} target`);
        need('comparator', `for a ${t.kind} target ('>=' or '<=')`);
        break;
      case 'relative-change':
        need('value', 'for a relative-change target (the % change, e.g. -15)');
        need('baseline', 'for a relative-change target');
        need('deadline', 'for a relative-change target');
        break;
      case 'annual-relative-change':
        need('value', 'for an annual-relative-change target (the % change per year, e.g. -10)');
        need('baseline', 'for an annual-relative-change target');
        need('deadline', 'for an annual-relative-change target');
        break;
      case 'direction':
        need('direction', "for a direction target ('increase' or 'decrease')");
        break;
      case 'days-since-event':
        need('value', 'for a days-since-event target (the number of days)');
        break;
    }
    if (t.baseline && t.baseline.period === undefined && t.baseline.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseline'],
        message: 'a baseline needs a period, a value or both',
      });
    }
    const last = t.milestones.at(-1);
    if (last && t.deadline && last.period !== t.deadline) {
      ctx.addIssue({
        code: 'custom',
        path: ['milestones'],
        message: 'the last milestone must fall on the deadline',
      });
    }
    if (last && t.kind === 'relative-change' && t.value !== undefined && last.value !== t.value) {
      ctx.addIssue({
        code: 'custom',
        path: ['milestones'],
        message: "the last milestone's value must equal value",
      });
    }
  });
export type Target = z.infer<typeof targetSchema>;

// ---------- goal sets ----------
export const indicatorVersionSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int().optional(),
    name: textSchema.optional(),
    indicators: z.array(id),
  })
  .strict();

export const goalSchema = z
  .object({
    id,
    name: textSchema,
    description: textSchema.optional(),
    theme: z.string().optional(),
    source: sourceSchema,
    indicators: z.array(id).default([]),
    /** Indicator sets by year, where they changed over time (the national goals). */
    versions: z.array(indicatorVersionSchema).default([]),
    targets: z.array(targetSchema).default([]),
    /** Principles from other documents that govern how this goal is followed. */
    principles: z.array(sourceSchema).default([]),
  })
  .strict();
export type Goal = z.infer<typeof goalSchema>;

export const goalSetSchema = z
  .object({
    schemaVersion,
    id,
    name: textSchema,
    description: textSchema.optional(),
    level: z.enum(['national', 'regional', 'municipal']),
    owner: z.string().min(1),
    /** The unit whose goals these are (DK, a region, a municipality). */
    unit: z.string(),
    period: z.object({ from: z.number().int(), to: z.number().int().nullable() }).strict(),
    /**
     * Where the goal set was agreed; its targets apply only to units in both this and their own scope.
     * Absent: national sets apply everywhere, a regional or municipal set to its unit and that unit's members.
     */
    appliesTo: scopeSchema.optional(),
    source: sourceSchema,
    principles: z.array(sourceSchema).default([]),
    goals: z.array(goalSchema).min(1),
  })
  .strict();
export type GoalSet = z.infer<typeof goalSetSchema>;

// ---------- links ----------
export const linkThemeSchema = z.enum([
  'quality',
  'efficiency',
  'citizen-involvement',
  'health-status',
  'coherence',
  'equality',
]);
export const goalLinkSchema = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    theme: linkThemeSchema,
    explicit: z.boolean().default(false),
    source: sourceSchema,
    note: z.string().optional(),
  })
  .strict();
export type GoalLink = z.infer<typeof goalLinkSchema>;
export const linksFileSchema = z.object({ schemaVersion, links: z.array(goalLinkSchema) }).strict();

export interface Catalogue {
  sources?: SourceRecord[];
  units: OrgUnit[];
  groups: OrgUnitGroup[];
  groupings: Grouping[];
  indicators: Indicator[];
  goalSets: GoalSet[];
  links: GoalLink[];
  /** National quality standards (catalogue/quality-standards/); absent in older catalogues. */
  qualityStandards?: import('./quality-standard-schema.js').QualityStandard[];
}
