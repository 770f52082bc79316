import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration imports no app code, so later changes to the app cannot change it.

const QUARTER_GLOB = "'[0-9][0-9][0-9][0-9]-Q[1-4]'";

/**
 * The region's 0-meting and targets (issue 12). A baseline is a period of quarters and a target
 * change of the incidents per 100 employees against it, for the region (sector_id null) or one
 * sector: one of each, changed in place (version, history in the revisions). A target is a figure
 * the region aims at by a quarter; removed targets stay, marked, for the history. The revisions'
 * entity list grows by both (SQLite rebuilds the table to change a CHECK).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_baselines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('sector_id', 'integer', (c) => c.references('sectors.id').onDelete('restrict'))
    .addColumn('from_quarter', 'text', (c) => c.notNull().check(sql.raw(`from_quarter GLOB ${QUARTER_GLOB}`)))
    .addColumn('to_quarter', 'text', (c) => c.notNull().check(sql.raw(`to_quarter GLOB ${QUARTER_GLOB}`)))
    .addColumn('target_percent', 'real', (c) =>
      c.notNull().check(sql`target_percent >= -100 AND target_percent <= 0`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addCheckConstraint('incident_baselines_period', sql`from_quarter <= to_quarter`)
    .execute();
  // One for the region (no sector) and one per sector.
  await sql`create unique index incident_baselines_scope_unique on incident_baselines (ifnull(sector_id, 0))`.execute(
    db,
  );

  await db.schema
    .createTable('targets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) BETWEEN 1 AND 40`))
    .addColumn('value', 'real', (c) => c.notNull())
    .addColumn('quarter', 'text', (c) => c.notNull().check(sql.raw(`quarter GLOB ${QUARTER_GLOB}`)))
    .addColumn('sector_id', 'integer', (c) => c.references('sectors.id').onDelete('restrict'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text')
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
  await sql`DELETE FROM revisions WHERE entity IN ('baseline', 'target')`.execute(db);
  await rebuildRevisions(db, [
    'sector',
    'organisation',
    'quickscan',
    'user',
    'share_link',
    'incident_figures',
    'employees',
  ]);
  await db.schema.dropTable('targets').execute();
  await db.schema.dropTable('incident_baselines').execute();
}
