import type {
  ArchiveInput,
  Organisation,
  OrganisationInput,
  OrganisationList,
  OrganisationListQuery,
  OrganisationPatch,
} from '../contracts/organisation.contract.ts';
import type { OrganisationWithSector } from '../db/repositories/organisations.repository.ts';
import * as repo from '../db/repositories/organisations.repository.ts';
import { latestGearsAt, quartersOutside } from '../db/repositories/quickscans.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { findSector } from '../db/repositories/sectors.repository.ts';
import { checkName as checkNameRule, duplicateName, nameKey } from '../domain/names.ts';
import { formatQuarter, isWithin, type Quarter, quarterOfDate } from '../domain/quarter.ts';
import { ConflictError, fieldProblem, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { inTransaction } from './transaction.ts';
import { assertMaySee, maySee, visibleNotes } from './visibility.ts';

export function toOrganisation(row: OrganisationWithSector): Organisation {
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

export async function requireOrganisation(ctx: ServiceContext, id: number): Promise<OrganisationWithSector> {
  const row = await repo.findOrganisation(ctx.db, id);
  if (!row) throw new NotFoundError(`organisatie ${id} bestaat niet`, 'organisation_not_found');
  return row;
}

/** One organisation, as far as the caller may see it. */
export async function getOrganisation(ctx: ServiceContext, id: number): Promise<Organisation> {
  assertMaySee(ctx, id);
  return visibleNotes(ctx, toOrganisation(await requireOrganisation(ctx, id)));
}

/**
 * Organisations with their gear in `quarter` (default: the current quarter), filtered; the
 * organisatie role gets only its own organisation, without notes.
 */
export async function listOrganisations(
  ctx: ServiceContext,
  filter: Omit<OrganisationListQuery, 'includeArchived'> & { includeArchived?: boolean | undefined },
): Promise<OrganisationList> {
  const quarter = filter.quarter ?? quarterOfDate(ctx.now());
  const search = filter.q ? nameKey(filter.q.replace(/\p{Cc}/gu, '')) : undefined;
  const rows = await repo.listOrganisations(ctx.db, {
    ...(filter.sectorId !== undefined ? { sectorId: filter.sectorId } : {}),
    ...(search ? { search } : {}),
    includeArchived: filter.includeArchived ?? false,
  });
  const gears = new Map((await latestGearsAt(ctx.db, quarter)).map((g) => [g.organisationId, g]));
  return {
    quarter,
    items: rows
      .filter((row) => maySee(ctx, row.id))
      .map((row) => {
        const member = isWithin(quarter, row.member_from, row.member_until);
        const g = member ? gears.get(row.id) : undefined;
        return {
          ...visibleNotes(ctx, toOrganisation(row)),
          member,
          gear: g?.gear ?? null,
          gearRecordedIn: g?.quarter ?? null,
        };
      }),
  };
}

function tidyOptional(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const t = value.trim();
  return t === '' ? null : t;
}

function checkName(raw: string): string {
  return checkNameRule(raw, 'de organisatie', 200);
}

function checkMembership(from: Quarter, until: Quarter | null): void {
  if (until !== null && until < from) {
    const message = `'lid tot' (${formatQuarter(until)}) ligt vóór 'lid sinds' (${formatQuarter(from)})`;
    throw new ValidationError(
      message,
      { memberFrom: from, memberUntil: until, ...fieldProblem('invalid_membership', 'memberUntil', message) },
      'invalid_membership',
    );
  }
}

export function createOrganisation(ctx: ServiceContext, input: OrganisationInput): Promise<Organisation> {
  const name = checkName(input.name);
  const memberFrom = input.memberFrom ?? quarterOfDate(ctx.now());
  const memberUntil = input.memberUntil ?? null;
  checkMembership(memberFrom, memberUntil);
  return inTransaction(ctx.db, async (trx) => {
    if (!(await findSector(trx, input.sectorId))) {
      throw new NotFoundError(`sector ${input.sectorId} bestaat niet`, 'sector_not_found');
    }
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
      member_until: memberUntil,
      archived_at: null,
      created_at: now,
      updated_at: now,
    });
    const dto = toOrganisation((await repo.findOrganisation(trx, id))!);
    await insertRevision(trx, {
      entity: 'organisation',
      entityId: id,
      organisationId: id,
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(dto),
      actor: ctx.actor,
      at: now,
    });
    return dto;
  });
}

async function refuseGearsOutside(
  trx: ServiceContext['db'],
  id: number,
  from: Quarter,
  until: Quarter | null,
): Promise<void> {
  const outside = await quartersOutside(trx, id, from, until);
  if (outside.length > 0) {
    const message =
      `deze organisatie heeft een versnelling in ${outside.map(formatQuarter).join(', ')}, buiten de lidmaatschapsperiode; ` +
      'pas de periode aan of verwijder die quickscans eerst';
    // The field to change: 'lid tot' when a gear lies after the period, else 'lid sinds'.
    const path = until !== null && outside.some((q) => q > until) ? 'memberUntil' : 'memberFrom';
    throw new RuleError(message, 'gears_outside_membership', {
      quarters: outside,
      ...fieldProblem('gears_outside_membership', path, message),
    });
  }
}

export function updateOrganisation(
  ctx: ServiceContext,
  id: number,
  patch: OrganisationPatch,
): Promise<Organisation> {
  return inTransaction(ctx.db, async (trx) => {
    const before = toOrganisation(await requireOrganisation({ ...ctx, db: trx }, id));
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== before.version) {
      throw staleOrganisation(before);
    }
    const name = patch.name !== undefined ? checkName(patch.name) : before.name;
    if (nameKey(name) !== nameKey(before.name)) {
      const clash = await repo.findOrganisationByKey(trx, nameKey(name));
      if (clash && clash.id !== id) throw duplicateName('organisatie', name);
    }
    if (patch.sectorId !== undefined && !(await findSector(trx, patch.sectorId))) {
      throw new NotFoundError(`sector ${patch.sectorId} bestaat niet`, 'sector_not_found');
    }
    const memberFrom = patch.memberFrom ?? before.memberFrom;
    const memberUntil = patch.memberUntil !== undefined ? patch.memberUntil : before.memberUntil;
    if (before.archived && (memberFrom !== before.memberFrom || memberUntil !== before.memberUntil)) {
      throw new ConflictError(
        `organisatie '${before.name}' is gearchiveerd; zet haar eerst terug voordat u het lidmaatschap wijzigt`,
        'archived',
      );
    }
    checkMembership(memberFrom, memberUntil);
    await refuseGearsOutside(trx, id, memberFrom, memberUntil);
    const now = ctx.now().toISOString();
    const pick = (v: string | null | undefined, old: string | null) =>
      v === undefined ? old : tidyOptional(v);
    const ok = await repo.updateOrganisation(trx, id, before.version, {
      name,
      name_key: nameKey(name),
      sector_id: patch.sectorId ?? before.sectorId,
      contact_name: pick(patch.contactName, before.contactName),
      contact_email: pick(patch.contactEmail, before.contactEmail),
      contact_phone: pick(patch.contactPhone, before.contactPhone),
      notes: pick(patch.notes, before.notes),
      member_from: memberFrom,
      member_until: memberUntil,
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
  trx: ServiceContext['db'],
  before: Organisation,
  ok: boolean,
  action: 'update' | 'archive' | 'restore',
  now: string,
): Promise<Organisation> {
  if (!ok) throw staleOrganisation(before);
  const after = toOrganisation((await repo.findOrganisation(trx, before.id))!);
  await insertRevision(trx, {
    entity: 'organisation',
    entityId: before.id,
    organisationId: before.id,
    quarter: null,
    action,
    before: snapshot(before),
    after: snapshot(after),
    actor: ctx.actor,
    at: now,
  });
  return after;
}

function staleOrganisation(current: Organisation): ConflictError {
  return new ConflictError(
    `organisatie '${current.name}' is intussen door iemand anders gewijzigd (nu versie ${current.version}); laad haar opnieuw en probeer het nog eens`,
    'version_conflict',
    { currentVersion: current.version },
  );
}

/**
 * Archives instead of deleting: the organisation leaves the active lists and its membership
 * ends (in `memberUntil`, default the current quarter), so reports stop counting it from then
 * on while its history stays.
 */
export function archiveOrganisation(
  ctx: ServiceContext,
  id: number,
  options: ArchiveInput = {},
): Promise<Organisation> {
  return inTransaction(ctx.db, async (trx) => {
    const before = toOrganisation(await requireOrganisation({ ...ctx, db: trx }, id));
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
    // Archived means no longer a member: the membership ends now at the latest.
    let memberUntil =
      options.memberUntil ??
      (before.memberUntil !== null && before.memberUntil < current ? before.memberUntil : current);
    if (!options.memberUntil && memberUntil < before.memberFrom) memberUntil = before.memberFrom;
    checkMembership(before.memberFrom, memberUntil);
    await refuseGearsOutside(trx, id, before.memberFrom, memberUntil);
    const now = ctx.now().toISOString();
    const ok = await repo.updateOrganisation(trx, id, before.version, {
      archived_at: now,
      member_until: memberUntil,
      updated_at: now,
    });
    return recordChange(ctx, trx, before, ok, 'archive', now);
  });
}

/** Brings an archived organisation back into the active lists; its membership is left as it is. */
export function restoreOrganisation(ctx: ServiceContext, id: number): Promise<Organisation> {
  return inTransaction(ctx.db, async (trx) => {
    const before = toOrganisation(await requireOrganisation({ ...ctx, db: trx }, id));
    if (!before.archived)
      throw new ConflictError(`organisatie '${before.name}' is niet gearchiveerd`, 'not_archived');
    const now = ctx.now().toISOString();
    const ok = await repo.updateOrganisation(trx, id, before.version, { archived_at: null, updated_at: now });
    return recordChange(ctx, trx, before, ok, 'restore', now);
  });
}
