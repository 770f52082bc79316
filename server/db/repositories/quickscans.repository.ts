import type { Insertable, Kysely } from 'kysely';
import type { Quarter } from '../../domain/quarter.ts';
import { precompiled } from '../precompiled.ts';
import type { AnswerRow, Database, QuickscanRow, QuickscansTable } from '../schema.ts';

type Db = Kysely<Database>;

export function findQuickscan(
  db: Db,
  organisationId: number,
  quarter: Quarter,
): Promise<QuickscanRow | undefined> {
  return db
    .selectFrom('quickscans')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
}

export function listQuickscans(db: Db, organisationId: number): Promise<QuickscanRow[]> {
  return db
    .selectFrom('quickscans')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('quarter')
    .execute();
}

const latestAtOrBeforeQuery = precompiled((db, organisationId: number, quarter: Quarter) =>
  db
    .selectFrom('quickscans')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('quarter', '<=', quarter)
    .orderBy('quarter', 'desc')
    .limit(1),
);

/** The latest gear of an organisation in or before `quarter` (the carry-forward rule). */
export function latestAtOrBefore(
  db: Db,
  organisationId: number,
  quarter: Quarter,
): Promise<QuickscanRow | undefined> {
  return latestAtOrBeforeQuery.takeFirst(db, organisationId, quarter);
}

const answersOfOne = precompiled((db, quickscanId: number) =>
  db.selectFrom('quickscan_answers').selectAll().where('quickscan_id', '=', quickscanId),
);

export function answersOf(db: Db, quickscanIds: readonly number[]): Promise<AnswerRow[]> {
  if (quickscanIds.length === 0) return Promise.resolve([]);
  if (quickscanIds.length === 1) return answersOfOne.all(db, quickscanIds[0]!);
  return db.selectFrom('quickscan_answers').selectAll().where('quickscan_id', 'in', quickscanIds).execute();
}

export async function insertQuickscan(db: Db, values: Insertable<QuickscansTable>): Promise<QuickscanRow> {
  return db.insertInto('quickscans').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Rows per statement for bulk inserts: well under SQLite's 32,766 bound parameters. */
const BULK_ROWS = 500;

/**
 * Inserts many entries in a few statements (the import): one statement per 500 rows instead of
 * one per row. Returns each new id with its organisation and quarter (matched by those, not by
 * position).
 */
export async function insertQuickscans(
  db: Db,
  rows: ReadonlyArray<Insertable<QuickscansTable>>,
): Promise<Array<Pick<QuickscanRow, 'id' | 'organisation_id' | 'quarter' | 'version'>>> {
  const inserted: Array<Pick<QuickscanRow, 'id' | 'organisation_id' | 'quarter' | 'version'>> = [];
  for (let i = 0; i < rows.length; i += BULK_ROWS) {
    inserted.push(
      ...(await db
        .insertInto('quickscans')
        .values(rows.slice(i, i + BULK_ROWS))
        .returning(['id', 'organisation_id', 'quarter', 'version'])
        .execute()),
    );
  }
  return inserted;
}

/** Overwrites the entry when its version is still `expectedVersion`; undefined when it was not. */
export function updateQuickscan(
  db: Db,
  id: number,
  expectedVersion: number,
  values: Omit<Insertable<QuickscansTable>, 'organisation_id' | 'quarter' | 'created_at' | 'created_by'>,
): Promise<QuickscanRow | undefined> {
  return db
    .updateTable('quickscans')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function replaceAnswers(
  db: Db,
  quickscanId: number,
  answers: ReadonlyArray<{ key: string; answer: AnswerRow['answer']; note: string | null }>,
): Promise<void> {
  await db.deleteFrom('quickscan_answers').where('quickscan_id', '=', quickscanId).execute();
  if (answers.length === 0) return;
  await db
    .insertInto('quickscan_answers')
    .values(
      answers.map((a) => ({
        quickscan_id: quickscanId,
        criterion_key: a.key,
        answer: a.answer,
        note: a.note,
      })),
    )
    .execute();
}

export async function deleteQuickscan(db: Db, id: number, expectedVersion: number): Promise<boolean> {
  const result = await db
    .deleteFrom('quickscans')
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * Every gear recorded in [from, to], all organisations, in one query (with {@link latestGearsAt}
 * of the quarter before `from`, what the reports carry forward). The quarter each was recorded in
 * matters: a gear carries only within its membership period, and its age is shown.
 */
export function gearEntriesBetween(db: Db, from: Quarter, to: Quarter) {
  return db
    .selectFrom('quickscans')
    .select(['organisation_id as organisationId', 'quarter', 'gear'])
    .where('quarter', '>=', from)
    .where('quarter', '<=', to)
    .execute();
}

/** Every quarter in which an organisation has a gear, ascending. */
export async function listGearQuarters(db: Db, organisationId: number): Promise<Quarter[]> {
  const rows = await db
    .selectFrom('quickscans')
    .select('quarter')
    .where('organisation_id', '=', organisationId)
    .orderBy('quarter')
    .execute();
  return rows.map((r) => r.quarter);
}

/** The latest gear in or before `quarter` of every organisation that has one: one query. */
export function latestGearsAt(db: Db, quarter: Quarter) {
  return latestEntriesAt(db, quarter)
    .select([
      'q.organisation_id as organisationId',
      'q.quarter',
      'q.gear',
      'q.source',
      'q.model_id as modelId',
      'q.model_version as modelVersion',
    ])
    .execute();
}

/**
 * Each organisation's latest entry in or before `quarter`: one index seek per organisation (the
 * (organisation_id, quarter) index answers "the latest at or before" directly) and one lookup of
 * that row, instead of reading every entry of all earlier quarters and grouping them.
 */
function latestEntriesAt(db: Db, quarter: Quarter) {
  return db
    .selectFrom('organisations as o')
    .innerJoin('quickscans as q', (join) =>
      join.onRef('q.id', '=', (eb) =>
        eb
          .selectFrom('quickscans as l')
          .select('l.id')
          .whereRef('l.organisation_id', '=', 'o.id')
          .where('l.quarter', '<=', quarter)
          .orderBy('l.quarter', 'desc')
          .limit(1),
      ),
    );
}

/**
 * The gears recorded in one quarter, all organisations (the quarter index). The export reads them
 * a quarter at a time: a few thousand small rows that are let go before the next quarter is read,
 * so they never pile up (all of a large region's entries at once cost ~75 bytes each and outlive
 * the export until a full garbage collection), and the quarter, known, is not read on every row.
 */
export function gearsRecordedIn(db: Db, quarter: Quarter) {
  return db
    .selectFrom('quickscans')
    .select(['organisation_id as organisationId', 'gear'])
    .where('quarter', '=', quarter)
    .execute();
}
