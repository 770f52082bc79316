import type { Kysely } from 'kysely';
import type { Database, SectorRow } from '../schema.ts';

type Db = Kysely<Database>;

export interface SectorWithCount extends SectorRow {
  organisation_count: number;
  /** Archived organisations included: a sector that has or had organisations cannot be deleted. */
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
        .selectFrom('organisations as o')
        .whereRef('o.sector_id', '=', 's.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('total_count'),
    )
    .orderBy('s.position')
    .orderBy('s.id')
    .execute() as Promise<SectorWithCount[]>;
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

/** Organisations in a sector; archived ones only when asked (a sector that had members cannot vanish). */
export async function countOrganisationsInSector(
  db: Db,
  id: number,
  options: { includeArchived: boolean },
): Promise<number> {
  let q = db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sector_id', '=', id);
  if (!options.includeArchived) q = q.where('archived_at', 'is', null);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteSector(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sectors').where('id', '=', id).execute();
}
