/**
 * The one rounding rule for figures people read: half away from zero, as Excel's ROUND and its
 * number formats do. Pure and free of Node APIs: the CLI, the pages and the workbook share it.
 */

/** Excel keeps 15 significant digits; whatever lies beyond them is binary noise. */
const SIGNIFICANT_DIGITS = 15;

/**
 * `value` rounded to `decimals` places, half away from zero (3.175 → 3.18, −21.875 → −21.88).
 * The value is first read to 15 significant digits, as Excel does, so a decimal that binary
 * floating point stores a hair below its half (1.005, 2.675, 3.175, or a computed −60.62499999999999)
 * rounds as written. Never returns −0; NaN and ±Infinity come back as they are.
 */
export function roundHalfAway(value: number, decimals = 2): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`roundHalfAway: decimals must be a whole number from 0 to 20, not ${decimals}`);
  }
  if (value === 0) return 0;
  if (!Number.isFinite(value)) return value;
  // "d.dddddddddddddde±x": exactly 15 significant digits, the last one rounded.
  const [mantissa, exponentText] = Math.abs(value)
    .toExponential(SIGNIFICANT_DIGITS - 1)
    .split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  // How many of those digits lie at or before the last kept decimal place.
  const kept = exponent + 1 + decimals;
  let magnitude: number;
  if (kept >= digits.length) {
    magnitude = Number(`${digits}e${exponent - (SIGNIFICANT_DIGITS - 1)}`);
  } else if (kept < 0) {
    return 0;
  } else {
    const units = Number(digits.slice(0, kept) || '0') + (digits[kept]! >= '5' ? 1 : 0);
    if (units === 0) return 0;
    magnitude = Number(`${units}e-${decimals}`);
  }
  // Only near Number.MAX_VALUE can 15 digits round past the largest double.
  if (!Number.isFinite(magnitude)) return value;
  return value < 0 ? -magnitude : magnitude;
}

/**
 * The number to store in a spreadsheet cell with a percent format for a change of `percent` %, so
 * that every spreadsheet shows what {@link roundHalfAway} gives. A cell holds a fraction (0.2704
 * for 27,04%) and the program multiplies it by 100 to show it; LibreOffice then rounds the shortest
 * decimal of that product without Excel's 15-digit correction, so an unrounded fraction such as
 * −0.31875 would show as "−31,87%". Stored already rounded, nothing is left near a half.
 */
export function spreadsheetPercent(percent: number): number {
  return roundHalfAway(percent, 2) / 100;
}
