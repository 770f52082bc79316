// Dutch formats for what people read: "3,18", "+27,04%", "Q4 2016". The same functions the
// server's export uses, from the pure domain.
export { formatAverage, formatPercent } from '../../../server/domain/format.ts';

import { formatAverage } from '../../../server/domain/format.ts';
import { formatQuarter, isQuarter } from '../../../server/domain/quarter.ts';

/**
 * A gear as people read it: one organisation's own gear is a whole number, "3" (not "3,00");
 * anything else (an average) keeps its two decimals, "3,25"; a dash when there is none.
 */
export function formatGear(value: number | null): string {
  if (value === null) return '–';
  return Number.isInteger(value) ? String(value) : formatAverage(value);
}

export {
  formatQuarter,
  previousQuarter,
  quarterOfDate,
  quarterRange,
} from '../../../server/domain/quarter.ts';

/** A quarter that came as plain text (the history's snapshots): "Q4 2016", or the text as it is. */
export function quarterText(text: string): string {
  return isQuarter(text) ? formatQuarter(text) : text;
}

export { formatDate, formatDateTime } from '../../../server/domain/date-format.ts';

/** "1 fout", "3 fouten". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Names joined as people write them: "A, B & C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`;
}

/** For searching: case, accents and extra spaces ignored, so "coop" finds "Coöperatie". */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl').replace(/\s+/g, ' ').trim();
}

/** Sorting names the Dutch way, "Café" next to "cafe" and "2" before "10". */
export const byName = new Intl.Collator('nl', { sensitivity: 'base', numeric: true });
