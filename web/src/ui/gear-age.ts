// How old a carried-forward gear is, in one wording on every page: "uit Q1 2024, 11 kwartalen
// geleden". A gear older than a year (more than STALE_AFTER_QUARTERS quarters) is marked as old:
// in bold, so it shows without colour too, and the report's averages count those gears
// (`staleCount`, see staleText).
import type { Average } from '../../../server/contracts/report.contract.ts';
import { STALE_AFTER_QUARTERS } from '../../../server/domain/timeline.ts';
import { h } from './dom.ts';
import { formatQuarter } from './format.ts';
import type { Quarter } from './quarter-select.ts';

/** "1 kwartaal", "11 kwartalen". */
function quarters(n: number): string {
  return `${n} ${n === 1 ? 'kwartaal' : 'kwartalen'}`;
}

/** True when a gear of this age counts as old (more than four quarters). */
export function isOldGear(ageQuarters: number | null): boolean {
  return ageQuarters !== null && ageQuarters > STALE_AFTER_QUARTERS;
}

/**
 * "uit Q1 2024, 11 kwartalen geleden"; null when the gear is not carried (recorded in the quarter
 * itself, age 0) or there is none. `past`: said of an earlier quarter (a history row), where
 * "geleden" would not be true: "uit Q1 2024, toen 2 kwartalen oud".
 */
export function gearAgeText(
  recordedIn: Quarter | null,
  ageQuarters: number | null,
  options: { past?: boolean } = {},
): string | null {
  if (recordedIn === null || ageQuarters === null || ageQuarters <= 0) return null;
  const age = options.past ? `toen ${quarters(ageQuarters)} oud` : `${quarters(ageQuarters)} geleden`;
  return `uit ${formatQuarter(recordedIn)}, ${age}`;
}

/** The same as an element (bold when the gear is old now); null when the gear is not carried. */
export function gearAge(
  recordedIn: Quarter | null,
  ageQuarters: number | null,
  options: { past?: boolean; brackets?: boolean } = {},
): HTMLElement | null {
  const text = gearAgeText(recordedIn, ageQuarters, options);
  if (text === null) return null;
  return h(
    'span',
    // Old is said of now: a history row is not marked.
    { class: isOldGear(ageQuarters) && !options.past ? 'gear-age gear-age-old' : 'gear-age' },
    options.brackets ? `(${text})` : text,
  );
}

/**
 * What an average says about its old gears: "waarvan 3 ouder dan een jaar"; null when none is
 * old or the number is withheld (an anonymised average for an organisation).
 */
export function staleText(average: Pick<Average, 'staleCount'> | undefined, short = false): string | null {
  const stale = average?.staleCount ?? null;
  if (stale === null || stale <= 0) return null;
  return short ? `${stale} oud` : `waarvan ${stale} ouder dan een jaar`;
}

/** "n = 12" or "n = 12, waarvan 3 ouder dan een jaar". */
export function countText(average: Pick<Average, 'n' | 'staleCount'> | undefined, short = false): string {
  const stale = staleText(average, short);
  return `n = ${average?.n ?? 0}${stale ? `, ${stale}` : ''}`;
}

/** The explanation of "oud" under a table that uses the short form. */
export const OLD_GEARS_EXPLAINED =
  '"Oud": zoveel van de getelde versnellingen zijn ouder dan een jaar (meer dan vier kwartalen geleden vastgesteld en sindsdien doorgeschoven). Ze tellen mee in het gemiddelde.';
