import type { Action, CreateActionInput, UpdateActionInput } from '../contracts/network.contract.ts';
import {
  type ActionValues,
  type ActionWithOrganisation,
  deleteAction,
  findActionRow,
  insertAction,
  latestAnsweredQuickscan,
  listActionRows,
  updateAction,
} from '../db/repositories/network.repository.ts';
import { answersOf } from '../db/repositories/quickscans.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { isMetFor } from '../domain/gear-engine.ts';
import { allCriteria } from '../domain/model-types.ts';
import { isOverdue, parseDue } from '../domain/network-work.ts';
import { ConflictError, ForbiddenError, fieldProblem, NotFoundError, ValidationError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { ownOrganisationOf } from './principal.ts';
import { inTransaction } from './transaction.ts';
import { assertMaySee } from './visibility.ts';

/** The criterion as the active model words it; null for a key the model does not have. */
function criterionText(ctx: ServiceContext, key: string): string | null {
  return allCriteria(ctx.models.active).find((c) => c.key === key)?.text ?? null;
}

function checkCriterion(ctx: ServiceContext, key: string): void {
  if (criterionText(ctx, key) === null) {
    const message = `criterium '${key}' bestaat niet in het schakelmodel`;
    throw new ValidationError(
      message,
      fieldProblem('unknown_criterion', 'criterion', message),
      'unknown_criterion',
    );
  }
}

/**
 * Whether the organisation's latest quickscan with answers, recorded after the action was agreed,
 * shows its criterion as met (an older quarter corrected later does not count).
 */
async function criterionMet(
  ctx: ServiceContext,
  row: ActionWithOrganisation,
): Promise<Action['criterionMet']> {
  if (row.status === 'klaar' || row.status === 'vervallen') return null;
  const latest = await latestAnsweredQuickscan(ctx.db, row.organisation_id);
  if (!latest || latest.updated_at < row.created_at) return null;
  if (latest.model_id === null || latest.model_version === null) return null;
  const model = ctx.models.get(latest.model_id, latest.model_version);
  const criterion = allCriteria(model).find((c) => c.key === row.criterion_key);
  if (!criterion) return null;
  const answer = (await answersOf(ctx.db, [latest.id])).find((a) => a.criterion_key === row.criterion_key);
  return answer && isMetFor(criterion, { answer: answer.answer, note: answer.note })
    ? { quarter: latest.quarter }
    : null;
}

async function toAction(ctx: ServiceContext, row: ActionWithOrganisation): Promise<Action> {
  const due = { quarter: row.due_quarter, date: row.due_date };
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisation: row.organisation,
    criterion: row.criterion_key,
    criterionText: criterionText(ctx, row.criterion_key),
    title: row.title,
    owner: row.owner,
    due,
    status: row.status,
    note: row.note,
    overdue: isOverdue({ status: row.status, due }, ctx.now()),
    criterionMet: await criterionMet(ctx, row),
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function dueOf(text: string | null | undefined): {
  dueQuarter: ActionValues['dueQuarter'];
  dueDate: string | null;
} {
  const due = text === undefined || text === null || text.trim() === '' ? null : parseDue(text);
  return { dueQuarter: due?.quarter ?? null, dueDate: due?.date ?? null };
}

function snapshot(v: ActionValues) {
  return {
    criterion: v.criterion,
    title: v.title,
    owner: v.owner,
    dueQuarter: v.dueQuarter,
    dueDate: v.dueDate,
    status: v.status,
    note: v.note,
  };
}

function valuesOf(row: ActionWithOrganisation): ActionValues {
  return {
    criterion: row.criterion_key,
    title: row.title,
    owner: row.owner,
    dueQuarter: row.due_quarter,
    dueDate: row.due_date,
    status: row.status,
    note: row.note,
  };
}

/** An organisation's actions, open ones first. */
export async function organisationActions(ctx: ServiceContext, organisationId: number): Promise<Action[]> {
  assertMaySee(ctx, organisationId);
  await requireOrganisation(ctx, organisationId);
  const rows = await listActionRows(ctx.db, { organisationId });
  const order = { open: 0, bezig: 0, klaar: 1, vervallen: 2 } as const;
  const actions = await Promise.all(rows.map((r) => toAction(ctx, r)));
  return actions.sort((a, b) => order[a.status] - order[b.status] || a.id - b.id);
}

/** Actions across the region (or of one organisation); with `overdue` only those past their due moment. */
export async function listActions(
  ctx: ServiceContext,
  filter: { organisationId?: number | undefined; overdue?: boolean | undefined },
): Promise<Action[]> {
  const rows = await listActionRows(ctx.db, {
    organisationId: filter.organisationId,
    ...(filter.overdue ? { statuses: ['open', 'bezig'] as const } : {}),
  });
  const actions = await Promise.all(rows.map((r) => toAction(ctx, r)));
  return filter.overdue ? actions.filter((a) => a.overdue) : actions;
}

async function requireAction(ctx: ServiceContext, id: number, organisationId?: number) {
  const row = await findActionRow(ctx.db, id);
  if (!row || (organisationId !== undefined && row.organisation_id !== organisationId))
    throw new NotFoundError(`actie ${id} bestaat niet`, 'action_not_found');
  assertMaySee(ctx, row.organisation_id);
  return row;
}

/** Agrees an action with an organisation, on a criterion of the model. */
export async function addAction(
  ctx: ServiceContext,
  organisationId: number,
  input: CreateActionInput,
): Promise<Action> {
  checkCriterion(ctx, input.criterion);
  const id = await inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const org = await requireOrganisation(tx, organisationId);
    if (org.archived_at !== null) {
      throw new ConflictError(`'${org.name}' is gearchiveerd; zet de organisatie eerst terug`, 'archived');
    }
    const values: ActionValues = {
      criterion: input.criterion,
      title: input.title,
      owner: input.owner?.trim() || null,
      ...dueOf(input.due),
      status: 'open',
      note: input.note?.trim() || null,
    };
    const at = ctx.now().toISOString();
    const row = await insertAction(trx, organisationId, { ...values, at, by: ctx.actor });
    await insertRevision(trx, {
      entity: 'action',
      entityId: row.id,
      organisationId,
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(values),
      actor: ctx.actor,
      at,
    });
    return row.id;
  });
  return toAction(ctx, (await findActionRow(ctx.db, id))!);
}

/**
 * Changes an action. The organisation itself may change only the status and the note of its own
 * actions; the projectleider everything. Needs the version it was read at (`keep`: the CLI reads it).
 */
export async function changeAction(
  ctx: ServiceContext,
  actionId: number,
  input: UpdateActionInput,
  options: { organisationId?: number; keep?: boolean } = {},
): Promise<Action> {
  const own = ownOrganisationOf(ctx.principal);
  if (own !== null) {
    const others = (['criterion', 'title', 'owner', 'due'] as const).filter((k) => input[k] !== undefined);
    if (others.length > 0)
      throw new ForbiddenError('een organisatie kan alleen de status en de notitie van haar acties wijzigen');
  }
  if (input.criterion !== undefined) checkCriterion(ctx, input.criterion);
  await inTransaction(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    const row = await requireAction(tx, actionId, options.organisationId);
    const expected = options.keep ? row.version : input.expectedVersion;
    if (expected === undefined) {
      throw new ConflictError(
        `de actie is al vastgelegd (versie ${row.version}); wijzig haar met expectedVersion ${row.version}`,
        'version_conflict',
        { currentVersion: row.version },
      );
    }
    if (expected !== row.version) {
      throw new ConflictError(
        `de actie is intussen gewijzigd (nu versie ${row.version}); laad haar opnieuw en probeer het nog eens`,
        'version_conflict',
        { currentVersion: row.version },
      );
    }
    const before = valuesOf(row);
    const after: ActionValues = {
      criterion: input.criterion ?? before.criterion,
      title: input.title ?? before.title,
      owner: input.owner === undefined ? before.owner : input.owner?.trim() || null,
      ...(input.due === undefined
        ? { dueQuarter: before.dueQuarter, dueDate: before.dueDate }
        : dueOf(input.due)),
      status: input.status ?? before.status,
      note: input.note === undefined ? before.note : input.note?.trim() || null,
    };
    if (JSON.stringify(snapshot(before)) === JSON.stringify(snapshot(after))) return;
    const at = ctx.now().toISOString();
    const updated = await updateAction(trx, row.id, row.version, { ...after, at, by: ctx.actor });
    if (!updated)
      throw new ConflictError('de actie is intussen gewijzigd; laad haar opnieuw', 'version_conflict');
    await insertRevision(trx, {
      entity: 'action',
      entityId: row.id,
      organisationId: row.organisation_id,
      quarter: null,
      action: 'update',
      before: snapshot(before),
      after: snapshot(after),
      actor: ctx.actor,
      at,
    });
  });
  return toAction(ctx, (await findActionRow(ctx.db, actionId))!);
}

/** Removes an action (the projectleider; it stays in the history). */
export async function removeAction(
  ctx: ServiceContext,
  actionId: number,
  organisationId?: number,
): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const row = await requireAction({ ...ctx, db: trx }, actionId, organisationId);
    await deleteAction(trx, row.id);
    await insertRevision(trx, {
      entity: 'action',
      entityId: row.id,
      organisationId: row.organisation_id,
      quarter: null,
      action: 'delete',
      before: snapshot(valuesOf(row)),
      after: null,
      actor: ctx.actor,
      at: ctx.now().toISOString(),
    });
  });
}
