import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAverage, formatPercent } from '../../server/domain/format.ts';
import { percentChange } from '../../server/domain/report.ts';
import { roundHalfAway, spreadsheetPercent } from '../../server/domain/rounding.ts';

/**
 * A decimal as people type it, `units` × 10^−`scale` (at most 15 significant digits, as Excel
 * keeps), rounded to two places half away from zero in exact integer arithmetic: the oracle.
 */
function roundDecimal(units: bigint, scale: number): number {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  let cents: bigint;
  if (scale <= 2) cents = abs * 10n ** BigInt(2 - scale);
  else {
    const step = 10n ** BigInt(scale - 2);
    cents = abs / step + (2n * (abs % step) >= step ? 1n : 0n);
  }
  const magnitude = Number(`${cents}e-2`);
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

/** Decimals with up to 15 significant digits and up to 8 places, and the double nearest to each. */
const typedDecimal = fc
  .record({
    units: fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }),
    scale: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ units, scale }) => ({ units, scale, value: Number(units) / 10 ** scale }));

/** Ties at two decimals: k/1000 with k an odd multiple of 5 (…,005; …,015; …; …,995). */
const tie = fc.integer({ min: -1e9, max: 1e9 }).map((j) => (10 * j + 5) / 1000);

const moderate = fc.double({ min: -1e9, max: 1e9, noNaN: true });

/** How the board's Dutch text reads back as a number: "1.234,50" → 1234.5. */
function readBack(text: string): number {
  return Number(text.replace(/\./g, '').replace(',', '.').replace('%', ''));
}

describe('roundHalfAway', () => {
  it.each<[number, number, number]>([
    // Decimals that binary floating point stores a hair below their half still round up.
    [3.175, 2, 3.18],
    [1.005, 2, 1.01],
    [2.675, 2, 2.68],
    [8.675, 2, 8.68],
    [1.115, 2, 1.12],
    [0.285, 2, 0.29],
    [-21.875, 2, -21.88],
    [21.875, 2, 21.88],
    [0.125, 2, 0.13],
    [-0.125, 2, -0.13],
    [0.995, 2, 1],
    [99.995, 2, 100],
    [-0.005, 2, -0.01],
    [0.0049999, 2, 0],
    [1e-7, 2, 0],
    [5e-324, 2, 0],
    // Binary noise of a calculation: (63/40 − 4) / 4 × 100 is −60.62499999999999, really −60.625.
    [percentChange(4, 63 / 40)!, 2, -60.63],
    [0.1 + 0.2, 2, 0.3],
    [1.1 * 1.15, 2, 1.27],
    // A value 1 ulp below 1.005 is 1.005 to Excel's 15 digits (LibreOffice 7.4 shows 1,00 there).
    [1.0049999999999997, 2, 1.01],
    // Large values: 15 significant digits, as Excel keeps them.
    [123456789012.345, 2, 123456789012.35],
    [12345678.125, 2, 12345678.13],
    [1e20, 2, 1e20],
    [12345678901234568, 2, 12345678901234600],
    [Number.MAX_VALUE, 2, Number.MAX_VALUE],
    // Other places.
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [0.5, 0, 1],
    [1234.5675, 3, 1234.568],
    [0.123456, 4, 0.1235],
  ])('when %s is rounded to %i places, then it is %s', (value, decimals, expected) => {
    expect(roundHalfAway(value, decimals)).toBe(expected);
  });

  it('when nothing is said about places, then it rounds to two', () => {
    expect(roundHalfAway(3.175)).toBe(3.18);
  });

  it('when a value rounds to zero from below, then it is 0, not −0', () => {
    expect(Object.is(roundHalfAway(-0.004), 0)).toBe(true);
    expect(Object.is(roundHalfAway(-0), 0)).toBe(true);
    expect(Object.is(roundHalfAway(-1e-300, 0), 0)).toBe(true);
  });

  it('when the value is not a finite number, then it comes back as it is', () => {
    expect(roundHalfAway(Number.NaN)).toBeNaN();
    expect(roundHalfAway(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundHalfAway(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });

  it.each([-1, 1.5, 21, Number.NaN])('when the places are %s, then it refuses', (decimals) => {
    expect(() => roundHalfAway(1, decimals)).toThrow(RangeError);
  });

  it('when a decimal is typed with up to 15 significant digits, then it rounds as that decimal would, exactly', () => {
    fc.assert(
      fc.property(typedDecimal, ({ units, scale, value }) => {
        expect(roundHalfAway(value, 2)).toBe(roundDecimal(units, scale));
      }),
      { numRuns: 2000 },
    );
  });

  it('when a value is a tie at two decimals, then it moves half a cent away from zero', () => {
    fc.assert(
      fc.property(tie, (value) => {
        const rounded = roundHalfAway(value, 2);
        expect(Math.sign(rounded)).toBe(Math.sign(value));
        expect(Math.abs(rounded) - Math.abs(value)).toBeCloseTo(0.005, 6);
      }),
      { numRuns: 1000 },
    );
  });

  it('when any value is negated, then its rounding is negated (the rule is symmetric)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (value) => {
        // `+ 0` makes −0 and 0 the same.
        expect(roundHalfAway(-value) + 0).toBe(-roundHalfAway(value) + 0);
      }),
    );
  });

  it('when a value is rounded twice, then the second rounding changes nothing', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.integer({ min: 0, max: 6 }), (value, decimals) => {
        const once = roundHalfAway(value, decimals);
        expect(roundHalfAway(once, decimals)).toBe(once);
      }),
    );
  });

  it('when one value is at most another, then so is its rounding (the rule is monotone)', () => {
    fc.assert(
      fc.property(moderate, moderate, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(roundHalfAway(low)).toBeLessThanOrEqual(roundHalfAway(high));
      }),
    );
  });

  it('when a value is rounded, then it moves at most half a cent and keeps at most two decimals', () => {
    fc.assert(
      fc.property(moderate, (value) => {
        const rounded = roundHalfAway(value);
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.005 + Math.abs(value) * 1e-14);
        expect(Number(rounded.toFixed(2))).toBe(rounded);
        expect(Object.is(rounded, -0)).toBe(false);
      }),
    );
  });
});

describe('spreadsheetPercent', () => {
  it.each<[number, number]>([
    [27.0440251572327, 0.2704],
    [-31.875, -0.3188],
    [percentChange(4, 63 / 40)!, -0.6063],
    [-0.004, 0],
  ])('when the change is %s %, then the cell holds %s', (percent, fraction) => {
    expect(spreadsheetPercent(percent)).toBeCloseTo(fraction, 15);
  });

  it('when a spreadsheet shows the cell as a percentage, then it is the rounded change, far from any tie', () => {
    fc.assert(
      fc.property(fc.oneof(moderate, tie), (percent) => {
        const shown = spreadsheetPercent(percent) * 100;
        expect(Math.abs(shown - roundHalfAway(percent))).toBeLessThan(1e-6 + Math.abs(percent) * 1e-14);
      }),
    );
  });
});

describe('formatAverage', () => {
  it.each<[number | null, string]>([
    [3.18, '3,18'],
    [11 / 3, '3,67'],
    [4, '4,00'],
    [2.5, '2,50'],
    // Intl alone rounds the exact binary value, 3.17499999999999982236431605997495353221893310546875, down.
    [3.175, '3,18'],
    [127 / 40, '3,18'],
    [1.005, '1,01'],
    [2.675, '2,68'],
    [0.125, '0,13'],
    [1e-7, '0,00'],
    [-0.001, '0,00'],
    [-21.875, '-21,88'],
    [123456789012.345, '123.456.789.012,35'],
    [null, '–'],
  ])('when the average is %s, then the board reads %j', (value, expected) => {
    expect(formatAverage(value)).toBe(expected);
  });

  it('when any average is shown, then it reads back as its rounding half away from zero', () => {
    fc.assert(
      fc.property(fc.oneof(moderate, tie), (value) => {
        const text = formatAverage(value);
        expect(text).toMatch(/^-?\d{1,3}(\.\d{3})*,\d{2}$/);
        expect(readBack(text)).toBe(roundHalfAway(value));
      }),
    );
  });

  it('when an average of whole gears ends within eight places, then it reads as that decimal rounded half away from zero', () => {
    const gears = fc
      .integer({ min: 1, max: 200 })
      .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: n, max: 5 * n })));
    fc.assert(
      fc.property(gears, ([n, sum]) => {
        const scaled = BigInt(sum) * 10n ** 8n;
        fc.pre(scaled % BigInt(n) === 0n);
        expect(readBack(formatAverage(sum / n))).toBe(roundDecimal(scaled / BigInt(n), 8));
      }),
    );
  });
});

describe('formatPercent', () => {
  it.each<[number | null, string]>([
    [27.0440251572327, '+27,04%'],
    [-3.1, '-3,10%'],
    [0, '+0,00%'],
    [-0, '+0,00%'],
    [-0.004, '+0,00%'],
    [-0.005, '-0,01%'],
    // A tie rounds half away from zero, as Excel does, on both sides of zero.
    [21.875, '+21,88%'],
    [-21.875, '-21,88%'],
    [12.125, '+12,13%'],
    [-12.125, '-12,13%'],
    [3.175, '+3,18%'],
    [-1.005, '-1,01%'],
    [percentChange(4, 63 / 40), '-60,63%'],
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

  it('when any change is shown, then it is the rounded average text with a sign and a percent sign', () => {
    fc.assert(
      fc.property(fc.oneof(moderate, tie), (value) => {
        const rounded = roundHalfAway(value);
        expect(formatPercent(value)).toBe(`${rounded < 0 ? '-' : '+'}${formatAverage(Math.abs(value))}%`);
      }),
    );
  });
});
