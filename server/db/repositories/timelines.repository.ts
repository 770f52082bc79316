import type { Kysely } from 'kysely';
import type { MembershipPeriod, OrganisationTimeline, SectorPeriod } from '../../domain/timeline.ts';
import { precompiled } from '../precompiled.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database>;

function byOrganisation<T extends { organisation_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.organisation_id);
    if (list) list.push(row);
    else map.set(row.organisation_id, [row]);
  }
  return map;
}

/**
 * The timelines (membership periods and sector history) of the given organisations, or of all
 * when `ids` is absent: two queries whatever their number, sorted by quarter.
 */
export async function listTimelines(db: Db, ids?: readonly number[]): Promise<OrganisationTimeline[]> {
  if (ids && ids.length === 0) return [];
  let memberships = db
    .selectFrom('memberships')
    .select(['organisation_id', 'from_quarter', 'until_quarter'])
    .orderBy('organisation_id')
    .orderBy('from_quarter');
  let sectors = db
    .selectFrom('sector_periods')
    .select(['organisation_id', 'sector_id', 'from_quarter'])
    .orderBy('organisation_id')
    .orderBy('from_quarter');
  if (ids) {
    memberships = memberships.where('organisation_id', 'in', ids);
    sectors = sectors.where('organisation_id', 'in', ids);
  }
  const [m, s] = await Promise.all([memberships.execute(), sectors.execute()]);
  const periodsOf = byOrganisation(m);
  const sectorsOf = byOrganisation(s);
  return [...sectorsOf.keys()].map((id) => ({
    id,
    memberships: (periodsOf.get(id) ?? []).map((r) => ({ from: r.from_quarter, until: r.until_quarter })),
    sectors: sectorsOf.get(id)!.map((r) => ({ sectorId: r.sector_id, from: r.from_quarter })),
  }));
}

const membershipsOf = precompiled((db, id: number) =>
  db
    .selectFrom('memberships')
    .select(['from_quarter', 'until_quarter'])
    .where('organisation_id', '=', id)
    .orderBy('from_quarter'),
);

const sectorPeriodsOf = precompiled((db, id: number) =>
  db
    .selectFrom('sector_periods')
    .select(['sector_id', 'from_quarter'])
    .where('organisation_id', '=', id)
    .orderBy('from_quarter'),
);

/** One organisation's timeline; undefined when it has none (it does not exist). */
export async function findTimeline(db: Db, id: number): Promise<OrganisationTimeline | undefined> {
  const [m, s] = await Promise.all([membershipsOf.all(db, id), sectorPeriodsOf.all(db, id)]);
  if (s.length === 0) return undefined;
  return {
    id,
    memberships: m.map((r) => ({ from: r.from_quarter, until: r.until_quarter })),
    sectors: s.map((r) => ({ sectorId: r.sector_id, from: r.from_quarter })),
  };
}

/**
 * Replaces an organisation's membership periods and sector history (checked and sorted by the
 * caller), and keeps the organisation's summary columns in step with them: `member_from` and
 * `member_until` are the latest period, `sector_id` the latest sector. The only writer of both.
 */
export async function writeTimeline(
  db: Db,
  organisationId: number,
  memberships: readonly MembershipPeriod[],
  sectors: readonly SectorPeriod[],
): Promise<void> {
  const latest = memberships[memberships.length - 1];
  const sector = sectors[sectors.length - 1]!;
  await db.deleteFrom('memberships').where('organisation_id', '=', organisationId).execute();
  await db.deleteFrom('sector_periods').where('organisation_id', '=', organisationId).execute();
  if (memberships.length > 0) {
    await db
      .insertInto('memberships')
      .values(
        memberships.map((p) => ({
          organisation_id: organisationId,
          from_quarter: p.from,
          until_quarter: p.until,
        })),
      )
      .execute();
  }
  await db
    .insertInto('sector_periods')
    .values(
      sectors.map((s) => ({ organisation_id: organisationId, sector_id: s.sectorId, from_quarter: s.from })),
    )
    .execute();
  // Without a period (archived before it joined) the summary keeps the period it was to have.
  await db
    .updateTable('organisations')
    .set(
      latest
        ? { member_from: latest.from, member_until: latest.until, sector_id: sector.sectorId }
        : { sector_id: sector.sectorId },
    )
    .where('id', '=', organisationId)
    .execute();
}
