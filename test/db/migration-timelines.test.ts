// Migration 2026-11-29-003-timelines (docs/time-model.md): a database made by the previous
// version (one membership window and one sector per organisation) moves to membership periods
// and sector history without any report changing. The old database is made with only the first
// two migrations and filled the old way, with SQL into the old columns; the old figures are
// computed by the old rules written out below (not by the app).
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { type Quarter, quarterIndex, quarterRange } from '../../server/domain/quarter.ts';
import type { Average } from '../../server/domain/report.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { getOrganisation, restoreOrganisation } from '../../server/services/organisations.service.ts';
import { reportDistribution, reportMatrix, reportSummary } from '../../server/services/reports.service.ts';
import { gearHistory } from '../../server/services/status.service.ts';
import { organisationPeriods } from '../../server/services/timeline.service.ts';
import { oracleSectorMatrix } from '../domain/report-oracle.ts';
import { buildTestContext, TEST_NOW, tempDir } from '../helpers.ts';

let dir: string;
let remove: () => void;
beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-migration-'));
});
afterEach(() => remove());

/** The migrations of the previous version: the database as it was before issue 9. */
const PREVIOUS = Object.fromEntries(
  ['2026-11-23-001-initial', '2026-11-23-002-accounts'].map((name) => [name, migrations[name]!]),
);

/** An organisation as the previous version stored it. */
interface OldOrganisation {
  name: string;
  sector: string;
  memberFrom: Quarter;
  memberUntil: Quarter | null;
  archived: boolean;
  gears: Array<[Quarter, number, 'import' | 'manual']>;
}

/*
 * The old region. "-" not a member, "." member without a gear.
 *
 *   Politie      Veiligheid/Justitie  2015-Q1 ..            2015-Q2:3, 2016-Q3:4
 *   Thuiszorg    Zorg                 2015-Q3 .. 2016-Q2    2015-Q4:2               (left)
 *   Ziekenhuis   Zorg                 2016-Q1 ..            (none)                  (member without a gear)
 *   Vervoerder   Openbaar Vervoer     2015-Q1 .. 2016-Q1    2015-Q1:5               (archived the old way)
 *   Nieuwkomer   Onderwijs            2027-Q2 .. 2027-Q2    (none)                  (archived before it started: the old archive set until = from)
 *   Busbedrijf   Openbaar Vervoer     2014-Q4 ..            2014-Q4:1, 2016-Q1:5    (imported)
 *   School       Onderwijs            2015-Q2 ..            2015-Q2:4 (stale from 2016-Q3 on)
 */
const OLD: OldOrganisation[] = [
  {
    name: 'Politie',
    sector: 'Veiligheid/Justitie',
    memberFrom: '2015-Q1',
    memberUntil: null,
    archived: false,
    gears: [
      ['2015-Q2', 3, 'manual'],
      ['2016-Q3', 4, 'manual'],
    ],
  },
  {
    name: 'Thuiszorg',
    sector: 'Zorg',
    memberFrom: '2015-Q3',
    memberUntil: '2016-Q2',
    archived: false,
    gears: [['2015-Q4', 2, 'manual']],
  },
  {
    name: 'Ziekenhuis',
    sector: 'Zorg',
    memberFrom: '2016-Q1',
    memberUntil: null,
    archived: false,
    gears: [],
  },
  {
    name: 'Vervoerder',
    sector: 'Openbaar Vervoer',
    memberFrom: '2015-Q1',
    memberUntil: '2016-Q1',
    archived: true,
    gears: [['2015-Q1', 5, 'manual']],
  },
  {
    name: 'Nieuwkomer',
    sector: 'Onderwijs',
    memberFrom: '2027-Q2',
    memberUntil: '2027-Q2',
    archived: true,
    gears: [],
  },
  {
    name: 'Busbedrijf',
    sector: 'Openbaar Vervoer',
    memberFrom: '2014-Q4',
    memberUntil: null,
    archived: false,
    gears: [
      ['2014-Q4', 1, 'import'],
      ['2016-Q1', 5, 'import'],
    ],
  },
  {
    name: 'School',
    sector: 'Onderwijs',
    memberFrom: '2015-Q2',
    memberUntil: null,
    archived: false,
    gears: [['2015-Q2', 4, 'manual']],
  },
];

/** Fills the old database with SQL into the old columns; returns the organisations' ids by name. */
// biome-ignore lint/suspicious/noExplicitAny: the old database has the old schema, not today's types
async function fillOldDatabase(db: Kysely<any>): Promise<Map<string, number>> {
  const now = TEST_NOW.toISOString();
  const ids = new Map<string, number>();
  for (const o of OLD) {
    const row = await sql<{ id: number }>`
      insert into organisations (name, name_key, sector_id, member_from, member_until, archived_at, created_at, updated_at)
      values (${o.name}, ${o.name.toLowerCase()}, (select id from sectors where name = ${o.sector}),
              ${o.memberFrom}, ${o.memberUntil}, ${o.archived ? now : null}, ${now}, ${now})
      returning id`.execute(db);
    const id = row.rows[0]!.id;
    ids.set(o.name, id);
    for (const [quarter, gear, source] of o.gears) {
      await sql`
        insert into quickscans (organisation_id, quarter, source, gear, created_at, created_by, updated_at, updated_by)
        values (${id}, ${quarter}, ${source}, ${gear}, ${now}, 'oud', ${now}, 'oud')`.execute(db);
    }
  }
  return ids;
}

// --- the old rules, written out: one window, one sector, the latest gear carried while a member ---

function oldMember(o: OldOrganisation, q: Quarter): boolean {
  return o.memberFrom <= q && (o.memberUntil === null || q <= o.memberUntil);
}

function oldGear(o: OldOrganisation, q: Quarter): number | null {
  if (!oldMember(o, q)) return null;
  const earlier = o.gears.filter(([recorded]) => recorded <= q).sort(([a], [b]) => (a < b ? -1 : 1));
  return earlier.at(-1)?.[1] ?? null;
}

function oldAverage(gears: number[]): { n: number; average: number | null } {
  return gears.length === 0
    ? { n: 0, average: null }
    : { n: gears.length, average: gears.reduce((a, b) => a + b, 0) / gears.length };
}

function oldCell(q: Quarter, sector: string | null) {
  return oldAverage(
    OLD.filter((o) => sector === null || o.sector === sector).flatMap((o) => {
      const g = oldGear(o, q);
      return g === null ? [] : [g];
    }),
  );
}

/** An average (or a matrix cell) as the old version gave it: n and average, nothing new. */
const withoutStale = ({ n, average }: Average) => ({ n, average });

async function migratedContext(path: string): Promise<{ ctx: ServiceContext; close: () => Promise<void> }> {
  return buildTestContext({ databasePath: path });
}

describe('migration 2026-11-29-003-timelines on a database of the previous version', () => {
  it('when an old database is migrated, then the timelines migration and those after it run and every organisation has exactly its old window as one period and its old sector from its old member_from', async () => {
    // Arrange
    const path = join(dir, 'old.sqlite');
    const old = openDatabase(path);
    expect(await migrateToLatest(old, PREVIOUS)).toEqual(Object.keys(PREVIOUS));
    const ids = await fillOldDatabase(old);

    // Act
    expect(await migrateToLatest(old)).toEqual([
      '2026-11-29-003-timelines',
      '2026-11-30-004-closed-quarters',
      '2026-11-30-005-two-factor',
      '2026-11-30-006-incidents',
      '2026-11-30-007-baselines-targets',
      '2026-11-30-008-network-work',
    ]);
    await old.destroy();
    const { ctx, close } = await migratedContext(path);

    // Assert
    try {
      for (const o of OLD) {
        const id = ids.get(o.name)!;
        const periods = await organisationPeriods(ctx, id);
        expect(periods.memberships, o.name).toEqual([{ from: o.memberFrom, until: o.memberUntil }]);
        expect(
          periods.sectors.map((s) => [s.sector, s.from]),
          o.name,
        ).toEqual([[o.sector, o.memberFrom]]);
        const org = await getOrganisation(ctx, id);
        expect(org, o.name).toMatchObject({
          sector: o.sector,
          memberFrom: o.memberFrom,
          memberUntil: o.memberUntil,
          archived: o.archived,
        });
      }
    } finally {
      await close();
    }
  });

  it('when an old database is migrated, then every summary, matrix and distribution is the one the old rules give', async () => {
    // Arrange
    const path = join(dir, 'old.sqlite');
    const old = openDatabase(path);
    await migrateToLatest(old, PREVIOUS);
    await fillOldDatabase(old);
    await old.destroy();

    // Act
    const { ctx, close } = await migratedContext(path);

    // Assert
    try {
      const from: Quarter = '2014-Q3';
      const to: Quarter = '2017-Q2';
      const quarters = quarterRange(from, to);
      const matrix = await reportMatrix(ctx, from, to);
      const sectorNames = matrix.sectors.map((s) => s.name);
      matrix.quarters.forEach((q, i) => {
        expect(withoutStale(matrix.region.cells[i]!), `region ${q}`).toEqual(oldCell(q, null));
        for (const row of matrix.sectors) {
          expect(withoutStale(row.cells[i]!), `${row.name} ${q}`).toEqual(oldCell(q, row.name));
        }
      });
      const distribution = await reportDistribution(ctx, from, to);
      distribution.quarters.forEach((row) => {
        const members = OLD.filter((o) => oldMember(o, row.quarter));
        const gears = members.map((o) => oldGear(o, row.quarter));
        expect(row.members, row.quarter).toBe(members.length);
        expect(row.withoutGear, row.quarter).toBe(gears.filter((g) => g === null).length);
        expect(
          row.counts.map((c) => c.count),
          row.quarter,
        ).toEqual([1, 2, 3, 4, 5].map((g) => gears.filter((x) => x === g).length));
      });
      // Every pair of quarters: the summary's counts and averages.
      for (const a of quarters.filter((_q, i) => i % 3 === 0)) {
        for (const b of quarters.filter((q) => q >= a)) {
          const s = await reportSummary(ctx, a, b);
          const membersTo = OLD.filter((o) => oldMember(o, b));
          expect(s.organisationCount, `${a}..${b}`).toBe(membersTo.length);
          expect(s.sectorCount, `${a}..${b}`).toBe(new Set(membersTo.map((o) => o.sector)).size);
          expect(withoutStale(s.overall.from)).toEqual(oldCell(a, null));
          expect(withoutStale(s.overall.to)).toEqual(oldCell(b, null));
          for (const name of sectorNames) {
            const sector = s.sectors.find((x) => x.name === name)!;
            expect(withoutStale(sector.from), `${name} ${a}`).toEqual(oldCell(a, name));
            expect(withoutStale(sector.to), `${name} ${b}`).toEqual(oldCell(b, name));
          }
        }
      }
      // A few figures by hand, so the old rules above are checked too: 2016-Q1 = Politie 3,
      // Thuiszorg 2, Vervoerder 5, Busbedrijf 5, School 4 (Ziekenhuis has none).
      expect(withoutStale(matrix.region.cells[quarters.indexOf('2016-Q1')]!)).toEqual({
        n: 5,
        average: 19 / 5,
      });
      expect(withoutStale(matrix.region.cells[quarters.indexOf('2016-Q3')]!)).toEqual({
        n: 3,
        average: 13 / 3,
      });
    } finally {
      await close();
    }
  });

  it('when an old database is migrated, then staleCount and the history follow the new rules on the old data', async () => {
    // Arrange
    const path = join(dir, 'old.sqlite');
    const old = openDatabase(path);
    await migrateToLatest(old, PREVIOUS);
    const ids = await fillOldDatabase(old);
    await old.destroy();
    const { ctx, close } = await migratedContext(path);

    try {
      // Act
      const matrix = await reportMatrix(ctx, '2015-Q1', '2017-Q1');
      const history = await gearHistory(ctx, ids.get('School')!, { from: '2016-Q2', to: '2016-Q3' });

      // Assert: the new oracle, fed the migrated timelines, agrees to the last staleCount
      const timelines = await ctx.db
        .selectFrom('organisations')
        .select('id')
        .execute()
        .then((rows) =>
          Promise.all(rows.map(async (r) => ({ id: r.id, ...(await organisationPeriods(ctx, r.id)) }))),
        );
      const points = (
        await ctx.db.selectFrom('quickscans').select(['organisation_id', 'quarter', 'gear']).execute()
      ).map((p) => ({ organisationId: p.organisation_id, quarter: p.quarter, gear: p.gear }));
      const { restatements, ...figures } = matrix;
      expect(restatements).toEqual([]);
      expect(figures).toEqual(
        oracleSectorMatrix({
          sectors: matrix.sectors.map((s) => ({ id: s.id, name: s.name })),
          organisations: timelines.map((t) => ({
            id: t.id,
            memberships: t.memberships,
            sectors: t.sectors.map((s) => ({ sectorId: s.sectorId, from: s.from })),
          })),
          points,
          from: '2015-Q1',
          to: '2017-Q1',
        }),
      );
      expect(history.quarters.map((q) => [q.quarter, q.gear, q.ageQuarters])).toEqual([
        ['2016-Q2', 4, quarterIndex('2016-Q2') - quarterIndex('2015-Q2')],
        ['2016-Q3', 4, 5],
      ]);
    } finally {
      await close();
    }
  });

  it('when an organisation archived by the old version is restored, then its latest period reopens (it has no periods kept from archiving)', async () => {
    // Arrange
    const path = join(dir, 'old.sqlite');
    const old = openDatabase(path);
    await migrateToLatest(old, PREVIOUS);
    const ids = await fillOldDatabase(old);
    await old.destroy();
    const { ctx, close } = await migratedContext(path);

    try {
      // Act
      const restored = await restoreOrganisation(ctx, ids.get('Vervoerder')!);

      // Assert
      expect(restored).toMatchObject({ archived: false, memberFrom: '2015-Q1', memberUntil: null });
      expect(restored.memberships).toEqual([{ from: '2015-Q1', until: null }]);
    } finally {
      await close();
    }
  });

  it('when the timelines migration is undone, then its tables and column are gone and the old columns still hold the latest period', async () => {
    // Arrange
    const path = join(dir, 'old.sqlite');
    const db = openDatabase(path);
    await migrateToLatest(db, PREVIOUS);
    await fillOldDatabase(db);
    await migrateToLatest(db);

    try {
      // Act
      await db.transaction().execute((trx) => migrations['2026-11-29-003-timelines']!.down!(trx));

      // Assert
      const tables = await sql<{ name: string }>`
        select name from sqlite_master where type = 'table' and name in ('memberships', 'sector_periods')`.execute(
        db,
      );
      expect(tables.rows).toEqual([]);
      const rows = await sql<{ name: string; member_from: string; member_until: string | null }>`
        select name, member_from, member_until from organisations order by id`.execute(db);
      expect(rows.rows.map((r) => [r.name, r.member_from, r.member_until])).toEqual(
        OLD.map((o) => [o.name, o.memberFrom, o.memberUntil]),
      );
    } finally {
      await db.destroy();
    }
  });
});
