import { describe, expect, it } from 'vitest';
import { UserError } from '../domain/errors.js';
import { checkByProvider as checkByHospital } from './by-provider.js';
import { recipeSchema } from './recipe.js';

describe('recipes by hospital', () => {
  it('refuses a population-based recipe by hospital, naming the recipe', () => {
    const recipe = recipeSchema.parse({
      schemaVersion: 1,
      indicator: 'hospital-courses-per-citizen',
      template: 'event-rate',
      events: 'courses',
      denominator: { population: {} },
      byHospital: true,
    });
    expect(() => checkByHospital(recipe)).toThrow(UserError);
    expect(() => checkByHospital(recipe)).toThrow(
      "The recipe for 'hospital-courses-per-citizen' cannot be computed by hospital",
    );
  });

  it('accepts a share by hospital, and any recipe that does not ask for it', () => {
    const share = recipeSchema.parse({
      schemaVersion: 1,
      indicator: 'virtual-course-share',
      template: 'share',
      events: 'courses',
      numerator: { virtual: true },
      byHospital: true,
    });
    expect(() => checkByHospital(share)).not.toThrow();
    expect(recipeSchema.parse({ ...share, byHospital: undefined }).byHospital).toBe(false);
  });
});
