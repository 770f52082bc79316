import type {
  Activity,
  ActivityReport,
  CreateActivityInput,
  UpdateActivityInput,
} from '../contracts/network.contract.ts';
import {
  type ActivityValues,
  type ActivityWithLinks,
  findActivityRow,
  houseVisitsBetween,
  insertActivity,
  listActivityRows,
  removeActivity,
  updateActivity,
} from '../db/repositories/network.repository.ts';
import { listOrganisationNames } from '../db/repositories/organisations.repository.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { summaryEnds } from '../db/repositories/summary.repository.ts';
import { MEASURES } from '../domain/measures.ts';
import {
  type ActivityKind,
  activityCounts,
  quarterEndDate,
  visitedShare,
  yearBefore,
} from '../domain/network-work.ts';
import { formatQuarter, type Quarter, quarterStartDate } from '../domain/quarter.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { checkReportPeriod } from './reports.service.ts';
import { inTransaction } from './transaction.ts';

type Names = Map<number, string>;

async function organisationNames(ctx: ServiceContext): Promise<Names> {
  return new Map((await listOrganisationNames(ctx.db)).map((o) => [o.id, o.name]));
}

function toActivity(row: ActivityWithLinks, names: Names): Activity {
  return {
    id: row.id,
    date: row.date,
    kind: row.kind,
    title: row.title,
    organisations: row.organisationIds
      .map((id) => ({ id, name: names.get(id) ?? `organisatie ${id}` }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl')),
    measures: row.measures.map((key) => ({ key, name: MEASURES.find((m) => m.key === key)?.name ?? key })),
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** The activities, newest first; filtered by organisation, period (quarters) and kind. */
export async function listActivities(
  ctx: ServiceContext,
  filter: {
    organisationId?: number | undefined;
    from?: Quarter | undefined;
    to?: Quarter | undefined;
    kind?: ActivityKind | undefined;
  },
): Promise<Activity[]> {
  const [rows, names] = await Promise.all([
    listActivityRows(ctx.db, {
      organisationId: filter.organisationId,
      fromDate: filter.from ? quarterStartDate(filter.from) : undefined,
      toDate: filter.to ? quarterEndDate(filter.to) : undefined,
      kind: filter.kind,
    }),
    organisationNames(ctx),
  ]);
  return rows.map((r) => toActivity(r, names));
}

/** Every problem of an activity's organisations and measures at once, each at its field (a planned date in the future is fine). */
function checkActivity(v: ActivityValues, names: Names): void {
  const problems: Array<{ code: 'invalid_field'; path: string; message: string }> = [];
  const unknownOrgs = v.organisationIds.filter((id) => !names.has(id));
  if (unknownOrgs.length > 0) {
    problems.push({
      code: 'invalid_field',
      path: 'organisationIds',
      message: `${unknownOrgs.length === 1 ? 'organisatie' : 'organisaties'} ${unknownOrgs.join(', ')} ${unknownOrgs.length === 1 ? 'bestaat' : 'bestaan'} niet`,
    });
  }
  const unknownMeasures = v.measures.filter((m) => !MEASURES.some((x) => x.key === m));
  if (unknownMeasures.length > 0) {
    problems.push({
      code: 'invalid_field',
      path: 'measures',
      message: `onbekende maatregel ${unknownMeasures.map((m) => `'${m}'`).join(', ')}; kies uit ${MEASURES.map((m) => m.key).join(', ')}`,
    });
  }
  if (problems.length > 0) {
    throw new ValidationError(problems.map((p) => p.message).join('; '), { problems });
  }
}

/** The organisation an activity is about, when it is about one (its history then shows it). */
function soleOrganisation(v: ActivityValues): number | null {
  return v.organisationIds.length === 1 ? v.organisationIds[0]! : null;
}

function snapshot(v: ActivityValues) {
  return {
    date: v.date,
    kind: v.kind,
    title: v.title,
    notes: v.notes,
    organisationIds: [...v.organisationIds].sort((a, b) => a - b),
    measures: [...v.measures].sort(),
  };
}

function valuesOf(row: ActivityWithLinks): ActivityValues {
  return {
    date: row.date,
    kind: row.kind,
    title: row.title,
    notes: row.notes,
    organisationIds: row.organisationIds,
    measures: row.measures,
  };
}

/** Logs an activity of the network. */
export async function addActivity(ctx: ServiceContext, input: CreateActivityInput): Promise<Activity> {
  const names = await organisationNames(ctx);
  const values: ActivityValues = {
    date: input.date,
    kind: input.kind,
    title: input.title,
    notes: input.notes?.trim() || null,
    organisationIds: [...new Set(input.organisationIds)],
    measures: [...new Set(input.measures)],
  };
  checkActivity(values, names);
  const id = await inTransaction(ctx.db, async (trx) => {
    const at = ctx.now().toISOString();
    const id = await insertActivity(trx, { ...values, at, by: ctx.actor });
    await insertRevision(trx, {
      entity: 'activity',
      entityId: id,
      organisationId: soleOrganisation(values),
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(values),
      actor: ctx.actor,
      at,
    });
    return id;
  });
  return toActivity((await findActivityRow(ctx.db, id))!, names);
}

async function requireActivity(ctx: ServiceContext, id: number): Promise<ActivityWithLinks> {
  const row = await findActivityRow(ctx.db, id);
  if (!row) throw new NotFoundError(`activiteit ${id} bestaat niet`, 'activity_not_found');
  return row;
}

/** Changes an activity; needs the version it was read at. */
export async function changeActivity(
  ctx: ServiceContext,
  id: number,
  input: UpdateActivityInput,
): Promise<Activity> {
  const names = await organisationNames(ctx);
  await inTransaction(ctx.db, async (trx) => {
    const row = await requireActivity({ ...ctx, db: trx }, id);
    if (input.expectedVersion !== row.version) {
      throw new ConflictError(
        `de activiteit is intussen gewijzigd (nu versie ${row.version}); laad haar opnieuw en probeer het nog eens`,
        'version_conflict',
        { currentVersion: row.version },
      );
    }
    const before = valuesOf(row);
    const after: ActivityValues = {
      date: input.date ?? before.date,
      kind: input.kind ?? before.kind,
      title: input.title ?? before.title,
      notes: input.notes === undefined ? before.notes : input.notes?.trim() || null,
      organisationIds: input.organisationIds ? [...new Set(input.organisationIds)] : before.organisationIds,
      measures: input.measures ? [...new Set(input.measures)] : before.measures,
    };
    checkActivity(after, names);
    if (JSON.stringify(snapshot(before)) === JSON.stringify(snapshot(after))) return;
    const at = ctx.now().toISOString();
    if (!(await updateActivity(trx, id, row.version, { ...after, at, by: ctx.actor })))
      throw new ConflictError('de activiteit is intussen gewijzigd; laad haar opnieuw', 'version_conflict');
    await insertRevision(trx, {
      entity: 'activity',
      entityId: id,
      organisationId: soleOrganisation(before) ?? soleOrganisation(after),
      quarter: null,
      action: 'update',
      before: snapshot(before),
      after: snapshot(after),
      actor: ctx.actor,
      at,
    });
  });
  return toActivity(await requireActivity(ctx, id), names);
}

/** Removes an activity (it stays in the history). */
export async function deleteActivity(ctx: ServiceContext, id: number): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const row = await requireActivity({ ...ctx, db: trx }, id);
    const at = ctx.now().toISOString();
    await removeActivity(trx, id, at, ctx.actor);
    await insertRevision(trx, {
      entity: 'activity',
      entityId: id,
      organisationId: soleOrganisation(valuesOf(row)),
      quarter: null,
      action: 'delete',
      before: snapshot(valuesOf(row)),
      after: null,
      actor: ctx.actor,
      at,
    });
  });
}

/**
 * Per quarter the activities of each kind, and the share of the members of `to` with a house
 * visit in the twelve months up to the end of `to` (or up to today, within the current quarter).
 */
export async function reportActivities(
  ctx: ServiceContext,
  from: Quarter,
  to: Quarter,
): Promise<ActivityReport> {
  checkReportPeriod(ctx, from, to);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(ctx.now());
  const end = quarterEndDate(to) < today ? quarterEndDate(to) : today;
  const [inPeriod, visits, members] = await Promise.all([
    listActivityRows(ctx.db, { fromDate: quarterStartDate(from), toDate: quarterEndDate(to) }),
    houseVisitsBetween(ctx.db, yearBefore(end), end),
    summaryEnds(ctx.db, to, to),
  ]);
  const memberIds = members.filter((m) => m.from.period !== null).map((m) => m.organisationId);
  return {
    from,
    to,
    quarters: activityCounts(inPeriod, from, to),
    visited: {
      asOf: end,
      ...visitedShare(
        memberIds,
        visits.map((v) => ({ date: v.date, organisationIds: v.organisationIds })),
        end,
      ),
    },
  };
}

/** Refuses a period the activity list cannot show (reversed). */
export function checkActivityPeriod(from: Quarter | undefined, to: Quarter | undefined): void {
  if (from && to && from > to)
    throw new RuleError(`${formatQuarter(to)} ligt voor ${formatQuarter(from)}`, 'reversed_period');
}
