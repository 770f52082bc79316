import type { Kysely } from 'kysely';
import type { Quarter } from '../../domain/quarter.ts';
import type { Database, RevisionAction, RevisionEntity, RevisionRow } from '../schema.ts';

type Db = Kysely<Database>;

export interface NewRevision {
  entity: RevisionEntity;
  entityId: number;
  organisationId: number | null;
  quarter: Quarter | null;
  action: RevisionAction;
  before: unknown;
  after: unknown;
  actor: string;
  at: string;
}

function revisionValues(r: NewRevision) {
  return {
    entity: r.entity,
    entity_id: r.entityId,
    organisation_id: r.organisationId,
    quarter: r.quarter,
    action: r.action,
    before: r.before === null || r.before === undefined ? null : JSON.stringify(r.before),
    after: r.after === null || r.after === undefined ? null : JSON.stringify(r.after),
    actor: r.actor,
    at: r.at,
  };
}

export async function insertRevision(db: Db, r: NewRevision): Promise<void> {
  await db.insertInto('revisions').values(revisionValues(r)).execute();
}

/** Rows per statement: 9 columns each, well under SQLite's 32,766 bound parameters. */
const BULK_ROWS = 1000;

/** Inserts many revisions in a few statements (the import writes one per gear). */
export async function insertRevisions(db: Db, rs: readonly NewRevision[]): Promise<void> {
  for (let i = 0; i < rs.length; i += BULK_ROWS) {
    await db
      .insertInto('revisions')
      .values(rs.slice(i, i + BULK_ROWS).map(revisionValues))
      .execute();
  }
}

export interface RevisionFilter {
  entity?: RevisionEntity;
  entityId?: number;
  organisationId?: number;
  quarter?: Quarter;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

export function listRevisions(db: Db, f: RevisionFilter): Promise<RevisionRow[]> {
  let q = db.selectFrom('revisions').selectAll();
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId !== undefined) q = q.where('entity_id', '=', f.entityId);
  if (f.organisationId !== undefined) q = q.where('organisation_id', '=', f.organisationId);
  if (f.quarter) q = q.where('quarter', '=', f.quarter);
  if (f.since) q = q.where('at', '>=', f.since);
  if (f.until) q = q.where('at', '<', f.until);
  return q.orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
}
