import { formatQuarter } from './quarter.ts';

const twoDecimals = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An average as the board reads it: "3,18"; a dash when there is none. */
export function formatAverage(value: number | null): string {
  return value === null ? '–' : twoDecimals.format(value);
}

/** A percentage change with its sign: "+27,04%", "-3,10%", "+0,00%"; a dash when it cannot be computed. */
export function formatPercent(value: number | null): string {
  if (value === null) return '–';
  // Half away from zero, as Excel's ROUND and number formats do: −21,875 is "-21,88%".
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * 100)) / 100;
  const sign = rounded > 0 ? '+' : rounded < 0 ? '-' : '+';
  return `${sign}${twoDecimals.format(Math.abs(rounded))}%`;
}

export { formatQuarter };
