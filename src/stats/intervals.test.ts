// Checked against the published test values of PHEindicatormethods (test/fixtures/stats) to 6+ significant digits.
import { describe, expect, it } from 'vitest';
import { readSheet } from '../../test/fixtures/stats/read-xlsx.js';
import { byarsInterval, crudeRateInterval, exactPoissonInterval, wilsonInterval } from './intervals.js';

const level = (text: unknown) => (String(text).startsWith('99.8') ? 0.998 : 0.95);
/** Relative agreement to 1e-7 (7 significant digits), absolute for values near 0. */
const close = (actual: number, expected: unknown) => {
  if (expected === null || expected === undefined) {
    expect(actual).toBeNaN();
    return;
  }
  expect(Math.abs(actual - Number(expected))).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(Number(expected))));
};
/** Rows whose inputs are missing have no published values; they are checked for that. */
const complete = (rows: Record<string, unknown>[], fields: string[]) => {
  for (const r of rows.filter((r) => fields.some((f) => r[f] === null || r[f] === undefined))) {
    expect(r.value ?? null, String(r.Area)).toBeNull();
  }
  return rows.filter((r) => fields.every((f) => r[f] !== null && r[f] !== undefined));
};

describe('published worked examples', () => {
  it('Wilson 65/100 and Byar 65 at 95 %, Byar 1045 at 99.8 %', () => {
    const w = wilsonInterval(65, 100);
    close(w.lower, 0.552544433);
    close(w.upper, 0.736357518);
    const b = byarsInterval(65);
    close(b.lower, 50.1631877);
    close(b.upper, 82.8491385);
    const b2 = byarsInterval(1045, 0.998);
    close(b2.lower, 947.940704);
    close(b2.upper, 1148.80616);
  });
});

describe("Byar's and Wilson test data", async () => {
  const rows = await readSheet('testdata_Byars_Wilson.xlsx', 'testdata_B_W');
  it.each(rows.map((r) => [`${r.method} x=${r.x} n=${r.n ?? ''} ${r.confidence}`, r]))('%s', (_name, r) => {
    const interval =
      r.method === 'Wilson'
        ? wilsonInterval(Number(r.x), Number(r.n), level(r.confidence))
        : byarsInterval(Number(r.x), level(r.confidence));
    close(interval.lower, r.lowercl);
    close(interval.upper, r.uppercl);
  });
});

describe('proportions (Wilson) test data', async () => {
  const rows = complete(await readSheet('testdata_Proportion.xlsx', 'testdata_Prop'), ['Numerator', 'Denominator']);
  it.each(rows.map((r) => [String(r.Area), r]))('%s', (_name, r) => {
    const x = Number(r.Numerator);
    const n = Number(r.Denominator);
    const m = Number(r.multiplier);
    const at95 = wilsonInterval(x, n, 0.95);
    const at998 = wilsonInterval(x, n, 0.998);
    close(at95.lower * m, r.lower95_0cl);
    close(at95.upper * m, r.upper95_0cl);
    close(at998.lower * m, r.lower99_8cl);
    close(at998.upper * m, r.upper99_8cl);
  });
});

describe('crude rates (exact Poisson below 10, Byar from 10) test data', async () => {
  const rows = complete(await readSheet('testdata_Rate.xlsx', 'testdata_Rate'), ['Numerator', 'Denominator']);
  it.each(rows.map((r) => [`${r.Area} (${r.method})`, r]))('%s', (_name, r) => {
    const o = Number(r.Numerator);
    const n = Number(r.Denominator);
    const m = Number(r.multiplier);
    const at95 = crudeRateInterval(o, n, m, 0.95);
    const at998 = crudeRateInterval(o, n, m, 0.998);
    close(at95.value, r.value);
    close(at95.lower, r.lower95_0cl);
    close(at95.upper, r.upper95_0cl);
    close(at998.lower, r.lower99_8cl);
    close(at998.upper, r.upper99_8cl);
    const expectedMethod = o < 10 ? 'Exact' : 'Byars';
    expect(r.method).toBe(expectedMethod);
  });

  it('exact Poisson limits of 0 events', () => {
    expect(exactPoissonInterval(0).lower).toBe(0);
    close(exactPoissonInterval(0).upper, 3.688879454);
  });
});
