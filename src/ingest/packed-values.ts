// Indicator values in columns (strings in arrays, numbers in typed arrays) so that a million of them cross
// from a worker thread to the main thread without a million objects being cloned.
import type { IndicatorValue } from '../store/index.js';

export interface PackedValues {
  indicator: string[];
  unit: string[];
  period: string[];
  breakdown: string[];
  /** NaN stands for null. */
  numerator: Float64Array;
  denominator: Float64Array;
  value: Float64Array;
  suppressed: Uint8Array;
}

/** Packs values into columns; `transfer` lists the buffers to move instead of copy. */
export function packValues(values: readonly IndicatorValue[]): PackedValues & { transfer: ArrayBuffer[] } {
  const n = values.length;
  const packed: PackedValues = {
    indicator: new Array(n),
    unit: new Array(n),
    period: new Array(n),
    breakdown: new Array(n),
    numerator: new Float64Array(n),
    denominator: new Float64Array(n),
    value: new Float64Array(n),
    suppressed: new Uint8Array(n),
  };
  for (const [i, v] of values.entries()) {
    packed.indicator[i] = v.indicator;
    packed.unit[i] = v.unit;
    packed.period[i] = v.period;
    packed.breakdown[i] = v.breakdown;
    packed.numerator[i] = v.numerator ?? Number.NaN;
    packed.denominator[i] = v.denominator ?? Number.NaN;
    packed.value[i] = v.value ?? Number.NaN;
    packed.suppressed[i] = v.suppressed ? 1 : 0;
  }
  const transfer = [packed.numerator, packed.denominator, packed.value, packed.suppressed].map(
    (a) => a.buffer as ArrayBuffer,
  );
  return { ...packed, transfer };
}

/** The values of packed columns, one object at a time. */
export function* unpackValues(packed: PackedValues): Generator<IndicatorValue> {
  const orNull = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? null : n);
  for (let i = 0; i < packed.indicator.length; i++) {
    yield {
      indicator: packed.indicator[i] as string,
      unit: packed.unit[i] as string,
      period: packed.period[i] as string,
      breakdown: packed.breakdown[i] as string,
      numerator: orNull(packed.numerator[i]),
      denominator: orNull(packed.denominator[i]),
      value: orNull(packed.value[i]),
      suppressed: packed.suppressed[i] === 1,
    };
  }
}
