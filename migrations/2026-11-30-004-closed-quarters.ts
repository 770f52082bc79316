import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration imports no app code, so later changes to the app cannot change it.

const QUARTER_GLOB = "'[0-9][0-9][0-9][0-9]-Q[1-4]'";

/**
 * Closed quarters (vastgestelde kwartalen) and restatements. A closing stores the quarter's
 * figures as they were: per organisation that was a member its gear, the quarter that gear was
 * recorded in and its sector; per sector and for the region n, average and the stale count. A
 * reopened closing keeps its figures and its restatements (history); at most one closing of a
 * quarter is open at a time. Every later change of a closed quarter's figure is a restatement
 * with its reason, and the revisions that made it carry the same reason.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quarter_closings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('quarter', 'text', (c) => c.notNull().check(sql.raw(`quarter GLOB ${QUARTER_GLOB}`)))
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('reopened_at', 'text')
    .addColumn('reopened_by', 'text')
    .addColumn('reopen_reason', 'text')
    .addCheckConstraint(
      'quarter_closings_reopen_complete',
      sql`(reopened_at IS NULL AND reopened_by IS NULL AND reopen_reason IS NULL) OR (reopened_at IS NOT NULL AND reopened_by IS NOT NULL AND length(reopen_reason) > 0)`,
    )
    .execute();
  await sql`create unique index quarter_closings_open_unique on quarter_closings (quarter) where reopened_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('closed_organisation_figures')
    .addColumn('closing_id', 'integer', (c) =>
      c.notNull().references('quarter_closings.id').onDelete('restrict'),
    )
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('sector_id', 'integer', (c) => c.notNull())
    .addColumn('gear', 'integer', (c) => c.check(sql`gear IS NULL OR gear BETWEEN 1 AND 5`))
    .addColumn('recorded_in', 'text', (c) =>
      c.check(sql.raw(`(gear IS NULL AND recorded_in IS NULL) OR recorded_in GLOB ${QUARTER_GLOB}`)),
    )
    .addPrimaryKeyConstraint('closed_organisation_figures_pk', ['closing_id', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('closed_scope_figures')
    .addColumn('closing_id', 'integer', (c) =>
      c.notNull().references('quarter_closings.id').onDelete('restrict'),
    )
    .addColumn('sector_id', 'integer', (c) => c.notNull().check(sql`sector_id >= 0`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('average', 'real')
    .addColumn('stale_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('closed_scope_figures_pk', ['closing_id', 'sector_id'])
    .execute();

  await db.schema
    .createTable('restatements')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('closing_id', 'integer', (c) =>
      c.notNull().references('quarter_closings.id').onDelete('restrict'),
    )
    .addColumn('quarter', 'text', (c) => c.notNull())
    // 0 is the region; otherwise the sector's id.
    .addColumn('sector_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('before_n', 'integer', (c) => c.notNull())
    .addColumn('before_average', 'real')
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('average', 'real')
    .addColumn('stale_count', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(reason) > 0`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('restatements_closing_idx')
    .on('restatements')
    .columns(['closing_id', 'sector_id', 'id'])
    .execute();

  await db.schema.alterTable('revisions').addColumn('reason', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('revisions').dropColumn('reason').execute();
  await db.schema.dropTable('restatements').execute();
  await db.schema.dropTable('closed_scope_figures').execute();
  await db.schema.dropTable('closed_organisation_figures').execute();
  await db.schema.dropTable('quarter_closings').execute();
}
