import { isWithin, type Quarter, quarterRange } from './quarter.ts';

/** An organisation as the report sees it: where it belongs and when it was a member. */
export interface MemberOrganisation {
  id: number;
  sectorId: number;
  memberFrom: Quarter;
  memberUntil: Quarter | null;
}

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

export interface Average {
  n: number;
  average: number | null;
}

export function isMemberIn(org: MemberOrganisation, q: Quarter): boolean {
  return isWithin(q, org.memberFrom, org.memberUntil);
}

/** Mean with its count; `average` is null when there is nothing to average. Unrounded. */
export function averageOf(values: readonly number[]): Average {
  if (values.length === 0) return { n: 0, average: null };
  let sum = 0;
  for (const v of values) sum += v;
  return { n: values.length, average: sum / values.length };
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
      timeline.push(isMemberIn(org, q) ? current : null);
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

export interface PeriodAverage {
  from: Average;
  to: Average;
  changePercent: number | null;
}

export interface Summary {
  from: Quarter;
  to: Quarter;
  organisationCount: number;
  sectorCount: number;
  overall: PeriodAverage;
  sectors: Array<{ name: string } & PeriodAverage>;
  strongest: string[];
}

/**
 * The prestatielijst's quantitative analysis for two quarters: member count and sectors in
 * `to`, the region's and each sector's average gear in both quarters (carried-forward gears
 * included) with the percentage change, and the strongest sector(s) in `to`.
 */
export function summarise(input: SummaryInput): Summary {
  const { from, to } = input;
  quarterRange(from, to); // refuses a reversed period
  const quarters = from === to ? [from] : [from, to];
  const timelines = gearTimelines(input.organisations, input.points, quarters);
  const at = (org: MemberOrganisation, q: Quarter) =>
    timelines.get(org.id)![q === from ? 0 : quarters.length - 1];

  const gearsIn = (orgs: readonly MemberOrganisation[], q: Quarter) =>
    orgs.flatMap((o) => {
      const s = at(o, q);
      return s ? [s.gear] : [];
    });
  const membersTo = input.organisations.filter((o) => isMemberIn(o, to));
  const sectorIdsTo = new Set(membersTo.map((o) => o.sectorId));

  const sectors = input.sectors.map((sector) => {
    const orgs = input.organisations.filter((o) => o.sectorId === sector.id);
    const a = averageOf(gearsIn(orgs, from));
    const b = averageOf(gearsIn(orgs, to));
    return { name: sector.name, from: a, to: b, changePercent: percentChange(a.average, b.average) };
  });
  const a = averageOf(gearsIn(input.organisations, from));
  const b = averageOf(gearsIn(input.organisations, to));
  return {
    from,
    to,
    organisationCount: membersTo.length,
    sectorCount: input.sectors.filter((s) => sectorIdsTo.has(s.id)).length,
    overall: { from: a, to: b, changePercent: percentChange(a.average, b.average) },
    sectors,
    strongest: strongest(sectors.map((s) => ({ name: s.name, average: s.to.average }))),
  };
}

export interface MatrixCell extends Average {
  quarter: Quarter;
}

export interface Matrix {
  from: Quarter;
  to: Quarter;
  quarters: Quarter[];
  sectors: Array<{ id: number; name: string; cells: MatrixCell[]; changePercent: number | null }>;
  region: { cells: MatrixCell[]; changePercent: number | null };
}

/** Sector × quarter averages with n, and the region row; change is first to last quarter. */
export function sectorMatrix(input: SummaryInput): Matrix {
  const quarters = quarterRange(input.from, input.to);
  const timelines = gearTimelines(input.organisations, input.points, quarters);
  const rowFor = (orgs: readonly MemberOrganisation[]) => {
    const cells = quarters.map((quarter, qi) => {
      const gears: number[] = [];
      for (const o of orgs) {
        const s = timelines.get(o.id)![qi];
        if (s) gears.push(s.gear);
      }
      return { quarter, ...averageOf(gears) };
    });
    return { cells, changePercent: percentChange(cells[0]!.average, cells[cells.length - 1]!.average) };
  };
  const bySector = new Map<number, MemberOrganisation[]>();
  for (const o of input.organisations) {
    const list = bySector.get(o.sectorId) ?? [];
    list.push(o);
    bySector.set(o.sectorId, list);
  }
  return {
    from: input.from,
    to: input.to,
    quarters,
    sectors: input.sectors.map((s) => ({ id: s.id, name: s.name, ...rowFor(bySector.get(s.id) ?? []) })),
    region: rowFor(input.organisations),
  };
}

export interface DistributionRow {
  quarter: Quarter;
  members: number;
  withoutGear: number;
  counts: Array<{ gear: number; count: number }>;
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

function hideAverage(a: Average, minN: number): Average {
  return a.n < minN ? { n: a.n, average: null } : a;
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
    return { name: s.name, from, to, changePercent: percentChange(from.average, to.average) };
  });
  const hiddenIn = (pick: (s: Summary['sectors'][number]) => Average) =>
    summary.sectors.map(pick).filter((a) => a.n > 0 && a.n < minN);
  const regionFrom = regionGivesAway(
    hiddenIn((s) => s.from),
    minN,
  )
    ? { n: summary.overall.from.n, average: null }
    : hideAverage(summary.overall.from, minN);
  const regionTo = regionGivesAway(
    hiddenIn((s) => s.to),
    minN,
  )
    ? { n: summary.overall.to.n, average: null }
    : hideAverage(summary.overall.to, minN);
  return {
    ...summary,
    overall: {
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
    ...withChange(s.cells.map((c) => ({ quarter: c.quarter, ...hideAverage(c, minN) }))),
  }));
  const regionCells = matrix.region.cells.map((c, qi) => {
    const hidden = matrix.sectors.map((s) => s.cells[qi]!).filter((x) => x.n > 0 && x.n < minN);
    return regionGivesAway(hidden, minN)
      ? { quarter: c.quarter, n: c.n, average: null }
      : { quarter: c.quarter, ...hideAverage(c, minN) };
  });
  return { ...matrix, sectors, region: withChange(regionCells) };
}
