import type { Writable } from 'node:stream';
import {
  listOrganisations,
  type OrganisationWithSector,
} from '../db/repositories/organisations.repository.ts';
import { gearsRecordedIn, latestGearsAt } from '../db/repositories/quickscans.repository.ts';
import { listSectorNames } from '../db/repositories/sectors.repository.ts';
import { listTimelines } from '../db/repositories/timelines.repository.ts';
import { REGION_SCOPE } from '../domain/closing.ts';
import { compareStates } from '../domain/like-for-like.ts';
import { MIN_YEAR, previousQuarter, type Quarter, quarterRange } from '../domain/quarter.ts';
import {
  GearCarrier,
  type GearState,
  isMemberIn,
  type MemberOrganisation,
  matrixFromTally,
  newPeriodTally,
  type SectorRef,
  summaryFromTally,
  tallyQuarter,
} from '../domain/report.ts';
import { isMemberDuring, sectorIn } from '../domain/timeline.ts';
import { AppError } from '../errors.ts';
import type { OutcomeData } from '../excel/outcome-sheets.ts';
import { nameWithPeriod, periodSuffix } from '../excel/prestatielijst-format.ts';
import {
  type ListRow,
  type PrestatielijstData,
  writePrestatielijst,
} from '../excel/prestatielijst-writer.ts';
import { reportActivities } from './activities.service.ts';
import { closedFiguresOf } from './closing.service.ts';
import type { ServiceContext } from './context.ts';
import { reportMeasures } from './measures.service.ts';
import { incidentTotals, listTargets, reportIncidents } from './outcomes.service.ts';
import { checkReportPeriod, withClosedFigures, withComparisons } from './reports.service.ts';

/** Dutch name order, as `a.localeCompare(b, 'nl')` gives it, with one collator for the whole list. */
const dutch = new Intl.Collator('nl');

/** A row of a sector with what it sorts on: the organisation's name, then its stretches in time. */
interface SectorRow {
  row: ListRow;
  name: string;
  first: number;
}

function inListOrder(rows: SectorRow[]): ListRow[] {
  return rows.sort((a, b) => dutch.compare(a.name, b.name) || a.first - b.first).map((r) => r.row);
}

type ListCell = ListRow['cells'][number];

/**
 * Everything the prestatielijst shows for a period: sectors, organisations (with their
 * memberships), each organisation's latest gear before the period and then the gears recorded in
 * each quarter of it, one query per quarter whatever the size of the region. The gears are carried
 * forward a quarter at a time, and the list rows and the running totals of the analysis and the
 * sector table are taken from each quarter's states at once.
 */
export async function prestatielijstData(
  ctx: ServiceContext,
  regionName: string,
  from: Quarter,
  to: Quarter,
): Promise<PrestatielijstData> {
  checkReportPeriod(ctx, from, to);
  const quarters = quarterRange(from, to);
  const sectors = (await listSectorNames(ctx.db)).map((s) => ({ id: s.id, name: s.name }));
  // The records read here are let go before the gears are read: only the rows' names and
  // quarters, the timelines and each organisation's latest gear before the period stay.
  const timelines = await listTimelines(ctx.db);
  const { listed, rows, rowsBySector } = listRows(
    await listOrganisations(ctx.db, { includeArchived: true }),
    timelines,
    sectors,
    quarters,
  );
  const carrier = new GearCarrier(
    timelines,
    from > `${MIN_YEAR}-Q1` ? await latestGearsAt(ctx.db, previousQuarter(from)) : [],
  );
  const tally = newPeriodTally(sectors, quarters);
  const cells = new ListCells();
  const ends: Array<{ quarter: Quarter; states: Array<GearState | null> }> = [];
  for (let qi = 0; qi < quarters.length; qi++) {
    const quarter = quarters[qi]!;
    const states = carrier.next(quarter, await gearsRecordedIn(ctx.db, quarter));
    // The first and last quarter's states: for the like-for-like change of the analysis.
    if (qi === 0 || qi === quarters.length - 1) ends.push({ quarter, states });
    tallyQuarter(tally, qi, timelines, states);
    listed.forEach((at, j) => {
      // A row shows the organisation's gear only in the quarters it belonged to the row's sector.
      rows[j]!.cells[qi] = qi >= at.first && qi <= at.last ? cells.of(quarter, states[at.k] ?? null) : null;
    });
  }
  for (const row of rows) row.change = changeOf(row.cells);

  const sectorsInTo = new Set(timelines.filter((m) => isMemberIn(m, to)).map((m) => sectorIn(m, to)));
  return {
    regionName,
    madeAt: ctx.now(),
    quarters,
    sectors: sectors.map((s) => ({ name: s.name, rows: inListOrder(rowsBySector.get(s.id)!) })),
    listedOrganisations: new Set(listed.map((at) => at.k)).size,
    summary: await withClosedFigures(
      ctx,
      withComparisons(
        ctx,
        summaryFromTally(tally, sectors, timelines),
        sectors,
        compareStates(timelines, ends[0]!, ends[ends.length - 1]!),
      ),
      sectors,
    ),
    sectorsInUse: sectors.filter((s) => sectorsInTo.has(s.id)).map((s) => s.name),
    matrix: matrixFromTally(tally, sectors),
    closedRegion: await closedRegionOf(ctx, quarters),
    outcomes: await outcomeData(ctx, from, to),
    model: ctx.models.active,
  };
}

/** The workbook's incidents, measures, targets and the network's activities for the period. */
async function outcomeData(ctx: ServiceContext, from: Quarter, to: Quarter): Promise<OutcomeData> {
  const [incidents, totals, measures, targets, activities] = await Promise.all([
    reportIncidents(ctx, from, to).catch((err: unknown) => {
      // No 0-meting yet: the sheet says so.
      if (err instanceof AppError && err.code === 'no_baseline') return null;
      throw err;
    }),
    incidentTotals(ctx, from, to),
    reportMeasures(ctx, to, from === to ? undefined : from),
    listTargets(ctx),
    reportActivities(ctx, from, to),
  ]);
  return {
    incidents,
    incidentTotals: totals,
    measures: { quarter: to, from: from === to ? null : from, rows: measures },
    targets,
    activities,
  };
}

/** The region's closed figure per quarter (null where the quarter is open). */
async function closedRegionOf(ctx: ServiceContext, quarters: readonly Quarter[]) {
  const { closed } = await closedFiguresOf(ctx.db, quarters);
  return quarters.map((q) => closed.get(q)?.get(REGION_SCOPE) ?? null);
}

/**
 * The list's rows (cells still to fill) of the organisations that were members at some point in
 * the period: one row per stretch of the period in one sector, so an organisation that moved
 * appears under each sector it belonged to, named with when ("Ziekenhuis X (tot en met Q2 2016)").
 * `listed[j]` says whose row `rows[j]` is (`k`, the index in `timelines`) and which quarters it
 * covers. Apart from the names and quarters the rows keep, the organisation records can go once
 * this returns, before the gears are read.
 */
function listRows(
  organisations: readonly OrganisationWithSector[],
  timelines: readonly MemberOrganisation[],
  sectors: readonly SectorRef[],
  quarters: readonly Quarter[],
) {
  const from = quarters[0]!;
  const to = quarters[quarters.length - 1]!;
  const rowsBySector = new Map<number, SectorRow[]>(sectors.map((s) => [s.id, []]));
  const index = new Map(timelines.map((t, k) => [t.id, k]));
  const listed: Array<{ k: number; first: number; last: number }> = [];
  const rows: ListRow[] = [];
  for (const o of organisations) {
    const k = index.get(o.id);
    if (k === undefined) continue;
    const timeline = timelines[k]!;
    if (!isMemberDuring(timeline, from, to)) continue;
    const stretches = sectorStretches(timeline, quarters);
    for (const stretch of stretches) {
      const sectorRows = rowsBySector.get(stretch.sectorId);
      if (!sectorRows) continue;
      const suffix = periodSuffix(quarters[stretch.first]!, quarters[stretch.last]!, from, to);
      const row: ListRow = {
        name: stretches.length === 1 ? o.name : nameWithPeriod(o.name, suffix),
        // Every period, so that a list read back gives a rejoiner its gaps again.
        memberships: timeline.memberships,
        cells: new Array<ListCell>(quarters.length),
        change: null,
      };
      listed.push({ k, first: stretch.first, last: stretch.last });
      rows.push(row);
      sectorRows.push({ row, name: o.name, first: stretch.first });
    }
  }
  return { listed, rows, rowsBySector };
}

/**
 * The stretches of the period (indexes into `quarters`) in which the organisation was a member
 * and in one sector; a gap in the membership does not end a stretch when the sector after it is
 * the same (the gap's cells stay blank).
 */
function sectorStretches(timeline: MemberOrganisation, quarters: readonly Quarter[]) {
  const stretches: Array<{ sectorId: number; first: number; last: number }> = [];
  quarters.forEach((q, i) => {
    if (!isMemberIn(timeline, q)) return;
    const sectorId = sectorIn(timeline, q);
    const open = stretches[stretches.length - 1];
    if (open && open.sectorId === sectorId) open.last = i;
    else stretches.push({ sectorId, first: i, last: i });
  });
  return stretches;
}

/**
 * The list's cells, shared wherever they are the same, so that a large region does not cost an
 * object per organisation per quarter (nobody changes them): one per gear recorded in its quarter,
 * one per gear state carried forward (see GearCarrier: states are shared too).
 */
class ListCells {
  private readonly recorded = new Map<number, ListCell>();
  private readonly carried = new Map<GearState, ListCell>();

  /** The cell of an organisation whose state in `quarter` is `state`. */
  of(quarter: Quarter, state: GearState | null): ListCell {
    if (!state) return null;
    if (state.recordedIn === quarter) {
      let cell = this.recorded.get(state.gear);
      if (!cell) {
        cell = { gear: state.gear, carriedFrom: null };
        this.recorded.set(state.gear, cell);
      }
      return cell;
    }
    let cell = this.carried.get(state);
    if (!cell) {
      cell = { gear: state.gear, carriedFrom: state.recordedIn };
      this.carried.set(state, cell);
    }
    return cell;
  }
}

/** The change of a line: its gear at the end of the period minus its first gear in it; null without two gears. */
function changeOf(cells: readonly ListCell[]): number | null {
  let firstGear: number | undefined;
  let gearCount = 0;
  for (const cell of cells) {
    if (!cell) continue;
    gearCount++;
    firstGear ??= cell.gear;
  }
  const lastGear = cells[cells.length - 1]?.gear;
  return gearCount >= 2 && firstGear !== undefined && lastGear !== undefined ? lastGear - firstGear : null;
}

/** A prestatielijst ready to be written: its data gathered and checked, the workbook still to stream. */
export interface PreparedExport {
  /** The file name to offer: `prestatielijst-2015-Q4-2016-Q4.xlsx`. */
  fileName: string;
  /** Organisations listed and quarters shown. */
  organisations: number;
  quarters: number;
  /** Streams the workbook into `out` (which it ends). */
  write(out: Writable): Promise<void>;
}

/**
 * The one path to the prestatielijst workbook, for the download and the CLI alike: everything is
 * gathered (and a bad period refused) before a byte is written, so an error is an error reply,
 * never a broken file.
 */
export async function prepareExport(
  ctx: ServiceContext,
  regionName: string,
  from: Quarter,
  to: Quarter,
): Promise<PreparedExport> {
  const data = await prestatielijstData(ctx, regionName, from, to);
  return {
    fileName: `prestatielijst-${from}-${to}.xlsx`,
    organisations: data.listedOrganisations,
    quarters: data.quarters.length,
    write: (out) => writePrestatielijst(data, out),
  };
}
