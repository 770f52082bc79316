import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration imports no app code, so later changes to the app cannot change it.

const QUARTER_GLOB = "'[0-9][0-9][0-9][0-9]-Q[1-4]'";

/**
 * Membership periods and sector history. An organisation had one membership window and one
 * sector; from now on it has one or more membership periods and a sector per period of time.
 * Every existing organisation gets exactly the period and the sector it had, so no report
 * changes. The organisation's own `member_from`, `member_until` and `sector_id` stay as the
 * summary of its latest period and its latest sector (written together with the periods).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('memberships')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('from_quarter', 'text', (c) => c.notNull().check(sql.raw(`from_quarter GLOB ${QUARTER_GLOB}`)))
    .addColumn('until_quarter', 'text', (c) =>
      c.check(
        sql.raw(
          `until_quarter IS NULL OR (until_quarter GLOB ${QUARTER_GLOB} AND until_quarter >= from_quarter)`,
        ),
      ),
    )
    .addUniqueConstraint('memberships_org_from_unique', ['organisation_id', 'from_quarter'])
    .execute();

  await db.schema
    .createTable('sector_periods')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('sector_id', 'integer', (c) => c.notNull().references('sectors.id').onDelete('restrict'))
    .addColumn('from_quarter', 'text', (c) => c.notNull().check(sql.raw(`from_quarter GLOB ${QUARTER_GLOB}`)))
    .addUniqueConstraint('sector_periods_org_from_unique', ['organisation_id', 'from_quarter'])
    .execute();
  await db.schema.createIndex('sector_periods_sector_idx').on('sector_periods').column('sector_id').execute();

  // What archiving closed, so that restoring reopens exactly that (JSON of the periods before).
  await db.schema.alterTable('organisations').addColumn('restore_memberships', 'text').execute();

  await sql`
    insert into memberships (organisation_id, from_quarter, until_quarter)
    select id, member_from, member_until from organisations
  `.execute(db);
  await sql`
    insert into sector_periods (organisation_id, sector_id, from_quarter)
    select id, sector_id, member_from from organisations
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').dropColumn('restore_memberships').execute();
  await db.schema.dropTable('sector_periods').execute();
  await db.schema.dropTable('memberships').execute();
}
