import { describe, expect, it } from 'vitest';
import { parseNumber } from './parse-number.js';

describe('parseNumber', () => {
  it('reads Danish numbers', () => {
    expect(parseNumber('1.234,5', ',')).toBe(1234.5);
    expect(parseNumber('12,75', ',')).toBe(12.75);
    expect(parseNumber('1.234.567', ',')).toBe(1234567);
    expect(parseNumber('-3,0', ',')).toBe(-3);
    expect(parseNumber('..', ',')).toBeNull();
    expect(parseNumber('', ',')).toBeNull();
  });
  it('reads international numbers', () => {
    expect(parseNumber('1,234.5', '.')).toBe(1234.5);
    expect(parseNumber('0.25', '.')).toBe(0.25);
    expect(parseNumber('1e3', '.')).toBe(1000);
  });
  it('refuses ambiguous or broken numbers', () => {
    expect(parseNumber('1.5', ',')).toBeNaN();
    expect(parseNumber('12,5', '.')).toBeNaN();
    expect(parseNumber('abc', '.')).toBeNaN();
    expect(parseNumber('1,2,3', ',')).toBeNaN();
  });
});
