import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Quarter, quarterFromIndex, quarterIndex } from '../../server/domain/quarter.ts';
import {
  ageInQuarters,
  carriesInto,
  checkMemberships,
  isMemberIn,
  isStale,
  type MembershipPeriod,
  moveSector,
  normaliseSectors,
  periodAt,
  sectorIn,
} from '../../server/domain/timeline.ts';
import type { AppError } from '../../server/errors.ts';

const twoPeriods: MembershipPeriod[] = [
  { from: '2015-Q4', until: '2016-Q2' },
  { from: '2017-Q1', until: null },
];

describe('membership periods', () => {
  it.each([
    ['2015-Q3', false],
    ['2015-Q4', true],
    ['2016-Q2', true],
    ['2016-Q3', false],
    ['2016-Q4', false],
    ['2017-Q1', true],
    ['2030-Q1', true],
  ] as const)('when the quarter is %s, then membership is %s', (q, member) => {
    expect(isMemberIn({ memberships: twoPeriods }, q)).toBe(member);
  });

  it('when a gear was recorded in an earlier period, then it does not carry across the gap', () => {
    const org = { memberships: twoPeriods };
    expect(carriesInto(org, '2016-Q1', '2016-Q2')).toBe(true);
    expect(carriesInto(org, '2016-Q1', '2016-Q3')).toBe(false);
    expect(carriesInto(org, '2016-Q1', '2017-Q1')).toBe(false);
    expect(carriesInto(org, '2017-Q1', '2018-Q1')).toBe(true);
  });

  it('when periods overlap, touch, or one is reversed, then they are refused with invalid_membership', () => {
    const refuse = (periods: MembershipPeriod[]) => {
      try {
        checkMemberships(periods);
      } catch (err) {
        return (err as AppError).code;
      }
      return 'accepted';
    };
    expect(refuse([{ from: '2016-Q1', until: '2015-Q4' }])).toBe('invalid_membership');
    expect(
      refuse([
        { from: '2015-Q1', until: '2016-Q1' },
        { from: '2016-Q1', until: null },
      ]),
    ).toBe('invalid_membership');
    expect(
      refuse([
        { from: '2015-Q1', until: null },
        { from: '2017-Q1', until: null },
      ]),
    ).toBe('invalid_membership');
    expect(refuse([])).toBe('invalid_membership');
    expect(
      refuse([
        { from: '2017-Q1', until: null },
        { from: '2015-Q1', until: '2016-Q4' },
      ]),
    ).toBe('accepted');
  });

  it('when periods are valid, then they come back sorted', () => {
    expect(
      checkMemberships([
        { from: '2017-Q1', until: null },
        { from: '2015-Q1', until: '2016-Q1' },
      ]).map((p) => p.from),
    ).toEqual(['2015-Q1', '2017-Q1']);
  });

  it('for any accepted set of periods, every quarter lies in at most one period', () => {
    const quarter = fc.integer({ min: 0, max: 40 }).map((i) => quarterFromIndex(quarterIndex('2015-Q1') + i));
    const period = fc
      .tuple(quarter, fc.option(quarter, { nil: null }))
      .map(([from, until]): MembershipPeriod => ({ from, until }));
    fc.assert(
      fc.property(fc.array(period, { maxLength: 4 }), quarter, (periods, q) => {
        let sorted: MembershipPeriod[];
        try {
          sorted = checkMemberships(periods);
        } catch {
          return true;
        }
        const containing = sorted.filter((p) => q >= p.from && (p.until === null || q <= p.until));
        expect(containing.length).toBeLessThanOrEqual(1);
        expect(periodAt({ memberships: sorted }, q)).toEqual(containing[0] ?? null);
        return true;
      }),
    );
  });
});

describe('sector history', () => {
  const history = [
    { sectorId: 1, from: '2015-Q4' as Quarter },
    { sectorId: 2, from: '2016-Q3' as Quarter },
  ];

  it.each([
    ['2015-Q1', 1],
    ['2015-Q4', 1],
    ['2016-Q2', 1],
    ['2016-Q3', 2],
    ['2020-Q1', 2],
  ] as const)('in %s the sector is %i (the first also covers the quarters before it)', (q, sector) => {
    expect(sectorIn({ sectors: history }, q)).toBe(sector);
  });

  it('when an organisation moves from a quarter, then the sector holds from then on and earlier quarters keep theirs', () => {
    const moved = moveSector(history, 3, '2016-Q1');
    expect(moved).toEqual([
      { sectorId: 1, from: '2015-Q4' },
      { sectorId: 3, from: '2016-Q1' },
    ]);
    for (const q of ['2015-Q4', '2015-Q1'] as const) expect(sectorIn({ sectors: moved }, q)).toBe(1);
  });

  it('when a move repeats the sector before it, then nothing is added', () => {
    expect(moveSector(history, 1, '2016-Q1')).toEqual([{ sectorId: 1, from: '2015-Q4' }]);
    expect(
      normaliseSectors([
        { sectorId: 1, from: '2015-Q4' },
        { sectorId: 2, from: '2016-Q1' },
        { sectorId: 1, from: '2016-Q1' },
      ]),
    ).toEqual([{ sectorId: 1, from: '2015-Q4' }]);
  });

  // Quarters before the first sector period have no sector of their own (they borrow the first),
  // so the property is about the quarters the history defines.
  it('a move from Q never changes the sector of a quarter before Q that the history covers (property)', () => {
    const quarter = fc.integer({ min: 0, max: 40 }).map((i) => quarterFromIndex(quarterIndex('2015-Q1') + i));
    const periods = fc.array(fc.record({ sectorId: fc.integer({ min: 1, max: 4 }), from: quarter }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(periods, fc.integer({ min: 1, max: 4 }), quarter, quarter, (raw, sector, from, q) => {
        const before = normaliseSectors(raw);
        const after = moveSector(before, sector, from);
        if (q < before[0]!.from) return;
        if (q < from) expect(sectorIn({ sectors: after }, q)).toBe(sectorIn({ sectors: before }, q));
        else expect(sectorIn({ sectors: after }, q)).toBe(sector);
      }),
    );
  });
});

describe('age of a gear', () => {
  it.each([
    ['2016-Q4', '2016-Q4', 0, false],
    ['2016-Q1', '2016-Q4', 3, false],
    ['2015-Q4', '2016-Q4', 4, false],
    ['2015-Q3', '2016-Q4', 5, true],
  ] as const)('recorded in %s, seen in %s: %i quarters old, stale %s', (recorded, seen, age, stale) => {
    expect(ageInQuarters(recorded, seen)).toBe(age);
    expect(isStale(recorded, seen)).toBe(stale);
  });
});
