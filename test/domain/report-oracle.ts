/**
 * A test oracle for the report maths: the direct implementations of `summarise` and
 * `sectorMatrix` as they were before both went through the period tally (the export's path).
 * They average each quarter's gears straight from the timelines, with no running totals, so the
 * property tests can check the one path the server now has against a second, plainer one.
 * Test-only: the server never imports this.
 */
import { type Quarter, quarterRange } from '../../server/domain/quarter.ts';
import {
  averageOf,
  gearTimelines,
  isMemberIn,
  type Matrix,
  type MemberOrganisation,
  percentChange,
  type Summary,
  type SummaryInput,
  strongest,
} from '../../server/domain/report.ts';

/** `summarise` computed directly: averages of the gears in the two quarters, per sector and for the region. */
export function oracleSummarise(input: SummaryInput): Summary {
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

/** `sectorMatrix` computed directly: per sector and for the region, the average of every quarter's gears. */
export function oracleSectorMatrix(input: SummaryInput): Matrix {
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
