import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration imports no app code, so later changes to the app cannot change it.

const QUARTER_GLOB = "'[0-9][0-9][0-9][0-9]-Q[1-4]'";
const DATE_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";

/**
 * The network's work (issue 13): agreed actions per organisation (on a criterion, with an owner, a
 * due quarter or date and a status), the activities of the network (house visits, meetings,
 * workshops, advice) with the organisations involved and the measures touched, the
 * "apothekerskast" of resources per criterion or measure (a link, or a document stored here), and
 * invitations: one-time links (stored hashed) to set a password, for a new account or a reset.
 * The revisions' entity list grows by actions, activities and resources.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('actions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('criterion_key', 'text', (c) => c.notNull().check(sql`length(criterion_key) BETWEEN 1 AND 20`))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) BETWEEN 1 AND 300`))
    .addColumn('owner', 'text', (c) => c.check(sql`owner IS NULL OR length(owner) <= 200`))
    .addColumn('due_quarter', 'text', (c) =>
      c.check(sql.raw(`due_quarter IS NULL OR due_quarter GLOB ${QUARTER_GLOB}`)),
    )
    .addColumn('due_date', 'text', (c) => c.check(sql.raw(`due_date IS NULL OR due_date GLOB ${DATE_GLOB}`)))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status IN ('open', 'bezig', 'klaar', 'vervallen')`),
    )
    .addColumn('note', 'text', (c) => c.check(sql`note IS NULL OR length(note) <= 2000`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addCheckConstraint('actions_one_due', sql`due_quarter IS NULL OR due_date IS NULL`)
    .execute();
  await db.schema
    .createIndex('actions_org_idx')
    .on('actions')
    .columns(['organisation_id', 'status'])
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('date', 'text', (c) => c.notNull().check(sql.raw(`date GLOB ${DATE_GLOB}`)))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind IN ('huisbezoek', 'netwerkbijeenkomst', 'ambassadeursbijeenkomst', 'workshop', 'advies', 'overig')`,
        ),
    )
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) BETWEEN 1 AND 300`))
    .addColumn('notes', 'text', (c) => c.check(sql`notes IS NULL OR length(notes) <= 5000`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text')
    .execute();
  await db.schema.createIndex('activities_date_idx').on('activities').column('date').execute();
  await db.schema
    .createTable('activity_organisations')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addPrimaryKeyConstraint('activity_organisations_pk', ['activity_id', 'organisation_id'])
    .execute();
  await db.schema
    .createIndex('activity_organisations_org_idx')
    .on('activity_organisations')
    .columns(['organisation_id', 'activity_id'])
    .execute();
  await db.schema
    .createTable('activity_measures')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('measure', 'text', (c) => c.notNull().check(sql`length(measure) BETWEEN 1 AND 40`))
    .addPrimaryKeyConstraint('activity_measures_pk', ['activity_id', 'measure'])
    .execute();

  await db.schema
    .createTable('resources')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('criterion_key', 'text', (c) =>
      c.check(sql`criterion_key IS NULL OR length(criterion_key) <= 20`),
    )
    .addColumn('measure', 'text', (c) => c.check(sql`measure IS NULL OR length(measure) <= 40`))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) BETWEEN 1 AND 300`))
    .addColumn('description', 'text', (c) => c.check(sql`description IS NULL OR length(description) <= 2000`))
    .addColumn('url', 'text', (c) => c.check(sql`url IS NULL OR length(url) <= 2000`))
    .addColumn('file_name', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size', 'integer')
    .addColumn('content', 'blob')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text')
    .addCheckConstraint('resources_about', sql`criterion_key IS NOT NULL OR measure IS NOT NULL`)
    .addCheckConstraint(
      'resources_link_or_file',
      sql`(url IS NOT NULL AND content IS NULL AND file_name IS NULL) OR (url IS NULL AND content IS NOT NULL AND file_name IS NOT NULL AND content_type IS NOT NULL AND size = length(content) AND size <= 10485760)`,
    )
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('invite', 'reset')`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role IN ('projectleider', 'bestuur', 'organisatie')`),
    )
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('restrict'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addCheckConstraint('invitations_reset_user', sql`purpose = 'invite' OR user_id IS NOT NULL`)
    .execute();

  await rebuildRevisions(db, [
    'sector',
    'organisation',
    'quickscan',
    'user',
    'share_link',
    'incident_figures',
    'employees',
    'baseline',
    'target',
    'action',
    'activity',
    'resource',
    'invitation',
  ]);
}

/** SQLite cannot change a CHECK constraint in place: revisions rebuilt with the given entities. */
// biome-ignore lint/suspicious/noExplicitAny: see up()
async function rebuildRevisions(db: Kysely<any>, entities: readonly string[]): Promise<void> {
  const list = entities.map((e) => `'${e}'`).join(', ');
  await db.schema
    .createTable('revisions_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity', 'text', (c) => c.notNull().check(sql.raw(`entity IN (${list})`)))
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
    .addColumn('reason', 'text')
    .execute();
  await sql`INSERT INTO revisions_new (id, entity, entity_id, organisation_id, quarter, action, before, after, actor, at, reason)
    SELECT id, entity, entity_id, organisation_id, quarter, action, before, after, actor, at, reason FROM revisions`.execute(
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
  await sql`DELETE FROM revisions WHERE entity IN ('action', 'activity', 'resource', 'invitation')`.execute(
    db,
  );
  await rebuildRevisions(db, [
    'sector',
    'organisation',
    'quickscan',
    'user',
    'share_link',
    'incident_figures',
    'employees',
    'baseline',
    'target',
  ]);
  await db.schema.dropTable('invitations').execute();
  await db.schema.dropTable('resources').execute();
  await db.schema.dropTable('activity_measures').execute();
  await db.schema.dropTable('activity_organisations').execute();
  await db.schema.dropTable('activities').execute();
  await db.schema.dropTable('actions').execute();
}
