import type { Writable } from 'node:stream';
import {
  listOrganisations,
  type OrganisationWithSector,
} from '../db/repositories/organisations.repository.ts';
import { gearsRecordedIn, latestGearsAt } from '../db/repositories/quickscans.repository.ts';
import { listSectors } from '../db/repositories/sectors.repository.ts';
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
import {
  type ListRow,
  type PrestatielijstData,
  writePrestatielijst,
} from '../excel/prestatielijst-writer.ts';
import type { ServiceContext } from './context.ts';

/** Dutch name order, as `a.localeCompare(b, 'nl')` gives it, with one collator for the whole list. */
const dutch = new Intl.Collator('nl');
const byName = (a: { name: string }, b: { name: string }) => dutch.compare(a.name, b.name);

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
  const quarters = quarterRange(from, to);
  const sectors = (await listSectors(ctx.db)).map((s) => ({ id: s.id, name: s.name }));
  // The records read here are let go before the gears are read: only the rows' names and
  // quarters, the memberships and each organisation's latest gear before the period stay.
  const { memberships, listed, rows, rowsBySector } = listRows(
    await listOrganisations(ctx.db, { includeArchived: true }),
    sectors,
    quarters,
  );
  const carrier = new GearCarrier(
    memberships,
    from > `${MIN_YEAR}-Q1` ? await latestGearsAt(ctx.db, previousQuarter(from)) : [],
  );
  const tally = newPeriodTally(sectors, quarters);
  const cells = new ListCells();
  for (let qi = 0; qi < quarters.length; qi++) {
    const quarter = quarters[qi]!;
    const states = carrier.next(quarter, await gearsRecordedIn(ctx.db, quarter));
    tallyQuarter(tally, qi, memberships, states);
    listed.forEach((k, j) => {
      rows[j]!.cells[qi] = cells.of(quarter, states[k] ?? null);
    });
  }
  for (const row of rows) row.change = changeOf(row.cells);

  const sectorsInTo = new Set(memberships.filter((m) => isMemberIn(m, to)).map((m) => m.sectorId));
  return {
    regionName,
    madeAt: ctx.now(),
    quarters,
    sectors: sectors.map((s) => ({ name: s.name, rows: rowsBySector.get(s.id)!.sort(byName) })),
    summary: summaryFromTally(tally, sectors, memberships),
    sectorsInUse: sectors.filter((s) => sectorsInTo.has(s.id)).map((s) => s.name),
    matrix: matrixFromTally(tally, sectors),
    model: ctx.models.active,
  };
}

/**
 * The memberships of all organisations, and the list's rows (cells still to fill) of those that
 * were members at some point in the period, in a sector of the list: `listed[j]` is the index of
 * `rows[j]`'s organisation. Apart from the names and quarters the rows keep, the organisation
 * records can go once this returns, before the gears are read.
 */
function listRows(
  organisations: readonly OrganisationWithSector[],
  sectors: readonly SectorRef[],
  quarters: readonly Quarter[],
) {
  const from = quarters[0]!;
  const to = quarters[quarters.length - 1]!;
  const rowsBySector = new Map<number, ListRow[]>(sectors.map((s) => [s.id, []]));
  const memberships: MemberOrganisation[] = [];
  const listed: number[] = [];
  const rows: ListRow[] = [];
  organisations.forEach((o, k) => {
    memberships.push({
      id: o.id,
      sectorId: o.sector_id,
      memberFrom: o.member_from,
      memberUntil: o.member_until,
    });
    const sectorRows = rowsBySector.get(o.sector_id);
    if (!sectorRows || o.member_from > to || (o.member_until !== null && o.member_until < from)) return;
    const row: ListRow = {
      name: o.name,
      memberFrom: o.member_from,
      memberUntil: o.member_until,
      cells: new Array<ListCell>(quarters.length),
      change: null,
    };
    listed.push(k);
    rows.push(row);
    sectorRows.push(row);
  });
  return { memberships, listed, rows, rowsBySector };
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
    organisations: data.sectors.reduce((n, s) => n + s.rows.length, 0),
    quarters: data.quarters.length,
    write: (out) => writePrestatielijst(data, out),
  };
}
