import { ValidationError } from '../errors.ts';

/**
 * A quarter in canonical data form, e.g. `2016-Q4`. Canonical strings sort chronologically. A plain
 * string is not a Quarter: it becomes one through {@link parseQuarter}, {@link isQuarter} or the
 * contracts' quarter schema, so an unchecked string cannot reach the quarter maths.
 */
export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

const CANONICAL = /^(\d{4})-Q([1-4])$/;

/** Message shown for anything that is not a quarter; says how to write one. */
export function invalidQuarterMessage(input: string): string {
  return `kwartaal '${input}' bestaat niet: gebruik JJJJ-Qn met n van 1 tot 4 (bijvoorbeeld 2016-Q4)`;
}

/** True when `input` is a canonical quarter within the supported years. */
export function isQuarter(input: string): input is Quarter {
  const m = CANONICAL.exec(input);
  if (!m) return false;
  const year = Number(m[1]);
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Parses a canonical quarter, trimming surrounding spaces and accepting a lower-case `q`. */
export function parseQuarter(input: string): Quarter {
  const normalised = input.trim().toUpperCase();
  if (!isQuarter(normalised))
    throw new ValidationError(invalidQuarterMessage(input), undefined, 'invalid_quarter');
  return normalised;
}

/** Zero-based running number of a quarter, for arithmetic. */
export function quarterIndex(q: Quarter): number {
  // The common case read character by character (the reports call this per organisation).
  if (q.length === 7 && q.charCodeAt(4) === 45 && q.charCodeAt(5) === 81) {
    const y0 = q.charCodeAt(0) - 48;
    const y1 = q.charCodeAt(1) - 48;
    const y2 = q.charCodeAt(2) - 48;
    const y3 = q.charCodeAt(3) - 48;
    const n = q.charCodeAt(6) - 48;
    if (
      y0 >= 0 &&
      y0 <= 9 &&
      y1 >= 0 &&
      y1 <= 9 &&
      y2 >= 0 &&
      y2 <= 9 &&
      y3 >= 0 &&
      y3 <= 9 &&
      n >= 1 &&
      n <= 4
    ) {
      return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 4 + n - 1;
    }
  }
  const m = CANONICAL.exec(q);
  if (!m) throw new ValidationError(invalidQuarterMessage(q), undefined, 'invalid_quarter');
  return Number(m[1]) * 4 + Number(m[2]) - 1;
}

export function quarterFromIndex(index: number): Quarter {
  const year = Math.floor(index / 4);
  const q = index - year * 4 + 1;
  const result = `${String(year).padStart(4, '0')}-Q${q}`;
  if (!isQuarter(result)) throw new ValidationError(`kwartaal buiten het bereik ${MIN_YEAR}–${MAX_YEAR}`);
  return result;
}

export function nextQuarter(q: Quarter): Quarter {
  return quarterFromIndex(quarterIndex(q) + 1);
}

export function previousQuarter(q: Quarter): Quarter {
  return quarterFromIndex(quarterIndex(q) - 1);
}

/** Negative when a is before b, zero when equal, positive when after. */
export function compareQuarters(a: Quarter, b: Quarter): number {
  return quarterIndex(a) - quarterIndex(b);
}

/** Number of quarters from a to b (0 when equal, negative when b is before a). */
export function quartersBetween(a: Quarter, b: Quarter): number {
  return quarterIndex(b) - quarterIndex(a);
}

/** Every quarter from `from` to `to`, both included. Refuses a reversed range. */
export function quarterRange(from: Quarter, to: Quarter): Quarter[] {
  const start = quarterIndex(from);
  const end = quarterIndex(to);
  if (end < start) {
    throw new ValidationError(
      `periode loopt achteruit: ${formatQuarter(from)} ligt na ${formatQuarter(to)}; kies een eindkwartaal op of na het beginkwartaal`,
      { from, to },
      'reversed_period',
    );
  }
  const result: Quarter[] = [];
  for (let i = start; i <= end; i++) result.push(quarterFromIndex(i));
  return result;
}

/** The regions are Dutch: days and quarters turn over at midnight in Amsterdam, not in UTC. */
export const TIME_ZONE = 'Europe/Amsterdam';

const localDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date of a moment in the Netherlands, as `YYYY-MM-DD`. */
export function localDate(date: Date): string {
  return localDay.format(date);
}

/** The quarter a moment falls in, by the Dutch calendar. */
export function quarterOfDate(date: Date): Quarter {
  const [year, month] = localDate(date).split('-');
  return parseQuarter(`${year}-Q${Math.floor((Number(month) - 1) / 3) + 1}`);
}

/** The first day of a quarter as `YYYY-MM-DD`. */
export function quarterStartDate(q: Quarter): string {
  const index = quarterIndex(q);
  const year = Math.floor(index / 4);
  const month = (index - year * 4) * 3 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

/** The quarter as people read it: `Q4 2016`. */
export function formatQuarter(q: Quarter): string {
  const m = CANONICAL.exec(q);
  return m ? `Q${m[2]} ${m[1]}` : q;
}

/** True when q lies in [from, until]; a missing `until` means open-ended. */
export function isWithin(q: Quarter, from: Quarter, until: Quarter | null): boolean {
  return q >= from && (until === null || q <= until);
}

const LOOSE_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => [string, string]]> = [
  [/^(\d{4})\s*-?\s*q\s*([1-4])$/i, (m) => [m[1]!, m[2]!]],
  [/^q\s*([1-4])\s*[-/ ]?\s*(\d{4})$/i, (m) => [m[2]!, m[1]!]],
  [/^([1-4])\s*(?:e|ste|de)?\s*kwartaal\s*(\d{4})$/i, (m) => [m[2]!, m[1]!]],
  [/^kwartaal\s*([1-4])\s*(\d{4})$/i, (m) => [m[2]!, m[1]!]],
];

/**
 * Reads a quarter as people write it in spreadsheets: `2015-Q4`, `Q4 2015`, `4e kwartaal 2015`.
 * Returns null when the text is not a quarter.
 */
export function readLooseQuarter(input: string): Quarter | null {
  const text = input.trim().replace(/\s+/g, ' ');
  for (const [pattern, pick] of LOOSE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) {
      const [year, q] = pick(m);
      const candidate = `${year}-Q${q}`;
      return isQuarter(candidate) ? candidate : null;
    }
  }
  return null;
}
