import type {
  Average,
  DistributionRow,
  Matrix,
  MatrixCell,
  PeriodAverage,
  Summary,
} from '../contracts/report.contract.ts';
import { type Quarter, quarterIndex, quarterRange } from './quarter.ts';
import { carriesInto, isMemberIn, isStale, type OrganisationTimeline, sectorIn } from './timeline.ts';

export type { Average, DistributionRow, Matrix, MatrixCell, PeriodAverage, Summary };

/** An organisation as the report sees it: its membership periods and its sector through time. */
export type MemberOrganisation = OrganisationTimeline;

export interface SectorRef {
  id: number;
  name: string;
}

/** A recorded gear (from a quickscan or recorded directly) of one organisation in one quarter. */
export interface GearPoint {
  organisationId: number;
  quarter: Quarter;
  gear: number;
}

/** The gear an organisation has in a quarter, and the quarter it was recorded in. */
export interface GearState {
  gear: number;
  recordedIn: Quarter;
}

export { isMemberIn };

/** Mean with its count; `average` is null when there is nothing to average. Unrounded. */
export function averageOf(values: readonly number[], staleCount = 0): Average {
  if (values.length === 0) return { n: 0, average: null, staleCount };
  let sum = 0;
  for (const v of values) sum += v;
  return { n: values.length, average: sum / values.length, staleCount };
}

/** (b − a) / a × 100 from unrounded averages; null when either is missing or a is 0. */
export function percentChange(a: number | null, b: number | null): number | null {
  if (a === null || b === null || a === 0) return null;
  return ((b - a) / a) * 100;
}

/**
 * Names with the highest average; ties are all named, alphabetically (the final report wrote
 * "Openbaar Vervoer & Zorg"). Empty when no sector has an average.
 */
export function strongest(entries: ReadonlyArray<{ name: string; average: number | null }>): string[] {
  let best: number | null = null;
  for (const e of entries) if (e.average !== null && (best === null || e.average > best)) best = e.average;
  if (best === null) return [];
  return entries
    .filter((e) => e.average === best)
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'nl'));
}

/**
 * Names with the lowest average, as {@link strongest} the other way round: ties are all named,
 * alphabetically; empty when no sector has an average.
 */
export function weakest(entries: ReadonlyArray<{ name: string; average: number | null }>): string[] {
  return strongest(entries.map((e) => ({ name: e.name, average: e.average === null ? null : -e.average })));
}

/** Joins names the Dutch way: "A", "A & B", "A, B & C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`;
}

/**
 * The gear state of every organisation in every quarter of `quarters` (sorted ascending),
 * carrying the latest gear in or before a quarter forward. Null where the organisation is not
 * a member or has no gear yet. Points after a quarter never count for it.
 */
export function gearTimelines(
  orgs: readonly MemberOrganisation[],
  points: readonly GearPoint[],
  quarters: readonly Quarter[],
): Map<number, Array<GearState | null>> {
  const byOrg = new Map<number, GearPoint[]>();
  for (const p of points) {
    let list = byOrg.get(p.organisationId);
    if (!list) {
      list = [];
      byOrg.set(p.organisationId, list);
    }
    list.push(p);
  }
  const result = new Map<number, Array<GearState | null>>();
  for (const org of orgs) {
    const own = (byOrg.get(org.id) ?? []).slice().sort((a, b) => (a.quarter < b.quarter ? -1 : 1));
    const timeline: Array<GearState | null> = [];
    let i = 0;
    let current: GearState | null = null;
    for (const q of quarters) {
      while (i < own.length && own[i]!.quarter <= q) {
        current = { gear: own[i]!.gear, recordedIn: own[i]!.quarter };
        i++;
      }
      timeline.push(current && carriesInto(org, current.recordedIn, q) ? current : null);
    }
    result.set(org.id, timeline);
  }
  return result;
}

export interface SummaryInput {
  sectors: readonly SectorRef[];
  organisations: readonly MemberOrganisation[];
  points: readonly GearPoint[];
  from: Quarter;
  to: Quarter;
}

/**
 * The prestatielijst's quantitative analysis for two quarters: member count and sectors in
 * `to`, the region's and each sector's average gear in both quarters (carried-forward gears
 * included) with the percentage change, and the strongest sector(s) in `to`. The same tally as
 * the export's (one maths path): the timelines of the two quarters added up.
 */
export function summarise(input: SummaryInput): Summary {
  const { from, to } = input;
  quarterRange(from, to); // refuses a reversed period
  const tally = tallyOf(input, from === to ? [from] : [from, to]);
  return summaryFromTally(tally, input.sectors, input.organisations);
}

/**
 * {@link summarise} from every organisation's gear state in the two quarters (`states[k]` belongs
 * to `organisations[k]`): the same analysis, for a caller that has the states already.
 */
export function summariseStates(
  sectors: readonly SectorRef[],
  organisations: readonly MemberOrganisation[],
  from: { quarter: Quarter; states: ReadonlyArray<GearState | null> },
  to: { quarter: Quarter; states: ReadonlyArray<GearState | null> },
): Summary {
  quarterRange(from.quarter, to.quarter); // refuses a reversed period
  const single = from.quarter === to.quarter;
  const tally = newPeriodTally(sectors, single ? [from.quarter] : [from.quarter, to.quarter]);
  tallyQuarter(tally, 0, organisations, from.states);
  if (!single) tallyQuarter(tally, 1, organisations, to.states);
  return summaryFromTally(tally, sectors, organisations);
}

/** Sector × quarter averages with n, and the region row; change is first to last quarter. */
export function sectorMatrix(input: SummaryInput): Matrix {
  return matrixFromTally(tallyOf(input, quarterRange(input.from, input.to)), input.sectors);
}

/** The tally of every organisation's timeline over `quarters` (ascending). */
function tallyOf(input: SummaryInput, quarters: readonly Quarter[]): PeriodTally {
  const tally = newPeriodTally(input.sectors, quarters);
  addToTally(tally, input.organisations, gearTimelines(input.organisations, input.points, quarters));
  return tally;
}

/**
 * Gear states quarter by quarter, for a caller that reads the recorded gears one quarter at a time
 * rather than all at once, so that only one quarter's points are ever in memory: the same states
 * as {@link gearTimelines} gives. Made with the organisations and the points recorded before the
 * period (only each organisation's latest counts); then {@link GearCarrier.next} takes each
 * quarter of the period in turn, ascending, with the points recorded in it. Organisation ids are
 * unique. States are shared between organisations (one per gear and quarter recorded in), so a
 * large region costs no object per recorded gear: nobody may change them.
 */
export class GearCarrier {
  private readonly position = new Map<number, number>();
  private readonly current: Array<GearState | null>;
  private last: Quarter | null = null;

  constructor(
    private readonly organisations: readonly MemberOrganisation[],
    before: readonly GearPoint[] = [],
  ) {
    for (const [i, o] of organisations.entries()) this.position.set(o.id, i);
    this.current = organisations.map(() => null);
    const shared = new Map<string, GearState>();
    for (const p of before) {
      const i = this.position.get(p.organisationId);
      if (i === undefined) continue;
      const current = this.current[i];
      if (current && p.quarter < current.recordedIn) continue;
      const key = `${p.quarter} ${p.gear}`;
      let state = shared.get(key);
      if (!state) {
        state = { gear: p.gear, recordedIn: p.quarter };
        shared.set(key, state);
      }
      this.current[i] = state;
    }
  }

  /**
   * The state of every organisation (in the order they were given) in `quarter`, which follows
   * the previous one, with `points` the gears recorded in it: null where the organisation is not
   * a member or has no gear yet.
   */
  next(
    quarter: Quarter,
    points: ReadonlyArray<{ organisationId: number; gear: number }>,
  ): Array<GearState | null> {
    if (this.last === null) {
      if (this.current.some((c) => c && c.recordedIn > quarter)) {
        throw new Error(`GearCarrier: a point given as before the period is after ${quarter}`);
      }
    } else if (quarterIndex(quarter) !== quarterIndex(this.last) + 1) {
      throw new Error(`GearCarrier: ${quarter} does not follow ${this.last}`);
    }
    this.last = quarter;
    const recorded = new Map<number, GearState>();
    for (const p of points) {
      const i = this.position.get(p.organisationId);
      if (i === undefined) continue;
      let state = recorded.get(p.gear);
      if (!state) {
        state = { gear: p.gear, recordedIn: quarter };
        recorded.set(p.gear, state);
      }
      this.current[i] = state;
    }
    return this.organisations.map((o, i) => {
      const state = this.current[i] ?? null;
      return state && carriesInto(o, state.recordedIn, quarter) ? state : null;
    });
  }
}

/** Per quarter of a period: how many organisations had a gear, and those gears added up. */
export interface QuarterTotals {
  n: number[];
  sum: number[];
  /** How many of the counted gears are stale (older than STALE_AFTER_QUARTERS). */
  stale: number[];
}

/**
 * Running totals of gear states over a period, per sector and for the region: what the analysis
 * ({@link summarise}) and the sector table ({@link sectorMatrix}) are made of, the one path of the
 * report maths, so that they can be
 * read from gear states that were made anyway, also when those come a quarter at a time (see
 * {@link GearCarrier}) or a few organisations at a time and are never all held at once. Index `i`
 * of the totals is `quarters[i]`.
 */
export interface PeriodTally {
  quarters: readonly Quarter[];
  sectors: Map<number, QuarterTotals>;
  region: QuarterTotals;
}

function emptyTotals(length: number): QuarterTotals {
  const zeros = () => new Array<number>(length).fill(0);
  return { n: zeros(), sum: zeros(), stale: zeros() };
}

/** An empty tally for `quarters`: every quarter of the period, ascending, no gaps. */
export function newPeriodTally(sectors: readonly SectorRef[], quarters: readonly Quarter[]): PeriodTally {
  if (quarters.length === 0) throw new Error('newPeriodTally: a period has at least one quarter');
  return {
    quarters: [...quarters],
    sectors: new Map(sectors.map((s) => [s.id, emptyTotals(quarters.length)])),
    region: emptyTotals(quarters.length),
  };
}

/**
 * Adds the states of `organisations` in quarter `i` of the tally (`states[k]` is that of
 * `organisations[k]`, as {@link GearCarrier.next} gives them) to the tally, which it changes.
 */
export function tallyQuarter(
  tally: PeriodTally,
  i: number,
  organisations: readonly MemberOrganisation[],
  states: ReadonlyArray<GearState | null>,
): void {
  organisations.forEach((org, k) => {
    const state = states[k];
    if (!state) return;
    tally.region.n[i]!++;
    tally.region.sum[i]! += state.gear;
    const quarter = tally.quarters[i]!;
    const stale = isStale(state.recordedIn, quarter) ? 1 : 0;
    tally.region.stale[i]! += stale;
    const sector = tally.sectors.get(sectorIn(org, quarter));
    if (sector) {
      sector.n[i]!++;
      sector.sum[i]! += state.gear;
      sector.stale[i]! += stale;
    }
  });
}

/**
 * Adds the timelines of `organisations` (made by {@link gearTimelines} for the tally's quarters)
 * to the tally, which it changes. Every organisation must be added once; one without a timeline
 * counts nowhere, as one without gears.
 */
export function addToTally(
  tally: PeriodTally,
  organisations: readonly MemberOrganisation[],
  timelines: ReadonlyMap<number, ReadonlyArray<GearState | null>>,
): void {
  tally.quarters.forEach((_q, i) => {
    tallyQuarter(
      tally,
      i,
      organisations,
      organisations.map((o) => timelines.get(o.id)?.[i] ?? null),
    );
  });
}

/** As averageOf over the gears tallied in quarter `i` (gears are whole numbers: the sum is exact). */
function averageAt(totals: QuarterTotals, i: number): Average {
  const n = totals.n[i]!;
  const staleCount = totals.stale[i]!;
  return n === 0 ? { n: 0, average: null, staleCount } : { n, average: totals.sum[i]! / n, staleCount };
}

/**
 * {@link summarise} from a tally of every organisation's timeline: the same analysis of the
 * tally's first and last quarter. `sectors` are those the tally was made with; `organisations`
 * are all of them (for the member and sector counts), as given to summarise.
 */
export function summaryFromTally(
  tally: PeriodTally,
  sectors: readonly SectorRef[],
  organisations: readonly MemberOrganisation[],
): Summary {
  const first = 0;
  const last = tally.quarters.length - 1;
  const to = tally.quarters[last]!;
  const membersTo = organisations.filter((o) => isMemberIn(o, to));
  const sectorIdsTo = new Set(membersTo.map((o) => sectorIn(o, to)));
  const summarySectors = sectors.map((sector) => {
    const totals = tally.sectors.get(sector.id)!;
    const a = averageAt(totals, first);
    const b = averageAt(totals, last);
    return { name: sector.name, from: a, to: b, changePercent: percentChange(a.average, b.average) };
  });
  const a = averageAt(tally.region, first);
  const b = averageAt(tally.region, last);
  return {
    from: tally.quarters[first]!,
    to,
    organisationCount: membersTo.length,
    sectorCount: sectors.filter((s) => sectorIdsTo.has(s.id)).length,
    overall: { from: a, to: b, changePercent: percentChange(a.average, b.average) },
    sectors: summarySectors,
    strongest: strongest(summarySectors.map((s) => ({ name: s.name, average: s.to.average }))),
  };
}

/** {@link sectorMatrix} from a tally of every organisation's timeline (and the tally's sectors): the same table. */
export function matrixFromTally(tally: PeriodTally, sectors: readonly SectorRef[]): Matrix {
  const quarters = [...tally.quarters];
  const rowOf = (totals: QuarterTotals) => {
    const cells = quarters.map((quarter, i) => ({ quarter, ...averageAt(totals, i) }));
    return { cells, changePercent: percentChange(cells[0]!.average, cells[cells.length - 1]!.average) };
  };
  return {
    from: quarters[0]!,
    to: quarters[quarters.length - 1]!,
    quarters,
    sectors: sectors.map((s) => ({ id: s.id, name: s.name, ...rowOf(tally.sectors.get(s.id)!) })),
    region: rowOf(tally.region),
  };
}

/** How many member organisations are in each gear, per quarter. */
export function gearDistribution(
  organisations: readonly MemberOrganisation[],
  points: readonly GearPoint[],
  from: Quarter,
  to: Quarter,
): DistributionRow[] {
  const quarters = quarterRange(from, to);
  const timelines = gearTimelines(organisations, points, quarters);
  return quarters.map((quarter, qi) => {
    const counts = [0, 0, 0, 0, 0];
    let members = 0;
    let withoutGear = 0;
    for (const o of organisations) {
      if (!isMemberIn(o, quarter)) continue;
      members++;
      const s = timelines.get(o.id)![qi];
      if (s) counts[s.gear - 1]!++;
      else withoutGear++;
    }
    return { quarter, members, withoutGear, counts: counts.map((count, i) => ({ gear: i + 1, count })) };
  });
}

/** Below this many organisations with a gear, an average would give members away. */
export const MIN_ANONYMOUS_N = 3;

/** Withholds an average over fewer than `minN` (and a closed figure beside it); other fields stay. */
function hideAverage<A extends Average>(a: A, minN: number): A {
  return a.n < minN ? withheld(a) : a;
}

function withheld<A extends Average>(a: A): A {
  const closed = (a as { closed?: { average: number | null } | null }).closed;
  const hidden = { ...a, average: null, staleCount: null };
  return closed ? { ...hidden, closed: { ...closed, average: null } } : hidden;
}

/**
 * Whether the region average must be withheld as well: when the hidden sectors hold 1 or 2
 * organisations in all, the region minus the shown sectors would give their average away.
 */
function regionGivesAway(hiddenSectors: readonly Average[], minN: number): boolean {
  const hiddenN = hiddenSectors.reduce((sum, a) => sum + a.n, 0);
  return hiddenN > 0 && hiddenN < minN;
}

/**
 * The summary as an organisation may see it: averages over fewer than `minN` organisations are
 * withheld (n stays), their change with them, the region too when it would reveal them by
 * subtraction, and only sectors still shown can be the strongest.
 */
export function anonymiseSummary(summary: Summary, minN = MIN_ANONYMOUS_N): Summary {
  const sectors = summary.sectors.map((s) => {
    const from = hideAverage(s.from, minN);
    const to = hideAverage(s.to, minN);
    return { ...s, from, to, changePercent: percentChange(from.average, to.average) };
  });
  const hiddenIn = (pick: (s: Summary['sectors'][number]) => Average) =>
    summary.sectors.map(pick).filter((a) => a.n > 0 && a.n < minN);
  const regionFrom = regionGivesAway(
    hiddenIn((s) => s.from),
    minN,
  )
    ? withheld(summary.overall.from)
    : hideAverage(summary.overall.from, minN);
  const regionTo = regionGivesAway(
    hiddenIn((s) => s.to),
    minN,
  )
    ? withheld(summary.overall.to)
    : hideAverage(summary.overall.to, minN);
  return {
    ...summary,
    overall: {
      ...summary.overall,
      from: regionFrom,
      to: regionTo,
      changePercent: percentChange(regionFrom.average, regionTo.average),
    },
    sectors,
    strongest: strongest(sectors.map((s) => ({ name: s.name, average: s.to.average }))),
  };
}

/** The matrix as an organisation may see it: the same rules, quarter by quarter. */
export function anonymiseMatrix(matrix: Matrix, minN = MIN_ANONYMOUS_N): Matrix {
  const withChange = (cells: MatrixCell[]) => ({
    cells,
    changePercent: percentChange(cells[0]?.average ?? null, cells[cells.length - 1]?.average ?? null),
  });
  const sectors = matrix.sectors.map((s) => ({
    id: s.id,
    name: s.name,
    ...withChange(s.cells.map((c) => hideAverage(c, minN))),
  }));
  const regionCells = matrix.region.cells.map((c, qi) => {
    const hidden = matrix.sectors.map((s) => s.cells[qi]!).filter((x) => x.n > 0 && x.n < minN);
    return regionGivesAway(hidden, minN) ? withheld(c) : hideAverage(c, minN);
  });
  return { ...matrix, sectors, region: withChange(regionCells) };
}
