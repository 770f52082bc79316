import type { Average } from '../contracts/report.contract.ts';
import { formatQuarter, nextQuarter, type Quarter } from './quarter.ts';
import {
  type GearState,
  type MemberOrganisation,
  newPeriodTally,
  type SectorRef,
  tallyQuarter,
} from './report.ts';
import { isMemberIn, sectorIn } from './timeline.ts';

/**
 * Closed quarters (vastgestelde kwartalen): what a closing stores and how a later change is told
 * apart from none. Pure: the service reads the states, this decides what they mean.
 */

/** The scope id of the region among the sectors' ids (sector ids start at 1). */
export const REGION_SCOPE = 0;

/** An organisation's figure in a quarter: a member's sector, its gear and when that was recorded. */
export interface OrganisationFigure {
  organisationId: number;
  sectorId: number;
  gear: number | null;
  recordedIn: Quarter | null;
}

/** n, average and stale count of the region (`sectorId` 0) or one sector in a quarter. */
export interface ScopeFigure extends Average {
  sectorId: number;
  name: string;
}

export interface QuarterFigures {
  quarter: Quarter;
  /** Every member in the quarter, by organisation id ascending. */
  organisations: OrganisationFigure[];
  /** The region first, then every sector in the order given. */
  scopes: ScopeFigure[];
}

/**
 * Every member's figure in `quarter` from the gear states (`states[k]` belongs to
 * `organisations[k]`, as GearCarrier and gearTimelines give them), by organisation id.
 */
export function organisationFiguresIn(
  quarter: Quarter,
  organisations: readonly MemberOrganisation[],
  states: ReadonlyArray<GearState | null>,
): OrganisationFigure[] {
  const figures: OrganisationFigure[] = [];
  organisations.forEach((org, k) => {
    if (!isMemberIn(org, quarter)) return;
    const state = states[k] ?? null;
    figures.push({
      organisationId: org.id,
      sectorId: sectorIn(org, quarter),
      gear: state?.gear ?? null,
      recordedIn: state?.recordedIn ?? null,
    });
  });
  return figures.sort((a, b) => a.organisationId - b.organisationId);
}

/**
 * The region's and every sector's n, average and stale count in `quarter` from the members'
 * figures: through the reports' own tally (one maths path), so a closed figure is exactly the
 * figure the report showed.
 */
export function scopesOf(
  quarter: Quarter,
  sectors: readonly SectorRef[],
  figures: readonly OrganisationFigure[],
): ScopeFigure[] {
  const tally = newPeriodTally(sectors, [quarter]);
  const members = figures.map((f) => ({
    id: f.organisationId,
    memberships: [{ from: quarter, until: quarter }],
    sectors: [{ sectorId: f.sectorId, from: quarter }],
  }));
  const states = figures.map((f) =>
    f.gear === null || f.recordedIn === null ? null : { gear: f.gear, recordedIn: f.recordedIn },
  );
  tallyQuarter(tally, 0, members, states);
  const scope = (sectorId: number, name: string, t: { n: number[]; sum: number[]; stale: number[] }) => {
    const n = t.n[0]!;
    return { sectorId, name, n, average: n === 0 ? null : t.sum[0]! / n, staleCount: t.stale[0]! };
  };
  return [
    scope(REGION_SCOPE, 'regio', tally.region),
    ...sectors.map((s) => scope(s.id, s.name, tally.sectors.get(s.id)!)),
  ];
}

/** The figures of one quarter: every member's and every scope's. */
export function quarterFigures(
  quarter: Quarter,
  sectors: readonly SectorRef[],
  organisations: readonly MemberOrganisation[],
  states: ReadonlyArray<GearState | null>,
): QuarterFigures {
  const figures = organisationFiguresIn(quarter, organisations, states);
  return { quarter, organisations: figures, scopes: scopesOf(quarter, sectors, figures) };
}

/** A scope whose n, average or stale count differs between two moments of the same quarter. */
export interface ScopeChange {
  sectorId: number;
  name: string;
  before: ScopeFigure | null;
  after: ScopeFigure;
}

export interface FiguresChange {
  /** Organisations whose membership, sector, gear or gear's quarter in the quarter changed. */
  organisations: number[];
  scopes: ScopeChange[];
}

function sameOrganisation(a: OrganisationFigure, b: OrganisationFigure): boolean {
  return a.sectorId === b.sectorId && a.gear === b.gear && a.recordedIn === b.recordedIn;
}

function sameScope(a: Average, b: Average): boolean {
  return a.n === b.n && a.average === b.average && a.staleCount === b.staleCount;
}

/** What differs between the figures of one quarter before and after a change; empty when nothing. */
export function compareFigures(before: QuarterFigures, after: QuarterFigures): FiguresChange {
  const old = new Map(before.organisations.map((o) => [o.organisationId, o]));
  const changed = new Set<number>();
  for (const o of after.organisations) {
    const was = old.get(o.organisationId);
    if (!was || !sameOrganisation(was, o)) changed.add(o.organisationId);
    old.delete(o.organisationId);
  }
  for (const id of old.keys()) changed.add(id);
  const oldScopes = new Map(before.scopes.map((s) => [s.sectorId, s]));
  const scopes: ScopeChange[] = [];
  for (const s of after.scopes) {
    const was = oldScopes.get(s.sectorId) ?? null;
    // A sector that did not exist before and has nobody in the quarter changed nothing.
    if (was ? !sameScope(was, s) : s.n > 0) {
      scopes.push({ sectorId: s.sectorId, name: s.name, before: was, after: s });
    }
  }
  return { organisations: [...changed].sort((a, b) => a - b), scopes };
}

export function isUnchanged(change: FiguresChange): boolean {
  return change.organisations.length === 0 && change.scopes.length === 0;
}

/**
 * The quarter to close next: closed quarters are closed in order, so the earliest open quarter
 * from the first quarter with members (`firstQuarter`) on. Usually the one after the last closed,
 * but a late correction (an organisation that was a member earlier than anyone thought) can open
 * a quarter before the closed ones: that one comes first. Null when there are no members and
 * nothing is closed (any quarter may be the first).
 */
export function nextToClose(closed: readonly Quarter[], firstQuarter: Quarter | null): Quarter | null {
  const done = new Set(closed);
  const last = closed.length > 0 ? closed.reduce((a, b) => (a > b ? a : b)) : null;
  if (firstQuarter === null) return last ? nextQuarter(last) : null;
  let q = firstQuarter;
  while (done.has(q)) q = nextQuarter(q);
  return q;
}

/**
 * The quarters a request to close `quarter` closes: only `quarter` when it is next in order;
 * with `includeEarlier` every open quarter from the next in order up to it. A plain Dutch
 * refusal otherwise (a string), so the caller can place it.
 */
export function quartersToClose(
  closed: readonly Quarter[],
  firstQuarter: Quarter | null,
  quarter: Quarter,
  includeEarlier: boolean,
): Quarter[] | string {
  if (closed.includes(quarter)) return `${formatQuarter(quarter)} is al vastgesteld`;
  const next = nextToClose(closed, firstQuarter);
  if (next === null || quarter === next) return [quarter];
  if (quarter < next) {
    return `${formatQuarter(quarter)} ligt vóór het eerste kwartaal met leden (${formatQuarter(firstQuarter ?? next)}); daar zijn geen cijfers om vast te stellen`;
  }
  if (!includeEarlier) {
    return `kwartalen worden op volgorde vastgesteld: stel eerst ${formatQuarter(next)} vast, of stel ${formatQuarter(next)} tot en met ${formatQuarter(quarter)} in één keer vast`;
  }
  const done = new Set(closed);
  const quarters: Quarter[] = [];
  for (let q = next; q <= quarter; q = nextQuarter(q)) if (!done.has(q)) quarters.push(q);
  return quarters;
}
