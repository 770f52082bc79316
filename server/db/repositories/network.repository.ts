import type { Kysely } from 'kysely';
import type { ActivityKind } from '../../domain/network-work.ts';
import type { Quarter } from '../../domain/quarter.ts';
import type { ActionRow, ActionStatus, ActivityRow, Database } from '../schema.ts';

type Db = Kysely<Database>;

export type ActionWithOrganisation = ActionRow & { organisation: string };

function actionsQuery(db: Db) {
  return db
    .selectFrom('actions')
    .innerJoin('organisations', 'organisations.id', 'actions.organisation_id')
    .selectAll('actions')
    .select('organisations.name as organisation');
}

export function listActionRows(
  db: Db,
  filter: { organisationId?: number | undefined; statuses?: readonly ActionStatus[] },
): Promise<ActionWithOrganisation[]> {
  let q = actionsQuery(db);
  if (filter.organisationId !== undefined) q = q.where('actions.organisation_id', '=', filter.organisationId);
  if (filter.statuses) q = q.where('actions.status', 'in', [...filter.statuses]);
  return q.orderBy('actions.organisation_id').orderBy('actions.id').execute();
}

export function findActionRow(db: Db, id: number): Promise<ActionWithOrganisation | undefined> {
  return actionsQuery(db).where('actions.id', '=', id).executeTakeFirst();
}

export interface ActionValues {
  criterion: string;
  title: string;
  owner: string | null;
  dueQuarter: Quarter | null;
  dueDate: string | null;
  status: ActionStatus;
  note: string | null;
}

export function insertAction(
  db: Db,
  organisationId: number,
  v: ActionValues & { at: string; by: string },
): Promise<ActionRow> {
  return db
    .insertInto('actions')
    .values({
      organisation_id: organisationId,
      criterion_key: v.criterion,
      title: v.title,
      owner: v.owner,
      due_quarter: v.dueQuarter,
      due_date: v.dueDate,
      status: v.status,
      note: v.note,
      created_at: v.at,
      created_by: v.by,
      updated_at: v.at,
      updated_by: v.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates when the stored version is still `expectedVersion`; undefined when it was not. */
export function updateAction(
  db: Db,
  id: number,
  expectedVersion: number,
  v: ActionValues & { at: string; by: string },
): Promise<ActionRow | undefined> {
  return db
    .updateTable('actions')
    .set((eb) => ({
      criterion_key: v.criterion,
      title: v.title,
      owner: v.owner,
      due_quarter: v.dueQuarter,
      due_date: v.dueDate,
      status: v.status,
      note: v.note,
      updated_at: v.at,
      updated_by: v.by,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteAction(db: Db, id: number): Promise<void> {
  await db.deleteFrom('actions').where('id', '=', id).execute();
}

/** The organisation's latest quickscan with answers (by quarter). */
export function latestAnsweredQuickscan(db: Db, organisationId: number) {
  return db
    .selectFrom('quickscans')
    .select(['id', 'quarter', 'model_id', 'model_version', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .where('model_id', 'is not', null)
    .orderBy('quarter', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type ActivityWithLinks = ActivityRow & { organisationIds: number[]; measures: string[] };

export async function listActivityRows(
  db: Db,
  filter: {
    organisationId?: number | undefined;
    fromDate?: string | undefined;
    toDate?: string | undefined;
    kind?: ActivityKind | undefined;
  },
): Promise<ActivityWithLinks[]> {
  let q = db.selectFrom('activities').selectAll().where('removed_at', 'is', null);
  if (filter.fromDate) q = q.where('date', '>=', filter.fromDate);
  if (filter.toDate) q = q.where('date', '<=', filter.toDate);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.organisationId !== undefined) {
    const orgId = filter.organisationId;
    q = q.where('id', 'in', (eb) =>
      eb.selectFrom('activity_organisations').select('activity_id').where('organisation_id', '=', orgId),
    );
  }
  const rows = await q.orderBy('date', 'desc').orderBy('id', 'desc').execute();
  return withLinks(db, rows);
}

export async function findActivityRow(db: Db, id: number): Promise<ActivityWithLinks | undefined> {
  const row = await db
    .selectFrom('activities')
    .selectAll()
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row ? (await withLinks(db, [row]))[0] : undefined;
}

async function withLinks(db: Db, rows: ActivityRow[]): Promise<ActivityWithLinks[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const orgs = new Map<number, number[]>();
  const measures = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const [o, m] = await Promise.all([
      db
        .selectFrom('activity_organisations')
        .select(['activity_id', 'organisation_id'])
        .where('activity_id', 'in', chunk)
        .execute(),
      db
        .selectFrom('activity_measures')
        .select(['activity_id', 'measure'])
        .where('activity_id', 'in', chunk)
        .execute(),
    ]);
    for (const r of o) orgs.set(r.activity_id, [...(orgs.get(r.activity_id) ?? []), r.organisation_id]);
    for (const r of m) measures.set(r.activity_id, [...(measures.get(r.activity_id) ?? []), r.measure]);
  }
  return rows.map((r) => ({
    ...r,
    organisationIds: orgs.get(r.id) ?? [],
    measures: measures.get(r.id) ?? [],
  }));
}

export interface ActivityValues {
  date: string;
  kind: ActivityKind;
  title: string;
  notes: string | null;
  organisationIds: readonly number[];
  measures: readonly string[];
}

async function replaceLinks(db: Db, id: number, v: ActivityValues): Promise<void> {
  await db.deleteFrom('activity_organisations').where('activity_id', '=', id).execute();
  await db.deleteFrom('activity_measures').where('activity_id', '=', id).execute();
  if (v.organisationIds.length > 0) {
    await db
      .insertInto('activity_organisations')
      .values(v.organisationIds.map((organisation_id) => ({ activity_id: id, organisation_id })))
      .execute();
  }
  if (v.measures.length > 0) {
    await db
      .insertInto('activity_measures')
      .values(v.measures.map((measure) => ({ activity_id: id, measure })))
      .execute();
  }
}

export async function insertActivity(
  db: Db,
  v: ActivityValues & { at: string; by: string },
): Promise<number> {
  const row = await db
    .insertInto('activities')
    .values({
      date: v.date,
      kind: v.kind,
      title: v.title,
      notes: v.notes,
      created_at: v.at,
      created_by: v.by,
      updated_at: v.at,
      updated_by: v.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceLinks(db, row.id, v);
  return row.id;
}

export async function updateActivity(
  db: Db,
  id: number,
  expectedVersion: number,
  v: ActivityValues & { at: string; by: string },
): Promise<boolean> {
  const row = await db
    .updateTable('activities')
    .set((eb) => ({
      date: v.date,
      kind: v.kind,
      title: v.title,
      notes: v.notes,
      updated_at: v.at,
      updated_by: v.by,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('removed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await replaceLinks(db, id, v);
  return true;
}

export async function removeActivity(db: Db, id: number, at: string, by: string): Promise<void> {
  await db.updateTable('activities').set({ removed_at: at, removed_by: by }).where('id', '=', id).execute();
}

/** Every house visit up to a date, with its organisations (for the share visited). */
export async function houseVisitsBetween(db: Db, fromDate: string, toDate: string) {
  return listActivityRows(db, { fromDate, toDate, kind: 'huisbezoek' });
}
