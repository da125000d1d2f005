// The file format of a national quality standard (schema version 1): the standard with its versions, each
// version with numbered binding requirements and non-binding recommendations, the units it applies to and the
// monitoring indicators linked to it. A new edition is a new entry in `versions`; the old stays, with its history.
import { z } from 'zod';
import { CATALOGUE_SCHEMA_VERSION, orgUnitTypeSchema, sourceSchema, textSchema } from './schema.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes, e.g. "municipal-acute-functions"');
const indicatorId = z.string().min(1);

/** Whether a text is the standard's own wording or Pejling's summary of public descriptions of it. */
export const textConfidenceSchema = z.enum(['official', 'summary']);
export type TextConfidence = z.infer<typeof textConfidenceSchema>;

/** Who a standard (or one of its requirements) applies to: unit types, named units, or both. */
export const applicabilitySchema = z
  .object({
    types: z.array(orgUnitTypeSchema).optional(),
    units: z.array(z.string()).optional(),
  })
  .strict()
  .refine((a) => (a.types?.length ?? 0) + (a.units?.length ?? 0) > 0, 'appliesTo names unit types or units');
export type Applicability = z.infer<typeof applicabilitySchema>;

/** A numbered requirement or recommendation of one version. */
export const qualityItemSchema = z
  .object({
    number: z.number().int().positive(),
    /** A short heading (a few words), shown in matrix column headers. */
    title: textSchema,
    text: textSchema,
    /** Defaults to the version's confidence. */
    confidence: textConfidenceSchema.optional(),
    /** Defaults to the version's applicability. */
    appliesTo: applicabilitySchema.optional(),
    indicators: z.array(indicatorId).default([]),
    note: z.string().optional(),
  })
  .strict();
export type QualityItem = z.infer<typeof qualityItemSchema>;

export const qualityStandardVersionSchema = z
  .object({
    /** The edition, e.g. "2023"; unique within the standard. */
    version: z.string().min(1),
    /** Publication date of this edition. */
    date: z.iso.date(),
    /** The first year compliance is followed up against this edition (it stays in force until a later one's). */
    firstYear: z.number().int().min(2000).max(2100),
    title: textSchema.optional(),
    source: sourceSchema,
    /** What this edition replaced (earlier recommendations or standards outside Pejling). */
    replaces: z.string().optional(),
    confidence: textConfidenceSchema,
    confidenceNote: z.string().optional(),
    appliesTo: applicabilitySchema.default({ types: ['municipality'] }),
    /** Monitoring indicators linked to the whole edition. */
    indicators: z.array(indicatorId).default([]),
    indicatorsNote: z.string().optional(),
    targetGroups: textSchema.optional(),
    requirements: z.array(qualityItemSchema).min(1),
    recommendations: z.array(qualityItemSchema).default([]),
    recommendationsNote: textSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const list of ['requirements', 'recommendations'] as const) {
      const seen = new Set<number>();
      v[list].forEach((item, i) => {
        if (seen.has(item.number))
          ctx.addIssue({
            code: 'custom',
            path: [list, i, 'number'],
            message: `number ${item.number} is used twice in ${list}`,
          });
        seen.add(item.number);
      });
    }
  });
export type QualityStandardVersion = z.infer<typeof qualityStandardVersionSchema>;

export const qualityStandardSchema = z
  .object({
    schemaVersion: z.literal(CATALOGUE_SCHEMA_VERSION, {
      error: `schemaVersion must be ${CATALOGUE_SCHEMA_VERSION}; migrate the file or update Pejling`,
    }),
    id,
    title: textSchema,
    publisher: z.string().min(1),
    /** The quality package of the national quality plan this standard belongs to. */
    package: textSchema.optional(),
    /** Editions, oldest first. */
    versions: z.array(qualityStandardVersionSchema).min(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.versions.forEach((v, i) => {
      if (seen.has(v.version))
        ctx.addIssue({ code: 'custom', path: ['versions', i, 'version'], message: `version '${v.version}' repeats` });
      seen.add(v.version);
      const previous = s.versions[i - 1];
      if (previous && v.firstYear <= previous.firstYear)
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i, 'firstYear'],
          message: `versions are listed oldest first: firstYear ${v.firstYear} must be after ${previous.firstYear}`,
        });
    });
  });
export type QualityStandard = z.infer<typeof qualityStandardSchema>;

/**
 * The edition in force in a year: the latest whose firstYear is at or before it.
 * @example versionInForce(standard, 2024)?.version // "2023"
 */
export function versionInForce(standard: QualityStandard, year: number): QualityStandardVersion | undefined {
  return standard.versions.filter((v) => v.firstYear <= year).at(-1);
}

/** The newest edition. */
export function currentVersion(standard: QualityStandard): QualityStandardVersion {
  return standard.versions.at(-1) as QualityStandardVersion;
}

/** Whether an item (or, without one, the version) applies to a unit. */
export function appliesTo(
  version: QualityStandardVersion,
  unit: { code: string; type: string },
  item?: QualityItem,
): boolean {
  const a = item?.appliesTo ?? version.appliesTo;
  return Boolean(a.units?.includes(unit.code) || a.types?.includes(unit.type as never));
}
