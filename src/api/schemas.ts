// Response and request schemas of the HTTP API; they also generate the OpenAPI document.
import { z } from '@hono/zod-openapi';
import { orgUnitTypeSchema } from '../catalogue/index.js';

const text = z.object({ da: z.string(), en: z.string() }).openapi('Text');

export const OrgUnitSchema = z
  .object({
    code: z.string().openapi({ example: '101' }),
    name: z.string().openapi({ example: 'København' }),
    nameEn: z.string().optional(),
    type: z.enum(orgUnitTypeSchema.options),
    parent: z.string().nullable().openapi({ example: '1084' }),
    iso: z.string().optional(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    confidence: z.enum(['confirmed', 'probable', 'uncertain']).optional(),
    confidenceNote: z.string().optional(),
  })
  .passthrough()
  .openapi('OrgUnit');

export const StructurePeriodSchema = z
  .object({
    from: z.string().openapi({ example: '2027-01-01' }),
    to: z.string().nullable(),
    counts: z.record(z.string(), z.number()).openapi({ example: { nation: 1, region: 4, municipality: 98 } }),
  })
  .openapi('StructurePeriod');

export const GroupingSchema = z
  .object({
    id: z.string().openapi({ example: 'health-clusters-2019' }),
    name: text,
    groupType: z.string(),
    memberTypes: z.array(z.string()),
    partitionsPersons: z
      .boolean()
      .openapi({ description: 'On any date each member is in at most one group, so group counts add up' }),
    parentOfMembers: z.boolean(),
    memberships: z.array(
      z.object({
        group: z.string(),
        member: z.string(),
        validFrom: z.string(),
        validTo: z.string().nullable(),
        confidence: z.enum(['confirmed', 'probable', 'uncertain']),
      }),
    ),
  })
  .passthrough()
  .openapi('Grouping');

export const IndicatorSchema = z
  .object({
    id: z.string().openapi({ example: 'acute-readmission-somatic-30d' }),
    name: text,
    measure: z.string(),
    multiplier: z.number(),
    unit: text,
    polarity: z.enum(['higher-is-better', 'lower-is-better', 'none']),
    periodTypes: z.array(z.string()),
    breakdowns: z.array(z.string()),
    origin: z.enum(['register', 'imported']),
    dataSource: z.string(),
    confidence: z.enum(['confirmed', 'probable', 'uncertain']),
  })
  .passthrough()
  .openapi('Indicator');

export const TargetSchema = z
  .object({
    id: z.string(),
    name: text,
    indicator: z.string(),
    kind: z.enum([
      'absolute',
      'relative-change',
      'annual-relative-change',
      'threshold',
      'direction',
      'days-since-event',
    ]),
    scope: z.object({
      units: z.array(z.string()).optional(),
      groups: z.array(z.string()).optional(),
      withMembers: z.array(z.string()).optional(),
      types: z.array(z.string()).optional(),
    }),
    direction: z.enum(['increase', 'decrease']).optional(),
    comparator: z.enum(['>=', '<=']).optional(),
    baseline: z.object({ period: z.string().optional(), value: z.number().optional() }).optional(),
    value: z.number().optional(),
    deadline: z.string().optional(),
    milestones: z.array(z.object({ period: z.string(), value: z.number() })),
    source: z.object({ document: z.string(), section: z.string().optional() }).passthrough(),
  })
  .passthrough()
  .openapi('Target');

export const GoalSchema = z
  .object({
    id: z.string(),
    name: text,
    source: z.object({ document: z.string(), section: z.string().optional() }).passthrough(),
    indicators: z.array(z.string()),
    targets: z.array(TargetSchema),
  })
  .passthrough()
  .openapi('Goal');

const goalSetFields = {
  id: z.string().openapi({ example: 'health-reform-2022' }),
  name: text,
  level: z.enum(['national', 'regional', 'municipal']),
  owner: z.string(),
  unit: z.string(),
  period: z.object({ from: z.number(), to: z.number().nullable() }),
  source: z.object({ document: z.string(), section: z.string().optional() }).passthrough(),
};

export const GoalSetSummarySchema = z
  .object({
    ...goalSetFields,
    goalCount: z.number(),
    targetCount: z.number(),
  })
  .openapi('GoalSetSummary');

export const GoalSetSchema = z
  .object({
    ...goalSetFields,
    goals: z.array(GoalSchema),
  })
  .passthrough()
  .openapi('GoalSet');

export const GoalLinkSchema = z
  .object({ from: z.string(), to: z.string(), theme: z.string(), explicit: z.boolean() })
  .passthrough()
  .openapi('GoalLink');

export const ValueRowSchema = z
  .object({
    unit: z.string(),
    period: z.string(),
    breakdown: z.string().openapi({ example: 'total' }),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    value: z.number().nullable(),
    ciLow: z.number().nullable(),
    ciHigh: z.number().nullable(),
    suppressed: z.boolean(),
    synthetic: z
      .boolean()
      .optional()
      .openapi({ description: 'true for made-up demo values (the demo store); absent for measured values' }),
    comparison: z.enum(['better', 'similar', 'worse', 'not-compared']),
  })
  .openapi('ValueRow');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    errors: z.array(z.string()).optional(),
    hint: z.string().optional(),
  })
  .openapi('Problem');

export const problemResponses = {
  400: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'Invalid request' },
  404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'Not found' },
} as const;

const periodValue = z.object({ period: z.string().nullable(), value: z.number() });

export const TargetEvaluationSchema = z
  .object({
    target: z.string(),
    unit: z.string(),
    status: z.enum(['achieved', 'on-track', 'off-track', 'not-assessable']),
    reason: z.enum(['no-data', 'no-baseline', 'too-few-periods', 'suppressed-data', 'target-pending']).optional(),
    explanation: z.string(),
    baseline: periodValue.nullable(),
    latest: z
      .object({ period: z.string(), value: z.number(), ciLow: z.number().nullable(), ciHigh: z.number().nullable() })
      .nullable(),
    goal: periodValue.nullable(),
    nextMilestone: z.object({ period: z.string(), value: z.number(), level: z.number() }).nullable(),
    required: z.object({ period: z.string(), value: z.number() }).nullable(),
    projected: z
      .object({ period: z.string(), value: z.number(), low: z.number().nullable(), high: z.number().nullable() })
      .nullable(),
    trend: z.object({ slopePerYear: z.number(), pValue: z.number().nullable(), periods: z.number() }).nullable(),
    baselineValue: z.number().nullable(),
    latestValue: z.number().nullable(),
    requiredValue: z.number().nullable(),
    projectedValue: z.number().nullable(),
    goalValue: z.number().nullable(),
    valuesFor: z.array(z.string()).optional().openapi({
      description:
        "Given when the unit has no values because no unit of its type has any: the unit types the indicator has values for (e.g. ['nation', 'region'])",
    }),
  })
  .passthrough()
  .openapi('TargetEvaluation');
