import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration imports no app code, so later changes to the app cannot change it.

const QUARTER_GLOB = "'[0-9][0-9][0-9][0-9]-Q[1-4]'";
const FIGURES = [
  'verbal',
  'threat',
  'physical',
  'other',
  'reports',
  'reactions_48h',
  'damage_recovered',
] as const;

/**
 * Incident figures (issue 12): per organisation and quarter the registered incidents by kind, the
 * aangiftes, the reactions to the offender within 48 hours and the damage recovered, each null
 * when not registered (which is not 0); and per organisation and year its number of employees with
 * a public task (the denominator of the rates). Both get their changes in the revisions, whose
 * entity list SQLite can only widen by rebuilding the table.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  let figures = db.schema
    .createTable('incident_figures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('quarter', 'text', (c) => c.notNull().check(sql.raw(`quarter GLOB ${QUARTER_GLOB}`)));
  for (const name of FIGURES) {
    figures = figures.addColumn(name, 'integer', (c) => c.check(sql.raw(`${name} IS NULL OR ${name} >= 0`)));
  }
  await figures
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_figures_org_quarter_unique', ['organisation_id', 'quarter'])
    .execute();
  await db.schema
    .createIndex('incident_figures_quarter_idx')
    .on('incident_figures')
    .columns(['quarter', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('organisation_employees')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year BETWEEN 1990 AND 2100`))
    .addColumn('employees', 'integer', (c) => c.notNull().check(sql`employees > 0`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('organisation_employees_org_year_unique', ['organisation_id', 'year'])
    .execute();

  await rebuildRevisions(db, [
    'sector',
    'organisation',
    'quickscan',
    'user',
    'share_link',
    'incident_figures',
    'employees',
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
  await sql`DELETE FROM revisions WHERE entity IN ('incident_figures', 'employees')`.execute(db);
  await rebuildRevisions(db, ['sector', 'organisation', 'quickscan', 'user', 'share_link']);
  await db.schema.dropTable('organisation_employees').execute();
  await db.schema.dropTable('incident_figures').execute();
}
