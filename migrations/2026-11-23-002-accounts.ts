import { type Kysely, sql } from 'kysely';

// Frozen in time: no app code imported. Accounts, server-side sessions, share links, and a wider
// revisions table so account and share-link changes are part of the change history too.

// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull().check(sql`password_hash LIKE 'scrypt$%'`))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role IN ('projectleider', 'bestuur', 'organisatie')`),
    )
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('restrict'))
    .addColumn('disabled_at', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'users_organisation_role',
      sql`(role = 'organisatie') = (organisation_id IS NOT NULL)`,
    )
    .execute();

  await db.schema
    .createTable('share_links')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('share_links_org_idx').on('share_links').column('organisation_id').execute();

  // A session belongs to an account or to a share link; the cookie holds a token whose hash is stored.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('share_link_id', 'integer', (c) => c.references('share_links.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addCheckConstraint('sessions_owner', sql`(user_id IS NULL) <> (share_link_id IS NULL)`)
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_share_idx').on('sessions').column('share_link_id').execute();

  // SQLite cannot change a CHECK constraint in place: rebuild revisions with the wider lists.
  await db.schema
    .createTable('revisions_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity', 'text', (c) =>
      c.notNull().check(sql`entity IN ('sector', 'organisation', 'quickscan', 'user', 'share_link')`),
    )
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('organisation_id', 'integer')
    .addColumn('quarter', 'text')
    .addColumn('action', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`action IN ('create', 'update', 'delete', 'archive', 'restore', 'disable', 'enable', 'revoke', 'password_reset')`,
        ),
    )
    .addColumn('before', 'text', (c) => c.check(sql`before IS NULL OR json_valid(before)`))
    .addColumn('after', 'text', (c) => c.check(sql`after IS NULL OR json_valid(after)`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO revisions_new (id, entity, entity_id, organisation_id, quarter, action, before, after, actor, at)
    SELECT id, entity, entity_id, organisation_id, quarter, action, before, after, actor, at FROM revisions`.execute(
    db,
  );
  await db.schema.dropTable('revisions').execute();
  await sql`ALTER TABLE revisions_new RENAME TO revisions`.execute(db);
  await db.schema
    .createIndex('revisions_entity_idx')
    .on('revisions')
    .columns(['entity', 'entity_id'])
    .execute();
  await db.schema
    .createIndex('revisions_org_idx')
    .on('revisions')
    .columns(['organisation_id', 'at'])
    .execute();
  await db.schema.createIndex('revisions_at_idx').on('revisions').column('at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM revisions WHERE entity IN ('user', 'share_link')`.execute(db);
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('share_links').execute();
  await db.schema.dropTable('users').execute();
}
