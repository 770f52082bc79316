import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareIncidents,
  type EmployeesRecord,
  employeesForYear,
  employeesIndex,
  type IncidentRecord,
  type Period,
  periodLength,
  rateChange,
  ratePer100,
} from '../../server/domain/incident-report.ts';
import { type Quarter, quarterFromIndex, quarterIndex } from '../../server/domain/quarter.ts';

const BASELINE: Period = { from: '2016-Q1', to: '2016-Q4' };
const PERIOD: Period = { from: '2017-Q1', to: '2017-Q1' };

function record(
  organisationId: number,
  quarter: Quarter,
  incidents: number | null,
  sectorId = 1,
): IncidentRecord {
  return { organisationId, quarter, sectorId, incidents };
}

function staff(organisationId: number, year: number, employees: number): EmployeesRecord {
  return { organisationId, year, employees };
}

describe('employeesForYear', () => {
  it.each([
    ['its own year', [[2016, 200]], 2016, 200],
    [
      'its own year beside earlier and later years',
      [
        [2015, 100],
        [2016, 200],
        [2017, 300],
      ],
      2016,
      200,
    ],
    ['only an earlier year (carried forward)', [[2014, 80]], 2016, 80],
    [
      'several earlier years: the latest one',
      [
        [2013, 50],
        [2015, 90],
        [2014, 70],
      ],
      2016,
      90,
    ],
    ['only a later year (back-filled)', [[2018, 120]], 2016, 120],
    [
      'several later years: the first one',
      [
        [2020, 300],
        [2018, 120],
        [2019, 150],
      ],
      2016,
      120,
    ],
    [
      'an earlier and a later year as near: the earlier one (carried forward)',
      [
        [2015, 100],
        [2017, 300],
      ],
      2016,
      100,
    ],
    [
      'a far earlier and a near later year: still the earlier one',
      [
        [2010, 10],
        [2017, 300],
      ],
      2016,
      10,
    ],
    [
      'its own year recorded as 0: 0, not a neighbour',
      [
        [2015, 100],
        [2016, 0],
      ],
      2016,
      0,
    ],
    [
      'an earlier year recorded as 0: 0 is carried forward',
      [
        [2015, 0],
        [2017, 300],
      ],
      2016,
      0,
    ],
  ] as const)('when the organisation has %s, then the employees are %d', (_, years, year, expected) => {
    // Arrange
    const byYear = new Map<number, number>(years.map(([y, n]) => [y, n]));

    // Act
    const result = employeesForYear(byYear, year);

    // Assert
    expect(result).toBe(expected);
  });

  it('when the organisation has no number for any year, then there are no employees', () => {
    // Act
    const result = employeesForYear(new Map(), 2016);

    // Assert
    expect(result).toBeNull();
  });

  it('when any years are recorded, then the answer is the own year, else the latest earlier, else the first later', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 0, max: 5000 })), {
          selector: ([y]) => y,
          maxLength: 10,
        }),
        fc.integer({ min: 2000, max: 2030 }),
        (years, year) => {
          const byYear = new Map(years);
          const earlier = years.filter(([y]) => y < year).sort((a, b) => b[0] - a[0]);
          const later = years.filter(([y]) => y > year).sort((a, b) => a[0] - b[0]);
          const expected = byYear.get(year) ?? earlier[0]?.[1] ?? later[0]?.[1] ?? null;
          expect(employeesForYear(byYear, year)).toBe(expected);
        },
      ),
    );
  });
});

describe('employeesIndex', () => {
  it('when employees are recorded for organisations and years, then they are indexed per organisation and year', () => {
    // Arrange
    const records = [staff(1, 2016, 200), staff(2, 2015, 100), staff(1, 2017, 240)];

    // Act
    const index = employeesIndex(records);

    // Assert
    expect([...index.keys()]).toEqual([1, 2]);
    expect([...index.get(1)!]).toEqual([
      [2016, 200],
      [2017, 240],
    ]);
    expect([...index.get(2)!]).toEqual([[2015, 100]]);
  });

  it('when a year is recorded twice for an organisation, then the last number counts', () => {
    // Act
    const index = employeesIndex([staff(1, 2016, 200), staff(1, 2016, 250)]);

    // Assert
    expect(index.get(1)!.get(2016)).toBe(250);
  });
});

describe('ratePer100 and rateChange', () => {
  it.each([
    [12, 150, 8],
    [0, 100, 0],
    [7, 85, 700 / 85],
    [3, 0.25, 1200],
  ])(
    'when %d incidents fall over %d employee-years, then the rate is %d per 100 per year',
    (incidents, years, rate) => {
      // Act
      const result = ratePer100(incidents, years);

      // Assert
      expect(result).toBeCloseTo(rate, 12);
    },
  );

  it.each([
    [5, 0],
    [0, 0],
    [5, -1],
  ])('when %d incidents fall over %d employee-years, then there is no rate', (incidents, years) => {
    // Act
    const result = ratePer100(incidents, years);

    // Assert
    expect(result).toBeNull();
  });

  it.each([
    [8, 6, -25],
    [8, 10, 25],
    [8, 8, 0],
    [4, 0, -100],
  ])('when the rate goes from %d to %d, then the change is %d%', (a, b, change) => {
    // Act
    const result = rateChange(a, b);

    // Assert
    expect(result).toBeCloseTo(change, 12);
  });

  it.each([
    ['the baseline rate is 0', 0, 5],
    ['the baseline rate is 0 and so is the period', 0, 0],
    ['there is no baseline rate', null, 5],
    ['there is no rate in the period', 5, null],
    ['there is neither rate', null, null],
  ])('when %s, then there is no change', (_, a, b) => {
    // Act
    const result = rateChange(a, b);

    // Assert
    expect(result).toBeNull();
  });
});

describe('periodLength', () => {
  it.each([
    ['2016-Q1', '2016-Q4', 4],
    ['2017-Q1', '2017-Q1', 1],
    ['2015-Q3', '2016-Q2', 4],
    ['2015-Q4', '2017-Q1', 6],
  ] as const)('when a period runs from %s to %s, then it has %d quarters', (from, to, n) => {
    expect(periodLength({ from, to })).toBe(n);
  });
});

describe('compareIncidents, by hand', () => {
  // Baseline 2016 (a year), period 2017-Q1 (one quarter).
  // Org 1: 200 employees in 2016, 240 in 2017; 2016: 5, 3, not registered, 4; 2017-Q1: 6.
  // Org 2: 100 employees in 2015 only (carried forward); 2016: 2, 2, 2, 2; 2017-Q1: 1.
  // Org 3: only in the baseline; org 4: only in the period; org 5: no employees at all.
  const employees = employeesIndex([
    staff(1, 2016, 200),
    staff(1, 2017, 240),
    staff(2, 2015, 100),
    staff(3, 2016, 50),
    staff(4, 2017, 70),
  ]);
  const records: IncidentRecord[] = [
    record(1, '2016-Q1', 5),
    record(1, '2016-Q2', 3),
    record(1, '2016-Q3', null),
    record(1, '2016-Q4', 4),
    record(1, '2017-Q1', 6),
    record(2, '2016-Q1', 2),
    record(2, '2016-Q2', 2),
    record(2, '2016-Q3', 2),
    record(2, '2016-Q4', 2),
    record(2, '2017-Q1', 1),
    record(3, '2016-Q1', 9),
    record(4, '2017-Q1', 11),
    record(5, '2016-Q2', 13),
    record(1, '2015-Q4', 100),
    record(1, '2017-Q2', 100),
  ];

  it('when two organisations registered in both periods, then the baseline is 20 incidents over 250 employee-years: 8 per 100', () => {
    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    // Org 1: 12 incidents over 3 registered quarters × 200 / 4 = 150 employee-years.
    // Org 2: 8 incidents over 4 × 100 / 4 = 100 employee-years.
    expect(result.baseline.incidents).toBe(20);
    expect(result.baseline.quarters).toBe(7);
    expect(result.baseline.employeeYears).toBe(250);
    expect(result.baseline.employees).toBe(300);
    expect(result.baseline.per100).toBeCloseTo(8, 12);
  });

  it('when the period is one quarter, then its 7 incidents over 85 employee-years are a yearly rate of 8,24 and the change +2,94%', () => {
    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    // Org 1: 6 incidents, 240 / 4 = 60 employee-years; org 2: 1 incident, 100 / 4 = 25.
    expect(result.period.incidents).toBe(7);
    expect(result.period.quarters).toBe(2);
    expect(result.period.employeeYears).toBe(85);
    expect(result.period.employees).toBe(340);
    expect(result.period.per100).toBeCloseTo(700 / 85, 12);
    expect(result.changePercent).toBeCloseTo((20 / 680) * 100, 10);
    expect(result.changePercent).toBeCloseTo(2.9411764706, 8);
  });

  it('when organisations are in one period only or have no employees, then they are counted and kept out of the sums', () => {
    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.organisations).toEqual({ both: 2, onlyBaseline: 1, onlyPeriod: 1, withoutEmployees: 1 });
  });

  it('when only the records outside both periods change, then nothing changes', () => {
    // Arrange
    const outside = records.map((r) =>
      r.quarter === '2015-Q4' || r.quarter === '2017-Q2' ? { ...r, incidents: 9999 } : r,
    );

    // Act
    const before = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });
    const after = compareIncidents({ records: outside, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(after).toEqual(before);
  });
});

describe('compareIncidents, the rules one at a time', () => {
  const employees = employeesIndex([staff(1, 2016, 100), staff(2, 2016, 400)]);

  it('when a quarter is not registered, then it adds no incidents and no employee-years and is not a registered quarter', () => {
    // Arrange
    const registered = [record(1, '2016-Q1', 4), record(1, '2017-Q1', 2)];
    const withGap = [...registered, record(1, '2016-Q2', null), record(1, '2016-Q3', null)];

    // Act
    const result = compareIncidents({ records: withGap, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.baseline).toEqual({
      incidents: 4,
      employees: 100,
      employeeYears: 25,
      quarters: 1,
      per100: 16,
    });
    expect(result.period).toEqual({
      incidents: 2,
      employees: 100,
      employeeYears: 25,
      quarters: 1,
      per100: 8,
    });
    expect(result.changePercent).toBe(-50);
  });

  it('when an organisation registered 0 incidents, then 0 is a registered quarter, unlike not registered', () => {
    // Arrange
    const records = [record(1, '2016-Q1', 4), record(1, '2016-Q2', 0), record(1, '2017-Q1', 2)];

    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.baseline.quarters).toBe(2);
    expect(result.baseline.employeeYears).toBe(50);
    expect(result.baseline.per100).toBe(8);
  });

  it('when an organisation registered only "not registered" in the period, then it is only in the baseline', () => {
    // Arrange
    const records = [
      record(1, '2016-Q1', 4),
      record(1, '2017-Q1', null),
      record(2, '2016-Q1', 1),
      record(2, '2017-Q1', 1),
    ];

    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.organisations).toEqual({ both: 1, onlyBaseline: 1, onlyPeriod: 0, withoutEmployees: 0 });
    expect(result.baseline.incidents).toBe(1);
  });

  it('when an organisation has incidents but no employees at all, then it counts in withoutEmployees, not in both', () => {
    // Arrange
    const records = [
      record(1, '2016-Q1', 4),
      record(1, '2017-Q1', 2),
      record(9, '2016-Q1', 50),
      record(9, '2017-Q1', 50),
    ];

    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.organisations).toEqual({ both: 1, onlyBaseline: 0, onlyPeriod: 0, withoutEmployees: 1 });
    expect(result.baseline.incidents).toBe(4);
    expect(result.period.incidents).toBe(2);
  });

  it('when no organisation registered in both periods, then there are no rates and no change', () => {
    // Arrange
    const records = [record(1, '2016-Q1', 4), record(2, '2017-Q1', 2)];

    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.baseline).toEqual({
      incidents: 0,
      employees: 0,
      employeeYears: 0,
      quarters: 0,
      per100: null,
    });
    expect(result.period.per100).toBeNull();
    expect(result.changePercent).toBeNull();
    expect(result.organisations).toEqual({ both: 0, onlyBaseline: 1, onlyPeriod: 1, withoutEmployees: 0 });
  });

  it('when the baseline had no incidents, then the rate is 0 and there is no change', () => {
    // Arrange
    const records = [record(1, '2016-Q1', 0), record(1, '2017-Q1', 3)];

    // Act
    const result = compareIncidents({ records, employees, baseline: BASELINE, period: PERIOD });

    // Assert
    expect(result.baseline.per100).toBe(0);
    expect(result.period.per100).toBe(12);
    expect(result.changePercent).toBeNull();
  });

  it('when records fall before, between and after the periods, then only those within them count', () => {
    // Arrange
    const baseline: Period = { from: '2016-Q2', to: '2016-Q3' };
    const period: Period = { from: '2017-Q2', to: '2017-Q3' };
    const records = [
      record(1, '2016-Q1', 100),
      record(1, '2016-Q2', 1),
      record(1, '2016-Q3', 1),
      record(1, '2016-Q4', 100),
      record(1, '2017-Q1', 100),
      record(1, '2017-Q2', 3),
      record(1, '2017-Q3', 3),
      record(1, '2017-Q4', 100),
    ];

    // Act
    const result = compareIncidents({ records, employees, baseline, period });

    // Assert
    expect(result.baseline.incidents).toBe(2);
    expect(result.baseline.quarters).toBe(2);
    expect(result.period.incidents).toBe(6);
    expect(result.period.quarters).toBe(2);
    expect(result.changePercent).toBe(200);
  });

  it('when the group is a sector, then only the quarters in that sector count, in the sector of that quarter', () => {
    // Arrange: org 1 moves from sector 1 to sector 2; org 2 stays in sector 2.
    const records = [
      record(1, '2016-Q1', 4, 1),
      record(1, '2017-Q1', 2, 2),
      record(2, '2016-Q1', 8, 2),
      record(2, '2017-Q1', 4, 2),
    ];

    // Act
    const sector1 = compareIncidents({
      records,
      employees,
      baseline: BASELINE,
      period: PERIOD,
      keep: (r) => r.sectorId === 1,
    });
    const sector2 = compareIncidents({
      records,
      employees,
      baseline: BASELINE,
      period: PERIOD,
      keep: (r) => r.sectorId === 2,
    });

    // Assert
    expect(sector1.organisations).toEqual({ both: 0, onlyBaseline: 1, onlyPeriod: 0, withoutEmployees: 0 });
    expect(sector1.changePercent).toBeNull();
    expect(sector2.organisations).toEqual({ both: 1, onlyBaseline: 0, onlyPeriod: 1, withoutEmployees: 0 });
    expect(sector2.baseline.incidents).toBe(8);
    expect(sector2.period.incidents).toBe(4);
    expect(sector2.changePercent).toBe(-50);
  });
});

// ---------------------------------------------------------------- properties

const FIRST = quarterIndex('2015-Q1');
const LAST = quarterIndex('2018-Q4');

const incidentsArb = fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 4 });

/**
 * A region: organisations 1..n, each with one fixed sector (1..3) and employees in some of the
 * years 2014–2019 (possibly none), and records in 2015–2018, so some fall outside both periods.
 */
const regionArb = fc
  .integer({ min: 1, max: 8 })
  .chain((n) =>
    fc.record({
      sectors: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
      employees: fc.array(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 2014, max: 2019 }), fc.integer({ min: 0, max: 500 })), {
          selector: ([y]) => y,
          maxLength: 3,
        }),
        { minLength: n, maxLength: n },
      ),
      records: fc.array(
        fc.record({
          org: fc.integer({ min: 1, max: n }),
          quarter: fc.integer({ min: FIRST, max: LAST }),
          incidents: incidentsArb,
        }),
        { maxLength: 40 },
      ),
    }),
  )
  .map(({ sectors, employees, records }) => ({
    n: sectors.length,
    sectors,
    employees: employeesIndex(
      employees.flatMap((years, i) => years.map(([year, count]) => staff(i + 1, year, count))),
    ),
    records: records.map((r) => record(r.org, quarterFromIndex(r.quarter), r.incidents, sectors[r.org - 1]!)),
  }));

const periodsArb = fc
  .tuple(
    fc.integer({ min: FIRST, max: LAST }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: FIRST, max: LAST }),
    fc.integer({ min: 0, max: 4 }),
  )
  .map(([a, la, b, lb]) => ({
    baseline: { from: quarterFromIndex(a), to: quarterFromIndex(Math.min(a + la, LAST)) },
    period: { from: quarterFromIndex(b), to: quarterFromIndex(Math.min(b + lb, LAST)) },
  }));

function within(q: Quarter, p: Period): boolean {
  return quarterIndex(q) >= quarterIndex(p.from) && quarterIndex(q) <= quarterIndex(p.to);
}

function closeTo(actual: number | null, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('compareIncidents, properties', () => {
  it('when organisations are counted, then both plus onlyBaseline never exceed those that registered in the baseline (same for the period)', () => {
    fc.assert(
      fc.property(regionArb, periodsArb, (region, periods) => {
        const result = compareIncidents({ records: region.records, employees: region.employees, ...periods });
        const registeredIn = (p: Period) =>
          new Set(
            region.records
              .filter((r) => r.incidents !== null && within(r.quarter, p))
              .map((r) => r.organisationId),
          ).size;
        expect(result.organisations.both + result.organisations.onlyBaseline).toBeLessThanOrEqual(
          registeredIn(periods.baseline),
        );
        expect(result.organisations.both + result.organisations.onlyPeriod).toBeLessThanOrEqual(
          registeredIn(periods.period),
        );
      }),
    );
  });

  it('when an organisation with figures in only one period is added, then the baseline and period totals do not change', () => {
    fc.assert(
      fc.property(
        regionArb,
        fc.boolean(),
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 3 }), incidents: incidentsArb }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
        (region, inBaseline, extra, count) => {
          // Disjoint periods, so the newcomer's records lie in one of them only.
          const baseline: Period = { from: '2016-Q1', to: '2016-Q4' };
          const period: Period = { from: '2017-Q1', to: '2017-Q4' };
          const newcomer = region.n + 1;
          const employees = new Map(region.employees);
          if (count !== null) employees.set(newcomer, new Map([[2016, count]]));
          const start = quarterIndex(inBaseline ? baseline.from : period.from);
          const added = extra.map((e) => record(newcomer, quarterFromIndex(start + e.offset), e.incidents));

          const before = compareIncidents({ records: region.records, employees, baseline, period });
          const after = compareIncidents({
            records: [...region.records, ...added],
            employees,
            baseline,
            period,
          });

          expect(after.baseline).toEqual(before.baseline);
          expect(after.period).toEqual(before.period);
          expect(after.changePercent).toBe(before.changePercent);
          expect(after.organisations.both).toBe(before.organisations.both);
        },
      ),
    );
  });

  it('when every incident count is multiplied by k, then both rates are multiplied by k and the change stays the same', () => {
    fc.assert(
      fc.property(regionArb, periodsArb, fc.integer({ min: 1, max: 20 }), (region, periods, k) => {
        const scaled = region.records.map((r) => ({
          ...r,
          incidents: r.incidents === null ? null : r.incidents * k,
        }));

        const before = compareIncidents({ records: region.records, employees: region.employees, ...periods });
        const after = compareIncidents({ records: scaled, employees: region.employees, ...periods });

        expect(after.baseline.incidents).toBe(before.baseline.incidents * k);
        expect(after.period.incidents).toBe(before.period.incidents * k);
        closeTo(after.baseline.per100, before.baseline.per100 === null ? null : before.baseline.per100 * k);
        closeTo(after.period.per100, before.period.per100 === null ? null : before.period.per100 * k);
        closeTo(after.changePercent, before.changePercent);
        expect(after.organisations).toEqual(before.organisations);
      }),
    );
  });

  it('when every organisation keeps one sector, then the region’s incidents and organisations are the sums over its sectors', () => {
    fc.assert(
      fc.property(regionArb, periodsArb, (region, periods) => {
        const all = compareIncidents({ records: region.records, employees: region.employees, ...periods });
        const bySector = [1, 2, 3].map((id) =>
          compareIncidents({
            records: region.records,
            employees: region.employees,
            ...periods,
            keep: (r) => r.sectorId === id,
          }),
        );
        const sum = (f: (c: (typeof bySector)[number]) => number) => bySector.reduce((s, c) => s + f(c), 0);

        expect(sum((c) => c.baseline.incidents)).toBe(all.baseline.incidents);
        expect(sum((c) => c.period.incidents)).toBe(all.period.incidents);
        expect(sum((c) => c.baseline.quarters)).toBe(all.baseline.quarters);
        expect(sum((c) => c.period.quarters)).toBe(all.period.quarters);
        expect(sum((c) => c.organisations.both)).toBe(all.organisations.both);
        expect(sum((c) => c.organisations.onlyBaseline)).toBe(all.organisations.onlyBaseline);
        expect(sum((c) => c.organisations.onlyPeriod)).toBe(all.organisations.onlyPeriod);
        expect(sum((c) => c.organisations.withoutEmployees)).toBe(all.organisations.withoutEmployees);
        closeTo(
          sum((c) => c.baseline.employeeYears),
          all.baseline.employeeYears,
        );
      }),
    );
  });

  it('when a record with incidents null is added anywhere, then nothing changes', () => {
    fc.assert(
      fc.property(
        regionArb,
        periodsArb,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: FIRST, max: LAST }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (region, periods, org, quarter, sectorId, at) => {
          const records = [...region.records];
          records.splice(
            at % (records.length + 1),
            0,
            record(org, quarterFromIndex(quarter), null, sectorId),
          );

          const before = compareIncidents({
            records: region.records,
            employees: region.employees,
            ...periods,
          });
          const after = compareIncidents({ records, employees: region.employees, ...periods });

          expect(after).toEqual(before);
        },
      ),
    );
  });
});
