import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration imports no app code, so later changes to the app cannot change it.

const QUARTER_GLOB = "'[0-9][0-9][0-9][0-9]-Q[1-4]'";
const DEFAULT_SECTORS = [
  'Veiligheid/Justitie',
  'Zorg',
  'Onderwijs',
  'Openbaar Vervoer',
  'Openbaar Bestuur',
  'Sociale Zekerheid',
  'Woningbouwcorporaties',
  'Anders',
];

// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped database by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sectors')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('sector_id', 'integer', (c) => c.notNull().references('sectors.id').onDelete('restrict'))
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('member_from', 'text', (c) => c.notNull().check(sql.raw(`member_from GLOB ${QUARTER_GLOB}`)))
    .addColumn('member_until', 'text', (c) =>
      c.check(
        sql.raw(
          `member_until IS NULL OR (member_until GLOB ${QUARTER_GLOB} AND member_until >= member_from)`,
        ),
      ),
    )
    .addColumn('archived_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('organisations_sector_idx').on('organisations').column('sector_id').execute();

  // Every model version a quickscan was answered against, so old quickscans keep their meaning.
  await db.schema
    .createTable('schakelmodellen')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull().check(sql`json_valid(definition)`))
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('schakelmodellen_pk', ['id', 'version'])
    .execute();

  // One gear per organisation and quarter: from a quickscan (with answers) or recorded directly.
  await db.schema
    .createTable('quickscans')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) =>
      c.notNull().references('organisations.id').onDelete('restrict'),
    )
    .addColumn('quarter', 'text', (c) => c.notNull().check(sql.raw(`quarter GLOB ${QUARTER_GLOB}`)))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('quickscan', 'import', 'manual')`))
    .addColumn('gear', 'integer', (c) => c.notNull().check(sql`gear BETWEEN 1 AND 5`))
    .addColumn('conducted_on', 'text')
    .addColumn('conducted_by', 'text')
    .addColumn('model_id', 'text')
    .addColumn('model_version', 'integer')
    .addColumn('remark', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('quickscans_model_fk', ['model_id', 'model_version'], 'schakelmodellen', [
      'id',
      'version',
    ])
    .addCheckConstraint(
      'quickscans_model_check',
      sql`(source = 'quickscan') = (model_id IS NOT NULL AND model_version IS NOT NULL)`,
    )
    .addUniqueConstraint('quickscans_org_quarter_unique', ['organisation_id', 'quarter'])
    .execute();
  await db.schema
    .createIndex('quickscans_quarter_idx')
    .on('quickscans')
    .columns(['quarter', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('quickscan_answers')
    .addColumn('quickscan_id', 'integer', (c) => c.notNull().references('quickscans.id').onDelete('cascade'))
    .addColumn('criterion_key', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer IN ('ja', 'deels', 'nee', 'nvt')`))
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('quickscan_answers_pk', ['quickscan_id', 'criterion_key'])
    .addCheckConstraint('quickscan_answers_nvt_note', sql`answer <> 'nvt' OR length(trim(note)) > 0`)
    .modifyEnd(sql`without rowid`)
    .execute();

  // Append-only history: every create, edit, archive and removal with the state before and after.
  await db.schema
    .createTable('revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity', 'text', (c) =>
      c.notNull().check(sql`entity IN ('sector', 'organisation', 'quickscan')`),
    )
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('organisation_id', 'integer')
    .addColumn('quarter', 'text')
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action IN ('create', 'update', 'delete', 'archive', 'restore')`),
    )
    .addColumn('before', 'text', (c) => c.check(sql`before IS NULL OR json_valid(before)`))
    .addColumn('after', 'text', (c) => c.check(sql`after IS NULL OR json_valid(after)`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
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

  const now = new Date().toISOString();
  await db
    .insertInto('sectors')
    .values(
      DEFAULT_SECTORS.map((name, i) => ({
        name,
        name_key: name.toLocaleLowerCase('nl'),
        position: i + 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'revisions',
    'quickscan_answers',
    'quickscans',
    'schakelmodellen',
    'organisations',
    'sectors',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
