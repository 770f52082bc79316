import type { Kysely } from 'kysely';
import { precompiled } from '../precompiled.ts';
import type { Database, Role } from '../schema.ts';

type Db = Kysely<Database>;

export async function insertSession(
  db: Db,
  values: {
    tokenHash: string;
    userId: number | null;
    shareLinkId: number | null;
    csrfToken: string;
    now: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: values.tokenHash,
      user_id: values.userId,
      share_link_id: values.shareLinkId,
      csrf_token: values.csrfToken,
      created_at: values.now,
      last_seen_at: values.now,
      expires_at: values.expiresAt,
    })
    .execute();
}

export interface SessionWithOwner {
  id: number;
  csrfToken: string;
  lastSeenAt: string;
  expiresAt: string;
  userId: number | null;
  email: string | null;
  role: Role | null;
  userOrganisationId: number | null;
  disabledAt: string | null;
  shareLinkId: number | null;
  shareOrganisationId: number | null;
  shareExpiresAt: string | null;
  shareRevokedAt: string | null;
}

const sessionByTokenHash = precompiled((db, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('share_links as l', 'l.id', 's.share_link_id')
    .select([
      's.id',
      's.csrf_token as csrfToken',
      's.last_seen_at as lastSeenAt',
      's.expires_at as expiresAt',
      's.user_id as userId',
      'u.email',
      'u.role',
      'u.organisation_id as userOrganisationId',
      'u.disabled_at as disabledAt',
      's.share_link_id as shareLinkId',
      'l.organisation_id as shareOrganisationId',
      'l.expires_at as shareExpiresAt',
      'l.revoked_at as shareRevokedAt',
    ])
    .where('s.token_hash', '=', tokenHash),
);

/** A session with its account or share link, in one query (run on every request: precompiled). */
export function findSessionByTokenHash(db: Db, tokenHash: string): Promise<SessionWithOwner | undefined> {
  return sessionByTokenHash.takeFirst(db, tokenHash);
}

export async function touchSession(db: Db, id: number, now: string, expiresAt: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteSessionsOfShareLink(db: Db, shareLinkId: number): Promise<void> {
  await db.deleteFrom('sessions').where('share_link_id', '=', shareLinkId).execute();
}

/**
 * Deletes every session that can no longer be used: idle past its `expires_at`, of a disabled
 * account, or of a share link that has expired or been revoked (the same tests as
 * `resolveSession`). Returns how many rows went.
 */
export async function deleteExpiredSessions(db: Db, now: string, idleBefore = now): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', idleBefore),
        eb(
          'user_id',
          'in',
          eb.selectFrom('users').select('users.id').where('users.disabled_at', 'is not', null),
        ),
        eb(
          'share_link_id',
          'in',
          eb
            .selectFrom('share_links')
            .select('share_links.id')
            .where((l) =>
              l.or([l('share_links.expires_at', '<=', now), l('share_links.revoked_at', 'is not', null)]),
            ),
        ),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
