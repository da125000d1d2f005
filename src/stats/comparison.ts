// Significance against a benchmark, read through the indicator's polarity.

export type Comparison = 'better' | 'similar' | 'worse' | 'not-compared';
export type Polarity = 'higher-is-better' | 'lower-is-better' | 'none';

/**
 * Compares a value's interval with a benchmark value: significantly higher or lower when the benchmark lies
 * outside the interval, then better or worse by polarity. Without polarity, interval or benchmark: not compared.
 * @example compareWithBenchmark({ lower: 8.1, upper: 9.0 }, 10.2, 'lower-is-better') // 'better'
 */
export function compareWithBenchmark(
  interval: { lower: number; upper: number } | null,
  benchmark: number | null | undefined,
  polarity: Polarity,
): Comparison {
  if (
    polarity === 'none' ||
    !interval ||
    benchmark === null ||
    benchmark === undefined ||
    !Number.isFinite(benchmark)
  ) {
    return 'not-compared';
  }
  if (benchmark >= interval.lower && benchmark <= interval.upper) return 'similar';
  const higher = interval.lower > benchmark;
  return higher === (polarity === 'higher-is-better') ? 'better' : 'worse';
}
