// Closed quarters under random corrections, via the services on a real SQLite file (issue 10,
// item 2 and its Done-when): on a random small region closed up to some quarter, any write with a
// reason leaves the closed figures byte-identical and adds exactly one restatement per closed
// quarter and scope whose n, average or stale count it changed; without a reason a write either
// changes no closed quarter or is refused and writes nothing; reopening frees the last closed
// quarter only; the reports show beside each closed quarter what the closing stored.
//
// The expected figures come from the test's own oracle (test/domain/report-oracle.ts) over the
// stored timelines and gears, not from the server's tally or its closing code.
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listTimelines } from '../../server/db/repositories/timelines.repository.ts';
import type { Database } from '../../server/db/schema.ts';
import { formatQuarter, type Quarter, quarterFromIndex, quarterIndex } from '../../server/domain/quarter.ts';
import type { GearPoint, MemberOrganisation, SectorRef } from '../../server/domain/report.ts';
import { AppError } from '../../server/errors.ts';
import { readPrestatielijst } from '../../server/excel/prestatielijst-reader.ts';
import { closedQuarters, closeQuarter, reopenQuarter } from '../../server/services/closing.service.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { importPrestatielijst } from '../../server/services/import.service.ts';
import {
  archiveOrganisation,
  createOrganisation,
  joinNetwork,
  leaveNetwork,
  moveOrganisation,
  restoreOrganisation,
  updateOrganisation,
} from '../../server/services/organisations.service.ts';
import { recordGear, removeQuickscan } from '../../server/services/quickscans.service.ts';
import { reportMatrix, reportSummary } from '../../server/services/reports.service.ts';
import { oracleGearIn, oracleIsMember, oracleSectorIn, oracleSectorMatrix } from '../domain/report-oracle.ts';
import { buildTestContext, rowsOf, TEST_NOW } from '../helpers.ts';

// ---------------------------------------------------------------------------------------------
// Time: a few quarters well before the fixed "now" (TEST_NOW lies in 2026-Q4)

/**
 * The region's quarters are offsets 0..SPAN-1 from 2016-Q1 (long enough for a carried gear to grow
 * stale in a closed quarter); writes also reach one quarter before and after.
 */
const BASE: Quarter = '2016-Q1';
const SPAN = 8;
const at = (offset: number): Quarter => quarterFromIndex(quarterIndex(BASE) + offset);

/** The scope of the region among the sectors' ids, as the closing stores it. */
const REGION = 0;

const CLOSED_TABLES = ['quarter_closings', 'closed_organisation_figures', 'closed_scope_figures'] as const;

// ---------------------------------------------------------------------------------------------
// Generated regions and writes

interface OrganisationShape {
  /** Offsets; the last period may be open. */
  memberships: Array<{ from: number; until: number | null }>;
  /** The first sector (an index into the region's sectors) and later moves. */
  sector: number;
  moves: Array<{ sector: number; from: number }>;
  /** Archived after the gears are in: by default (null) or with its membership ending at an offset. */
  archived?: number | null | undefined;
}

interface RegionShape {
  sectorCount: number;
  organisations: OrganisationShape[];
  gears: Array<{ org: number; at: number; gear: number }>;
  /** How many quarters from the first are closed. */
  closeCount: number;
}

/** A membership period's length and the gap after it, in quarters. */
interface Period {
  length: number;
  gap: number;
}

/**
 * One organisation: one or two membership periods starting at offset 0..4 (the first
 * organisation: one open period from offset 0, so the region has members from its first quarter
 * on and in every quarter), up to two sector moves, and now and then archived.
 */
function organisationArb(first: boolean): fc.Arbitrary<OrganisationShape> {
  return fc
    .record({
      start: first ? fc.constant(0) : fc.integer({ min: 0, max: 4 }),
      periods: first
        ? fc.constant<Period[]>([{ length: SPAN, gap: 1 }])
        : fc.array<Period>(
            fc.record({ length: fc.integer({ min: 1, max: 4 }), gap: fc.integer({ min: 1, max: 2 }) }),
            {
              minLength: 1,
              maxLength: 2,
            },
          ),
      open: first ? fc.constant(true) : fc.boolean(),
      sector: fc.nat(2),
      moves: fc.array(fc.record({ sector: fc.nat(2), step: fc.integer({ min: 1, max: 4 }) }), {
        maxLength: 2,
      }),
      archived: first
        ? fc.constant(undefined)
        : fc.option(fc.option(fc.integer({ min: 0, max: SPAN - 1 }), { nil: null }), {
            nil: undefined,
            freq: 3,
          }),
    })
    .map(({ start, periods, open, sector, moves, archived }) => {
      const memberships: OrganisationShape['memberships'] = [];
      let from = start;
      periods.forEach((p, i) => {
        const last = i === periods.length - 1;
        memberships.push({ from, until: last && open ? null : from + p.length - 1 });
        from += p.length + p.gap;
      });
      let moveFrom = start;
      return {
        memberships,
        sector,
        moves: moves.map((m) => {
          moveFrom += m.step;
          return { sector: m.sector, from: moveFrom };
        }),
        archived,
      };
    });
}

const regionArb = (minClosed: number): fc.Arbitrary<RegionShape> =>
  fc
    .record({
      sectorCount: fc.integer({ min: 2, max: 3 }),
      first: organisationArb(true),
      others: fc.array(organisationArb(false), { minLength: 2, maxLength: 7 }),
      gears: fc.array(
        fc.record({
          org: fc.nat(),
          at: fc.integer({ min: 0, max: SPAN - 1 }),
          gear: fc.integer({ min: 1, max: 5 }),
        }),
        { minLength: 2, maxLength: 16 },
      ),
      closeCount: fc.integer({ min: minClosed, max: SPAN - 1 }),
    })
    .map(({ sectorCount, first, others, gears, closeCount }) => ({
      sectorCount,
      organisations: [first, ...others],
      gears,
      closeCount,
    }));

/** Quarter offsets a write may use: one before the region's first quarter to one after its last. */
const offsetArb = fc.integer({ min: -1, max: SPAN });

/**
 * A write of the kinds that can change a closed quarter. Organisations and gears are picked by
 * index (modulo what exists when the write runs), sectors by index among the region's sectors.
 */
type Write =
  | { kind: 'gear'; org: number; at: number; gear: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'join'; org: number; at: number }
  | { kind: 'leave'; org: number; at: number }
  | { kind: 'move'; org: number; sector: number; at: number }
  | { kind: 'archive'; org: number; at: number | null }
  | { kind: 'restore'; org: number }
  | { kind: 'update'; org: number; from: number | null; until: number | null }
  | { kind: 'create'; sector: number; at: number; length: number | null }
  | { kind: 'import'; org: number; isNew: boolean; sector: number; at: number; gear: number | null };

const writeArb: fc.Arbitrary<Write> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('gear' as const),
      org: fc.nat(),
      at: offsetArb,
      gear: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('join' as const), org: fc.nat(), at: offsetArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), org: fc.nat(), at: offsetArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      org: fc.nat(),
      sector: fc.nat(2),
      at: offsetArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('archive' as const),
      org: fc.nat(),
      at: fc.option(offsetArb, { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), org: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      org: fc.nat(),
      from: fc.option(offsetArb, { nil: null }),
      until: fc.option(offsetArb, { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      sector: fc.nat(2),
      at: offsetArb,
      length: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      org: fc.nat(),
      isNew: fc.boolean(),
      sector: fc.nat(2),
      at: offsetArb,
      gear: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    }),
  },
);

const reasonArb = fc.constantFrom('late quickscan', 'correctie na controle', '  verkeerde sector  ');

// ---------------------------------------------------------------------------------------------
// Building a region the way a user would, and applying writes through the services

interface World {
  ctx: ServiceContext;
  /** The region's sectors, by index. */
  sectors: SectorRef[];
}

async function withWorld<T>(sectorCount: number, run: (world: World) => Promise<T>): Promise<T> {
  const { ctx, close } = await buildTestContext({ now: () => TEST_NOW, actor: 'projectleider' });
  try {
    const sectors = (await allSectors(ctx.db)).slice(0, sectorCount);
    return await run({ ctx, sectors });
  } finally {
    await close();
  }
}

async function allSectors(db: Kysely<Database>): Promise<SectorRef[]> {
  return db.selectFrom('sectors').select(['id', 'name']).orderBy('id').execute();
}

/**
 * Creates the organisations, moves them, adds their later periods, records the gears that lie in
 * a period, then archives some (an archive the rules refuse is left out).
 */
async function buildRegion(world: World, region: RegionShape): Promise<void> {
  const { ctx, sectors } = world;
  const sectorOf = (index: number) => sectors[index % sectors.length]!.id;
  for (const [i, shape] of region.organisations.entries()) {
    const [first, ...later] = shape.memberships;
    const org = await createOrganisation(ctx, {
      name: `Organisatie ${i + 1}`,
      sectorId: sectorOf(shape.sector),
      memberFrom: at(first!.from),
      memberUntil: first!.until === null ? null : at(first!.until),
    });
    for (const move of shape.moves) {
      await moveOrganisation(ctx, org.id, { sectorId: sectorOf(move.sector), from: at(move.from) });
    }
    for (const p of later) {
      await joinNetwork(ctx, org.id, { from: at(p.from) });
      if (p.until !== null) await leaveNetwork(ctx, org.id, { until: at(p.until) });
    }
  }
  const ids = await organisationIds(ctx.db);
  for (const g of region.gears) {
    const shape = region.organisations[g.org % region.organisations.length]!;
    const periods = shape.memberships.map((p) => ({
      from: at(p.from),
      until: p.until === null ? null : at(p.until),
    }));
    if (!oracleIsMember({ id: 0, memberships: periods, sectors: [] }, at(g.at))) continue;
    const id = ids[g.org % region.organisations.length]!;
    await recordGear(ctx, id, at(g.at), { gear: g.gear, source: 'manual' }, 'record');
  }
  for (const [i, shape] of region.organisations.entries()) {
    if (shape.archived === undefined) continue;
    const options = shape.archived === null ? {} : { memberUntil: at(shape.archived) };
    await archiveOrganisation(ctx, ids[i]!, options).catch((error: unknown) => {
      if (!(error instanceof AppError)) throw error;
    });
  }
}

async function organisationIds(db: Kysely<Database>): Promise<number[]> {
  return (await db.selectFrom('organisations').select('id').orderBy('id').execute()).map((r) => r.id);
}

/**
 * The organisations a write of this kind can apply to: joining needs one without an open period,
 * leaving one with an open period, archiving one that is not archived, restoring an archived one
 * (most random picks would only be refused otherwise). Any organisation for the other kinds.
 */
async function candidatesFor(db: Kysely<Database>, kind: Write['kind'], ids: number[]): Promise<number[]> {
  if (kind !== 'join' && kind !== 'leave' && kind !== 'restore' && kind !== 'archive') return ids;
  const archived = new Set(
    (await db.selectFrom('organisations').select('id').where('archived_at', 'is not', null).execute()).map(
      (r) => r.id,
    ),
  );
  if (kind === 'restore') return ids.filter((id) => archived.has(id));
  if (kind === 'archive') return ids.filter((id) => !archived.has(id));
  const open = new Set(
    (await listTimelines(db)).filter((t) => t.memberships.some((p) => p.until === null)).map((t) => t.id),
  );
  return ids.filter((id) => !archived.has(id) && open.has(id) === (kind === 'leave'));
}

/** A one-row prestatielijst as a semicolon CSV, read by the real reader. */
async function oneRowList(name: string, sector: string, quarter: Quarter, gear: number | null) {
  const csv = `Organisatie;Sector;${formatQuarter(quarter)}\n${name};${sector};${gear ?? ''}\n`;
  return readPrestatielijst(Buffer.from(csv), 'lijst.csv');
}

/**
 * Applies a write through its service, with `reason` (or none). False when there was nothing to
 * apply it to (a removal while no gear is recorded, a restore while none is archived).
 */
async function apply(world: World, write: Write, reason: string | undefined): Promise<boolean> {
  const { ctx, sectors } = world;
  const ids = await organisationIds(ctx.db);
  const candidates = await candidatesFor(ctx.db, write.kind, ids);
  if (candidates.length === 0) return false;
  const org = 'org' in write ? candidates[write.org % candidates.length]! : 0;
  const sectorOf = (index: number) => sectors[index % sectors.length]!;
  switch (write.kind) {
    case 'gear':
      await recordGear(ctx, org, at(write.at), { gear: write.gear, source: 'manual', reason }, 'record');
      return true;
    case 'remove': {
      const entries = await ctx.db
        .selectFrom('quickscans')
        .select(['organisation_id', 'quarter'])
        .orderBy('id')
        .execute();
      const entry = entries[write.pick % Math.max(entries.length, 1)];
      if (!entry) return false;
      await removeQuickscan(ctx, entry.organisation_id, entry.quarter, undefined, reason);
      return true;
    }
    case 'join':
      await joinNetwork(ctx, org, { from: at(write.at), reason });
      return true;
    case 'leave':
      await leaveNetwork(ctx, org, { until: at(write.at), reason });
      return true;
    case 'move':
      await moveOrganisation(ctx, org, { sectorId: sectorOf(write.sector).id, from: at(write.at), reason });
      return true;
    case 'archive':
      await archiveOrganisation(
        ctx,
        org,
        write.at === null ? { reason } : { memberUntil: at(write.at), reason },
      );
      return true;
    case 'restore':
      await restoreOrganisation(ctx, org, { reason });
      return true;
    case 'update':
      await updateOrganisation(ctx, org, {
        ...(write.from === null ? {} : { memberFrom: at(write.from) }),
        memberUntil: write.until === null ? null : at(write.until),
        reason,
      });
      return true;
    case 'create':
      await createOrganisation(ctx, {
        name: `Nieuwkomer ${ids.length + 1}`,
        sectorId: sectorOf(write.sector).id,
        memberFrom: at(write.at),
        memberUntil: write.length === null ? null : at(write.at + write.length),
        reason,
      });
      return true;
    case 'import': {
      const name = write.isNew
        ? `Uit de lijst ${ids.length + 1}`
        : (
            await ctx.db
              .selectFrom('organisations')
              .select('name')
              .where('id', '=', org)
              .executeTakeFirstOrThrow()
          ).name;
      const list = await oneRowList(name, sectorOf(write.sector).name, at(write.at), write.gear);
      await importPrestatielijst(ctx, list, { dryRun: false, reason });
      return true;
    }
  }
}

type Outcome = { kind: 'applied' } | { kind: 'nothing' } | { kind: 'refused'; code: string };

async function attempt(world: World, write: Write, reason: string | undefined): Promise<Outcome> {
  try {
    return (await apply(world, write, reason)) ? { kind: 'applied' } : { kind: 'nothing' };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { kind: 'refused', code: error.code };
  }
}

// ---------------------------------------------------------------------------------------------
// The oracle: what the figures of the closed quarters are, from the stored timelines and gears

interface Stored {
  sectors: SectorRef[];
  organisations: MemberOrganisation[];
  points: GearPoint[];
}

async function readStored(db: Kysely<Database>): Promise<Stored> {
  const points = await db.selectFrom('quickscans').select(['organisation_id', 'quarter', 'gear']).execute();
  return {
    sectors: await allSectors(db),
    organisations: await listTimelines(db),
    points: points.map((p) => ({ organisationId: p.organisation_id, quarter: p.quarter, gear: p.gear })),
  };
}

interface Figure {
  n: number;
  average: number | null;
  staleCount: number;
}

/** Every scope's figure (the region is `REGION`) in each of `quarters`, keyed `quarter scope`. */
function scopeFigures(stored: Stored, quarters: readonly Quarter[]): Map<string, Figure> {
  const result = new Map<string, Figure>();
  if (quarters.length === 0) return result;
  const sorted = [...quarters].sort();
  const matrix = oracleSectorMatrix({ ...stored, from: sorted[0]!, to: sorted[sorted.length - 1]! });
  const rows = [
    { id: REGION, cells: matrix.region.cells },
    ...matrix.sectors.map((s) => ({ id: s.id, cells: s.cells })),
  ];
  for (const row of rows) {
    for (const c of row.cells) {
      if (!quarters.includes(c.quarter)) continue;
      result.set(`${c.quarter} ${row.id}`, { n: c.n, average: c.average, staleCount: c.staleCount ?? 0 });
    }
  }
  return result;
}

/** Every member's figure in `quarter` (sector, gear, where the gear was recorded), by id. */
function memberFigures(stored: Stored, quarter: Quarter) {
  return stored.organisations
    .filter((o) => oracleIsMember(o, quarter))
    .sort((a, b) => a.id - b.id)
    .map((o) => {
      const gear = oracleGearIn(o, stored.points, quarter);
      return {
        organisationId: o.id,
        sectorId: oracleSectorIn(o, quarter),
        gear: gear?.gear ?? null,
        recordedIn: gear?.recordedIn ?? null,
      };
    });
}

/** The (quarter, scope) keys whose figure differs between two readings. */
function changedScopes(before: Map<string, Figure>, after: Map<string, Figure>): string[] {
  return [...after.keys()]
    .filter((key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key)))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Observing the database around a write

interface ClosingRow {
  id: number;
  quarter: Quarter;
  closed_at: string;
  closed_by: string;
}

async function openClosings(db: Kysely<Database>): Promise<ClosingRow[]> {
  return db
    .selectFrom('quarter_closings')
    .select(['id', 'quarter', 'closed_at', 'closed_by'])
    .where('reopened_at', 'is', null)
    .orderBy('quarter')
    .execute();
}

async function lastId(db: Kysely<Database>, table: 'restatements' | 'revisions'): Promise<number> {
  const { rows } = await sql<{ id: number | null }>`select max(id) as id from ${sql.table(table)}`.execute(
    db,
  );
  return rows[0]?.id ?? 0;
}

interface Observation {
  rows: Record<string, unknown[]>;
  stored: Stored;
  closings: ClosingRow[];
  quarters: Quarter[];
  scopes: Map<string, Figure>;
  restatementId: number;
  revisionId: number;
}

async function observe(db: Kysely<Database>): Promise<Observation> {
  const stored = await readStored(db);
  const closings = await openClosings(db);
  const quarters = closings.map((c) => c.quarter);
  return {
    rows: await rowsOf(db),
    stored,
    closings,
    quarters,
    scopes: scopeFigures(stored, quarters),
    restatementId: await lastId(db, 'restatements'),
    revisionId: await lastId(db, 'revisions'),
  };
}

/** Whether any member's figure of a closed quarter differs between two readings. */
function membersChanged(before: Observation, after: Stored): boolean {
  return before.quarters.some(
    (q) => JSON.stringify(memberFigures(before.stored, q)) !== JSON.stringify(memberFigures(after, q)),
  );
}

function closedRows(rows: Record<string, unknown[]>) {
  return Object.fromEntries(CLOSED_TABLES.map((t) => [t, rows[t]]));
}

/** What a write changed of the closed quarters and what it recorded, as the test sees it. */
interface StepResult {
  outcome: Outcome;
  /** The (quarter, scope) pairs whose figure the write changed. */
  changed: string[];
  /** Whether a member's figure of a closed quarter changed (and so a reason was needed). */
  touched: boolean;
}

/**
 * Applies `write` with `reason` and checks the restatement rules: refused for another reason,
 * nothing changed; applied, the closed figures are byte-identical, each changed (quarter, scope)
 * has exactly one new restatement with the figures before and after, and the write's revisions
 * carry the reason exactly when it changed a closed quarter.
 */
async function writeWithReason(world: World, write: Write, reason: string): Promise<StepResult> {
  const db = world.ctx.db;
  const before = await observe(db);
  const where = JSON.stringify(write);

  const outcome = await attempt(world, write, reason);

  if (outcome.kind !== 'applied') {
    if (outcome.kind === 'refused') expect(outcome.code, where).not.toBe('quarter_closed');
    expect(await rowsOf(db), where).toEqual(before.rows);
    return { outcome, changed: [], touched: false };
  }
  const rows = await rowsOf(db);
  const stored = await readStored(db);
  const after = scopeFigures(stored, before.quarters);
  const changed = changedScopes(before.scopes, after);
  const touched = membersChanged(before, stored);
  // (a) the closed figures are never touched
  expect(closedRows(rows), where).toEqual(closedRows(before.rows));
  // (b) one restatement per changed (quarter, scope), with the figures before and after
  const restatements = await db
    .selectFrom('restatements')
    .selectAll()
    .where('id', '>', before.restatementId)
    .orderBy('id')
    .execute();
  expect(restatements.map((r) => `${r.quarter} ${r.sector_id}`).sort(), where).toEqual(changed);
  const closingOf = new Map(before.closings.map((c) => [c.quarter, c.id]));
  const nameOf = new Map(stored.sectors.map((s) => [s.id, s.name]));
  for (const r of restatements) {
    const key = `${r.quarter} ${r.sector_id}`;
    const was = before.scopes.get(key)!;
    const now = after.get(key)!;
    expect(
      {
        closing: r.closing_id,
        name: r.name,
        before: [r.before_n, r.before_average],
        after: [r.n, r.average, r.stale_count],
        reason: r.reason,
        actor: r.actor,
        at: r.at,
      },
      `${where} ${key}`,
    ).toEqual({
      closing: closingOf.get(r.quarter),
      name: r.sector_id === REGION ? 'regio' : nameOf.get(r.sector_id),
      before: [was.n, was.average],
      after: [now.n, now.average, now.staleCount],
      reason: reason.trim(),
      actor: world.ctx.actor,
      at: TEST_NOW.toISOString(),
    });
  }
  // (c) the revisions of a restating write carry its reason; those of any other write none
  const revisions = await db
    .selectFrom('revisions')
    .select(['id', 'reason'])
    .where('id', '>', before.revisionId)
    .execute();
  for (const r of revisions) expect(r.reason, where).toBe(touched ? reason.trim() : null);
  return { outcome, changed, touched };
}

/**
 * Applies `write` without a reason: either it changes no member's figure of any closed quarter
 * (and then writes no restatement and no reason), or it is refused with `quarter_closed` and
 * leaves every table as it was, and then the same write with a reason goes through and does
 * change a closed quarter (so the refusal was needed).
 */
async function writeWithoutReason(world: World, write: Write): Promise<Outcome> {
  const db = world.ctx.db;
  const before = await observe(db);
  const where = JSON.stringify(write);

  const outcome = await attempt(world, write, undefined);

  if (outcome.kind === 'refused') {
    expect(await rowsOf(db), where).toEqual(before.rows);
    if (outcome.code === 'quarter_closed') {
      const retried = await writeWithReason(world, write, 'alsnog, met reden');
      expect(retried.outcome, where).toEqual({ kind: 'applied' });
      expect(retried.touched, `${where}: refused without changing a closed quarter`).toBe(true);
    }
    return outcome;
  }
  const stored = await readStored(db);
  expect(membersChanged(before, stored), `${where}: changed a closed quarter without a reason`).toBe(false);
  expect(scopeFigures(stored, before.quarters), where).toEqual(before.scopes);
  const rows = await rowsOf(db);
  expect(closedRows(rows), where).toEqual(closedRows(before.rows));
  expect(rows.restatements, where).toEqual(before.rows.restatements);
  const reasons = await db
    .selectFrom('revisions')
    .select('reason')
    .where('id', '>', before.revisionId)
    .execute();
  expect(
    reasons.every((r) => r.reason === null),
    where,
  ).toBe(true);
  return outcome;
}

/** Closes the first `count` quarters and checks that the closings stored the oracle's figures. */
async function closeFirst(world: World, count: number): Promise<Map<string, Figure>> {
  const stored = await readStored(world.ctx.db);
  const quarters = Array.from({ length: count }, (_, i) => at(i));
  const closed = await closeQuarter(world.ctx, at(count - 1), { includeEarlier: true });
  expect(closed.map((c) => c.quarter)).toEqual(quarters);
  const expected = scopeFigures(stored, quarters);
  await expectStoredClosings(world.ctx.db, stored, expected);
  return expected;
}

/** The open closings' stored rows equal the oracle's figures of the moment they were closed. */
async function expectStoredClosings(db: Kysely<Database>, stored: Stored, expected: Map<string, Figure>) {
  const closings = await openClosings(db);
  const quarterOf = new Map(closings.map((c) => [c.id, c.quarter]));
  const scopes = await db.selectFrom('closed_scope_figures').selectAll().execute();
  const inForce = scopes.filter((s) => quarterOf.has(s.closing_id));
  for (const s of inForce) {
    const key = `${quarterOf.get(s.closing_id)} ${s.sector_id}`;
    if (!expected.has(key)) continue;
    expect({ n: s.n, average: s.average, staleCount: s.stale_count }, key).toEqual(expected.get(key));
  }
  for (const c of closings) {
    if (!expected.has(`${c.quarter} ${REGION}`)) continue;
    const members = await db
      .selectFrom('closed_organisation_figures')
      .select(['organisation_id', 'sector_id', 'gear', 'recorded_in'])
      .where('closing_id', '=', c.id)
      .orderBy('organisation_id')
      .execute();
    expect(
      members.map((m) => ({
        organisationId: m.organisation_id,
        sectorId: m.sector_id,
        gear: m.gear,
        recordedIn: m.recorded_in,
      })),
      c.quarter,
    ).toEqual(memberFigures(stored, c.quarter));
    expect(inForce.filter((s) => s.closing_id === c.id)).toHaveLength(stored.sectors.length + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// The properties

const RUNS = 30;
const TIMEOUT = 120_000;

describe('corrections of closed quarters with a reason (property, via the services)', () => {
  it(
    'when a random region is closed up to a quarter and then corrected with a reason in any way, then the closed figures stay byte-identical, every changed scope of every closed quarter gets exactly one restatement with its figures before and after, and the revisions carry the reason',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          regionArb(1),
          fc.array(fc.tuple(writeArb, reasonArb), { minLength: 1, maxLength: 4 }),
          async (region, writes) => {
            await withWorld(region.sectorCount, async (world) => {
              // Arrange
              await buildRegion(world, region);
              await closeFirst(world, region.closeCount);
              const snapshot = await rowsOf(world.ctx.db, CLOSED_TABLES);

              // Act (each write is checked against the oracle as it goes: see writeWithReason)
              for (const [write, reason] of writes) await writeWithReason(world, write, reason);

              // Assert
              expect(await rowsOf(world.ctx.db, CLOSED_TABLES)).toEqual(snapshot);
            });
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('corrections of closed quarters without a reason (property, via the services)', () => {
  it(
    'when a closed region is corrected without a reason, then each write either changes no closed quarter and adds no restatement, or is refused with quarter_closed and leaves every table byte-identical',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          regionArb(1),
          fc.array(writeArb, { minLength: 1, maxLength: 4 }),
          async (region, writes) => {
            await withWorld(region.sectorCount, async (world) => {
              // Arrange
              await buildRegion(world, region);
              await closeFirst(world, region.closeCount);
              const snapshot = await rowsOf(world.ctx.db, CLOSED_TABLES);

              // Act (each write is checked as it goes: see writeWithoutReason)
              for (const write of writes) await writeWithoutReason(world, write);

              // Assert
              expect(await rowsOf(world.ctx.db, CLOSED_TABLES)).toEqual(snapshot);
            });
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('reopening the last closed quarter (property, via the services)', () => {
  it(
    'when the last closed quarter is reopened with a reason, then a change of it needs no reason, a change of an earlier closed quarter is still refused, and closing it again stores the figures as they then are',
    async () => {
      await fc.assert(
        fc.asyncProperty(regionArb(2), fc.array(writeArb, { maxLength: 3 }), async (region, writes) => {
          await withWorld(region.sectorCount, async (world) => {
            // Arrange: the first organisation is a member in every quarter of the region
            const { ctx } = world;
            await buildRegion(world, region);
            await closeFirst(world, region.closeCount);
            const [first] = await organisationIds(ctx.db);
            const last = at(region.closeCount - 1);
            const earlier = at(region.closeCount - 2);
            const otherGear = async (q: Quarter) => {
              const org = (await listTimelines(ctx.db, [first!]))[0]!;
              const gear = oracleGearIn(org, (await readStored(ctx.db)).points, q)?.gear ?? 0;
              return (gear % 5) + 1;
            };
            const figureRows = async () => {
              const rows = await rowsOf(ctx.db, ['closed_organisation_figures', 'closed_scope_figures']);
              return [...rows.closed_organisation_figures!, ...rows.closed_scope_figures!];
            };
            const closedBefore = await figureRows();

            // Act
            const notLast = await attemptReopen(ctx, earlier);
            await reopenQuarter(ctx, last, 'cijfers nog niet compleet');
            const freed = await writeWithoutReason(world, {
              kind: 'gear',
              org: 0,
              at: region.closeCount - 1,
              gear: await otherGear(last),
            });
            // (refused, it is then made with a reason by the helper, which checks it needed one)
            const guarded = await writeWithoutReason(world, {
              kind: 'gear',
              org: 0,
              at: region.closeCount - 2,
              gear: await otherGear(earlier),
            });
            for (const write of writes) await writeWithoutReason(world, write);
            const stored = await readStored(ctx.db);
            // (with includeEarlier: a write may have made an organisation a member before the
            // closed quarters, and such an open quarter comes first)
            const closedAgain = await closeQuarter(ctx, last, { includeEarlier: true });

            // Assert
            expect(notLast).toBe('reopen_order');
            expect(freed).toEqual({ kind: 'applied' });
            expect(guarded).toEqual({ kind: 'refused', code: 'quarter_closed' });
            expect(closedAgain.map((c) => c.quarter).at(-1)).toBe(last);
            expect(closedAgain.every((c) => c.quarter === last || c.quarter < at(0))).toBe(true);
            expect((await closedQuarters(ctx)).map((c) => c.quarter)).toEqual(
              expect.arrayContaining(Array.from({ length: region.closeCount }, (_, i) => at(i))),
            );
            // the reopened closing keeps its rows; the new one stores the figures of now
            expect(await figureRows()).toEqual(expect.arrayContaining(closedBefore));
            await expectStoredClosings(
              ctx.db,
              stored,
              scopeFigures(
                stored,
                closedAgain.map((c) => c.quarter),
              ),
            );
            const history = await ctx.db
              .selectFrom('quarter_closings')
              .select(['quarter', 'reopen_reason'])
              .where('reopened_at', 'is not', null)
              .execute();
            expect(history).toEqual([{ quarter: last, reopen_reason: 'cijfers nog niet compleet' }]);
          });
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

async function attemptReopen(ctx: ServiceContext, quarter: Quarter): Promise<string | null> {
  try {
    await reopenQuarter(ctx, quarter, 'te vroeg');
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.code;
  }
}

describe('the reports beside closed quarters (property, via the services)', () => {
  it(
    'when a closed region has been corrected, with reasons or without, then the summary and the matrix show for every closed quarter the figure the closing stored, and the summary lists exactly the restatements of its two quarters',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          regionArb(1),
          fc.array(fc.tuple(writeArb, fc.option(reasonArb, { nil: undefined })), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.nat(),
          fc.nat(),
          async (region, writes, a, b) => {
            await withWorld(region.sectorCount, async (world) => {
              // Arrange
              const { ctx } = world;
              await buildRegion(world, region);
              const closedFigures = await closeFirst(world, region.closeCount);
              for (const [write, reason] of writes) await attempt(world, write, reason);
              // any two quarters of the region, closed or not
              const [from, to] = [at(a % SPAN), at(b % SPAN)].sort() as [Quarter, Quarter];

              // Act
              const summary = await reportSummary(ctx, from, to);
              const matrix = await reportMatrix(ctx, from, to);

              // Assert
              const closings = new Map((await openClosings(ctx.db)).map((c) => [c.quarter, c]));
              const sectors = await allSectors(ctx.db);
              const idOf = new Map(sectors.map((s) => [s.name, s.id]));
              const closedOf = (quarter: Quarter, scope: number) => {
                const closing = closings.get(quarter);
                if (!closing) return null;
                const figure = closedFigures.get(`${quarter} ${scope}`)!;
                return {
                  average: figure.average,
                  n: figure.n,
                  closedAt: closing.closed_at,
                  closedBy: closing.closed_by,
                };
              };
              const current = scopeFigures(await readStored(ctx.db), [from, to]);
              const besides = [
                { scope: REGION, pair: summary.overall },
                ...summary.sectors.map((s) => ({ scope: idOf.get(s.name)!, pair: s })),
              ];
              for (const { scope, pair } of besides) {
                expect(pair.from.closed ?? null, `${from} ${scope}`).toEqual(closedOf(from, scope));
                expect(pair.to.closed ?? null, `${to} ${scope}`).toEqual(closedOf(to, scope));
                expect([pair.to.n, pair.to.average]).toEqual([
                  current.get(`${to} ${scope}`)!.n,
                  current.get(`${to} ${scope}`)!.average,
                ]);
              }
              const cells = [
                { scope: REGION, cells: matrix.region.cells },
                ...matrix.sectors.map((s) => ({ scope: s.id, cells: s.cells })),
              ];
              for (const { scope, cells: row } of cells) {
                for (const c of row) {
                  expect(c.closed ?? null, `matrix ${c.quarter} ${scope}`).toEqual(
                    closedOf(c.quarter, scope),
                  );
                }
              }
              const ofQuarters = async (quarters: readonly Quarter[]) =>
                (
                  await ctx.db
                    .selectFrom('restatements')
                    .selectAll()
                    // (0 is no closing's id: it keeps the list from being empty)
                    .where('closing_id', 'in', [0, ...[...closings.values()].map((c) => c.id)])
                    .where('quarter', 'in', [...quarters])
                    .orderBy('id')
                    .execute()
                ).map((r) => ({
                  quarter: r.quarter,
                  scope: r.sector_id === REGION ? 'regio' : r.name,
                  sectorId: r.sector_id === REGION ? null : r.sector_id,
                  closed: closedFigures.get(`${r.quarter} ${r.sector_id}`)!.average,
                  closedN: closedFigures.get(`${r.quarter} ${r.sector_id}`)!.n,
                  restated: r.average,
                  restatedN: r.n,
                  reason: r.reason,
                  at: r.at,
                  by: r.actor,
                }));
              expect(summary.restatements).toEqual(await ofQuarters([from, to]));
              expect(matrix.restatements).toEqual(await ofQuarters(matrix.quarters));
            });
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
