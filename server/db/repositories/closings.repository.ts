import type { Kysely } from 'kysely';
import type { QuarterFigures, ScopeFigure } from '../../domain/closing.ts';
import type { Quarter } from '../../domain/quarter.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database>;

export interface ClosingRow {
  id: number;
  quarter: Quarter;
  closedAt: string;
  closedBy: string;
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenReason: string | null;
}

const closingColumns = [
  'id',
  'quarter',
  'closed_at as closedAt',
  'closed_by as closedBy',
  'reopened_at as reopenedAt',
  'reopened_by as reopenedBy',
  'reopen_reason as reopenReason',
] as const;

/** The closings in force (not reopened), by quarter ascending. */
export function listOpenClosings(db: Db): Promise<ClosingRow[]> {
  return db
    .selectFrom('quarter_closings')
    .select(closingColumns)
    .where('reopened_at', 'is', null)
    .orderBy('quarter')
    .execute();
}

/** Every closing ever made, reopened ones included, newest first: the history of closing. */
export function listAllClosings(db: Db): Promise<ClosingRow[]> {
  return db
    .selectFrom('quarter_closings')
    .select(closingColumns)
    .orderBy('closed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Stores a closing with the quarter's figures as they are. */
export async function insertClosing(
  db: Db,
  figures: QuarterFigures,
  closedAt: string,
  closedBy: string,
): Promise<number> {
  const { id } = await db
    .insertInto('quarter_closings')
    .values({ quarter: figures.quarter, closed_at: closedAt, closed_by: closedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  // In chunks: SQLite limits the number of bound values of one statement.
  for (let i = 0; i < figures.organisations.length; i += 500) {
    await db
      .insertInto('closed_organisation_figures')
      .values(
        figures.organisations.slice(i, i + 500).map((o) => ({
          closing_id: id,
          organisation_id: o.organisationId,
          sector_id: o.sectorId,
          gear: o.gear,
          recorded_in: o.recordedIn,
        })),
      )
      .execute();
  }
  await db
    .insertInto('closed_scope_figures')
    .values(
      figures.scopes.map((s) => ({
        closing_id: id,
        sector_id: s.sectorId,
        name: s.name,
        n: s.n,
        average: s.average,
        stale_count: s.staleCount ?? 0,
      })),
    )
    .execute();
  return id;
}

export async function markReopened(
  db: Db,
  closingId: number,
  at: string,
  by: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('quarter_closings')
    .set({ reopened_at: at, reopened_by: by, reopen_reason: reason })
    .where('id', '=', closingId)
    .where('reopened_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The scope figures stored by the given closings. */
export async function closedScopeFigures(
  db: Db,
  closingIds: readonly number[],
): Promise<Array<ScopeFigure & { closingId: number }>> {
  if (closingIds.length === 0) return [];
  const rows = await db
    .selectFrom('closed_scope_figures')
    .select(['closing_id', 'sector_id', 'name', 'n', 'average', 'stale_count'])
    .where('closing_id', 'in', closingIds)
    .orderBy('closing_id')
    .orderBy('sector_id')
    .execute();
  return rows.map((r) => ({
    closingId: r.closing_id,
    sectorId: r.sector_id,
    name: r.name,
    n: r.n,
    average: r.average,
    staleCount: r.stale_count,
  }));
}

/** The organisation figures stored by one closing, by organisation id. */
export function closedOrganisationFigures(db: Db, closingId: number) {
  return db
    .selectFrom('closed_organisation_figures')
    .select([
      'organisation_id as organisationId',
      'sector_id as sectorId',
      'gear',
      'recorded_in as recordedIn',
    ])
    .where('closing_id', '=', closingId)
    .orderBy('organisation_id')
    .execute();
}

export interface NewRestatement {
  closingId: number;
  quarter: Quarter;
  sectorId: number;
  name: string;
  beforeN: number;
  beforeAverage: number | null;
  n: number;
  average: number | null;
  staleCount: number;
  reason: string;
  actor: string;
  at: string;
}

export async function insertRestatements(db: Db, rows: readonly NewRestatement[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('restatements')
    .values(
      rows.map((r) => ({
        closing_id: r.closingId,
        quarter: r.quarter,
        sector_id: r.sectorId,
        name: r.name,
        before_n: r.beforeN,
        before_average: r.beforeAverage,
        n: r.n,
        average: r.average,
        stale_count: r.staleCount,
        reason: r.reason,
        actor: r.actor,
        at: r.at,
      })),
    )
    .execute();
}

/** The restatements of the given closings, oldest first. */
export function listRestatements(db: Db, closingIds: readonly number[]) {
  if (closingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('restatements')
    .select([
      'id',
      'closing_id as closingId',
      'quarter',
      'sector_id as sectorId',
      'name',
      'before_n as beforeN',
      'before_average as beforeAverage',
      'n',
      'average',
      'stale_count as staleCount',
      'reason',
      'actor',
      'at',
    ])
    .where('closing_id', 'in', closingIds)
    .orderBy('id')
    .execute();
}

/** Gives the revisions written after `afterId` (in this transaction) the restatement's reason. */
export async function attachReason(db: Db, afterId: number, reason: string): Promise<void> {
  await db.updateTable('revisions').set({ reason }).where('id', '>', afterId).execute();
}

export async function lastRevisionId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('revisions')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The first quarter any organisation was a member in, or null when there are none. */
export async function firstMemberQuarter(db: Db): Promise<Quarter | null> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.min('from_quarter').as('first'))
    .executeTakeFirst();
  return (row?.first as Quarter | null | undefined) ?? null;
}

/** Every gear recorded up to `quarter` of the given organisations (all when absent). */
export function gearPointsUpTo(db: Db, quarter: Quarter, ids?: readonly number[]) {
  let q = db
    .selectFrom('quickscans')
    .select(['organisation_id as organisationId', 'quarter', 'gear'])
    .where('quarter', '<=', quarter);
  if (ids) {
    if (ids.length === 0) return Promise.resolve([]);
    q = q.where('organisation_id', 'in', ids);
  }
  return q.execute();
}
