// Register-indicator recipes as data (catalogue/recipes/*.yaml, schema version 1) and their loader.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../domain/errors.js';

const diagnosesSchema = z.union([
  z.object({ codes: z.array(z.string().min(2)).min(1) }).strict(),
  z.object({ list: z.string().min(1) }).strict(),
]);

/** Conditions on an event (a course or an admission); all given conditions must hold. */
export const eventFilterSchema = z
  .object({
    kind: z.enum(['somatic', 'psychiatric']).optional(),
    acute: z.boolean().optional(),
    inpatient: z.boolean().optional(),
    virtual: z.boolean().optional(),
    /** Age in whole years on the event's start date. */
    minAge: z.number().int().min(0).optional(),
    maxAge: z.number().int().min(0).optional(),
    /** The (first) diagnosis matches one of the codes by prefix. */
    diagnoses: diagnosesSchema.optional(),
    /** The event has a discharge date. */
    discharged: z.boolean().optional(),
    /** The person did not die on or before the discharge date. */
    aliveAtDischarge: z.boolean().optional(),
    /** The person died between `from` and `to` days after the start date. */
    diedWithinDays: z.object({ from: z.number().int(), to: z.number().int() }).strict().optional(),
  })
  .strict();
export type EventFilter = z.infer<typeof eventFilterSchema>;

const events = z.enum(['courses', 'admissions']);
const periodDate = z.enum(['start', 'discharge']).default('start');
const base = {
  schemaVersion: z.literal(1),
  indicator: z.string().min(1),
  events,
  filter: eventFilterSchema.default({}),
  /**
   * Whether the indicator is also computed per hospital (events attributed by hospital_code; see
   * docs/data-formats.md). Only for templates whose denominator is made of the events themselves.
   */
  byHospital: z.boolean().default(false),
  /**
   * Whether the indicator is also computed per general practice (events and cohort members at the practice
   * the person is listed with that year: persons.gp_practice, changed by gp_listings).
   */
  byPractice: z.boolean().default(false),
};

export const recipeSchema = z.discriminatedUnion('template', [
  z.object({ ...base, template: z.literal('population-count') }).strict(),
  z.object({ ...base, template: z.literal('event-count'), periodDate }).strict(),
  z
    .object({
      ...base,
      template: z.literal('event-rate'),
      periodDate,
      denominator: z.object({
        population: z
          .object({ minAge: z.number().int().min(0).optional(), maxAge: z.number().int().optional() })
          .strict(),
      }),
    })
    .strict(),
  z.object({ ...base, template: z.literal('share'), periodDate, numerator: eventFilterSchema }).strict(),
  z.object({ ...base, template: z.literal('mean'), periodDate, measure: z.enum(['length-of-stay']) }).strict(),
  z
    .object({
      ...base,
      template: z.literal('follow-up'),
      periodDate,
      followUp: z
        .object({ events, filter: eventFilterSchema, fromDay: z.number().int().min(0), toDay: z.number().int().min(0) })
        .strict(),
    })
    .strict(),
  z
    .object({
      ...base,
      template: z.literal('cohort-activity'),
      cohort: z.object({ diagnoses: diagnosesSchema, lookbackYears: z.number().int().min(1) }).strict(),
    })
    .strict(),
]);
export type Recipe = z.infer<typeof recipeSchema>;

export const diagnosisListSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string(),
    name: z.object({ da: z.string(), en: z.string() }),
    groups: z.array(
      z.object({ name: z.object({ da: z.string(), en: z.string() }), codes: z.array(z.string()).min(1) }),
    ),
  })
  .strict();
export type DiagnosisList = z.infer<typeof diagnosisListSchema>;

async function readYaml<S extends z.ZodType>(file: string, schema: S, label: string): Promise<z.output<S>> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (doc.errors.length > 0) {
    throw new UserError(`${label} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`, { location: { file } });
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    throw new UserError(`${label} does not follow the recipe schema`, {
      location: { file },
      details: result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    });
  }
  return result.data;
}

/** Loads every recipe and diagnosis list under a catalogue folder. */
export async function loadRecipes(
  catalogueDir: string,
): Promise<{ recipes: Recipe[]; lists: Map<string, DiagnosisList> }> {
  const recipeDir = path.join(catalogueDir, 'recipes');
  const listDir = path.join(catalogueDir, 'diagnosis-lists');
  const recipes: Recipe[] = [];
  for (const name of (await readdir(recipeDir)).filter((f) => f.endsWith('.yaml')).sort()) {
    recipes.push(await readYaml(path.join(recipeDir, name), recipeSchema, `recipes/${name}`));
  }
  const lists = new Map<string, DiagnosisList>();
  for (const name of (await readdir(listDir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const list = await readYaml(path.join(listDir, name), diagnosisListSchema, `diagnosis-lists/${name}`);
    lists.set(list.id, list);
  }
  return { recipes, lists };
}
