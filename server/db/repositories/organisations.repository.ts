import { type Kysely, sql } from 'kysely';
import { precompiled } from '../precompiled.ts';
import type { Database, NewOrganisation, OrganisationRow, OrganisationUpdate } from '../schema.ts';

type Db = Kysely<Database>;

export interface OrganisationWithSector extends OrganisationRow {
  sector_name: string;
}

export interface OrganisationFilter {
  sectorId?: number;
  search?: string;
  includeArchived: boolean;
}

function withSector(db: Db) {
  return db
    .selectFrom('organisations as o')
    .innerJoin('sectors as s', 's.id', 'o.sector_id')
    .selectAll('o')
    .select('s.name as sector_name');
}

export function listOrganisations(db: Db, f: OrganisationFilter): Promise<OrganisationWithSector[]> {
  let q = withSector(db);
  if (f.sectorId !== undefined) q = q.where('o.sector_id', '=', f.sectorId);
  if (!f.includeArchived) q = q.where('o.archived_at', 'is', null);
  if (f.search) {
    const pattern = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`o.name_key like ${pattern} escape '\\'`);
  }
  return q.orderBy('o.name_key').execute();
}

/** Every organisation's id and name (archived ones too): what a list needs to name them. */
export function listOrganisationNames(db: Db): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('organisations').select(['id', 'name']).execute();
}

const organisationById = precompiled((db, id: number) => withSector(db).where('o.id', '=', id));

export function findOrganisation(db: Db, id: number): Promise<OrganisationWithSector | undefined> {
  return organisationById.takeFirst(db, id);
}

export function findOrganisationByKey(db: Db, key: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('name_key', '=', key).executeTakeFirst();
}

export async function insertOrganisation(db: Db, values: NewOrganisation): Promise<number> {
  const row = await db.insertInto('organisations').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Updates when the stored version is still `expectedVersion`; returns false when it was not. */
export async function updateOrganisation(
  db: Db,
  id: number,
  expectedVersion: number,
  values: OrganisationUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
