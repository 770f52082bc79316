import type { Kysely } from 'kysely';
import type { Quarter } from '../../domain/quarter.ts';
import type { BaselineRow, Database, IncidentFiguresRow, TargetRow } from '../schema.ts';

type Db = Kysely<Database>;

export function listBaselines(db: Db): Promise<BaselineRow[]> {
  return db.selectFrom('incident_baselines').selectAll().orderBy('sector_id').execute();
}

export function findBaseline(db: Db, sectorId: number | null): Promise<BaselineRow | undefined> {
  return db
    .selectFrom('incident_baselines')
    .selectAll()
    .where('sector_id', sectorId === null ? 'is' : '=', sectorId)
    .executeTakeFirst();
}

export interface BaselineValues {
  from: Quarter;
  to: Quarter;
  targetPercent: number;
  at: string;
  by: string;
}

export function insertBaseline(db: Db, sectorId: number | null, v: BaselineValues): Promise<BaselineRow> {
  return db
    .insertInto('incident_baselines')
    .values({
      sector_id: sectorId,
      from_quarter: v.from,
      to_quarter: v.to,
      target_percent: v.targetPercent,
      created_at: v.at,
      created_by: v.by,
      updated_at: v.at,
      updated_by: v.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates when the stored version is still `expectedVersion`; undefined when it was not. */
export function updateBaseline(
  db: Db,
  id: number,
  expectedVersion: number,
  v: BaselineValues,
): Promise<BaselineRow | undefined> {
  return db
    .updateTable('incident_baselines')
    .set((eb) => ({
      from_quarter: v.from,
      to_quarter: v.to,
      target_percent: v.targetPercent,
      updated_at: v.at,
      updated_by: v.by,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteBaseline(db: Db, id: number): Promise<void> {
  await db.deleteFrom('incident_baselines').where('id', '=', id).execute();
}

/** Every registered quarter's kinds (not the aangiftes etc.) in a period, all organisations. */
export function incidentKindsBetween(
  db: Db,
  from: Quarter,
  to: Quarter,
  organisationId?: number,
): Promise<
  Array<{
    organisation_id: number;
    quarter: Quarter;
    verbal: number | null;
    threat: number | null;
    physical: number | null;
    other: number | null;
  }>
> {
  let q = db
    .selectFrom('incident_figures')
    .select(['organisation_id', 'quarter', 'verbal', 'threat', 'physical', 'other'])
    .where('quarter', '>=', from)
    .where('quarter', '<=', to);
  if (organisationId !== undefined) q = q.where('organisation_id', '=', organisationId);
  return q.execute();
}

/** Every organisation's figures in a period (all seven). */
export function incidentFiguresBetween(db: Db, from: Quarter, to: Quarter): Promise<IncidentFiguresRow[]> {
  return db
    .selectFrom('incident_figures')
    .selectAll()
    .where('quarter', '>=', from)
    .where('quarter', '<=', to)
    .execute();
}

export function allEmployees(
  db: Db,
): Promise<Array<{ organisation_id: number; year: number; employees: number }>> {
  return db.selectFrom('organisation_employees').select(['organisation_id', 'year', 'employees']).execute();
}

export function listTargetRows(db: Db): Promise<TargetRow[]> {
  return db
    .selectFrom('targets')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('quarter')
    .orderBy('id')
    .execute();
}

export function findTargetRow(db: Db, id: number): Promise<TargetRow | undefined> {
  return db.selectFrom('targets').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertTarget(
  db: Db,
  v: { kind: string; value: number; quarter: Quarter; sectorId: number | null; at: string; by: string },
): Promise<TargetRow> {
  return db
    .insertInto('targets')
    .values({
      kind: v.kind,
      value: v.value,
      quarter: v.quarter,
      sector_id: v.sectorId,
      created_at: v.at,
      created_by: v.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function removeTarget(db: Db, id: number, at: string, by: string): Promise<TargetRow | undefined> {
  return db
    .updateTable('targets')
    .set({ removed_at: at, removed_by: by })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** A sector's own 0-meting and the targets still in force for it. */
export async function sectorOutcomeCounts(
  db: Db,
  sectorId: number,
): Promise<{ baseline: boolean; targets: number }> {
  const [baseline, targets] = await Promise.all([
    db.selectFrom('incident_baselines').select('id').where('sector_id', '=', sectorId).executeTakeFirst(),
    db
      .selectFrom('targets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sector_id', '=', sectorId)
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { baseline: baseline !== undefined, targets: Number(targets.n) };
}

/** Deletes a sector's dropped targets (their history stays in the revisions). */
export async function deleteDroppedTargetsOfSector(db: Db, sectorId: number): Promise<void> {
  await db
    .deleteFrom('targets')
    .where('sector_id', '=', sectorId)
    .where('removed_at', 'is not', null)
    .execute();
}
