import { fieldProblem, ValidationError } from '../errors.ts';
import {
  formatQuarter,
  isWithin,
  MIN_YEAR,
  previousQuarter,
  type Quarter,
  quartersBetween,
} from './quarter.ts';

/**
 * An organisation through time: when it was a member and which sector it belonged to. Pure: the
 * reports, the lists and the export all ask these functions, so they agree on every quarter.
 */

/** One membership period: from a quarter until a quarter (inclusive), or open (`until` null). */
export interface MembershipPeriod {
  from: Quarter;
  until: Quarter | null;
}

/** A sector from a quarter onwards (until the next sector period). */
export interface SectorPeriod {
  sectorId: number;
  from: Quarter;
}

/** An organisation as the reports see it: its membership periods and its sector history. */
export interface OrganisationTimeline {
  id: number;
  /** Sorted by `from`, not overlapping; only the last may be open. */
  memberships: readonly MembershipPeriod[];
  /** Sorted by `from`, at least one; the first also covers every quarter before it. */
  sectors: readonly SectorPeriod[];
}

/** A carried-forward gear older than this many quarters counts as stale in the report. */
export const STALE_AFTER_QUARTERS = 4;

/** The membership period `q` lies in, or null when the organisation was not a member then. */
export function periodAt(
  org: Pick<OrganisationTimeline, 'memberships'>,
  q: Quarter,
): MembershipPeriod | null {
  for (const p of org.memberships) if (isWithin(q, p.from, p.until)) return p;
  return null;
}

export function isMemberIn(org: Pick<OrganisationTimeline, 'memberships'>, q: Quarter): boolean {
  return periodAt(org, q) !== null;
}

/** The sector the organisation had in `q`: the latest sector period from `q` or before, else the first. */
export function sectorIn(org: Pick<OrganisationTimeline, 'sectors'>, q: Quarter): number {
  let sector = org.sectors[0]!.sectorId;
  for (const s of org.sectors) {
    if (s.from > q) break;
    sector = s.sectorId;
  }
  return sector;
}

/** True when the organisation was a member at some time in [from, to]. */
export function isMemberDuring(
  org: Pick<OrganisationTimeline, 'memberships'>,
  from: Quarter,
  to: Quarter,
): boolean {
  return org.memberships.some((p) => p.from <= to && (p.until === null || p.until >= from));
}

/**
 * Whether a gear recorded in `recordedIn` still counts in `q`: the organisation is a member in `q`
 * and the gear was recorded in the same membership period (a gear never carries across a gap).
 */
export function carriesInto(
  org: Pick<OrganisationTimeline, 'memberships'>,
  recordedIn: Quarter,
  q: Quarter,
): boolean {
  const period = periodAt(org, q);
  return period !== null && recordedIn >= period.from && recordedIn <= q;
}

/** How many quarters old a gear recorded in `recordedIn` is in `q` (0 when recorded in `q`). */
export function ageInQuarters(recordedIn: Quarter, q: Quarter): number {
  return quartersBetween(recordedIn, q);
}

/** True when a gear of that age counts as stale (older than {@link STALE_AFTER_QUARTERS}). */
export function isStale(recordedIn: Quarter, q: Quarter): boolean {
  return ageInQuarters(recordedIn, q) > STALE_AFTER_QUARTERS;
}

/** "Q1 2024 tot en met Q4 2024", "Q1 2025 tot nu". */
export function describePeriod(p: MembershipPeriod): string {
  return `${formatQuarter(p.from)} tot ${p.until ? `en met ${formatQuarter(p.until)}` : 'nu'}`;
}

/**
 * Sorts membership periods and refuses reversed or overlapping ones (and an open period that is
 * not the last), with a message that names them. `field` is the request's field a page shows the
 * problem at (by default `memberUntil` for a reversed period, `memberFrom` for an overlap).
 */
export function checkMemberships(periods: readonly MembershipPeriod[], field?: string): MembershipPeriod[] {
  // Without a field of its own, an overlap is about the start of the later (latest) period.
  const path = field ?? 'memberFrom';
  if (periods.length === 0) {
    const message = 'een organisatie heeft minstens één lidmaatschapsperiode';
    throw new ValidationError(
      message,
      fieldProblem('invalid_membership', path, message),
      'invalid_membership',
    );
  }
  for (const p of periods) {
    if (p.until !== null && p.until < p.from) {
      const message = `'lid tot' (${formatQuarter(p.until)}) ligt vóór 'lid sinds' (${formatQuarter(p.from)})`;
      throw new ValidationError(
        message,
        {
          memberFrom: p.from,
          memberUntil: p.until,
          ...fieldProblem('invalid_membership', 'memberUntil', message),
        },
        'invalid_membership',
      );
    }
  }
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const next = sorted[i]!;
    if (before.until === null || before.until >= next.from) {
      const message = `de lidmaatschapsperiodes ${describePeriod(before)} en ${describePeriod(next)} overlappen; een organisatie is in een kwartaal hoogstens één keer lid`;
      throw new ValidationError(
        message,
        fieldProblem('invalid_membership', path, message),
        'invalid_membership',
      );
    }
  }
  return sorted;
}

/**
 * The sector history with `sectorId` from `from` onwards: later periods end (the sector holds
 * from `from` on), and a period that repeats the sector before it is folded into that one.
 */
export function moveSector(
  sectors: readonly SectorPeriod[],
  sectorId: number,
  from: Quarter,
): SectorPeriod[] {
  const kept = sectors.filter((s) => s.from < from);
  const first = sectors[0];
  // The first period also covers the quarters before it: when the move starts at or before it,
  // those earlier quarters keep that sector through a period that ends just before the move.
  if (kept.length === 0 && first && first.sectorId !== sectorId && from > `${MIN_YEAR}-Q1`) {
    kept.push({ sectorId: first.sectorId, from: previousQuarter(from) });
  }
  return normaliseSectors([...kept, { sectorId, from }]);
}

/** Sorted, with consecutive periods of the same sector folded into the first of them. */
export function normaliseSectors(sectors: readonly SectorPeriod[]): SectorPeriod[] {
  const sorted = [...sectors].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const result: SectorPeriod[] = [];
  for (const s of sorted) {
    // A later period from the same quarter replaces the earlier one.
    if (result[result.length - 1]?.from === s.from) result.pop();
    if (result[result.length - 1]?.sectorId !== s.sectorId) result.push(s);
  }
  return result;
}
