import { formatQuarter } from './quarter.ts';
import { roundHalfAway } from './rounding.ts';

// Rounding is done before formatting (Intl would round the exact binary value: 3.175 to "3,17").
const twoDecimals = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An average as the board reads it: "3,18", half away from zero as in Excel; a dash when there is none. */
export function formatAverage(value: number | null): string {
  return value === null ? '–' : twoDecimals.format(roundHalfAway(value, 2));
}

/**
 * A percentage change with its sign: "+27,04%", "-21,88%"; "+0,00%" also for a small decrease that
 * rounds to zero; a dash when it cannot be computed. Rounded half away from zero, as in Excel.
 */
export function formatPercent(value: number | null): string {
  if (value === null) return '–';
  const rounded = roundHalfAway(value, 2);
  return `${rounded < 0 ? '-' : '+'}${twoDecimals.format(Math.abs(rounded))}%`;
}

export { formatQuarter };

/** A share in percent without a sign: "80,00%"; a dash when there is none. */
export function formatShare(percent: number | null): string {
  return percent === null ? '–' : `${twoDecimals.format(roundHalfAway(percent, 2))}%`;
}

/** A rate such as incidents per 100 employees: "12,50"; a dash when there is none. */
export function formatRate(value: number | null): string {
  return formatAverage(value);
}
