import type {
  ArchiveInput,
  JoinInput,
  LeaveInput,
  MoveInput,
  Organisation,
  OrganisationInput,
  OrganisationList,
  OrganisationListQuery,
  OrganisationPatch,
  RestoreInput,
} from '../contracts/organisation.contract.ts';
import type { OrganisationWithSector } from '../db/repositories/organisations.repository.ts';
import * as repo from '../db/repositories/organisations.repository.ts';
import { latestGearsAt } from '../db/repositories/quickscans.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { findSector, listSectorNames } from '../db/repositories/sectors.repository.ts';
import { listTimelines } from '../db/repositories/timelines.repository.ts';
import { checkName as checkNameRule, duplicateName, nameKey } from '../domain/names.ts';
import { formatQuarter, MIN_YEAR, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import {
  ageInQuarters,
  carriesInto,
  checkMemberships,
  isMemberIn,
  type MembershipPeriod,
  type OrganisationTimeline,
  type SectorPeriod,
  sectorIn,
} from '../domain/timeline.ts';
import { ConflictError, fieldProblem, NotFoundError, ValidationError } from '../errors.ts';
import { guardClosedQuarters } from './closing.service.ts';
import type { ServiceContext } from './context.ts';
import { requireTimeline, storeTimeline, withJoin, withLeave, withMove } from './timeline.service.ts';
import { assertMaySee, maySee, visibleNotes } from './visibility.ts';

/** The sectors' names by id, to name each period of a sector history. */
export type SectorNames = ReadonlyMap<number, string>;

export async function sectorNames(db: Db): Promise<SectorNames> {
  return new Map((await listSectorNames(db)).map((s) => [s.id, s.name]));
}

export function toOrganisation(
  row: OrganisationWithSector,
  timeline: OrganisationTimeline,
  names: SectorNames,
): Organisation {
  return {
    id: row.id,
    name: row.name,
    sectorId: row.sector_id,
    sector: row.sector_name,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    contactPhone: row.contact_phone,
    notes: row.notes,
    memberFrom: row.member_from,
    memberUntil: row.member_until,
    memberships: timeline.memberships.map((p) => ({ from: p.from, until: p.until })),
    sectorHistory: timeline.sectors.map((s) => ({
      sectorId: s.sectorId,
      sector: names.get(s.sectorId)!,
      from: s.from,
    })),
    archived: row.archived_at !== null,
    archivedAt: row.archived_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function snapshot(dto: Organisation) {
  const { createdAt: _c, updatedAt: _u, ...rest } = dto;
  return rest;
}

type Db = ServiceContext['db'];

export async function requireOrganisation(ctx: ServiceContext, id: number): Promise<OrganisationWithSector> {
  const row = await repo.findOrganisation(ctx.db, id);
  if (!row) throw new NotFoundError(`organisatie ${id} bestaat niet`, 'organisation_not_found');
  return row;
}

/** The organisation as the API gives it: its record with its periods and sector history. */
async function loadOrganisation(db: Db, id: number): Promise<Organisation> {
  const row = await repo.findOrganisation(db, id);
  if (!row) throw new NotFoundError(`organisatie ${id} bestaat niet`, 'organisation_not_found');
  return toOrganisation(row, await requireTimeline(db, id), await sectorNames(db));
}

/** One organisation, as far as the caller may see it. */
export async function getOrganisation(ctx: ServiceContext, id: number): Promise<Organisation> {
  assertMaySee(ctx, id);
  return visibleNotes(ctx, await loadOrganisation(ctx.db, id));
}

/**
 * Organisations with their gear and sector in `quarter` (default: the current quarter), filtered
 * by that quarter's sector; the active ones and, archived or not, every member of that quarter
 * (the same members the report counts). The organisatie role gets only its own, without notes.
 */
export async function listOrganisations(
  ctx: ServiceContext,
  filter: Omit<OrganisationListQuery, 'includeArchived'> & { includeArchived?: boolean | undefined },
): Promise<OrganisationList> {
  const quarter = filter.quarter ?? quarterOfDate(ctx.now());
  const search = filter.q ? nameKey(filter.q.replace(/\p{Cc}/gu, '')) : undefined;
  const [rows, timelines, names, latest] = await Promise.all([
    repo.listOrganisations(ctx.db, { ...(search ? { search } : {}), includeArchived: true }),
    listTimelines(ctx.db),
    sectorNames(ctx.db),
    latestGearsAt(ctx.db, quarter),
  ]);
  const timelineOf = new Map(timelines.map((t) => [t.id, t]));
  const gears = new Map(latest.map((g) => [g.organisationId, g]));
  const passed: Array<{
    row: (typeof rows)[number];
    timeline: OrganisationTimeline;
    member: boolean;
    sectorId: number;
  }> = [];
  for (const row of rows) {
    const timeline = timelineOf.get(row.id)!;
    const member = isMemberIn(timeline, quarter);
    if (row.archived_at !== null && !member && !filter.includeArchived) continue;
    const sectorId = sectorIn(timeline, quarter);
    if (filter.sectorId !== undefined && sectorId !== filter.sectorId) continue;
    if (!maySee(ctx, row.id)) continue;
    passed.push({ row, timeline, member, sectorId });
  }
  // A page of the list (sorted by name); `total` counts every organisation that passed. Only the
  // page is turned into list items.
  const offset = filter.offset ?? 0;
  const page = passed.slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
  const items = page.map(({ row, timeline, member, sectorId }): OrganisationList['items'][number] => {
    const g = gears.get(row.id);
    const carried = g && carriesInto(timeline, g.quarter, quarter) ? g : undefined;
    return {
      ...visibleNotes(ctx, toOrganisation(row, timeline, names)),
      sectorId,
      sector: names.get(sectorId)!,
      member,
      gear: carried?.gear ?? null,
      gearRecordedIn: carried?.quarter ?? null,
      ageQuarters: carried ? ageInQuarters(carried.quarter, quarter) : null,
    };
  });
  return { quarter, items, total: passed.length };
}

function tidyOptional(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const t = value.trim();
  return t === '' ? null : t;
}

function checkName(raw: string): string {
  return checkNameRule(raw, 'de organisatie', 200);
}

async function requireSector(db: Db, sectorId: number): Promise<void> {
  if (!(await findSector(db, sectorId))) {
    throw new NotFoundError(`sector ${sectorId} bestaat niet`, 'sector_not_found');
  }
}

/** Appends a change of organisation `id` to the history: before and after, who and when. */
async function recordRevision(
  ctx: ServiceContext,
  trx: Db,
  before: Organisation | null,
  after: Organisation,
  action: 'create' | 'update' | 'archive' | 'restore',
  now: string,
): Promise<void> {
  await insertRevision(trx, {
    entity: 'organisation',
    entityId: after.id,
    organisationId: after.id,
    quarter: null,
    action,
    before: before ? snapshot(before) : null,
    after: snapshot(after),
    actor: ctx.actor,
    at: now,
  });
}

export function createOrganisation(ctx: ServiceContext, input: OrganisationInput): Promise<Organisation> {
  const name = checkName(input.name);
  const memberFrom = input.memberFrom ?? quarterOfDate(ctx.now());
  const periods = checkMemberships([{ from: memberFrom, until: input.memberUntil ?? null }], 'memberUntil');
  return guardClosedQuarters(ctx, { from: memberFrom }, input.reason, async (trx) => {
    await requireSector(trx, input.sectorId);
    if (await repo.findOrganisationByKey(trx, nameKey(name))) {
      throw duplicateName('organisatie', name);
    }
    const now = ctx.now().toISOString();
    const id = await repo.insertOrganisation(trx, {
      name,
      name_key: nameKey(name),
      sector_id: input.sectorId,
      contact_name: tidyOptional(input.contactName),
      contact_email: tidyOptional(input.contactEmail),
      contact_phone: tidyOptional(input.contactPhone),
      notes: tidyOptional(input.notes),
      member_from: memberFrom,
      member_until: periods[0]!.until,
      archived_at: null,
      created_at: now,
      updated_at: now,
    });
    await storeTimeline(trx, id, periods, [{ sectorId: input.sectorId, from: memberFrom }]);
    const dto = await loadOrganisation(trx, id);
    await recordRevision(ctx, trx, null, dto, 'create', now);
    return dto;
  });
}

/**
 * A change of an organisation's membership or sector may touch any closed quarter; the guard
 * compares only this organisation's figures first, so a change that touches none costs little.
 */
function everyClosedQuarter(id: number) {
  return { from: `${MIN_YEAR}-Q1` as const, organisationIds: [id] };
}

/** The periods with the latest one changed to [from, until] (the API's memberFrom/memberUntil). */
function withLatestPeriod(
  periods: readonly MembershipPeriod[],
  from: Quarter,
  until: Quarter | null,
): MembershipPeriod[] {
  return [...periods.slice(0, -1), { from, until }];
}

/**
 * Changes an organisation's details. `memberFrom`/`memberUntil` edit its latest membership
 * period; a new `sectorId` moves it from the current quarter on (earlier quarters keep theirs).
 */
export function updateOrganisation(
  ctx: ServiceContext,
  id: number,
  patch: OrganisationPatch,
): Promise<Organisation> {
  return guardClosedQuarters(ctx, everyClosedQuarter(id), patch.reason, async (trx) => {
    const before = await loadOrganisation(trx, id);
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== before.version) {
      throw staleOrganisation(before);
    }
    const name = patch.name !== undefined ? checkName(patch.name) : before.name;
    if (nameKey(name) !== nameKey(before.name)) {
      const clash = await repo.findOrganisationByKey(trx, nameKey(name));
      if (clash && clash.id !== id) throw duplicateName('organisatie', name);
    }
    const memberFrom = patch.memberFrom ?? before.memberFrom;
    const memberUntil = patch.memberUntil !== undefined ? patch.memberUntil : before.memberUntil;
    const membershipChanged = memberFrom !== before.memberFrom || memberUntil !== before.memberUntil;
    if (before.archived && membershipChanged) {
      throw new ConflictError(
        `organisatie '${before.name}' is gearchiveerd; zet haar eerst terug voordat u het lidmaatschap wijzigt`,
        'archived',
      );
    }
    const timeline = await requireTimeline(trx, id);
    const sectorChanged = patch.sectorId !== undefined && patch.sectorId !== before.sectorId;
    if (membershipChanged || sectorChanged) {
      const memberships = membershipChanged
        ? withLatestPeriod(timeline.memberships, memberFrom, memberUntil)
        : timeline.memberships;
      const sectors = sectorChanged
        ? await withMove({ ...ctx, db: trx }, timeline, patch.sectorId!, undefined)
        : timeline.sectors;
      await storeTimeline(trx, id, memberships, sectors);
    } else if (patch.sectorId !== undefined) {
      await requireSector(trx, patch.sectorId);
    }
    const now = ctx.now().toISOString();
    const pick = (v: string | null | undefined, old: string | null) =>
      v === undefined ? old : tidyOptional(v);
    const ok = await repo.updateOrganisation(trx, id, before.version, {
      name,
      name_key: nameKey(name),
      contact_name: pick(patch.contactName, before.contactName),
      contact_email: pick(patch.contactEmail, before.contactEmail),
      contact_phone: pick(patch.contactPhone, before.contactPhone),
      notes: pick(patch.notes, before.notes),
      updated_at: now,
    });
    return recordChange(ctx, trx, before, ok, 'update', now);
  });
}

/**
 * After an organisation's row was updated (`ok`: the version still matched): the organisation as
 * it now is, with the change in the history (before and after).
 */
async function recordChange(
  ctx: ServiceContext,
  trx: Db,
  before: Organisation,
  ok: boolean,
  action: 'update' | 'archive' | 'restore',
  now: string,
): Promise<Organisation> {
  if (!ok) throw staleOrganisation(before);
  const after = await loadOrganisation(trx, before.id);
  await recordRevision(ctx, trx, before, after, action, now);
  return after;
}

function staleOrganisation(current: Organisation): ConflictError {
  return new ConflictError(
    `organisatie '${current.name}' is intussen door iemand anders gewijzigd (nu versie ${current.version}); laad haar opnieuw en probeer het nog eens`,
    'version_conflict',
    { currentVersion: current.version },
  );
}

/** A change to an organisation's timeline only (join, leave, move), with its revision. */
function changeTimeline(
  ctx: ServiceContext,
  id: number,
  field: string,
  change: (
    trx: Db,
    before: Organisation,
    timeline: OrganisationTimeline,
  ) => Promise<{
    memberships: readonly MembershipPeriod[];
    sectors: readonly SectorPeriod[];
  }>,
  reason: string | undefined,
  what: (timeline: OrganisationTimeline) => string = () => 'het lidmaatschap of de sector',
): Promise<Organisation> {
  return guardClosedQuarters(ctx, everyClosedQuarter(id), reason, async (trx) => {
    assertMaySee(ctx, id);
    const before = await loadOrganisation(trx, id);
    const timeline = await requireTimeline(trx, id);
    if (before.archived) {
      throw new ConflictError(
        `organisatie '${before.name}' is gearchiveerd; zet haar eerst terug voordat u ${what(timeline)} wijzigt`,
        'archived',
      );
    }
    const next = await change(trx, before, timeline);
    await storeTimeline(trx, id, next.memberships, next.sectors, { field });
    const now = ctx.now().toISOString();
    const ok = await repo.updateOrganisation(trx, id, before.version, { updated_at: now });
    return recordChange(ctx, trx, before, ok, 'update', now);
  });
}

/** The organisation (re)joins the network from `from`: a new membership period opens. */
export function joinNetwork(ctx: ServiceContext, id: number, input: JoinInput): Promise<Organisation> {
  return changeTimeline(
    ctx,
    id,
    'from',
    async (_trx, before, timeline) => ({
      memberships: withJoin(timeline, input.from, before.name),
      sectors: timeline.sectors,
    }),
    input.reason,
  );
}

/** The organisation leaves the network after `until`: its open membership period ends. */
export function leaveNetwork(ctx: ServiceContext, id: number, input: LeaveInput): Promise<Organisation> {
  return changeTimeline(
    ctx,
    id,
    'until',
    async (_trx, before, timeline) => ({
      memberships: withLeave(timeline, input.until, before.name),
      sectors: timeline.sectors,
    }),
    input.reason,
  );
}

/**
 * Sets an organisation's membership periods and sector history at once, as one change in its
 * history: what an imported list says, which no single join, leave or move expresses.
 */
export function replaceTimeline(
  ctx: ServiceContext,
  id: number,
  next: { memberships: readonly MembershipPeriod[]; sectors: readonly SectorPeriod[] },
): Promise<Organisation> {
  return changeTimeline(
    ctx,
    id,
    'memberships',
    async () => next,
    undefined,
    (timeline) => (samePeriods(timeline.memberships, next.memberships) ? 'de sector' : 'het lidmaatschap'),
  );
}

const samePeriods = (a: readonly MembershipPeriod[], b: readonly MembershipPeriod[]) =>
  a.length === b.length && a.every((p, i) => p.from === b[i]!.from && p.until === b[i]!.until);

/** The organisation belongs to another sector from `from` (default: the current quarter) on. */
export function moveOrganisation(ctx: ServiceContext, id: number, input: MoveInput): Promise<Organisation> {
  return changeTimeline(
    ctx,
    id,
    'from',
    async (trx, _before, timeline) => ({
      memberships: timeline.memberships,
      sectors: await withMove({ ...ctx, db: trx }, timeline, input.sectorId, input.from),
    }),
    input.reason,
  );
}

/**
 * The membership periods after archiving in `until`: later periods go, the one holding `until`
 * ends then. A `until` the user chose before every period is refused; by default an organisation
 * that was only to join later is left without a period.
 */
function closedAt(
  periods: readonly MembershipPeriod[],
  until: Quarter,
  name: string,
  chosen: boolean,
): MembershipPeriod[] {
  const kept = periods
    .filter((p) => p.from <= until)
    .map((p) => (p.until === null || p.until > until ? { from: p.from, until } : p));
  if (kept.length === 0 && chosen) {
    const message = `'${name}' wordt pas lid na ${formatQuarter(until)}; archiveer haar vanaf ${formatQuarter(periods[0]!.from)} of later`;
    throw new ValidationError(
      message,
      fieldProblem('invalid_membership', 'memberUntil', message),
      'invalid_membership',
    );
  }
  return kept;
}

/**
 * Archives instead of deleting: the organisation leaves the active lists and its membership
 * ends in `memberUntil` (default: the current quarter, or when it ended already); periods after
 * it go. What archiving closed is kept, so restoring reopens exactly that.
 */
export function archiveOrganisation(
  ctx: ServiceContext,
  id: number,
  options: ArchiveInput = {},
): Promise<Organisation> {
  return guardClosedQuarters(ctx, everyClosedQuarter(id), options.reason, async (trx) => {
    const before = await loadOrganisation(trx, id);
    if (before.archived)
      throw new ConflictError(`organisatie '${before.name}' is al gearchiveerd`, 'already_archived');
    const current = quarterOfDate(ctx.now());
    if (options.memberUntil && options.memberUntil > current) {
      const message = `een gearchiveerde organisatie is geen lid meer: 'lid tot' (${formatQuarter(options.memberUntil)}) mag niet na ${formatQuarter(current)} liggen`;
      throw new ValidationError(
        message,
        { memberUntil: options.memberUntil, ...fieldProblem('invalid_membership', 'memberUntil', message) },
        'invalid_membership',
      );
    }
    const timeline = await requireTimeline(trx, id);
    const last = timeline.memberships[timeline.memberships.length - 1]!;
    // Archived means no longer a member: the membership ends now at the latest. Periods that
    // begin later go (an organisation that was to join later never becomes a member).
    const until = options.memberUntil ?? (last.until !== null && last.until < current ? last.until : current);
    const closed = closedAt(timeline.memberships, until, before.name, options.memberUntil !== undefined);
    await storeTimeline(trx, id, closed, timeline.sectors, { allowNoMembership: true });
    const now = ctx.now().toISOString();
    const ok = await repo.updateOrganisation(trx, id, before.version, {
      archived_at: now,
      restore_memberships: JSON.stringify(timeline.memberships),
      updated_at: now,
    });
    return recordChange(ctx, trx, before, ok, 'archive', now);
  });
}

/**
 * Brings an archived organisation back: its membership periods are again what they were before
 * it was archived (for one archived before periods were kept: its latest period reopens).
 */
export function restoreOrganisation(
  ctx: ServiceContext,
  id: number,
  options: RestoreInput = {},
): Promise<Organisation> {
  return guardClosedQuarters(ctx, everyClosedQuarter(id), options.reason, async (trx) => {
    const before = await loadOrganisation(trx, id);
    if (!before.archived)
      throw new ConflictError(`organisatie '${before.name}' is niet gearchiveerd`, 'not_archived');
    const row = await requireOrganisation({ ...ctx, db: trx }, id);
    const timeline = await requireTimeline(trx, id);
    const restored: MembershipPeriod[] = row.restore_memberships
      ? (JSON.parse(row.restore_memberships) as MembershipPeriod[])
      : withLatestPeriod(
          timeline.memberships,
          timeline.memberships[timeline.memberships.length - 1]!.from,
          null,
        );
    await storeTimeline(trx, id, restored, timeline.sectors);
    const now = ctx.now().toISOString();
    const ok = await repo.updateOrganisation(trx, id, before.version, {
      archived_at: null,
      restore_memberships: null,
      updated_at: now,
    });
    return recordChange(ctx, trx, before, ok, 'restore', now);
  });
}
