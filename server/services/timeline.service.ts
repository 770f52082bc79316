import type { OrganisationPeriods } from '../contracts/organisation.contract.ts';
import { listGearQuarters } from '../db/repositories/quickscans.repository.ts';
import { findSector, listSectors } from '../db/repositories/sectors.repository.ts';
import { findTimeline, writeTimeline } from '../db/repositories/timelines.repository.ts';
import { formatQuarter, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import {
  checkMemberships,
  describePeriod,
  isMemberIn,
  type MembershipPeriod,
  moveSector,
  normaliseSectors,
  type OrganisationTimeline,
  type SectorPeriod,
} from '../domain/timeline.ts';
import { ConflictError, fieldProblem, NotFoundError, RuleError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { assertMaySee } from './visibility.ts';

type Db = ServiceContext['db'];

/** An organisation's timeline; 404 when it does not exist. */
export async function requireTimeline(db: Db, id: number): Promise<OrganisationTimeline> {
  const timeline = await findTimeline(db, id);
  if (!timeline) throw new NotFoundError(`organisatie ${id} bestaat niet`, 'organisation_not_found');
  return timeline;
}

/** The membership periods and the sector history of one organisation, with the sectors' names. */
export async function organisationPeriods(ctx: ServiceContext, id: number): Promise<OrganisationPeriods> {
  assertMaySee(ctx, id);
  const timeline = await requireTimeline(ctx.db, id);
  const names = new Map((await listSectors(ctx.db)).map((s) => [s.id, s.name]));
  return {
    memberships: timeline.memberships.map((p) => ({ from: p.from, until: p.until })),
    sectors: timeline.sectors.map((s) => ({
      sectorId: s.sectorId,
      sector: names.get(s.sectorId)!,
      from: s.from,
    })),
  };
}

/**
 * Refuses membership periods that would leave recorded gears outside every period: a gear is a
 * state of a member, so the periods must be changed together with (or after) those gears.
 */
async function refuseGearsOutside(
  db: Db,
  id: number,
  memberships: readonly MembershipPeriod[],
  field?: string,
): Promise<void> {
  const outside = (await listGearQuarters(db, id)).filter((q) => !isMemberIn({ memberships }, q));
  if (outside.length === 0) return;
  const message =
    `deze organisatie heeft een versnelling in ${outside.map(formatQuarter).join(', ')}, buiten de lidmaatschapsperiodes; ` +
    'pas de periodes aan of verwijder die quickscans eerst';
  const latest = memberships[memberships.length - 1];
  const path =
    field ??
    (latest && outside.some((q) => latest.until !== null && q > latest.until) ? 'memberUntil' : 'memberFrom');
  throw new RuleError(message, 'gears_outside_membership', {
    quarters: outside,
    ...fieldProblem('gears_outside_membership', path, message),
  });
}

/**
 * Checks and stores new periods and sector history for an organisation inside the caller's
 * transaction. Returns the periods as stored (sorted). Only an archived organisation may be left
 * without a membership period (one archived before it joined).
 */
export async function storeTimeline(
  db: Db,
  id: number,
  memberships: readonly MembershipPeriod[],
  sectors: readonly SectorPeriod[],
  options: { allowNoMembership?: boolean; field?: string } = {},
): Promise<OrganisationTimeline> {
  const sorted =
    options.allowNoMembership && memberships.length === 0 ? [] : checkMemberships(memberships, options.field);
  await refuseGearsOutside(db, id, sorted, options.field);
  const history = normaliseSectors(sectors);
  await writeTimeline(db, id, sorted, history);
  return { id, memberships: sorted, sectors: history };
}

/** The periods with a new one opened from `from` (rejoining): refused while a period is open. */
export function withJoin(timeline: OrganisationTimeline, from: Quarter, name: string): MembershipPeriod[] {
  const open = timeline.memberships.find((p) => p.until === null);
  if (open) {
    const message = `'${name}' is al lid (${describePeriod(open)}); beëindig eerst het lidmaatschap voordat ze opnieuw lid wordt`;
    throw new ConflictError(
      message,
      'invalid_membership',
      fieldProblem('invalid_membership', 'from', message),
    );
  }
  return [...timeline.memberships, { from, until: null }];
}

/** The periods with the open one ended in `until` (leaving): refused when none is open. */
export function withLeave(timeline: OrganisationTimeline, until: Quarter, name: string): MembershipPeriod[] {
  const open = timeline.memberships.find((p) => p.until === null);
  if (!open) {
    const last = timeline.memberships[timeline.memberships.length - 1];
    const message = `'${name}' is geen lid meer${last ? ` (lid ${describePeriod(last)})` : ''}; er is geen lidmaatschap om te beëindigen`;
    throw new ConflictError(
      message,
      'invalid_membership',
      fieldProblem('invalid_membership', 'until', message),
    );
  }
  return timeline.memberships.map((p) => (p === open ? { from: p.from, until } : p));
}

/** The sector history with a move to `sectorId` from `from` (default: the current quarter). */
export async function withMove(
  ctx: ServiceContext,
  timeline: OrganisationTimeline,
  sectorId: number,
  from: Quarter | undefined,
): Promise<SectorPeriod[]> {
  if (!(await findSector(ctx.db, sectorId))) {
    throw new NotFoundError(`sector ${sectorId} bestaat niet`, 'sector_not_found');
  }
  return moveSector(timeline.sectors, sectorId, from ?? quarterOfDate(ctx.now()));
}
