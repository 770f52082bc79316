import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAverage, formatPercent } from '../../server/domain/format.ts';

describe('formatAverage', () => {
  it.each<[number | null, string]>([
    [3.18, '3,18'],
    [11 / 3, '3,67'],
    [4, '4,00'],
    [2.5, '2,50'],
    [null, '–'],
  ])('when the average is %s, then the board reads %j', (value, expected) => {
    expect(formatAverage(value)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each<[number | null, string]>([
    [27.0440251572327, '+27,04%'],
    [-3.1, '-3,10%'],
    [0, '+0,00%'],
    [-0, '+0,00%'],
    [-0.004, '+0,00%'],
    // A tie rounds half away from zero, as Excel does, on both sides of zero.
    [21.875, '+21,88%'],
    [-21.875, '-21,88%'],
    [12.125, '+12,13%'],
    [-12.125, '-12,13%'],
    [1234.5, '+1.234,50%'],
    [null, '–'],
  ])('when the change is %s, then it reads %j', (value, expected) => {
    expect(formatPercent(value)).toBe(expected);
  });

  it('when any change is negated, then it reads the same with the other sign (rounding is symmetric)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        const positive = formatPercent(Math.abs(value));
        const negative = formatPercent(-Math.abs(value));
        const expected = positive === '+0,00%' ? positive : positive.replace(/^\+/, '-');
        expect(negative).toBe(expected);
      }),
    );
  });
});
