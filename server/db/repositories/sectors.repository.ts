import type { Kysely } from 'kysely';
import { precompiled } from '../precompiled.ts';
import type { Database, SectorRow } from '../schema.ts';

type Db = Kysely<Database>;

export interface SectorWithCount extends SectorRow {
  organisation_count: number;
  /**
   * Organisations that belong or ever belonged to the sector (archived ones and earlier sector
   * periods included): a sector that has or had organisations cannot be deleted.
   */
  total_count: number;
}

export function listSectors(db: Db): Promise<SectorWithCount[]> {
  return db
    .selectFrom('sectors as s')
    .selectAll('s')
    .select((eb) =>
      eb
        .selectFrom('organisations as o')
        .whereRef('o.sector_id', '=', 's.id')
        .where('o.archived_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('organisation_count'),
    )
    .select((eb) =>
      eb
        .selectFrom('sector_periods as p')
        .whereRef('p.sector_id', '=', 's.id')
        .select((e) => e.fn.count<number>('p.organisation_id').distinct().as('n'))
        .as('total_count'),
    )
    .orderBy('s.position')
    .orderBy('s.id')
    .execute() as Promise<SectorWithCount[]>;
}

/**
 * The sectors' ids and names in their order, without the counts `listSectors` adds (those read
 * every organisation): what the reports, the export and writes need to name sectors.
 */
const sectorNamesQuery = precompiled((db) =>
  db.selectFrom('sectors').select(['id', 'name']).orderBy('position').orderBy('id'),
);

export function listSectorNames(db: Db): Promise<Array<{ id: number; name: string }>> {
  return sectorNamesQuery.all(db);
}

export function findSector(db: Db, id: number): Promise<SectorRow | undefined> {
  return db.selectFrom('sectors').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSectorByKey(db: Db, key: string): Promise<SectorRow | undefined> {
  return db.selectFrom('sectors').selectAll().where('name_key', '=', key).executeTakeFirst();
}

export async function insertSector(db: Db, name: string, key: string, now: string): Promise<SectorRow> {
  const { max } = await db
    .selectFrom('sectors')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .executeTakeFirstOrThrow();
  return db
    .insertInto('sectors')
    .values({ name, name_key: key, position: (max ?? 0) + 1, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function renameSector(db: Db, id: number, name: string, key: string, now: string): Promise<SectorRow> {
  return db
    .updateTable('sectors')
    .set((eb) => ({ name, name_key: key, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Organisations in a sector now (not archived), or with `includeArchived` every organisation that
 * belongs or ever belonged to it (a sector that had members cannot vanish: their history needs it).
 */
export async function countOrganisationsInSector(
  db: Db,
  id: number,
  options: { includeArchived: boolean },
): Promise<number> {
  const row = options.includeArchived
    ? await db
        .selectFrom('sector_periods')
        .select((eb) => eb.fn.count<number>('organisation_id').distinct().as('n'))
        .where('sector_id', '=', id)
        .executeTakeFirstOrThrow()
    : await db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sector_id', '=', id)
        .where('archived_at', 'is', null)
        .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteSector(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sectors').where('id', '=', id).execute();
}
