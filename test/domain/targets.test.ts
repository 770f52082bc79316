import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Quarter, quarterFromIndex, quarterIndex } from '../../server/domain/quarter.ts';
import {
  describeTarget,
  evaluateTarget,
  formatTargetValue,
  lowerIsBetter,
  meets,
  shareGear,
  TARGET_KIND_NAMES,
  TARGET_KINDS,
  type TargetKind,
  type TargetMember,
  targetFigure,
  targetValueProblem,
} from '../../server/domain/targets.ts';

const SECTORS = [
  { id: 1, name: 'Zorg' },
  { id: 2, name: 'Onderwijs' },
  { id: 3, name: 'Anders' },
];

function member(sectorId: number, gear: number | null): TargetMember {
  return { sectorId, gear };
}

// Zorg: gears 3 and none; Onderwijs: 4 and 2; Anders: none.
const MEMBERS: TargetMember[] = [member(1, 3), member(1, null), member(2, 4), member(2, 2), member(3, null)];

describe('targetFigure', () => {
  it.each([
    ['members', null, 5],
    ['members', 1, 2],
    ['members', 3, 1],
    ['members', 9, 0],
    ['average', null, 3],
    ['average', 1, 3],
    ['average', 2, 3],
    ['gear-share-2', null, 60],
    ['gear-share-3', null, 40],
    ['gear-share-4', null, 20],
    ['gear-share-5', null, 0],
    ['gear-share-3', 1, 50],
    ['gear-share-3', 2, 50],
    ['gear-share-2', 3, 0],
  ] as const)('when the figure is %s for sector %s, then it is %d', (kind, sectorId, expected) => {
    // Act
    const result = targetFigure(kind, MEMBERS, sectorId, SECTORS);

    // Assert
    expect(result).toEqual({ value: expected, about: null });
  });

  it.each([
    ['average', 'the sector has members but none with a gear', 3],
    ['average', 'the sector has no members', 9],
    ['gear-share-3', 'the sector has no members', 9],
    ['gear-share-5', 'the sector has no members', 9],
  ] as const)('when the figure is %s and %s, then there is none', (kind, _, sectorId) => {
    // Act
    const result = targetFigure(kind, MEMBERS, sectorId, SECTORS);

    // Assert
    expect(result).toEqual({ value: null, about: null });
  });

  it('when the average is taken of gears that are not whole, then it is their plain mean', () => {
    // Act
    const result = targetFigure('average', [member(1, 3), member(1, 4), member(2, 4)], null, SECTORS);

    // Assert
    expect(result.value).toBeCloseTo(11 / 3, 12);
  });

  it('when members have no gear, then they still count in a gear share’s denominator', () => {
    // Arrange: four members, one in gear 3, three without a gear.
    const members = [member(1, 3), member(1, null), member(1, null), member(1, null)];

    // Act
    const result = targetFigure('gear-share-3', members, null, SECTORS);

    // Assert
    expect(result.value).toBe(25);
  });

  it('when no member in scope has a gear, then a gear share is 0% of the members', () => {
    // Act
    const result = targetFigure('gear-share-2', [member(3, null), member(3, null)], 3, SECTORS);

    // Assert
    expect(result.value).toBe(0);
  });

  it.each([
    ['one sector is lowest', [member(1, 3), member(2, 4), member(2, 4)], 3, 'Zorg'],
    [
      'two sectors tie for lowest',
      [member(1, 3), member(2, 4), member(2, 2), member(3, 5)],
      3,
      'Zorg & Onderwijs',
    ],
    ['all three tie', [member(1, 2), member(2, 2), member(3, 2)], 2, 'Zorg & Onderwijs & Anders'],
    ['a sector has members but no gears (skipped)', [member(1, 4), member(2, null), member(3, 5)], 4, 'Zorg'],
    ['a sector has no members (skipped)', [member(2, 3), member(2, 4), member(3, 5)], 3.5, 'Onderwijs'],
    [
      'equal means of different sizes tie',
      [
        member(1, 3),
        member(1, 4),
        member(1, 3),
        member(2, 4),
        member(2, 3),
        member(2, 3),
        member(2, 4),
        member(2, 3),
        member(2, 3),
      ],
      10 / 3,
      'Zorg & Onderwijs',
    ],
  ] as const)('when the figure is sector-minimum and %s, then it is %d (%s)', (_, members, value, about) => {
    // Act
    const result = targetFigure('sector-minimum', members, null, SECTORS);

    // Assert
    expect(result.value).toBeCloseTo(value, 12);
    expect(result.about).toBe(about);
  });

  it('when no sector has a gear, then sector-minimum has no value and names no sector', () => {
    // Act
    const result = targetFigure('sector-minimum', [member(1, null), member(2, null)], null, SECTORS);

    // Assert
    expect(result).toEqual({ value: null, about: null });
  });
});

describe('meets, lowerIsBetter and shareGear', () => {
  it.each([
    ['average', 3.5, 3.5, true],
    ['average', 3.6, 3.5, true],
    ['average', 3.4, 3.5, false],
    ['average', 3.5 - 1e-12, 3.5, true],
    ['members', 14, 15, false],
    ['gear-share-3', 80, 80, true],
    ['incidents-change', -30, -25, true],
    ['incidents-change', -25, -25, true],
    ['incidents-change', -20, -25, false],
    ['incidents-change', 5, -25, false],
  ] as const)(
    'when a %s value of %d is held against a target of %d, then it meets it: %s',
    (kind, value, target, expected) => {
      expect(meets(kind, value, target)).toBe(expected);
    },
  );

  it.each(TARGET_KINDS.map((k) => [k, k === 'incidents-change'] as const))(
    'when the kind is %s, then lower is better is %s',
    (kind, expected) => {
      expect(lowerIsBetter(kind)).toBe(expected);
    },
  );

  it.each([
    ['gear-share-2', 2],
    ['gear-share-3', 3],
    ['gear-share-4', 4],
    ['gear-share-5', 5],
    ['average', null],
    ['sector-minimum', null],
    ['members', null],
    ['incidents-change', null],
  ] as const)('when the kind is %s, then its gear is %s', (kind, gear) => {
    expect(shareGear(kind)).toBe(gear);
  });
});

describe('evaluateTarget', () => {
  const average = { kind: 'average', value: 3.5, quarter: '2017-Q4' } as const;
  const incidents = { kind: 'incidents-change', value: -25, quarter: '2017-Q4' } as const;

  it('when there is no current value, then nothing is known', () => {
    // Act
    const result = evaluateTarget(
      average,
      { quarter: '2017-Q1', value: null },
      { quarter: '2016-Q1', value: 3 },
    );

    // Assert
    expect(result).toEqual({ met: null, projected: null, onTrack: null, status: 'onbekend' });
  });

  it.each([
    ['the target quarter', '2017-Q4', 3.6, true, 'gehaald'],
    ['the target quarter', '2017-Q4', 3.5, true, 'gehaald'],
    ['the target quarter', '2017-Q4', 3.4, false, 'niet-gehaald'],
    ['a quarter after it', '2018-Q2', 3.4, false, 'niet-gehaald'],
    ['a quarter after it', '2018-Q2', 4, true, 'gehaald'],
  ] as const)(
    'when the current quarter is %s (%s) and the value %d, then met is %s: %s',
    (_, quarter, value, met, status) => {
      // Act: an earlier value that would project far above the target must not matter.
      const result = evaluateTarget(average, { quarter, value }, { quarter: '2016-Q1', value: 1 });

      // Assert
      expect(result).toEqual({ met, projected: null, onTrack: met, status });
    },
  );

  it('when the target is met before its quarter, then it is gehaald without a projection', () => {
    // Act
    const result = evaluateTarget(
      average,
      { quarter: '2017-Q1', value: 3.5 },
      { quarter: '2016-Q1', value: 4 },
    );

    // Assert
    expect(result).toEqual({ met: true, projected: null, onTrack: true, status: 'gehaald' });
  });

  it('when the value rose 0,4 in a year and three quarters remain, then 3,2 projects to 3,5: op koers', () => {
    // Act
    const result = evaluateTarget(
      average,
      { quarter: '2017-Q1', value: 3.2 },
      { quarter: '2016-Q1', value: 2.8 },
    );

    // Assert
    expect(result.met).toBe(false);
    expect(result.projected).toBeCloseTo(3.5, 12);
    expect(result.onTrack).toBe(true);
    expect(result.status).toBe('op-koers');
  });

  it('when the value rose 0,2 in a year and three quarters remain, then 3,2 projects to 3,35: achter', () => {
    // Act
    const result = evaluateTarget(
      average,
      { quarter: '2017-Q1', value: 3.2 },
      { quarter: '2016-Q1', value: 3 },
    );

    // Assert
    expect(result.met).toBe(false);
    expect(result.projected).toBeCloseTo(3.35, 12);
    expect(result.onTrack).toBe(false);
    expect(result.status).toBe('achter');
  });

  it('when the value fell, then the line does not reach the target: achter', () => {
    // Act
    const result = evaluateTarget(
      average,
      { quarter: '2017-Q1', value: 3.2 },
      { quarter: '2016-Q1', value: 3.4 },
    );

    // Assert
    expect(result.projected).toBeCloseTo(3.05, 12);
    expect(result.status).toBe('achter');
  });

  it.each([
    ['there is no earlier value', null],
    ['the earlier value is unknown', { quarter: '2016-Q1', value: null }],
    ['the earlier quarter is the current one', { quarter: '2017-Q1', value: 1 }],
    ['the earlier quarter is after the current one', { quarter: '2017-Q2', value: 1 }],
  ] as const)('when the target is not met and %s, then it is achter without a projection', (_, earlier) => {
    // Act
    const result = evaluateTarget(average, { quarter: '2017-Q1', value: 3.2 }, earlier);

    // Assert
    expect(result).toEqual({ met: false, projected: null, onTrack: false, status: 'achter' });
  });

  it.each([
    ['-30 before the target quarter', '2017-Q1', -30, null, { met: true, onTrack: true, status: 'gehaald' }],
    ['-25 in the target quarter', '2017-Q4', -25, null, { met: true, onTrack: true, status: 'gehaald' }],
    [
      '-20 in the target quarter',
      '2017-Q4',
      -20,
      null,
      { met: false, onTrack: false, status: 'niet-gehaald' },
    ],
    [
      '-20 before it, after -10 a year earlier',
      '2017-Q1',
      -20,
      -10,
      { met: false, onTrack: true, status: 'op-koers' },
    ],
    [
      '-20 before it, after -18 a year earlier',
      '2017-Q1',
      -20,
      -18,
      { met: false, onTrack: false, status: 'achter' },
    ],
    [
      '-20 before it, after -30 a year earlier',
      '2017-Q1',
      -20,
      -30,
      { met: false, onTrack: false, status: 'achter' },
    ],
  ] as const)(
    'when the incidents changed %s, then lower is better',
    (_, quarter, value, before, expected) => {
      // Act
      const result = evaluateTarget(
        incidents,
        { quarter, value },
        before === null ? null : { quarter: '2016-Q1', value: before },
      );

      // Assert
      expect(result).toMatchObject(expected);
    },
  );

  it('when the incidents fell 10 points in a year, then -20 projects to -27,5 by the target quarter', () => {
    // Act
    const result = evaluateTarget(
      incidents,
      { quarter: '2017-Q1', value: -20 },
      { quarter: '2016-Q1', value: -10 },
    );

    // Assert
    expect(result.projected).toBeCloseTo(-27.5, 12);
  });
});

describe('evaluateTarget while the target quarter runs', () => {
  it.each([
    { value: 8, running: true, status: 'achter', onTrack: false, met: false },
    { value: 10, running: true, status: 'gehaald', onTrack: true, met: true },
    { value: 8, running: false, status: 'niet-gehaald', onTrack: false, met: false },
  ] as const)(
    'when the value is $value and running is $running, then the status is $status',
    ({ value, running, status, onTrack, met }) => {
      // Act
      const result = evaluateTarget(
        { kind: 'members', value: 10, quarter: '2026-Q4' },
        { quarter: '2026-Q4', value },
        { quarter: '2025-Q4', value: 6 },
        { running },
      );

      // Assert
      expect(result).toMatchObject({ status, onTrack, met });
    },
  );
});

describe('targetValueProblem', () => {
  it.each([
    ['average', 1, false],
    ['average', 3.5, false],
    ['average', 5, false],
    ['sector-minimum', 1, false],
    ['sector-minimum', 5, false],
    ['gear-share-3', 0, false],
    ['gear-share-3', 80, false],
    ['gear-share-5', 100, false],
    ['members', 1, false],
    ['members', 76, true],
    ['incidents-change', -100, false],
    ['incidents-change', -25, true],
    ['incidents-change', 0, false],
  ] as const)('when a %s target is %d (sector: %s), then it is accepted', (kind, value, sector) => {
    expect(targetValueProblem(kind, value, sector)).toBeNull();
  });

  it.each([
    ['average', 0.99, false, 'een gemiddelde versnelling ligt tussen 1 en 5'],
    ['average', 5.01, true, 'een gemiddelde versnelling ligt tussen 1 en 5'],
    ['sector-minimum', 0, false, 'een gemiddelde versnelling ligt tussen 1 en 5'],
    ['sector-minimum', 6, false, 'een gemiddelde versnelling ligt tussen 1 en 5'],
    ['sector-minimum', 3, true, 'dit doel geldt voor elke sector tegelijk: laat de sector weg'],
    ['gear-share-2', -1, false, 'geef een percentage van 0 tot en met 100'],
    ['gear-share-4', 100.5, false, 'geef een percentage van 0 tot en met 100'],
    ['members', 0, false, 'geef een heel aantal van 1 of meer'],
    ['members', 2.5, false, 'geef een heel aantal van 1 of meer'],
    ['members', -3, false, 'geef een heel aantal van 1 of meer'],
    [
      'incidents-change',
      25,
      false,
      'geef de beoogde daling als percentage tussen -100 en 0 (bijvoorbeeld -25)',
    ],
    [
      'incidents-change',
      -101,
      false,
      'geef de beoogde daling als percentage tussen -100 en 0 (bijvoorbeeld -25)',
    ],
    ['average', Number.NaN, false, 'geef een getal'],
    ['members', Number.POSITIVE_INFINITY, false, 'geef een getal'],
    ['incidents-change', Number.NEGATIVE_INFINITY, false, 'geef een getal'],
  ] as const)(
    'when a %s target is %d (sector: %s), then it is refused: %s',
    (kind, value, sector, message) => {
      expect(targetValueProblem(kind, value, sector)).toBe(message);
    },
  );
});

describe('formatTargetValue and describeTarget', () => {
  it.each([
    ['average', 3.175, '3,18'],
    ['sector-minimum', 3, '3,00'],
    ['members', 14, '14'],
    ['gear-share-3', 80, '80,00%'],
    ['gear-share-5', 12.345, '12,35%'],
    ['incidents-change', -25, '-25,00%'],
    ['incidents-change', -21.875, '-21,88%'],
    ['average', null, '–'],
  ] as const)('when a %s value is %s, then it is written %s', (kind, value, text) => {
    expect(formatTargetValue(kind, value)).toBe(text);
  });

  it.each([
    [
      { kind: 'gear-share-3', value: 80, quarter: '2017-Q4' },
      null,
      'aandeel leden in versnelling 3 of hoger ≥ 80,00% in Q4 2017',
    ],
    [
      { kind: 'gear-share-3', value: 80, quarter: '2017-Q4' },
      'Zorg',
      'aandeel leden in versnelling 3 of hoger ≥ 80,00% in Q4 2017 (Zorg)',
    ],
    [
      { kind: 'gear-share-5', value: 25, quarter: '2018-Q2' },
      'Openbaar Vervoer',
      'aandeel leden in versnelling 5 ≥ 25,00% in Q2 2018 (Openbaar Vervoer)',
    ],
    [{ kind: 'average', value: 3.5, quarter: '2017-Q4' }, null, 'gemiddelde versnelling ≥ 3,50 in Q4 2017'],
    [
      { kind: 'members', value: 76, quarter: '2016-Q4' },
      null,
      'aantal aangesloten organisaties ≥ 76 in Q4 2016',
    ],
    [
      { kind: 'sector-minimum', value: 3, quarter: '2017-Q4' },
      null,
      // The name of this kind is still being worded: taken from the names, the rest is exact.
      `${TARGET_KIND_NAMES['sector-minimum']} ≥ 3,00 in Q4 2017`,
    ],
    [
      { kind: 'incidents-change', value: -25, quarter: '2017-Q4' },
      'Zorg',
      'verandering van de incidenten per 100 medewerkers t.o.v. de 0-meting ≤ -25,00% in Q4 2017 (Zorg)',
    ],
  ] as const)('when the target is %j in sector %s, then it reads %j', (target, sector, text) => {
    // Act
    const result = describeTarget(target, sector);

    // Assert
    expect(result).toBe(text);
  });
});

// ---------------------------------------------------------------- properties

const FIRST = quarterIndex('2015-Q1');
const LAST = quarterIndex('2020-Q4');

const quarterArb = fc.integer({ min: FIRST, max: LAST }).map((i) => quarterFromIndex(i));
const higherKindArb = fc.constantFrom(...TARGET_KINDS.filter((k) => !lowerIsBetter(k)));
const valueArb = fc.double({ min: -200, max: 200, noNaN: true });
const earlierArb = fc.option(fc.record({ quarter: quarterArb, value: fc.option(valueArb, { nil: null }) }), {
  nil: null,
});

describe('evaluateTarget, properties', () => {
  it('when the current value of a higher-is-better target rises, then a met target stays met and an on-track one stays on track', () => {
    fc.assert(
      fc.property(
        higherKindArb,
        valueArb,
        quarterArb,
        quarterArb,
        valueArb,
        fc.double({ min: 0, max: 100, noNaN: true }),
        earlierArb,
        (kind, targetValue, targetQuarter, currentQuarter, value, rise, earlier) => {
          const target = { kind, value: targetValue, quarter: targetQuarter };
          const before = evaluateTarget(target, { quarter: currentQuarter, value }, earlier);
          const after = evaluateTarget(target, { quarter: currentQuarter, value: value + rise }, earlier);
          if (before.met) expect(after.met).toBe(true);
          if (before.onTrack) expect(after.onTrack).toBe(true);
        },
      ),
    );
  });

  it('when the current value of the incidents target falls, then a met target stays met and an on-track one stays on track', () => {
    fc.assert(
      fc.property(
        valueArb,
        quarterArb,
        quarterArb,
        valueArb,
        fc.double({ min: 0, max: 100, noNaN: true }),
        earlierArb,
        (targetValue, targetQuarter, currentQuarter, value, fall, earlier) => {
          const target = {
            kind: 'incidents-change' as TargetKind,
            value: targetValue,
            quarter: targetQuarter,
          };
          const before = evaluateTarget(target, { quarter: currentQuarter, value }, earlier);
          const after = evaluateTarget(target, { quarter: currentQuarter, value: value - fall }, earlier);
          if (before.met) expect(after.met).toBe(true);
          if (before.onTrack) expect(after.onTrack).toBe(true);
        },
      ),
    );
  });

  it('when the target quarter has come, then on track is met and there is no projection', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TARGET_KINDS),
        valueArb,
        quarterArb,
        fc.integer({ min: 0, max: 8 }),
        valueArb,
        earlierArb,
        (kind, targetValue, targetQuarter, later, value, earlier) => {
          const quarter: Quarter = quarterFromIndex(quarterIndex(targetQuarter) + later);
          const result = evaluateTarget(
            { kind, value: targetValue, quarter: targetQuarter },
            { quarter, value },
            earlier,
          );
          expect(result.onTrack).toBe(result.met);
          expect(result.met).toBe(meets(kind, value, targetValue));
          expect(result.projected).toBeNull();
          expect(result.status).toBe(result.met ? 'gehaald' : 'niet-gehaald');
        },
      ),
    );
  });

  it('when a target is judged, then the status follows from met and on track', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TARGET_KINDS),
        valueArb,
        quarterArb,
        quarterArb,
        fc.option(valueArb, { nil: null }),
        earlierArb,
        (kind, targetValue, targetQuarter, quarter, value, earlier) => {
          const result = evaluateTarget(
            { kind, value: targetValue, quarter: targetQuarter },
            { quarter, value },
            earlier,
          );
          if (value === null) expect(result.status).toBe('onbekend');
          else if (result.met) expect(result.status).toBe('gehaald');
          else if (quarter >= targetQuarter) expect(result.status).toBe('niet-gehaald');
          else expect(result.status).toBe(result.onTrack ? 'op-koers' : 'achter');
        },
      ),
    );
  });
});
