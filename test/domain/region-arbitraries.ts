/**
 * fast-check generators of small regions through time (docs/time-model.md): organisations with
 * one to three membership periods separated by gaps (the last open or not) and a sector history
 * of one to three periods that may start before, inside or after the memberships. Shared by the
 * domain property tests and the service-level ones. Imports no app code but domain types.
 */
import fc from 'fast-check';
import { type Quarter, quarterFromIndex, quarterIndex } from '../../server/domain/quarter.ts';
import type { GearPoint, MemberOrganisation, SummaryInput } from '../../server/domain/report.ts';
import type { MembershipPeriod, SectorPeriod } from '../../server/domain/timeline.ts';

/** Every generated quarter lies in 2014-Q1 .. 2019-Q4 (offsets 0..23). */
export const BASE_QUARTER: Quarter = '2014-Q1';
export const SPAN = 24;

export function offsetQuarter(offset: number): Quarter {
  return quarterFromIndex(quarterIndex(BASE_QUARTER) + offset);
}

export const quarterArb = (max = SPAN - 1): fc.Arbitrary<Quarter> =>
  fc.integer({ min: 0, max }).map(offsetQuarter);

/** One organisation's timeline, without its id. */
export interface TimelineShape {
  memberships: MembershipPeriod[];
  sectors: SectorPeriod[];
}

/**
 * A timeline: periods start at offset 0..10, each lasts 1..6 quarters and is followed by a gap of
 * 1..4 quarters; the last one is open or not. Sector periods start anywhere in 0..12 and follow
 * each other 1..6 quarters apart, in sectors 1..`sectorCount` (a move may repeat the sector).
 */
export function timelineArb(sectorCount = 5): fc.Arbitrary<TimelineShape> {
  return fc
    .record({
      start: fc.integer({ min: 0, max: 10 }),
      periods: fc.array(
        fc.record({ length: fc.integer({ min: 1, max: 6 }), gap: fc.integer({ min: 1, max: 4 }) }),
        { minLength: 1, maxLength: 3 },
      ),
      open: fc.boolean(),
      sectorStart: fc.integer({ min: 0, max: 12 }),
      sectors: fc.array(
        fc.record({
          sectorId: fc.integer({ min: 1, max: sectorCount }),
          step: fc.integer({ min: 1, max: 6 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ start, periods, open, sectorStart, sectors }) => {
      const memberships: MembershipPeriod[] = [];
      let at = start;
      periods.forEach((p, i) => {
        const last = i === periods.length - 1;
        memberships.push({
          from: offsetQuarter(at),
          until: last && open ? null : offsetQuarter(at + p.length - 1),
        });
        at += p.length + p.gap;
      });
      const history: SectorPeriod[] = [];
      let from = sectorStart;
      sectors.forEach((s, i) => {
        if (i > 0) from += s.step;
        history.push({ sectorId: s.sectorId, from: offsetQuarter(from) });
      });
      return { memberships, sectors: history };
    });
}

/** Organisations with ids 1..n and their timelines. */
export function organisationsArb(
  options: { minLength?: number; maxLength?: number; sectorCount?: number } = {},
): fc.Arbitrary<MemberOrganisation[]> {
  return fc
    .array(timelineArb(options.sectorCount), {
      minLength: options.minLength ?? 1,
      maxLength: options.maxLength ?? 8,
    })
    .map((shapes) => shapes.map((t, i) => ({ id: i + 1, ...t })));
}

/**
 * Gear points for organisations 1..`orgCount`, at most one per organisation and quarter, anywhere in
 * the span (also outside the membership periods: those must count nowhere).
 */
export function pointsArb(orgCount: number, maxLength = 30): fc.Arbitrary<GearPoint[]> {
  return fc.uniqueArray(
    fc.record({
      organisationId: fc.integer({ min: 1, max: orgCount }),
      quarter: quarterArb(),
      gear: fc.integer({ min: 1, max: 5 }),
    }),
    { maxLength, selector: (p) => `${p.organisationId} ${p.quarter}` },
  );
}

/**
 * Arbitrary small regions: organisations in sectors 1–5 through time, of which the report lists
 * some, in any order (an organisation in an unlisted sector still counts for the region); points
 * with one gear per organisation and quarter; a period of one quarter or more.
 */
export const regionArb: fc.Arbitrary<SummaryInput> = organisationsArb()
  .chain((organisations) =>
    fc.tuple(
      fc.constant(organisations),
      pointsArb(organisations.length),
      fc.integer({ min: 0, max: SPAN - 1 }),
      fc.integer({ min: 0, max: 8 }),
      fc.shuffledSubarray([1, 2, 3, 4], { minLength: 1 }),
    ),
  )
  .map(
    ([organisations, points, start, length, sectorIds]): SummaryInput => ({
      sectors: sectorIds.map((id) => ({ id, name: `S${id}` })),
      organisations,
      points,
      from: offsetQuarter(start),
      to: offsetQuarter(Math.min(start + length, SPAN + 4)),
    }),
  );
