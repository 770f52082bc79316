// The Done-when of issue 9 on the services, against a real database (docs/time-model.md):
// a later move never changes an earlier report; archive then restore changes no report; the list,
// the worklist and the reports agree on who is a member in every quarter. Regions are built the
// way a user would build them: create, leave, join, move, record gears, archive.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrganisationList } from '../../server/contracts/organisation.contract.ts';
import { listTimelines } from '../../server/db/repositories/timelines.repository.ts';
import { previousQuarter, type Quarter, quarterRange } from '../../server/domain/quarter.ts';
import type { GearPoint, MemberOrganisation } from '../../server/domain/report.ts';
import { AppError } from '../../server/errors.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import {
  archiveOrganisation,
  createOrganisation,
  joinNetwork,
  leaveNetwork,
  listOrganisations,
  moveOrganisation,
  restoreOrganisation,
} from '../../server/services/organisations.service.ts';
import { recordGear } from '../../server/services/quickscans.service.ts';
import {
  reportDistribution,
  reportMatrix,
  reportSummary,
  worklist,
} from '../../server/services/reports.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import {
  offsetQuarter,
  organisationsArb,
  pointsArb,
  quarterArb,
  SPAN,
} from '../domain/region-arbitraries.ts';
import { oracleGearIn, oracleIsMember, oracleSectorIn } from '../domain/report-oracle.ts';
import { buildTestContext } from '../helpers.ts';

/** A fresh in-memory database with every migration, for one property run. */
async function withContext<T>(run: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { ctx, close } = await buildTestContext({ databasePath: ':memory:' });
  try {
    return await run(ctx);
  } finally {
    await close();
  }
}

/** The database ids of the default sectors; the generated sectors 1..5 are the first five. */
async function sectorIdsOf(ctx: ServiceContext): Promise<number[]> {
  return (await listSectors(ctx)).map((s) => s.id);
}

interface Built {
  /** Organisation ids in the order of the shapes. */
  ids: number[];
  /** The gears that were recorded (only those in a membership period are accepted). */
  points: GearPoint[];
}

/**
 * Builds a region the way a user would: each organisation created with its first period and
 * sector, then its later sector periods as moves and its later periods as leave/join, then the
 * gears that lie in a membership period.
 */
async function buildRegion(
  ctx: ServiceContext,
  shapes: ReadonlyArray<Pick<MemberOrganisation, 'memberships' | 'sectors'>>,
  points: readonly GearPoint[],
): Promise<Built> {
  const sectorIds = await sectorIdsOf(ctx);
  const ids: number[] = [];
  for (const [i, shape] of shapes.entries()) {
    const [first, ...later] = shape.memberships;
    const org = await createOrganisation(ctx, {
      name: `Organisatie ${i + 1}`,
      sectorId: sectorIds[shape.sectors[0]!.sectorId - 1]!,
      memberFrom: first!.from,
      memberUntil: first!.until,
    });
    for (const s of shape.sectors.slice(1)) {
      await moveOrganisation(ctx, org.id, { sectorId: sectorIds[s.sectorId - 1]!, from: s.from });
    }
    for (const p of later) {
      await joinNetwork(ctx, org.id, { from: p.from });
      if (p.until !== null) await leaveNetwork(ctx, org.id, { until: p.until });
    }
    ids.push(org.id);
  }
  const recorded: GearPoint[] = [];
  for (const p of points) {
    const shape = shapes[p.organisationId - 1]!;
    if (!oracleIsMember({ id: 0, ...shape }, p.quarter)) continue;
    const id = ids[p.organisationId - 1]!;
    await recordGear(ctx, id, p.quarter, { gear: p.gear, source: 'manual' }, 'record');
    recorded.push({ organisationId: id, quarter: p.quarter, gear: p.gear });
  }
  return { ids, points: recorded };
}

const regionShapes = organisationsArb({ minLength: 1, maxLength: 5 }).chain((orgs) =>
  fc.tuple(
    fc.constant(orgs.map(({ memberships, sectors }) => ({ memberships, sectors }))),
    pointsArb(orgs.length, 20),
  ),
);

/** Every report of a period, as the services give them (summary, matrix, distribution). */
async function reportsOf(ctx: ServiceContext, from: Quarter, to: Quarter) {
  return {
    summary: await reportSummary(ctx, from, to),
    matrix: await reportMatrix(ctx, from, to),
    distribution: await reportDistribution(ctx, from, to),
  };
}

/** A list without the fields a write changes by itself (version, timestamps). */
function comparableList(list: OrganisationList) {
  return {
    quarter: list.quarter,
    items: list.items.map(({ version: _v, updatedAt: _u, archivedAt: _a, ...rest }) => rest),
  };
}

/**
 * The members' rows of a list as a page shows them for its quarter: without the organisation's
 * whole sector history, which a move rightly changes. (Rows of organisations that are not members
 * in the quarter are left out here: before the first sector period their sector changes with a
 * move from the first quarter, the bug pinned in 'a move never reaches back before its quarter'.)
 */
function listOfQuarter(list: OrganisationList) {
  return {
    quarter: list.quarter,
    items: list.items
      .filter((i) => i.member)
      .map(({ version: _v, updatedAt: _u, sectorHistory: _h, ...rest }) => rest),
  };
}

const FIRST = offsetQuarter(0);
const LAST = offsetQuarter(SPAN + 1);

describe('a move made later leaves every earlier report identical (property, via the services)', () => {
  it('when any organisation of a random region moves from quarter Q, then every summary, matrix, distribution, list and worklist of quarters before Q is identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        regionShapes,
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        quarterArb(SPAN).filter((q) => q > FIRST),
        async ([shapes, points], pick, sector, moveFrom) => {
          await withContext(async (ctx) => {
            const { ids } = await buildRegion(ctx, shapes, points);
            const before = previousQuarter(moveFrom);
            const mid = offsetQuarter(Math.floor(SPAN / 3));
            const snapshot = async () => ({
              all: await reportsOf(ctx, FIRST, before),
              last: await reportsOf(ctx, before, before),
              ...(mid <= before ? { mid: await reportSummary(ctx, mid, before) } : {}),
              list: await listOrganisations(ctx, { quarter: before, includeArchived: true }),
              worklist: await worklist(ctx, before),
            });
            const earlier = await snapshot();

            await moveOrganisation(ctx, ids[pick % ids.length]!, {
              sectorId: (await sectorIdsOf(ctx))[sector - 1]!,
              from: moveFrom,
            });

            const later = await snapshot();
            expect(later.all).toEqual(earlier.all);
            expect(later.last).toEqual(earlier.last);
            expect(later.mid).toEqual(earlier.mid);
            expect(later.worklist).toEqual(earlier.worklist);
            expect(listOfQuarter(later.list)).toEqual(listOfQuarter(earlier.list));
          });
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});

describe('a move never reaches back before its quarter', () => {
  it('when an organisation moves from its first quarter, then the list of a quarter before it still shows its first sector', async () => {
    await withContext(async (ctx) => {
      // Arrange
      const [s1, s2] = await sectorIdsOf(ctx);
      const org = await createOrganisation(ctx, { name: 'A', sectorId: s1!, memberFrom: '2016-Q2' });
      const before = await listOrganisations(ctx, { quarter: '2016-Q1' });

      // Act
      await moveOrganisation(ctx, org.id, { sectorId: s2!, from: '2016-Q2' });

      // Assert
      const after = await listOrganisations(ctx, { quarter: '2016-Q1' });
      expect(before.items[0]!.sectorId).toBe(s1);
      expect(after.items[0]!.sectorId).toBe(s1);
    });
  });
});

describe('list, worklist and reports agree on membership in every quarter (property, via the services)', () => {
  it('when a random region of joiners, leavers, rejoiners, movers and archived organisations is built, then in every quarter the list, the worklist, the summary and the distribution count the same members, with the same gear and sector as the direct computation', async () => {
    await fc.assert(
      fc.asyncProperty(
        regionShapes,
        fc.array(fc.option(quarterArb(), { nil: undefined }), { maxLength: 5 }),
        async ([shapes, points], archives) => {
          await withContext(async (ctx) => {
            const { ids, points: recorded } = await buildRegion(ctx, shapes, points);
            // Archive some: by default (the membership ends now) or in a chosen quarter; a refused
            // archive (a quarter before every period, or one leaving gears outside) is skipped.
            const archived = new Set<number>();
            for (const [i, memberUntil] of archives.entries()) {
              const id = ids[i];
              if (id === undefined) break;
              try {
                await archiveOrganisation(ctx, id, memberUntil === undefined ? {} : { memberUntil });
                archived.add(id);
              } catch (error) {
                if (!(error instanceof AppError)) throw error;
                expect(['invalid_membership', 'gears_outside_membership']).toContain(error.code);
              }
            }
            const timelines = new Map((await listTimelines(ctx.db)).map((t) => [t.id, t]));
            const orgOf = (id: number): MemberOrganisation => timelines.get(id)!;

            for (const q of quarterRange(FIRST, LAST)) {
              const members = ids.filter((id) => oracleIsMember(orgOf(id), q));
              const recordedIn = new Set(
                recorded.filter((p) => p.quarter === q).map((p) => p.organisationId),
              );

              const list = await listOrganisations(ctx, { quarter: q });
              const work = await worklist(ctx, q);
              const summary = await reportSummary(ctx, q, q);
              const [dist] = (await reportDistribution(ctx, q, q)).quarters;

              const where = `in ${q}`;
              expect(
                list.items.filter((i) => i.member).map((i) => i.id),
                where,
              ).toEqual(members);
              // the list: every active organisation and every member of q, archived or not
              expect(list.items.map((i) => i.id).sort(), where).toEqual(
                ids.filter((id) => !archived.has(id) || members.includes(id)).sort(),
              );
              expect(work.items.map((i) => i.id).sort(), where).toEqual(
                members.filter((id) => !recordedIn.has(id)).sort(),
              );
              expect(summary.organisationCount, where).toBe(members.length);
              expect(dist!.members, where).toBe(members.length);
              for (const item of list.items) {
                const gear = oracleGearIn(orgOf(item.id), recorded, q);
                expect([item.gear, item.gearRecordedIn], `${where} list ${item.id}`).toEqual([
                  gear?.gear ?? null,
                  gear?.recordedIn ?? null,
                ]);
                expect(item.sectorId, `${where} list ${item.id}`).toBe(oracleSectorIn(orgOf(item.id), q));
              }
              for (const item of work.items) {
                const gear = oracleGearIn(orgOf(item.id), recorded, q);
                expect([item.gear, item.lastRecordedIn], `${where} worklist ${item.id}`).toEqual([
                  gear?.gear ?? null,
                  gear?.recordedIn ?? null,
                ]);
                expect(item.sectorId, `${where} worklist ${item.id}`).toBe(oracleSectorIn(orgOf(item.id), q));
              }
            }
          });
        },
      ),
      { numRuns: 20 },
    );
  }, 180_000);
});

describe('archive then restore is a no-op on every report', () => {
  /** Everything a page or report shows for the quarters of `from`..`to`, one quarter at a time too. */
  async function everything(ctx: ServiceContext, from: Quarter, to: Quarter) {
    const perQuarter = [];
    for (const q of quarterRange(from, to)) {
      perQuarter.push({
        q,
        summary: await reportSummary(ctx, q, q),
        worklist: await worklist(ctx, q),
        list: comparableList(await listOrganisations(ctx, { quarter: q })),
        all: comparableList(await listOrganisations(ctx, { quarter: q, includeArchived: true })),
      });
    }
    return { period: await reportsOf(ctx, from, to), perQuarter };
  }

  it('when organisations (open, already left, rejoined, with a future rejoin, moved) are archived and restored, then every report, list and worklist of every quarter is as before, and so are the periods', async () => {
    await withContext(async (ctx) => {
      // Arrange (the current quarter is 2026-Q4)
      const [s1, s2] = await sectorIdsOf(ctx);
      const add = (name: string, memberFrom: Quarter, memberUntil: Quarter | null = null) =>
        createOrganisation(ctx, { name, sectorId: s1!, memberFrom, memberUntil });
      const open = await add('Open', '2025-Q1');
      const left = await add('Vertrokken', '2025-Q1', '2025-Q4');
      const rejoined = await add('Teruggekeerd', '2025-Q1', '2025-Q2');
      await joinNetwork(ctx, rejoined.id, { from: '2026-Q1' });
      const futureRejoin = await add('Komt terug', '2025-Q2', '2025-Q3');
      await joinNetwork(ctx, futureRejoin.id, { from: '2027-Q3' });
      const moved = await add('Verhuisd', '2025-Q1');
      await moveOrganisation(ctx, moved.id, { sectorId: s2!, from: '2026-Q2' });
      const bystander = await add('Omstander', '2025-Q1');
      for (const [id, q, gear] of [
        [open.id, '2025-Q2', 3],
        [left.id, '2025-Q3', 2],
        [rejoined.id, '2025-Q1', 4],
        [rejoined.id, '2026-Q2', 2],
        [futureRejoin.id, '2025-Q2', 5],
        [moved.id, '2025-Q4', 3],
        [bystander.id, '2026-Q4', 1],
      ] as const) {
        await recordGear(ctx, id, q, { gear, source: 'manual' }, 'record');
      }
      const ids = [open.id, left.id, rejoined.id, futureRejoin.id, moved.id];
      const periodsBefore = await listTimelines(ctx.db, ids);
      const before = await everything(ctx, '2024-Q4', '2026-Q4');

      // Act
      for (const id of ids) await archiveOrganisation(ctx, id);
      const whileArchived = await listTimelines(ctx.db, ids);
      for (const id of ids) await restoreOrganisation(ctx, id);

      // Assert
      expect(await listTimelines(ctx.db, ids)).toEqual(periodsBefore);
      const after = await everything(ctx, '2024-Q4', '2026-Q4');
      expect(after.period).toEqual(before.period);
      for (const [i, q] of after.perQuarter.entries()) expect(q, q.q).toEqual(before.perQuarter[i]);
      // while archived: the periods end by the current quarter, a later one goes
      const archivedOf = new Map(whileArchived.map((t) => [t.id, t.memberships]));
      expect(archivedOf.get(futureRejoin.id)).toEqual([{ from: '2025-Q2', until: '2025-Q3' }]);
      expect(archivedOf.get(open.id)).toEqual([{ from: '2025-Q1', until: '2026-Q4' }]);
      expect(archivedOf.get(left.id)).toEqual([{ from: '2025-Q1', until: '2025-Q4' }]);
    });
  });

  it('when an organisation with a future start is archived, then it has no period and is in no report; restored, then its period is back and every report is as before', async () => {
    await withContext(async (ctx) => {
      // Arrange: the current quarter is 2026-Q4
      const [s1] = await sectorIdsOf(ctx);
      const other = await createOrganisation(ctx, { name: 'Lid', sectorId: s1!, memberFrom: '2026-Q1' });
      await recordGear(ctx, other.id, '2026-Q2', { gear: 2, source: 'manual' }, 'record');
      const future = await createOrganisation(ctx, {
        name: 'Toekomstig',
        sectorId: s1!,
        memberFrom: '2027-Q2',
      });
      const before = await everything(ctx, '2026-Q1', '2026-Q4');

      // Act
      const archived = await archiveOrganisation(ctx, future.id);
      const whileArchived = await everything(ctx, '2026-Q1', '2026-Q4');
      const restored = await restoreOrganisation(ctx, future.id);

      // Assert
      expect(archived.memberships).toEqual([]);
      expect(whileArchived.period).toEqual(before.period);
      expect(restored.memberships).toEqual([{ from: '2027-Q2', until: null }]);
      expect(await everything(ctx, '2026-Q1', '2026-Q4')).toEqual(before);
    });
  });

  it('when organisations are archived in a chosen earlier quarter and restored, then every report is as before the archiving', async () => {
    await withContext(async (ctx) => {
      // Arrange
      const [s1] = await sectorIdsOf(ctx);
      const a = await createOrganisation(ctx, { name: 'A', sectorId: s1!, memberFrom: '2016-Q1' });
      const b = await createOrganisation(ctx, { name: 'B', sectorId: s1!, memberFrom: '2016-Q1' });
      await recordGear(ctx, a.id, '2016-Q2', { gear: 3, source: 'manual' }, 'record');
      await recordGear(ctx, b.id, '2016-Q1', { gear: 5, source: 'manual' }, 'record');
      const before = await everything(ctx, '2016-Q1', '2017-Q4');

      // Act
      await archiveOrganisation(ctx, a.id, { memberUntil: '2016-Q3' });
      const whileArchived = await everything(ctx, '2016-Q1', '2017-Q4');
      await restoreOrganisation(ctx, a.id);

      // Assert: archiving earlier does change the reports after it (A is no longer a member), restoring undoes it
      expect(whileArchived.period.summary.organisationCount).toBe(1);
      expect(await everything(ctx, '2016-Q1', '2017-Q4')).toEqual(before);
    });
  });

  it('when random regions are archived (by default or in a chosen quarter) and restored, then every report of the whole span is as before (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        regionShapes,
        fc.array(fc.option(quarterArb(), { nil: undefined }), { minLength: 5, maxLength: 5 }),
        async ([shapes, points], archives) => {
          await withContext(async (ctx) => {
            const { ids } = await buildRegion(ctx, shapes, points);
            const periodsBefore = await listTimelines(ctx.db);
            const before = await reportsOf(ctx, FIRST, LAST);
            const lists = async () => {
              const result = [];
              for (const q of quarterRange(FIRST, LAST)) {
                result.push(
                  comparableList(await listOrganisations(ctx, { quarter: q, includeArchived: true })),
                );
                result.push(await worklist(ctx, q));
              }
              return result;
            };
            const listsBefore = await lists();

            const done: number[] = [];
            for (const [i, id] of ids.entries()) {
              const memberUntil = archives[i];
              try {
                await archiveOrganisation(ctx, id, memberUntil === undefined ? {} : { memberUntil });
                done.push(id);
              } catch (error) {
                if (!(error instanceof AppError)) throw error;
              }
            }
            for (const id of done) await restoreOrganisation(ctx, id);

            expect(await listTimelines(ctx.db)).toEqual(periodsBefore);
            expect(await reportsOf(ctx, FIRST, LAST)).toEqual(before);
            expect(await lists()).toEqual(listsBefore);
          });
        },
      ),
      { numRuns: 20 },
    );
  }, 180_000);
});
