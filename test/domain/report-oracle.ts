/**
 * A test oracle for the report maths, written straight from docs/time-model.md and independently
 * of server/domain/report.ts (no tally, no carrier, no gearTimelines): for every organisation and
 * quarter it looks the answer up from scratch.
 *
 * - An organisation is a member in Q when Q lies in one of its membership periods.
 * - Its gear in Q is the gear of its latest point recorded in Q or before, but not before the
 *   start of the period Q lies in (a gear never carries across a gap).
 * - It counts under the sector it had in Q: that of the latest sector period starting in Q or
 *   before, else the first.
 * - A counted gear is stale when it was recorded more than four quarters before Q.
 *
 * Test-only: the server never imports this. The property tests compare the one path the server
 * has (the tally) against this plainer one.
 */
import { type Quarter, quarterIndex, quarterRange } from '../../server/domain/quarter.ts';
import type {
  Average,
  GearPoint,
  Matrix,
  MemberOrganisation,
  Summary,
  SummaryInput,
} from '../../server/domain/report.ts';

/** Counted gears older than this many quarters are stale (docs/time-model.md). */
const STALE_AFTER = 4;

/** The membership period `q` lies in, found by scanning every period (no order assumed). */
function oraclePeriod(org: MemberOrganisation, q: Quarter) {
  return org.memberships.find((p) => p.from <= q && (p.until === null || q <= p.until)) ?? null;
}

export function oracleIsMember(org: MemberOrganisation, q: Quarter): boolean {
  return oraclePeriod(org, q) !== null;
}

/** The sector in `q`: the period with the greatest start in or before `q`, else the earliest one. */
export function oracleSectorIn(org: MemberOrganisation, q: Quarter): number {
  const started = org.sectors.filter((s) => s.from <= q);
  const pool = started.length > 0 ? started : org.sectors;
  const pick =
    started.length > 0
      ? pool.reduce((a, b) => (b.from > a.from ? b : a))
      : pool.reduce((a, b) => (b.from < a.from ? b : a));
  return pick.sectorId;
}

/** The gear the organisation has in `q` and where it was recorded, or null (not a member, or no gear yet in this period). */
export function oracleGearIn(
  org: MemberOrganisation,
  points: readonly GearPoint[],
  q: Quarter,
): { gear: number; recordedIn: Quarter } | null {
  const period = oraclePeriod(org, q);
  if (!period) return null;
  let best: GearPoint | null = null;
  for (const p of points) {
    if (p.organisationId !== org.id) continue;
    if (p.quarter < period.from || p.quarter > q) continue;
    if (best === null || p.quarter > best.quarter) best = p;
  }
  return best ? { gear: best.gear, recordedIn: best.quarter } : null;
}

function oracleAverage(states: ReadonlyArray<{ gear: number; recordedIn: Quarter }>, q: Quarter): Average {
  const staleCount = states.filter((s) => quarterIndex(q) - quarterIndex(s.recordedIn) > STALE_AFTER).length;
  if (states.length === 0) return { n: 0, average: null, staleCount };
  return {
    n: states.length,
    average: states.reduce((sum, s) => sum + s.gear, 0) / states.length,
    staleCount,
  };
}

function oracleChange(a: number | null, b: number | null): number | null {
  if (a === null || b === null || a === 0) return null;
  return ((b - a) / a) * 100;
}

function oracleStrongest(entries: ReadonlyArray<{ name: string; average: number | null }>): string[] {
  const averages = entries.flatMap((e) => (e.average === null ? [] : [e.average]));
  if (averages.length === 0) return [];
  const best = Math.max(...averages);
  return entries
    .filter((e) => e.average === best)
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'nl'));
}

/** The average of the gears of the organisations that are in sector `sectorId` (or any, when null) in `q`. */
function averageIn(input: SummaryInput, q: Quarter, sectorId: number | null): Average {
  const states = input.organisations.flatMap((o) => {
    if (sectorId !== null && oracleSectorIn(o, q) !== sectorId) return [];
    const s = oracleGearIn(o, input.points, q);
    return s ? [s] : [];
  });
  return oracleAverage(states, q);
}

/** `summarise` computed directly: averages of the gears in the two quarters, per sector (of that quarter) and for the region. */
export function oracleSummarise(input: SummaryInput): Summary {
  const { from, to } = input;
  quarterRange(from, to); // refuses a reversed period
  const membersTo = input.organisations.filter((o) => oracleIsMember(o, to));
  const sectorIdsTo = new Set(membersTo.map((o) => oracleSectorIn(o, to)));
  const sectors = input.sectors.map((sector) => {
    const a = averageIn(input, from, sector.id);
    const b = averageIn(input, to, sector.id);
    return { name: sector.name, from: a, to: b, changePercent: oracleChange(a.average, b.average) };
  });
  const a = averageIn(input, from, null);
  const b = averageIn(input, to, null);
  return {
    from,
    to,
    organisationCount: membersTo.length,
    sectorCount: input.sectors.filter((s) => sectorIdsTo.has(s.id)).length,
    overall: { from: a, to: b, changePercent: oracleChange(a.average, b.average) },
    sectors,
    strongest: oracleStrongest(sectors.map((s) => ({ name: s.name, average: s.to.average }))),
  };
}

/** `sectorMatrix` computed directly: per sector (of each quarter) and for the region, every quarter's average. */
export function oracleSectorMatrix(input: SummaryInput): Matrix {
  const quarters = quarterRange(input.from, input.to);
  const rowFor = (sectorId: number | null) => {
    const cells = quarters.map((quarter) => ({ quarter, ...averageIn(input, quarter, sectorId) }));
    return { cells, changePercent: oracleChange(cells[0]!.average, cells[cells.length - 1]!.average) };
  };
  return {
    from: input.from,
    to: input.to,
    quarters,
    sectors: input.sectors.map((s) => ({ id: s.id, name: s.name, ...rowFor(s.id) })),
    region: rowFor(null),
  };
}

/** `gearDistribution` computed directly: members, gear counts and members without a gear per quarter. */
export function oracleDistribution(
  organisations: readonly MemberOrganisation[],
  points: readonly GearPoint[],
  from: Quarter,
  to: Quarter,
) {
  return quarterRange(from, to).map((quarter) => {
    const members = organisations.filter((o) => oracleIsMember(o, quarter));
    const gears = members.flatMap((o) => {
      const s = oracleGearIn(o, points, quarter);
      return s ? [s.gear] : [];
    });
    return {
      quarter,
      members: members.length,
      withoutGear: members.length - gears.length,
      counts: [1, 2, 3, 4, 5].map((gear) => ({ gear, count: gears.filter((g) => g === gear).length })),
    };
  });
}
