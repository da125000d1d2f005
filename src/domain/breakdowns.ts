// The breakdown categories of register data: Pejling's 18 five-year age groups and the education levels.

export const AGE_GROUPS = [
  '0-4',
  '5-9',
  '10-14',
  '15-19',
  '20-24',
  '25-29',
  '30-34',
  '35-39',
  '40-44',
  '45-49',
  '50-54',
  '55-59',
  '60-64',
  '65-69',
  '70-74',
  '75-79',
  '80-84',
  '85+',
] as const;

export const EDUCATION_LEVELS = ['basic', 'vocational', 'higher', 'unknown'] as const;

/** Income quarters of the population: Q1 the poorest quarter, Q4 the richest (register input: 1-4). */
export const INCOME_QUARTILES = ['Q1', 'Q2', 'Q3', 'Q4', 'unknown'] as const;
