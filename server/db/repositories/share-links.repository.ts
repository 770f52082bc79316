import type { Kysely } from 'kysely';
import type { Database, ShareLinkRow } from '../schema.ts';

type Db = Kysely<Database>;

export function insertShareLink(
  db: Db,
  values: {
    organisationId: number;
    tokenHash: string;
    label: string | null;
    expiresAt: string;
    createdBy: string;
    now: string;
  },
): Promise<ShareLinkRow> {
  return db
    .insertInto('share_links')
    .values({
      organisation_id: values.organisationId,
      token_hash: values.tokenHash,
      label: values.label,
      expires_at: values.expiresAt,
      created_by: values.createdBy,
      created_at: values.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listShareLinks(db: Db, organisationId: number): Promise<ShareLinkRow[]> {
  return db
    .selectFrom('share_links')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('id', 'desc')
    .execute();
}

export function findShareLink(db: Db, id: number): Promise<ShareLinkRow | undefined> {
  return db.selectFrom('share_links').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findShareLinkByTokenHash(db: Db, tokenHash: string): Promise<ShareLinkRow | undefined> {
  return db.selectFrom('share_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function revokeShareLink(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('share_links').set({ revoked_at: at }).where('id', '=', id).execute();
}
