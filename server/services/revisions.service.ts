import type { AuditQuery, Revision } from '../contracts/revision.contract.ts';
import { listRevisions, type RevisionFilter } from '../db/repositories/revisions.repository.ts';
import type { RevisionRow } from '../db/schema.ts';
import { ValidationError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';

export function toRevision(r: RevisionRow): Revision {
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
    reason: r.reason,
  };
}

/** The change history, newest first, with the state before and after each change. */
export async function revisions(ctx: ServiceContext, filter: RevisionFilter): Promise<Revision[]> {
  return (await listRevisions(ctx.db, filter)).map(toRevision);
}

/** Every change of one organisation and its quickscans, newest first (404 for an unknown organisation). */
export async function organisationRevisions(
  ctx: ServiceContext,
  organisationId: number,
  page: { limit: number; offset: number },
): Promise<Revision[]> {
  await requireOrganisation(ctx, organisationId);
  return revisions(ctx, { organisationId, ...page });
}

/**
 * The change history for the history page: filtered by organisation, kind and time. `from` and
 * `to` are dates or moments; a bare date as `to` includes that whole day.
 */
export async function auditTrail(ctx: ServiceContext, q: AuditQuery): Promise<Revision[]> {
  const since = q.from ? new Date(q.from).toISOString() : undefined;
  const until = q.to
    ? new Date(Date.parse(q.to) + (/^\d{4}-\d{2}-\d{2}$/.test(q.to) ? 86_400_000 : 1)).toISOString()
    : undefined;
  if (since && until && until <= since) {
    throw new ValidationError(
      'de periode loopt achteruit: "to" ligt vóór "from"',
      undefined,
      'reversed_period',
    );
  }
  return revisions(ctx, {
    ...(q.organisationId !== undefined ? { organisationId: q.organisationId } : {}),
    ...(q.entity ? { entity: q.entity } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    limit: q.limit,
    offset: q.offset,
  });
}
