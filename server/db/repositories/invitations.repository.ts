import type { Insertable, Kysely } from 'kysely';
import type { Database, InvitationRow, InvitationsTable } from '../schema.ts';

type Db = Kysely<Database>;

export function insertInvitation(db: Db, values: Insertable<InvitationsTable>): Promise<InvitationRow> {
  return db.insertInto('invitations').values(values).returningAll().executeTakeFirstOrThrow();
}

export function findInvitation(db: Db, id: number): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Links not used, not revoked and not expired at `now`, newest first. */
export function listOpenInvitations(db: Db, now: string): Promise<InvitationRow[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('id', 'desc')
    .execute();
}

/**
 * The open links that a new one replaces: invitations for the same address (case-insensitive), or
 * reset links of the same account.
 */
export function listOpenInvitationsFor(
  db: Db,
  target: { purpose: 'invite'; emailKey: string } | { purpose: 'reset'; userId: number },
  now: string,
): Promise<InvitationRow[]> {
  let q = db
    .selectFrom('invitations')
    .selectAll()
    .where('purpose', '=', target.purpose)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now);
  q =
    target.purpose === 'invite'
      ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', target.emailKey))
      : q.where('user_id', '=', target.userId);
  return q.execute();
}

export function revokeInvitation(db: Db, id: number, at: string): Promise<InvitationRow> {
  return db
    .updateTable('invitations')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Marks a link used, only while it is still open; false when it was not (used, revoked or expired). */
export async function markInvitationUsed(db: Db, id: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes an account's open reset links (its password changed another way, or it was disabled). */
export async function revokeResetLinksOf(db: Db, userId: number, at: string): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('purpose', '=', 'reset')
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}
