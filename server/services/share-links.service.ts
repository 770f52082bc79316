import type { NewShareLinkInput, ShareLink } from '../contracts/share-link.contract.ts';
import { insertRevision } from '../db/repositories/revisions.repository.ts';
import { deleteSessionsOfShareLink } from '../db/repositories/sessions.repository.ts';
import * as repo from '../db/repositories/share-links.repository.ts';
import type { ShareLinkRow } from '../db/schema.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { hashToken, randomToken } from '../security/tokens.ts';
import type { ServiceContext } from './context.ts';
import { requireOrganisation } from './organisations.service.ts';
import { inTransaction } from './transaction.ts';

function toDto(row: ShareLinkRow, now: Date): ShareLink {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    label: row.label,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    active: row.revoked_at === null && row.expires_at > now.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function snapshot(row: ShareLinkRow) {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    label: row.label,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** A new read-only link for one organisation; the token is returned once and stored only hashed. */
export async function createShareLink(
  ctx: ServiceContext,
  organisationId: number,
  input: NewShareLinkInput,
): Promise<{ link: ShareLink; token: string }> {
  await requireOrganisation(ctx, organisationId);
  const token = randomToken(32);
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const row = await repo.insertShareLink(trx, {
      organisationId,
      tokenHash: hashToken(token),
      label: input.label?.trim() || null,
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
      createdBy: ctx.actor,
      now: now.toISOString(),
    });
    await insertRevision(trx, {
      entity: 'share_link',
      entityId: row.id,
      organisationId,
      quarter: null,
      action: 'create',
      before: null,
      after: snapshot(row),
      actor: ctx.actor,
      at: now.toISOString(),
    });
    return { link: toDto(row, now), token };
  });
}

export async function listShareLinks(ctx: ServiceContext, organisationId: number): Promise<ShareLink[]> {
  await requireOrganisation(ctx, organisationId);
  const now = ctx.now();
  return (await repo.listShareLinks(ctx.db, organisationId)).map((r) => toDto(r, now));
}

/** Revokes a link at once: sessions opened through it end too. */
export function revokeShareLink(ctx: ServiceContext, id: number): Promise<ShareLink> {
  return inTransaction(ctx.db, async (trx) => {
    const row = await repo.findShareLink(trx, id);
    if (!row) throw new NotFoundError(`deellink ${id} bestaat niet`, 'share_link_not_found');
    if (row.revoked_at !== null)
      throw new ConflictError(`deellink ${id} is al ingetrokken`, 'already_revoked');
    const now = ctx.now();
    await repo.revokeShareLink(trx, id, now.toISOString());
    await deleteSessionsOfShareLink(trx, id);
    const after = { ...row, revoked_at: now.toISOString() };
    await insertRevision(trx, {
      entity: 'share_link',
      entityId: id,
      organisationId: row.organisation_id,
      quarter: null,
      action: 'revoke',
      before: snapshot(row),
      after: snapshot(after),
      actor: ctx.actor,
      at: now.toISOString(),
    });
    return toDto(after, now);
  });
}

/** The link behind a token; revoked, expired or unknown links all answer 404 alike. */
export async function findUsableShareLink(ctx: ServiceContext, token: string): Promise<ShareLinkRow> {
  const row = await repo.findShareLinkByTokenHash(ctx.db, hashToken(token));
  if (!row || row.revoked_at !== null || row.expires_at <= ctx.now().toISOString()) {
    throw new NotFoundError(
      'deze link bestaat niet (meer): vraag de projectleider om een nieuwe',
      'share_link_not_found',
    );
  }
  return row;
}
