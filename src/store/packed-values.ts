// Indicator values in columns (codes as indexes into one list of distinct strings, numbers in typed arrays) so
// that a million of them cross from a worker thread to the main thread, and wait there to be written, without a
// million objects or four million strings being made.
import type { IndicatorValue } from './store.js';

export interface PackedValues {
  /** The distinct strings the four code columns point into. */
  strings: string[];
  indicator: Uint32Array;
  unit: Uint32Array;
  period: Uint32Array;
  breakdown: Uint32Array;
  /** NaN stands for null. */
  numerator: Float64Array;
  denominator: Float64Array;
  value: Float64Array;
  suppressed: Uint8Array;
}

/** Columns for `n` values, to be filled by `strings`-indexes and numbers. */
export function emptyPacked(n: number, strings: string[]): PackedValues {
  return {
    strings,
    indicator: new Uint32Array(n),
    unit: new Uint32Array(n),
    period: new Uint32Array(n),
    breakdown: new Uint32Array(n),
    numerator: new Float64Array(n),
    denominator: new Float64Array(n),
    value: new Float64Array(n),
    suppressed: new Uint8Array(n),
  };
}

/** The columns in the order of a stored value: four codes, three numbers, the suppressed flag. */
export function packedColumns(packed: PackedValues) {
  const { indicator, unit, period, breakdown, numerator, denominator, value, suppressed } = packed;
  return [indicator, unit, period, breakdown, numerator, denominator, value, suppressed] as const;
}

/** The buffers to move, not copy, when packed values are posted to another thread. */
export function transferList(packed: PackedValues): ArrayBuffer[] {
  return packedColumns(packed).map((a) => a.buffer as ArrayBuffer);
}

/** Index of each string in a growing list of distinct strings. */
export function stringIndex(strings: string[]): (s: string) => number {
  const at = new Map(strings.map((s, i) => [s, i]));
  return (s) => {
    let i = at.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      at.set(s, i);
    }
    return i;
  };
}

/** Packs values into columns. */
export function packValues(values: readonly IndicatorValue[]): PackedValues {
  const packed = emptyPacked(values.length, []);
  const index = stringIndex(packed.strings);
  for (const [i, v] of values.entries()) putValue(packed, i, v, index);
  return packed;
}

/** Writes one value into position `i`, its codes through `index` (a `stringIndex` of `packed.strings`). */
export function putValue(
  packed: PackedValues,
  i: number,
  v: Omit<IndicatorValue, 'suppressed'> & { suppressed?: boolean },
  index: (s: string) => number,
): void {
  packed.indicator[i] = index(v.indicator);
  packed.unit[i] = index(v.unit);
  packed.period[i] = index(v.period);
  packed.breakdown[i] = index(v.breakdown);
  packed.numerator[i] = v.numerator ?? Number.NaN;
  packed.denominator[i] = v.denominator ?? Number.NaN;
  packed.value[i] = v.value ?? Number.NaN;
  packed.suppressed[i] = v.suppressed ? 1 : 0;
}

const orNull = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? null : n);

/** The value at one position of packed columns, as an object. */
export function valueAt(packed: PackedValues, i: number): IndicatorValue {
  const s = packed.strings;
  return {
    indicator: s[packed.indicator[i] as number] as string,
    unit: s[packed.unit[i] as number] as string,
    period: s[packed.period[i] as number] as string,
    breakdown: s[packed.breakdown[i] as number] as string,
    numerator: orNull(packed.numerator[i]),
    denominator: orNull(packed.denominator[i]),
    value: orNull(packed.value[i]),
    suppressed: packed.suppressed[i] === 1,
  };
}

/** The values of packed columns, one object at a time. */
export function* unpackValues(packed: PackedValues): Generator<IndicatorValue> {
  for (let i = 0; i < packed.indicator.length; i++) yield valueAt(packed, i);
}

/**
 * Packed values (and a few more as objects) as an iterable of values: any store reads them one object at a
 * time; the embedded store recognises them and loads the columns as they are.
 */
export class PackedRows implements Iterable<IndicatorValue> {
  constructor(
    readonly packed: PackedValues,
    readonly extra: readonly IndicatorValue[] = [],
  ) {}

  *[Symbol.iterator](): Iterator<IndicatorValue> {
    yield* unpackValues(this.packed);
    yield* this.extra;
  }
}
