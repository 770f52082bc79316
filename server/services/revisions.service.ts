import { listRevisions, type RevisionFilter } from '../db/repositories/revisions.repository.ts';
import type { RevisionRow } from '../db/schema.ts';
import type { Quarter } from '../domain/quarter.ts';
import type { ServiceContext } from './context.ts';

export interface RevisionDto {
  id: number;
  entity: RevisionRow['entity'];
  entityId: number;
  organisationId: number | null;
  quarter: Quarter | null;
  action: RevisionRow['action'];
  before: unknown;
  after: unknown;
  actor: string;
  at: string;
}

export function toRevisionDto(r: RevisionRow): RevisionDto {
  return {
    id: r.id,
    entity: r.entity,
    entityId: r.entity_id,
    organisationId: r.organisation_id,
    quarter: r.quarter,
    action: r.action,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
    actor: r.actor,
    at: r.at,
  };
}

/** The change history, newest first, with the state before and after each change. */
export async function revisions(ctx: ServiceContext, filter: RevisionFilter): Promise<RevisionDto[]> {
  return (await listRevisions(ctx.db, filter)).map(toRevisionDto);
}
