/**
 * The network's work (issue 13), free of I/O and of zod (the pages import it): the statuses of an
 * agreed action, when it is overdue, the kinds of activity, and the board's counts of activities.
 */
import { isQuarter, type Quarter, quarterFromIndex, quarterIndex, quarterOfDate } from './quarter.ts';

export const ACTION_STATUSES = ['open', 'bezig', 'klaar', 'vervallen'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_NAMES: Record<ActionStatus, string> = {
  open: 'open',
  bezig: 'bezig',
  klaar: 'klaar',
  vervallen: 'vervallen',
};

export const ACTIVITY_KINDS = [
  'huisbezoek',
  'netwerkbijeenkomst',
  'ambassadeursbijeenkomst',
  'workshop',
  'advies',
  'overig',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_KIND_NAMES: Record<ActivityKind, string> = {
  huisbezoek: 'huisbezoek',
  netwerkbijeenkomst: 'netwerkbijeenkomst',
  ambassadeursbijeenkomst: 'ambassadeursbijeenkomst',
  workshop: 'workshop/training',
  advies: 'advies',
  overig: 'overig',
};

/** When an action is due: by the end of a quarter, or on a date; or not set. */
export interface Due {
  quarter: Quarter | null;
  /** YYYY-MM-DD. */
  date: string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return (
    y >= 1990 &&
    y <= 2100 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d
  );
}

/** A due moment as typed: a quarter (`2027-Q1`) or a date (`2027-03-31`); null when it is neither. */
export function parseDue(text: string): Due | null {
  const t = text.trim().toUpperCase();
  if (isQuarter(t)) return { quarter: t, date: null };
  if (isIsoDate(t)) return { quarter: null, date: t };
  return null;
}

/** The Dutch calendar date of a moment, YYYY-MM-DD. */
function today(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * Overdue: still open or in progress after its due moment (a due quarter is overdue once that
 * quarter is over; a due date the day after).
 */
export function isOverdue(action: { status: ActionStatus; due: Due }, now: Date): boolean {
  if (action.status === 'klaar' || action.status === 'vervallen') return false;
  if (action.due.quarter) return action.due.quarter < quarterOfDate(now);
  if (action.due.date) return action.due.date < today(now);
  return false;
}

/** The quarter a YYYY-MM-DD date lies in. */
export function quarterOfIsoDate(date: string): Quarter {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return quarterFromIndex(y * 4 + Math.floor((m - 1) / 3));
}

export interface ActivityCount {
  quarter: Quarter;
  counts: Record<ActivityKind, number>;
  total: number;
}

/** Per quarter of [from, to] the activities of each kind (every quarter listed, also empty ones). */
export function activityCounts(
  activities: ReadonlyArray<{ date: string; kind: ActivityKind }>,
  from: Quarter,
  to: Quarter,
): ActivityCount[] {
  const rows: ActivityCount[] = [];
  for (let i = quarterIndex(from); i <= quarterIndex(to); i++) {
    rows.push({
      quarter: quarterFromIndex(i),
      counts: Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, 0])) as Record<ActivityKind, number>,
      total: 0,
    });
  }
  const first = quarterIndex(from);
  for (const a of activities) {
    const row = rows[quarterIndex(quarterOfIsoDate(a.date)) - first];
    if (!row) continue;
    row.counts[a.kind] += 1;
    row.total += 1;
  }
  return rows;
}

/** The date a year before a YYYY-MM-DD date (29 February goes to 28 February). */
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = m === 2 && d === 29 ? 28 : d;
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The share of `members` with a house visit in the twelve months up to and including `asOf`
 * (YYYY-MM-DD): visited / members; null without members.
 */
export function visitedShare(
  members: readonly number[],
  visits: ReadonlyArray<{ date: string; organisationIds: readonly number[] }>,
  asOf: string,
): { visited: number; members: number; share: number | null } {
  const since = yearBefore(asOf);
  const seen = new Set<number>();
  for (const v of visits) {
    if (v.date <= since || v.date > asOf) continue;
    for (const id of v.organisationIds) seen.add(id);
  }
  const visited = members.filter((id) => seen.has(id)).length;
  return { visited, members: members.length, share: members.length === 0 ? null : visited / members.length };
}

/** The last day of a quarter, YYYY-MM-DD. */
export function quarterEndDate(q: Quarter): string {
  const index = quarterIndex(q);
  const year = Math.floor(index / 4);
  const lastMonth = (index - year * 4) * 3 + 3;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(lastMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`;
}
