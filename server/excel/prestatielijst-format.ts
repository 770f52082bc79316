import { GEAR_PALETTE } from '../domain/gear-palette.ts';
import { formatQuarter, type Quarter, readLooseQuarter } from '../domain/quarter.ts';
import type { MembershipPeriod } from '../domain/timeline.ts';

/**
 * The layout of a prestatielijst that the writer produces and the reader accepts, in one place,
 * so an exported list always imports again. The Dutch texts of the list live here too.
 */
export const SHEET = {
  list: 'Prestatielijst',
  analysis: 'Analyse',
  sectors: 'Sectoren',
  model: 'Schakelmodel',
} as const;

export const HEADER = {
  organisation: 'Organisatie',
  sector: 'Sector',
  memberFrom: 'Lid sinds',
  memberUntil: 'Lid tot',
  change: 'Verandering',
} as const;

/**
 * The writer's average rows are named `Gemiddelde <sector>` and `Gemiddelde regio`; the reader
 * skips only rows shaped like those (no sector, averages only), not every name starting so.
 */
export const AVERAGE_PREFIX = 'Gemiddelde';

/** Fill colours per gear 1–5: the palette the pages use too (server/domain/gear-palette.ts). */
export const GEAR_FILLS: Record<number, string> = GEAR_PALETTE;

// ---------------------------------------------------------------------------------------------
// Membership periods in the Lid sinds / Lid tot cells

/** Between the periods of one cell: `Q4 2015; Q1 2017`. */
export const PERIOD_SEPARATOR = '; ';

/** In `Lid tot`, the end of a period that is still running when there are several periods. */
export const OPEN_END = '–';

/**
 * The `Lid sinds` and `Lid tot` cells of an organisation's membership periods. One period is
 * written as it always was (`Q4 2015` and `Q2 2016`, or a blank `Lid tot` while it runs); several
 * pair up by position: `Q4 2015; Q1 2017` and `Q2 2016; –` (the last still running).
 */
export function membershipCells(periods: readonly MembershipPeriod[]): [string | null, string | null] {
  if (periods.length === 0) return [null, null];
  if (periods.length === 1) {
    const [p] = periods as [MembershipPeriod];
    return [formatQuarter(p.from), p.until ? formatQuarter(p.until) : null];
  }
  return [
    periods.map((p) => formatQuarter(p.from)).join(PERIOD_SEPARATOR),
    periods.map((p) => (p.until ? formatQuarter(p.until) : OPEN_END)).join(PERIOD_SEPARATOR),
  ];
}

/** Splits a membership cell into its parts: `;`, `,` or a line break between periods. */
export function membershipParts(text: string): string[] {
  return text.split(/[;,\n]/).map((part) => part.trim());
}

/** A part of `Lid tot` that says the period is still running: blank, a dash or "nu". */
export function isOpenEnd(part: string): boolean {
  return /^(|-|–|—|nu|heden)$/i.test(part.trim());
}

// ---------------------------------------------------------------------------------------------
// The period after a name: an organisation that moved sector has a row per sector

/**
 * What follows the name of an organisation that changed sector within the list's period: the
 * quarters (of the list) its row covers. "tot en met Q2 2016" for a row from the list's start,
 * "vanaf Q3 2016" for one to its end, "Q3 2016 tot en met Q4 2016" in between.
 */
export function periodSuffix(first: Quarter, last: Quarter, listFrom: Quarter, listTo: Quarter): string {
  if (first === listFrom) return `tot en met ${formatQuarter(last)}`;
  if (last === listTo) return `vanaf ${formatQuarter(first)}`;
  return `${formatQuarter(first)} tot en met ${formatQuarter(last)}`;
}

/** An organisation's name with the period of its row: "Ziekenhuis X (tot en met Q2 2016)". */
export function nameWithPeriod(name: string, suffix: string): string {
  return `${name} (${suffix})`;
}

/** The period read back from a name: null ends are the list's start or end. */
export interface NamePeriod {
  /** The name without the period. */
  name: string;
  from: Quarter | null;
  until: Quarter | null;
  /** The text between the brackets, as written. */
  label: string;
}

const UNTIL_INCLUDING = String.raw`(?:tot\s+en\s+met|t\/m|tm)`;
const BOTH = new RegExp(String.raw`^(?:van\s+)?(.+?)\s+${UNTIL_INCLUDING}\s+(.+)$`, 'i');
const UNTIL = new RegExp(String.raw`^${UNTIL_INCLUDING}\s+(.+)$`, 'i');
const FROM = /^vanaf\s+(.+)$/i;
/** "tot Q2 2016": is Q2 2016 in or out? Refused, with the two ways to say it. */
const AMBIGUOUS = /^(?:(?:van\s+)?(.+?)\s+)?tot\s+(.+)$/i;

/**
 * Reads the period after a name ("Ziekenhuis X (vanaf Q3 2016)"). Null when the name does not end
 * in a period of quarters (a name such as "Stichting Y (Utrecht)" stays whole); `error` when it
 * does but cannot be read unambiguously.
 */
export function readNamePeriod(fullName: string): NamePeriod | { name: string; error: string } | null {
  const m = /^(.*\S)\s*\(\s*([^()]+?)\s*\)$/u.exec(fullName);
  if (!m) return null;
  const name = m[1]!;
  const label = m[2]!.replace(/\s+/g, ' ');
  const quarter = (text: string | undefined) => (text === undefined ? null : readLooseQuarter(text));
  let found: { from: Quarter | null; until: Quarter | null } | null = null;
  const both = BOTH.exec(label);
  const until = UNTIL.exec(label);
  const from = FROM.exec(label);
  if (until) {
    const q = quarter(until[1]);
    if (q) found = { from: null, until: q };
  } else if (both) {
    const a = quarter(both[1]);
    const b = quarter(both[2]);
    if (a && b) found = { from: a, until: b };
  } else if (from) {
    const q = quarter(from[1]);
    if (q) found = { from: q, until: null };
  } else {
    const ambiguous = AMBIGUOUS.exec(label);
    const end = quarter(ambiguous?.[2]);
    if (ambiguous && end && (ambiguous[1] === undefined || quarter(ambiguous[1]))) {
      return {
        name,
        error: `'(${label})' achter de naam is niet eenduidig: schrijf 'tot en met ${formatQuarter(end)}' als ${formatQuarter(end)} erbij hoort, of 'vanaf' met het kwartaal waarin de organisatie naar deze sector ging`,
      };
    }
  }
  if (!found) return null;
  if (found.from && found.until && found.until < found.from) {
    return {
      name,
      error: `'(${label})' achter de naam loopt achteruit: ${formatQuarter(found.until)} ligt vóór ${formatQuarter(found.from)}`,
    };
  }
  return { name, ...found, label };
}

// ---------------------------------------------------------------------------------------------
// Carried-forward gears

/** "1 kwartaal geleden", "11 kwartalen geleden". */
export function quartersAgo(quarters: number): string {
  return `${quarters} ${quarters === 1 ? 'kwartaal' : 'kwartalen'} geleden`;
}

/**
 * The note on a carried-forward gear: where it came from and how old it is in that quarter.
 * "Doorgeschoven uit Q1 2024, 11 kwartalen geleden: geen nieuwe quickscan in Q4 2026".
 */
export function carriedNote(recordedIn: Quarter, quarter: Quarter, age: number): string {
  return `Doorgeschoven uit ${formatQuarter(recordedIn)}, ${quartersAgo(age)}: geen nieuwe quickscan in ${formatQuarter(quarter)}`;
}

/** The quarter a carried-forward note names ("Doorgeschoven uit Q1 2024, …"), or null. */
export function carriedFromNote(note: string): Quarter | null {
  const m = /doorgeschoven\s+uit\s+([^,:;]+)/i.exec(note);
  return m ? readLooseQuarter(m[1]!) : null;
}
