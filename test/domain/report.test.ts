import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import { type Quarter, quarterIndex, quarterRange } from '../../server/domain/quarter.ts';
import {
  addToTally,
  anonymiseMatrix,
  anonymiseSummary,
  averageOf,
  GearCarrier,
  type GearPoint,
  type GearState,
  gearDistribution,
  gearTimelines,
  isMemberIn,
  joinNames,
  type MemberOrganisation,
  matrixFromTally,
  newPeriodTally,
  percentChange,
  type SectorRef,
  type SummaryInput,
  sectorMatrix,
  strongest,
  summarise,
  summaryFromTally,
  tallyQuarter,
  weakest,
} from '../../server/domain/report.ts';
import { moveSector, STALE_AFTER_QUARTERS } from '../../server/domain/timeline.ts';
import { ValidationError } from '../../server/errors.ts';
import { thrownBy } from '../support.ts';
import { organisationsArb, pointsArb, quarterArb, regionArb } from './region-arbitraries.ts';
import { oracleDistribution, oracleSectorMatrix, oracleSummarise } from './report-oracle.ts';

/*
 * Hand-made dataset, report period 2015-Q4 .. 2016-Q4.
 *
 * org  sector               member           points                                  gear per quarter Q4'15 Q1 Q2 Q3 Q4
 *  1   Veiligheid/Justitie  2015-Q1 ..       2015-Q3:3, 2016-Q2:4                    3  3  4  4  4 (carried from Q2)
 *  2   Veiligheid/Justitie  2015-Q1 ..       2015-Q4:2, 2016-Q4:3, 2017-Q1:5 (after)  2  2  2  2  3
 *  3   Zorg                 2016-Q2 ..       2016-Q2:3 (joined later)                 -  -  3  3  3
 *  4   Zorg                 2015-Q1 .. 2016-Q2  2015-Q4:1 (left)                      1  1  1  -  -
 *  5   Zorg                 2015-Q1 ..       2015-Q1:4, 2016-Q3:5                     4  4  4  5  5
 *  6   Onderwijs            2015-Q1 ..       (no quickscan)                           .  .  .  .  .
 *  7   Onderwijs            2016-Q1 ..       2016-Q1:2                                -  2  2  2  2
 *  8   Anders               2015-Q1 .. 2016-Q1  2015-Q3:2                             2  2  -  -  -
 *  (Openbaar Vervoer has no organisations)
 *
 *  "-" = not a member, "." = member without a gear.
 */
const SECTORS: SectorRef[] = [
  { id: 1, name: 'Veiligheid/Justitie' },
  { id: 2, name: 'Zorg' },
  { id: 3, name: 'Onderwijs' },
  { id: 4, name: 'Anders' },
  { id: 5, name: 'Openbaar Vervoer' },
];

/** An organisation with one membership period and one sector (the shape every organisation had before issue 9). */
function simpleOrg(
  id: number,
  sectorId: number,
  from: Quarter,
  until: Quarter | null = null,
): MemberOrganisation {
  return { id, memberships: [{ from, until }], sectors: [{ sectorId, from }] };
}

/** An average as the report gives it; `staleCount` 0 unless said. */
function avg(n: number, average: number | null, staleCount: number | null = 0) {
  return { n, average, staleCount };
}

const ORGS: MemberOrganisation[] = [
  simpleOrg(1, 1, '2015-Q1'),
  simpleOrg(2, 1, '2015-Q1'),
  simpleOrg(3, 2, '2016-Q2'),
  simpleOrg(4, 2, '2015-Q1', '2016-Q2'),
  simpleOrg(5, 2, '2015-Q1'),
  simpleOrg(6, 3, '2015-Q1'),
  simpleOrg(7, 3, '2016-Q1'),
  simpleOrg(8, 4, '2015-Q1', '2016-Q1'),
];

// Deliberately not sorted by quarter.
const POINTS: GearPoint[] = [
  { organisationId: 1, quarter: '2016-Q2', gear: 4 },
  { organisationId: 2, quarter: '2017-Q1', gear: 5 },
  { organisationId: 1, quarter: '2015-Q3', gear: 3 },
  { organisationId: 2, quarter: '2016-Q4', gear: 3 },
  { organisationId: 2, quarter: '2015-Q4', gear: 2 },
  { organisationId: 3, quarter: '2016-Q2', gear: 3 },
  { organisationId: 4, quarter: '2015-Q4', gear: 1 },
  { organisationId: 5, quarter: '2016-Q3', gear: 5 },
  { organisationId: 5, quarter: '2015-Q1', gear: 4 },
  { organisationId: 7, quarter: '2016-Q1', gear: 2 },
  { organisationId: 8, quarter: '2015-Q3', gear: 2 },
];

const INPUT: SummaryInput = {
  sectors: SECTORS,
  organisations: ORGS,
  points: POINTS,
  from: '2015-Q4',
  to: '2016-Q4',
};

describe('averageOf', () => {
  it('when there are no values, then n is 0 and the average is null', () => {
    expect(averageOf([])).toEqual(avg(0, null));
  });

  it('when there are values, then it gives their count and unrounded mean', () => {
    // Act
    const result = averageOf([3, 4, 4]);

    // Assert
    expect(result.n).toBe(3);
    expect(result.average).toBe(11 / 3);
  });
});

describe('percentChange', () => {
  it('when the average goes from 3.18 to 4.04, then the change is about 27.04 percent', () => {
    expect(percentChange(3.18, 4.04)).toBeCloseTo(27.04, 2);
  });

  it('when the average does not change, then the change is 0 percent', () => {
    expect(percentChange(4, 4)).toBe(0);
  });

  it('when the average goes down, then the change is negative', () => {
    expect(percentChange(4, 3)).toBe(-25);
  });

  it.each([
    ['the start average is 0', 0, 3],
    ['the start average is missing', null, 3],
    ['the end average is missing', 3, null],
    ['both averages are missing', null, null],
  ])('when %s, then there is no percentage change', (_label, a, b) => {
    expect(percentChange(a, b)).toBeNull();
  });
});

describe('strongest', () => {
  it('when one sector has the highest average, then only that sector is named', () => {
    expect(
      strongest([
        { name: 'A', average: 3 },
        { name: 'B', average: 4.5 },
        { name: 'C', average: 4 },
      ]),
    ).toEqual(['B']);
  });

  it('when sectors tie for the highest average, then all of them are named alphabetically', () => {
    expect(
      strongest([
        { name: 'A', average: 4 },
        { name: 'B', average: 3 },
        { name: 'C', average: null },
        { name: 'D', average: 4 },
      ]),
    ).toEqual(['A', 'D']);
  });

  it('when no sector has an average, then nobody is named', () => {
    expect(strongest([{ name: 'A', average: null }])).toEqual([]);
    expect(strongest([])).toEqual([]);
  });
});

describe('weakest', () => {
  it('when sectors tie for the lowest average, then all of them are named alphabetically, and sectors without an average are not', () => {
    expect(
      weakest([
        { name: 'D', average: 2.5 },
        { name: 'B', average: 4 },
        { name: 'C', average: null },
        { name: 'A', average: 2.5 },
      ]),
    ).toEqual(['A', 'D']);
  });

  it('when no sector has an average, then nobody is named', () => {
    expect(weakest([{ name: 'A', average: null }])).toEqual([]);
  });
});

describe('joinNames', () => {
  it.each([
    [[], ''],
    [['A'], 'A'],
    [['A', 'B'], 'A & B'],
    [['A', 'B', 'C'], 'A, B & C'],
    [['A', 'B', 'C', 'D'], 'A, B, C & D'],
  ])('when joining %j, then it reads %j', (names, expected) => {
    expect(joinNames(names)).toBe(expected);
  });
});

describe('isMemberIn', () => {
  it.each<[number, Quarter, boolean]>([
    [4, '2014-Q4', false],
    [4, '2015-Q1', true],
    [4, '2016-Q2', true],
    [4, '2016-Q3', false],
    [3, '2016-Q1', false],
    [3, '2030-Q1', true],
  ])('when organisation %i is checked in %s, then membership is %s', (id, q, expected) => {
    const org = ORGS.find((o) => o.id === id)!;
    expect(isMemberIn(org, q)).toBe(expected);
  });
});

describe('gearTimelines', () => {
  it('when an organisation has no quickscan in a quarter, then its latest earlier gear is carried forward with the quarter it was recorded in', () => {
    // Act
    const timelines = gearTimelines(ORGS, POINTS, quarterRange('2015-Q4', '2016-Q4'));

    // Assert
    expect(timelines.get(1)).toEqual([
      { gear: 3, recordedIn: '2015-Q3' },
      { gear: 3, recordedIn: '2015-Q3' },
      { gear: 4, recordedIn: '2016-Q2' },
      { gear: 4, recordedIn: '2016-Q2' },
      { gear: 4, recordedIn: '2016-Q2' },
    ]);
  });

  it('when a quickscan lies after a quarter, then it does not count for that quarter', () => {
    // Act
    const timelines = gearTimelines(ORGS, POINTS, ['2016-Q4']);

    // Assert
    expect(timelines.get(2)).toEqual([{ gear: 3, recordedIn: '2016-Q4' }]);
  });

  it('when an organisation is not a member or has no quickscan yet, then its state is null', () => {
    // Act
    const timelines = gearTimelines(ORGS, POINTS, quarterRange('2015-Q4', '2016-Q4'));

    // Assert
    expect(timelines.get(3)!.map((s) => s?.gear ?? null)).toEqual([null, null, 3, 3, 3]);
    expect(timelines.get(4)!.map((s) => s?.gear ?? null)).toEqual([1, 1, 1, null, null]);
    expect(timelines.get(6)).toEqual([null, null, null, null, null]);
  });

  it('when the points are given in any order, then the timelines are the same', () => {
    const quarters = quarterRange('2015-Q1', '2017-Q2');
    const expected = gearTimelines(ORGS, POINTS, quarters);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(POINTS, { minLength: POINTS.length, maxLength: POINTS.length }),
        (shuffled) => {
          expect(gearTimelines(ORGS, shuffled, quarters)).toEqual(expected);
        },
      ),
    );
  });
});

describe('summarise', () => {
  it('when summarising the hand-made dataset, then organisationCount is the number of members in the end quarter', () => {
    // Act
    const summary = summarise(INPUT);

    // Assert: orgs 1, 2, 3, 5, 6, 7 (4 and 8 have left)
    expect(summary.organisationCount).toBe(6);
    expect(summary.from).toBe('2015-Q4');
    expect(summary.to).toBe('2016-Q4');
  });

  it('when a sector has no members in the end quarter, then it does not count in sectorCount', () => {
    // Act
    const summary = summarise(INPUT);

    // Assert: Veiligheid/Justitie, Zorg, Onderwijs; not Anders (org 8 left) nor Openbaar Vervoer (empty)
    expect(summary.sectorCount).toBe(3);
  });

  it('when an organisation has no quickscan in the end quarter, then its earlier gear still counts', () => {
    // Act
    const summary = summarise(INPUT);

    // Assert: Veiligheid/Justitie in Q4 2016 = org 1 (4, carried from Q2 2016) and org 2 (3)
    const vj = summary.sectors.find((s) => s.name === 'Veiligheid/Justitie')!;
    expect(vj.to).toEqual(avg(2, 3.5));
    expect(vj.from).toEqual(avg(2, 2.5));
    expect(vj.changePercent).toBe(40);
  });

  it('when an organisation joined later, then it is not counted before it joined; when one left, then it is not counted after', () => {
    // Act
    const summary = summarise(INPUT);

    // Assert: Zorg in Q4 2015 = org 4 (1) and org 5 (4); in Q4 2016 = org 3 (3) and org 5 (5)
    const zorg = summary.sectors.find((s) => s.name === 'Zorg')!;
    expect(zorg.from).toEqual(avg(2, 2.5));
    expect(zorg.to).toEqual(avg(2, 4));
    expect(zorg.changePercent).toBe(60);
  });

  it('when summarising the hand-made dataset, then every sector has its n, unrounded averages and change', () => {
    // Act
    const summary = summarise(INPUT);

    // Assert
    expect(summary.sectors).toEqual([
      {
        name: 'Veiligheid/Justitie',
        from: avg(2, 2.5),
        to: avg(2, 3.5),
        changePercent: 40,
      },
      { name: 'Zorg', from: avg(2, 2.5), to: avg(2, 4), changePercent: 60 },
      { name: 'Onderwijs', from: avg(0, null), to: avg(1, 2), changePercent: null },
      { name: 'Anders', from: avg(1, 2), to: avg(0, null), changePercent: null },
      {
        name: 'Openbaar Vervoer',
        from: avg(0, null),
        to: avg(0, null),
        changePercent: null,
      },
    ]);
  });

  it('when summarising the hand-made dataset, then the region average includes carried-forward gears and ignores later points', () => {
    // Act
    const summary = summarise(INPUT);

    // Assert: Q4 2015 = 3,2,1,4,2 ; Q4 2016 = 4,3,3,5,2 (org 2's gear 5 in Q1 2017 is ignored)
    expect(summary.overall.from).toEqual(avg(5, 12 / 5));
    expect(summary.overall.to).toEqual(avg(5, 17 / 5));
    expect(summary.overall.changePercent).toBeCloseTo(41.6667, 4);
    expect(summary.overall.changePercent).toBe(percentChange(12 / 5, 17 / 5));
  });

  it('when one sector has the highest average in the end quarter, then it is the strongest', () => {
    expect(summarise(INPUT).strongest).toEqual(['Zorg']);
  });

  it('when the start and end quarter are the same, then both averages are of that quarter and the change is 0', () => {
    // Act
    const summary = summarise({ ...INPUT, from: '2016-Q2', to: '2016-Q2' });

    // Assert: Q2 2016 = orgs 1 (4), 2 (2), 3 (3), 4 (1), 5 (4, recorded 2015-Q1: five quarters
    // old, so stale but counted), 7 (2); org 6 has no gear
    expect(summary.organisationCount).toBe(7);
    expect(summary.overall.from).toEqual(avg(6, 16 / 6, 1));
    expect(summary.overall.to).toEqual(summary.overall.from);
    expect(summary.overall.changePercent).toBe(0);
  });

  it('when the end quarter lies before the start quarter, then it throws reversed_period', () => {
    // Act
    const error = thrownBy(() => summarise({ ...INPUT, from: '2016-Q4', to: '2015-Q4' }));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('reversed_period');
  });
});

describe('strongest sector with the default sectors', () => {
  const sectors: SectorRef[] = DEFAULT_SECTORS.map((name, i) => ({ id: i + 1, name }));
  const sectorId = (name: string) => sectors.find((s) => s.name === name)!.id;

  it('when Openbaar Vervoer and Zorg tie for the highest average (over different n), then both are named alphabetically, as the final report wrote them', () => {
    // Arrange: Zorg 4,4,5 (13/3); Openbaar Vervoer 4,5,4,4,5,4 (26/6); the rest lower
    const gearsBySector: Array<[string, number[]]> = [
      ['Veiligheid/Justitie', [4, 4]],
      ['Zorg', [4, 4, 5]],
      ['Onderwijs', [3, 4]],
      ['Openbaar Vervoer', [4, 5, 4, 4, 5, 4]],
      ['Openbaar Bestuur', [4, 3, 5]],
      ['Sociale Zekerheid', [2]],
      ['Woningbouwcorporaties', [4]],
      ['Anders', [1, 5]],
    ];
    const organisations: MemberOrganisation[] = [];
    const points: GearPoint[] = [];
    for (const [name, gears] of gearsBySector) {
      for (const gear of gears) {
        const id = organisations.length + 1;
        organisations.push(simpleOrg(id, sectorId(name), '2015-Q4'));
        points.push({ organisationId: id, quarter: '2015-Q4', gear: 3 });
        points.push({ organisationId: id, quarter: '2016-Q4', gear });
      }
    }

    // Act
    const summary = summarise({
      sectors,
      organisations,
      points,
      from: '2015-Q4',
      to: '2016-Q4',
    });

    // Assert
    expect(summary.sectorCount).toBe(8);
    expect(summary.organisationCount).toBe(20);
    expect(summary.strongest).toEqual(['Openbaar Vervoer', 'Zorg']);
    expect(joinNames(summary.strongest)).toBe('Openbaar Vervoer & Zorg');
  });

  it('whatever order the sectors are listed in, the tie reads "Openbaar Vervoer & Zorg"', () => {
    // Arrange
    const sectors: SectorRef[] = [
      { id: 4, name: 'Openbaar Vervoer' },
      { id: 2, name: 'Zorg' },
      { id: 1, name: 'Veiligheid/Justitie' },
    ];
    const organisations: MemberOrganisation[] = [
      simpleOrg(1, 4, '2015-Q4'),
      simpleOrg(2, 2, '2015-Q4'),
      simpleOrg(3, 2, '2015-Q4'),
      simpleOrg(4, 1, '2015-Q4'),
    ];
    const points: GearPoint[] = [
      { organisationId: 1, quarter: '2015-Q4', gear: 4 },
      { organisationId: 2, quarter: '2015-Q4', gear: 4 },
      { organisationId: 3, quarter: '2015-Q4', gear: 4 },
      { organisationId: 4, quarter: '2015-Q4', gear: 3 },
    ];

    // Act
    const summary = summarise({ sectors, organisations, points, from: '2015-Q4', to: '2016-Q4' });

    // Assert
    expect(joinNames(summary.strongest)).toBe('Openbaar Vervoer & Zorg');
  });
});

describe('sectorMatrix', () => {
  it('when building the matrix for the hand-made dataset, then it has one column per quarter of the period', () => {
    // Act
    const matrix = sectorMatrix(INPUT);

    // Assert
    expect(matrix.from).toBe('2015-Q4');
    expect(matrix.to).toBe('2016-Q4');
    expect(matrix.quarters).toEqual(['2015-Q4', '2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4']);
    expect(matrix.sectors.map((s) => [s.id, s.name])).toEqual(SECTORS.map((s) => [s.id, s.name]));
  });

  it('when building the matrix for the hand-made dataset, then each sector cell holds n and the unrounded average', () => {
    // Act
    const matrix = sectorMatrix(INPUT);

    // Assert
    const row = (name: string) => matrix.sectors.find((s) => s.name === name)!;
    const cells = (name: string) => row(name).cells.map((c) => [c.quarter, c.n, c.average]);
    expect(cells('Veiligheid/Justitie')).toEqual([
      ['2015-Q4', 2, 2.5],
      ['2016-Q1', 2, 2.5],
      ['2016-Q2', 2, 3],
      ['2016-Q3', 2, 3],
      ['2016-Q4', 2, 3.5],
    ]);
    expect(cells('Zorg')).toEqual([
      ['2015-Q4', 2, 2.5],
      ['2016-Q1', 2, 2.5],
      ['2016-Q2', 3, 8 / 3],
      ['2016-Q3', 2, 4],
      ['2016-Q4', 2, 4],
    ]);
    expect(cells('Onderwijs')).toEqual([
      ['2015-Q4', 0, null],
      ['2016-Q1', 1, 2],
      ['2016-Q2', 1, 2],
      ['2016-Q3', 1, 2],
      ['2016-Q4', 1, 2],
    ]);
    expect(cells('Anders')).toEqual([
      ['2015-Q4', 1, 2],
      ['2016-Q1', 1, 2],
      ['2016-Q2', 0, null],
      ['2016-Q3', 0, null],
      ['2016-Q4', 0, null],
    ]);
    expect(row('Openbaar Vervoer').cells.every((c) => c.n === 0 && c.average === null)).toBe(true);
    expect(matrix.sectors.map((s) => s.changePercent)).toEqual([40, 60, null, null, null]);
  });

  it('when building the matrix for the hand-made dataset, then the region row averages every member with a gear', () => {
    // Act
    const matrix = sectorMatrix(INPUT);

    // Assert
    expect(matrix.region.cells).toEqual([
      { quarter: '2015-Q4', ...avg(5, 12 / 5) },
      { quarter: '2016-Q1', ...avg(6, 14 / 6) },
      // Org 5's gear of 2015-Q1 is five quarters old in 2016-Q2: stale, and still counted.
      { quarter: '2016-Q2', ...avg(6, 16 / 6, 1) },
      { quarter: '2016-Q3', ...avg(5, 16 / 5) },
      { quarter: '2016-Q4', ...avg(5, 17 / 5) },
    ]);
    expect(matrix.region.changePercent).toBe(percentChange(12 / 5, 17 / 5));
  });

  it('when building the matrix, then its first and last columns agree with summarise', () => {
    // Act
    const matrix = sectorMatrix(INPUT);
    const summary = summarise(INPUT);

    // Assert
    expect(matrix.region.cells[0]).toEqual({ quarter: '2015-Q4', ...summary.overall.from });
    expect(matrix.region.cells.at(-1)).toEqual({ quarter: '2016-Q4', ...summary.overall.to });
    matrix.sectors.forEach((row, i) => {
      expect(row.cells[0]).toEqual({ quarter: '2015-Q4', ...summary.sectors[i]!.from });
      expect(row.cells.at(-1)).toEqual({ quarter: '2016-Q4', ...summary.sectors[i]!.to });
      expect(row.changePercent).toBe(summary.sectors[i]!.changePercent);
    });
  });

  it('when the period is reversed, then it throws reversed_period', () => {
    // Act
    const error = thrownBy(() => sectorMatrix({ ...INPUT, from: '2016-Q1', to: '2015-Q4' }));

    // Assert
    expect((error as ValidationError).code).toBe('reversed_period');
  });
});

describe('gearDistribution', () => {
  it('when counting the hand-made dataset, then each quarter has its members, gear counts and members without a gear', () => {
    // Act
    const rows = gearDistribution(ORGS, POINTS, '2015-Q4', '2016-Q4');

    // Assert
    const compact = rows.map((r) => [r.quarter, r.members, r.withoutGear, r.counts.map((c) => c.count)]);
    expect(compact).toEqual([
      ['2015-Q4', 6, 1, [1, 2, 1, 1, 0]],
      ['2016-Q1', 7, 1, [1, 3, 1, 1, 0]],
      ['2016-Q2', 7, 1, [1, 2, 1, 2, 0]],
      ['2016-Q3', 6, 1, [0, 2, 1, 1, 1]],
      ['2016-Q4', 6, 1, [0, 1, 2, 1, 1]],
    ]);
    expect(rows[0]!.counts.map((c) => c.gear)).toEqual([1, 2, 3, 4, 5]);
  });

  it('when counting arbitrary data, then gear counts plus those without a gear add up to the members', () => {
    const dataArb = organisationsArb({ sectorCount: 3 }).chain((orgs) =>
      fc.tuple(fc.constant(orgs), pointsArb(orgs.length)),
    );

    fc.assert(
      fc.property(dataArb, ([orgs, points]) => {
        const rows = gearDistribution(orgs, points, '2014-Q3', '2017-Q2');
        const matrix = sectorMatrix({
          sectors: [1, 2, 3].map((id) => ({ id, name: `S${id}` })),
          organisations: orgs,
          points,
          from: '2014-Q3',
          to: '2017-Q2',
        });
        rows.forEach((row, qi) => {
          const withGear = row.counts.reduce((sum, c) => sum + c.count, 0);
          expect(withGear + row.withoutGear).toBe(row.members);
          expect(matrix.region.cells[qi]!.n).toBe(withGear);
        });
      }),
    );
  });
});

describe('anonymised reports for the organisatie role', () => {
  // Sector 1 has three organisations with a gear, sector 2 one, sector 3 two, sector 4 none.
  const sectors: SectorRef[] = [
    { id: 1, name: 'Openbaar Bestuur' },
    { id: 2, name: 'Zorg' },
    { id: 3, name: 'Onderwijs' },
    { id: 4, name: 'Anders' },
  ];
  const member = (id: number, sectorId: number): MemberOrganisation => simpleOrg(id, sectorId, '2016-Q1');
  const organisations = [member(1, 1), member(2, 1), member(3, 1), member(4, 2), member(5, 3), member(6, 3)];
  const points: GearPoint[] = [
    { organisationId: 1, quarter: '2016-Q1', gear: 3 },
    { organisationId: 2, quarter: '2016-Q1', gear: 3 },
    { organisationId: 3, quarter: '2016-Q1', gear: 3 },
    { organisationId: 4, quarter: '2016-Q1', gear: 2 },
    { organisationId: 5, quarter: '2016-Q2', gear: 4 },
    { organisationId: 6, quarter: '2016-Q2', gear: 5 },
  ];

  it('when a sector has fewer than 3 organisations with a gear, then its average is withheld but its n stays', () => {
    const full = summarise({ sectors, organisations, points, from: '2016-Q1', to: '2016-Q1' });
    const shown = anonymiseSummary(full);

    expect(full.sectors[1]!.to).toEqual(avg(1, 2));
    expect(shown.sectors[1]!.to).toEqual(avg(1, null, null));
    expect(shown.sectors[0]!.to).toEqual(avg(3, 3));
    expect(shown.sectors[3]!.to).toMatchObject({ n: 0, average: null });
  });

  it('when one or two organisations are hidden in all, then the region is withheld too, or subtraction would reveal them', () => {
    // In 2016-Q1 only Zorg (n=1) is hidden: region 11/4 minus 3×3 gives its gear 2 away.
    const q1 = anonymiseSummary(
      summarise({ sectors, organisations, points, from: '2016-Q1', to: '2016-Q1' }),
    );
    // In 2016-Q2 Zorg (1) and Onderwijs (2) are hidden: 3 together, an average over 3 reveals no one.
    const q2 = anonymiseSummary(
      summarise({ sectors, organisations, points, from: '2016-Q2', to: '2016-Q2' }),
    );

    expect(q1.overall.to).toEqual(avg(4, null, null));
    expect(q2.overall.to).toEqual(avg(6, 20 / 6));
    expect(q2.sectors[2]!.to).toEqual(avg(2, null, null));
  });

  it('when a sector is hidden, then it is not named strongest and its change is not shown', () => {
    const full = summarise({ sectors, organisations, points, from: '2016-Q1', to: '2016-Q2' });
    const shown = anonymiseSummary(full);

    expect(full.strongest).toEqual(['Onderwijs']);
    expect(shown.strongest).toEqual(['Openbaar Bestuur']);
    expect(shown.sectors.every((s) => s.name === 'Openbaar Bestuur' || s.changePercent === null)).toBe(true);
  });

  it('when the matrix is anonymised, then each quarter follows the same rules as the summary', () => {
    const shown = anonymiseMatrix(
      sectorMatrix({ sectors, organisations, points, from: '2016-Q1', to: '2016-Q2' }),
    );

    expect(shown.sectors[1]!.cells.map((c) => c.average)).toEqual([null, null]);
    expect(shown.sectors[0]!.cells.map((c) => c.average)).toEqual([3, 3]);
    expect(shown.region.cells.map((c) => c.average)).toEqual([null, 20 / 6]);
    expect(shown.region.changePercent).toBeNull();
  });
});

/**
 * The gear states of `input`'s period the way the export makes them: the points before the period
 * first, then quarter by quarter with each quarter's points, tallied as they come.
 */
function carryAndTally(input: SummaryInput) {
  const quarters = quarterRange(input.from, input.to);
  const carrier = new GearCarrier(
    input.organisations,
    input.points.filter((p) => p.quarter < input.from),
  );
  const tally = newPeriodTally(input.sectors, quarters);
  const states = quarters.map((quarter, i) => {
    const column = carrier.next(
      quarter,
      input.points.filter((p) => p.quarter === quarter),
    );
    tallyQuarter(tally, i, input.organisations, column);
    return column;
  });
  // Per organisation, as gearTimelines gives them.
  const timelines = new Map(
    input.organisations.map((o, k) => [o.id, states.map((column) => column[k] ?? null)]),
  );
  return { quarters, timelines, tally };
}

describe('GearCarrier', () => {
  it('when carrying the hand-made dataset quarter by quarter, then every state is the one gearTimelines gives', () => {
    // Act
    const { quarters, timelines } = carryAndTally(INPUT);

    // Assert
    expect(timelines).toEqual(gearTimelines(ORGS, POINTS, quarters));
  });

  it('when carrying arbitrary data quarter by quarter, then every state is the one gearTimelines gives', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        const { quarters, timelines } = carryAndTally(input);
        expect(timelines).toEqual(gearTimelines(input.organisations, input.points, quarters));
      }),
    );
  });

  it('when a gear is carried forward, then the state is one object, shared by organisations recorded alike', () => {
    // Arrange: organisations 1 and 2 record gear 3 in 2016-Q1; nobody records anything in 2016-Q2
    const orgs = [1, 2].map((id): MemberOrganisation => simpleOrg(id, 1, '2016-Q1'));
    const carrier = new GearCarrier(orgs);

    // Act
    const q1 = carrier.next('2016-Q1', [
      { organisationId: 1, gear: 3 },
      { organisationId: 2, gear: 3 },
    ]);
    const q2 = carrier.next('2016-Q2', []);

    // Assert
    expect(q1[0]).toEqual<GearState>({ gear: 3, recordedIn: '2016-Q1' });
    expect(q1[1]).toBe(q1[0]);
    expect(q2[0]).toBe(q1[0]);
  });

  it('when only points before the period are given, then only the latest of each organisation counts', () => {
    // Arrange
    const carrier = new GearCarrier(
      ORGS,
      POINTS.filter((p) => p.quarter < '2016-Q1'),
    );

    // Act
    const states = carrier.next('2016-Q1', []);

    // Assert: org 1 had 3 in 2015-Q3, org 2 had 2 in 2015-Q4, org 5 had 4 in 2015-Q1
    expect(states.map((s) => s && [s.gear, s.recordedIn])).toEqual([
      [3, '2015-Q3'],
      [2, '2015-Q4'],
      null,
      [1, '2015-Q4'],
      [4, '2015-Q1'],
      null,
      null,
      [2, '2015-Q3'],
    ]);
  });

  it('when a quarter is skipped, then it refuses', () => {
    // Arrange
    const carrier = new GearCarrier(ORGS);
    carrier.next('2016-Q1', []);

    // Act
    const error = thrownBy(() => carrier.next('2016-Q3', []));

    // Assert
    expect((error as Error).message).toContain('2016-Q3 does not follow 2016-Q1');
  });

  it('when a point given as before the period lies after its first quarter, then it refuses', () => {
    // Arrange
    const carrier = new GearCarrier(ORGS, POINTS);

    // Act
    const error = thrownBy(() => carrier.next('2016-Q1', []));

    // Assert
    expect((error as Error).message).toContain('after 2016-Q1');
  });
});

describe('PeriodTally', () => {
  it('when tallying the hand-made dataset quarter by quarter, then the summary and the matrix are those of summarise and sectorMatrix', () => {
    // Act
    const { tally } = carryAndTally(INPUT);

    // Assert
    expect(summaryFromTally(tally, SECTORS, ORGS)).toEqual(summarise(INPUT));
    expect(matrixFromTally(tally, SECTORS)).toEqual(sectorMatrix(INPUT));
  });

  it('when tallying timelines in two parts, then the summary and the matrix are those of the whole', () => {
    // Arrange
    const quarters = quarterRange(INPUT.from, INPUT.to);
    const timelines = gearTimelines(ORGS, POINTS, quarters);
    const tally = newPeriodTally(SECTORS, quarters);

    // Act
    addToTally(tally, ORGS.slice(0, 3), timelines);
    addToTally(tally, ORGS.slice(3), timelines);

    // Assert
    expect(summaryFromTally(tally, SECTORS, ORGS)).toEqual(summarise(INPUT));
    expect(matrixFromTally(tally, SECTORS)).toEqual(sectorMatrix(INPUT));
  });

  it('when the period is one quarter, then the summary compares that quarter with itself, as summarise does', () => {
    // Arrange
    const input: SummaryInput = { ...INPUT, from: '2016-Q2', to: '2016-Q2' };

    // Act
    const { tally } = carryAndTally(input);

    // Assert
    expect(summaryFromTally(tally, SECTORS, ORGS)).toEqual(summarise(input));
    expect(matrixFromTally(tally, SECTORS)).toEqual(sectorMatrix(input));
  });

  it('when tallying arbitrary data quarter by quarter (as the export does), then the summary and the matrix are those of the direct computation', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        const { tally } = carryAndTally(input);
        expect(summaryFromTally(tally, input.sectors, input.organisations)).toEqual(oracleSummarise(input));
        expect(matrixFromTally(tally, input.sectors)).toEqual(oracleSectorMatrix(input));
      }),
      { numRuns: 300 },
    );
  });

  it('when a period has no quarters, then it refuses', () => {
    expect(() => newPeriodTally(SECTORS, [])).toThrow();
  });
});

describe('summarise and sectorMatrix against a direct computation (test/domain/report-oracle.ts)', () => {
  it('when the hand-made dataset is summarised, then the oracle gives the same summary and matrix (so it is a fair judge)', () => {
    expect(oracleSummarise(INPUT)).toEqual(summarise(INPUT));
    expect(oracleSectorMatrix(INPUT)).toEqual(sectorMatrix(INPUT));
  });

  it('when arbitrary regions are summarised, then summarise gives what the direct computation gives', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        expect(summarise(input)).toEqual(oracleSummarise(input));
      }),
      { numRuns: 300 },
    );
  });

  it('when arbitrary regions are tabled per quarter, then sectorMatrix gives what the direct computation gives', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        expect(sectorMatrix(input)).toEqual(oracleSectorMatrix(input));
      }),
      { numRuns: 300 },
    );
  });

  it('when the period of arbitrary data is reversed, then both refuse it alike', () => {
    fc.assert(
      fc.property(
        regionArb.filter((input) => input.from !== input.to),
        (input) => {
          const reversed: SummaryInput = { ...input, from: input.to, to: input.from };
          for (const run of [summarise, sectorMatrix, oracleSummarise, oracleSectorMatrix]) {
            const error = thrownBy(() => run(reversed));
            expect((error as ValidationError).code).toBe('reversed_period');
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

/*
 * Hand-made dataset through time (docs/time-model.md), report period 2015-Q4 .. 2017-Q1.
 *
 * org  memberships                      sectors                          points          gear (sector) Q4'15 Q1'16 Q2'16 Q3'16 Q4'16 Q1'17
 *  1   2015-Q1..2015-Q4, 2016-Q3..      Zorg                             2015-Q2:4, 2017-Q1:2   4Z    -     -     .     .     2Z   (left, rejoined)
 *  2   2015-Q1..                        Zorg, Onderwijs from 2016-Q2     2015-Q1:3              3Z    3Z    3O*   3O*   3O*   3O*  (moved; * stale)
 *  3   2015-Q1..                        Onderwijs                        2015-Q3:5, 2016-Q4:1   5O    5O    5O    5O    1O    1O
 *
 *  "-" = not a member, "." = member without a gear (no gear carries across the gap),
 *  "*" = older than four quarters.
 */
const T_SECTORS: SectorRef[] = [
  { id: 1, name: 'Zorg' },
  { id: 2, name: 'Onderwijs' },
];
const T_ORGS: MemberOrganisation[] = [
  {
    id: 1,
    memberships: [
      { from: '2015-Q1', until: '2015-Q4' },
      { from: '2016-Q3', until: null },
    ],
    sectors: [{ sectorId: 1, from: '2015-Q1' }],
  },
  {
    id: 2,
    memberships: [{ from: '2015-Q1', until: null }],
    sectors: [
      { sectorId: 1, from: '2015-Q1' },
      { sectorId: 2, from: '2016-Q2' },
    ],
  },
  simpleOrg(3, 2, '2015-Q1'),
];
const T_POINTS: GearPoint[] = [
  { organisationId: 1, quarter: '2015-Q2', gear: 4 },
  { organisationId: 1, quarter: '2017-Q1', gear: 2 },
  { organisationId: 2, quarter: '2015-Q1', gear: 3 },
  { organisationId: 3, quarter: '2015-Q3', gear: 5 },
  { organisationId: 3, quarter: '2016-Q4', gear: 1 },
];
const T_INPUT: SummaryInput = {
  sectors: T_SECTORS,
  organisations: T_ORGS,
  points: T_POINTS,
  from: '2015-Q4',
  to: '2017-Q1',
};

describe('reports through time (membership periods, sector per quarter, stale gears)', () => {
  it('when an organisation left and rejoined, then its old gear is not carried across the gap nor into the new period before a new quickscan', () => {
    // Act
    const timeline = gearTimelines(T_ORGS, T_POINTS, quarterRange('2015-Q4', '2017-Q1')).get(1)!;

    // Assert
    expect(timeline.map((s) => s && [s.gear, s.recordedIn])).toEqual([
      [4, '2015-Q2'],
      null,
      null,
      null,
      null,
      [2, '2017-Q1'],
    ]);
  });

  it('when the matrix is built, then every quarter counts each organisation under the sector it had then, with the stale gears counted and counted as stale', () => {
    // Act
    const matrix = sectorMatrix(T_INPUT);

    // Assert
    const cells = (i: number) =>
      matrix.sectors[i]!.cells.map((c) => [c.quarter, c.n, c.average, c.staleCount]);
    expect(cells(0)).toEqual([
      ['2015-Q4', 2, 3.5, 0],
      ['2016-Q1', 1, 3, 0],
      ['2016-Q2', 0, null, 0],
      ['2016-Q3', 0, null, 0],
      ['2016-Q4', 0, null, 0],
      ['2017-Q1', 1, 2, 0],
    ]);
    expect(cells(1)).toEqual([
      ['2015-Q4', 1, 5, 0],
      ['2016-Q1', 1, 5, 0],
      ['2016-Q2', 2, 4, 1],
      ['2016-Q3', 2, 4, 1],
      ['2016-Q4', 2, 2, 1],
      ['2017-Q1', 2, 2, 1],
    ]);
    expect(matrix.region.cells.map((c) => [c.n, c.average, c.staleCount])).toEqual([
      [3, 4, 0],
      [2, 4, 0],
      [2, 4, 1],
      [2, 4, 1],
      [2, 2, 1],
      [3, 2, 1],
    ]);
    expect(matrix.sectors.map((s) => s.changePercent)).toEqual([percentChange(3.5, 2), -60]);
    expect(matrix.region.changePercent).toBe(-50);
  });

  it('when the summary is made, then members and sectors are those of the end quarter and staleCount is given for both quarters', () => {
    // Act
    const summary = summarise(T_INPUT);

    // Assert
    expect(summary.organisationCount).toBe(3);
    expect(summary.sectorCount).toBe(2);
    expect(summary.overall).toEqual({ from: avg(3, 4), to: avg(3, 2, 1), changePercent: -50 });
    expect(summary.sectors).toEqual([
      { name: 'Zorg', from: avg(2, 3.5), to: avg(1, 2), changePercent: percentChange(3.5, 2) },
      { name: 'Onderwijs', from: avg(1, 5), to: avg(2, 2, 1), changePercent: -60 },
    ]);
    expect(summary.strongest).toEqual(['Onderwijs', 'Zorg']);
  });

  it('when the distribution is counted, then a rejoined organisation is a member without a gear until its first new quickscan', () => {
    // Act
    const rows = gearDistribution(T_ORGS, T_POINTS, '2015-Q4', '2017-Q1');

    // Assert
    expect(rows.map((r) => [r.quarter, r.members, r.withoutGear, r.counts.map((c) => c.count)])).toEqual([
      ['2015-Q4', 3, 0, [0, 0, 1, 1, 1]],
      ['2016-Q1', 2, 0, [0, 0, 1, 0, 1]],
      ['2016-Q2', 2, 0, [0, 0, 1, 0, 1]],
      ['2016-Q3', 3, 1, [0, 0, 1, 0, 1]],
      ['2016-Q4', 3, 1, [1, 0, 1, 0, 0]],
      ['2017-Q1', 3, 0, [1, 1, 1, 0, 0]],
    ]);
  });

  it('when the hand-made dataset through time is reported, then the oracle agrees (so it is a fair judge of the time rules)', () => {
    expect(oracleSummarise(T_INPUT)).toEqual(summarise(T_INPUT));
    expect(oracleSectorMatrix(T_INPUT)).toEqual(sectorMatrix(T_INPUT));
    expect(oracleDistribution(T_ORGS, T_POINTS, '2015-Q4', '2017-Q1')).toEqual(
      gearDistribution(T_ORGS, T_POINTS, '2015-Q4', '2017-Q1'),
    );
  });

  it('when organisation 3 moves to Zorg from 2016-Q4, then every report of a period ending before 2016-Q4 is identical', () => {
    // Arrange
    const moved = T_ORGS.map((o) =>
      o.id === 3 ? { ...o, sectors: moveSector(o.sectors, 1, '2016-Q4') } : o,
    );

    // Act / Assert
    for (const to of quarterRange('2015-Q4', '2016-Q3')) {
      const before = { ...T_INPUT, to };
      const after = { ...before, organisations: moved };
      expect(summarise(after)).toEqual(summarise(before));
      expect(sectorMatrix(after)).toEqual(sectorMatrix(before));
    }
    // and from the move on it counts under Zorg
    expect(sectorMatrix({ ...T_INPUT, organisations: moved }).sectors[0]!.cells.at(-1)).toMatchObject({
      n: 2,
    });
  });
});

describe('the time rules on arbitrary regions (property)', () => {
  it('when arbitrary regions through time are counted, then gearDistribution gives what the direct computation gives', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        expect(gearDistribution(input.organisations, input.points, input.from, input.to)).toEqual(
          oracleDistribution(input.organisations, input.points, input.from, input.to),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('when a gear is counted in a quarter, then it was recorded in the membership period of that quarter, never before a gap', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        const quarters = quarterRange(input.from, input.to);
        const timelines = gearTimelines(input.organisations, input.points, quarters);
        for (const org of input.organisations) {
          timelines.get(org.id)!.forEach((state, i) => {
            if (!state) return;
            const q = quarters[i]!;
            const period = org.memberships.find((p) => p.from <= q && (p.until === null || q <= p.until))!;
            expect(period).toBeDefined();
            expect(state.recordedIn >= period.from && state.recordedIn <= q).toBe(true);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when any organisation moves sector from quarter Q, then the summary and matrix of every period ending before Q are identical', () => {
    const moveArb = regionArb.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.integer({ min: 1, max: input.organisations.length }),
        fc.integer({ min: 1, max: 5 }),
        quarterArb(),
      ),
    );
    fc.assert(
      fc.property(moveArb, ([input, id, sectorId, from]) => {
        if (input.to >= from) return;
        const moved = input.organisations.map((o) =>
          o.id === id ? { ...o, sectors: moveSector(o.sectors, sectorId, from) } : o,
        );
        const after = { ...input, organisations: moved };
        expect(summarise(after)).toEqual(summarise(input));
        expect(sectorMatrix(after)).toEqual(sectorMatrix(input));
      }),
      { numRuns: 500 },
    );
  });

  it('staleCount is the number of counted gears older than four quarters, and never more than n', () => {
    fc.assert(
      fc.property(regionArb, (input) => {
        const matrix = sectorMatrix(input);
        const timelines = gearTimelines(input.organisations, input.points, matrix.quarters);
        matrix.region.cells.forEach((cell, i) => {
          const states = input.organisations.flatMap((o) => timelines.get(o.id)![i] ?? []);
          const stale = states.filter(
            (s) => quarterIndex(cell.quarter) - quarterIndex(s.recordedIn) > STALE_AFTER_QUARTERS,
          );
          expect(cell.staleCount).toBe(stale.length);
          expect(cell.staleCount!).toBeLessThanOrEqual(cell.n);
        });
      }),
      { numRuns: 200 },
    );
  });
});
