import { type Kysely, sql } from 'kysely';
import type { Quarter } from '../../domain/quarter.ts';
import type { Database, EmployeesRow, IncidentFiguresRow } from '../schema.ts';

type Db = Kysely<Database>;

/** The figure columns as stored (snake case), in the order of INCIDENT_FIELDS. */
export const FIGURE_COLUMNS = [
  'verbal',
  'threat',
  'physical',
  'other',
  'reports',
  'reactions_48h',
  'damage_recovered',
] as const;
export type FigureColumn = (typeof FIGURE_COLUMNS)[number];
export type FigureValues = Record<FigureColumn, number | null>;

export function findIncidentFigures(
  db: Db,
  organisationId: number,
  quarter: Quarter,
): Promise<IncidentFiguresRow | undefined> {
  return db
    .selectFrom('incident_figures')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
}

export function listIncidentFigures(
  db: Db,
  organisationId: number,
  period: { from?: Quarter | undefined; to?: Quarter | undefined } = {},
): Promise<IncidentFiguresRow[]> {
  // A row whose figures were all emptied registers nothing: not listed.
  let q = db
    .selectFrom('incident_figures')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`coalesce(${sql.join(FIGURE_COLUMNS.map((c) => sql.ref(c)))}) is not null`);
  if (period.from) q = q.where('quarter', '>=', period.from);
  if (period.to) q = q.where('quarter', '<=', period.to);
  return q.orderBy('quarter').execute();
}

export async function insertIncidentFigures(
  db: Db,
  values: FigureValues & { organisationId: number; quarter: Quarter; at: string; by: string },
): Promise<IncidentFiguresRow> {
  const { organisationId, quarter, at, by, ...figures } = values;
  return db
    .insertInto('incident_figures')
    .values({
      organisation_id: organisationId,
      quarter,
      ...figures,
      created_at: at,
      created_by: by,
      updated_at: at,
      updated_by: by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates when the stored version is still `expectedVersion`; undefined when it was not. */
export function updateIncidentFigures(
  db: Db,
  id: number,
  expectedVersion: number,
  values: FigureValues & { at: string; by: string },
): Promise<IncidentFiguresRow | undefined> {
  const { at, by, ...figures } = values;
  return db
    .updateTable('incident_figures')
    .set((eb) => ({ ...figures, updated_at: at, updated_by: by, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function findEmployees(
  db: Db,
  organisationId: number,
  year: number,
): Promise<EmployeesRow | undefined> {
  return db
    .selectFrom('organisation_employees')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export function listEmployees(db: Db, organisationId: number): Promise<EmployeesRow[]> {
  return db
    .selectFrom('organisation_employees')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('year')
    .execute();
}

export function insertEmployees(
  db: Db,
  values: { organisationId: number; year: number; employees: number; at: string; by: string },
): Promise<EmployeesRow> {
  return db
    .insertInto('organisation_employees')
    .values({
      organisation_id: values.organisationId,
      year: values.year,
      employees: values.employees,
      created_at: values.at,
      created_by: values.by,
      updated_at: values.at,
      updated_by: values.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateEmployees(
  db: Db,
  id: number,
  expectedVersion: number,
  values: { employees: number; at: string; by: string },
): Promise<EmployeesRow | undefined> {
  return db
    .updateTable('organisation_employees')
    .set((eb) => ({
      employees: values.employees,
      updated_at: values.at,
      updated_by: values.by,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}
