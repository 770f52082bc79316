import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_VALUES,
  type Answer,
  type Answers,
  type AnswerValue,
} from '../../server/domain/gear-engine.ts';
import {
  compareMeasureShares,
  MEASURES,
  type MeasureKey,
  type MeasureOrganisation,
  type MeasureShare,
  measureShares,
  measureStatus,
  measuresOfCriterion,
} from '../../server/domain/measures.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import { allCriteria, type Schakelmodel } from '../../server/domain/schakelmodel.ts';

const ALL_MEASURES: MeasureKey[] = MEASURES.map((m) => m.key);

function answer(value: AnswerValue): Answer {
  return { answer: value, note: value === 'nvt' ? 'niet van toepassing hier' : null };
}

/** Answers for every criterion of `model`: `value` by default, with per-key overrides. */
function answersWith(
  model: Schakelmodel,
  value: AnswerValue,
  overrides: Record<string, AnswerValue> = {},
): Answers {
  return Object.fromEntries(allCriteria(model).map((c) => [c.key, answer(overrides[c.key] ?? value)]));
}

/** The measures of a status map whose status is not `met`, sorted. */
function notMet(status: Map<MeasureKey, string>): MeasureKey[] {
  return [...status]
    .filter(([, s]) => s !== 'met')
    .map(([key]) => key)
    .sort();
}

function shareOf(shares: readonly MeasureShare[], key: MeasureKey): MeasureShare {
  return shares.find((m) => m.measure === key)!;
}

describe('measuresOfCriterion', () => {
  it.each([
    ['1', ['norm-stellen']],
    ['2', ['training']],
    ['3', ['melden']],
    ['4', ['registreren']],
    ['5', ['aangifte']],
    ['6', ['reageren']],
    ['7', ['schade']],
    ['8', ['opvang']],
    ['9', ['preventie']],
  ])('when a version-1 criterion names measure %s, then it is %j', (text, keys) => {
    // Act
    const result = measuresOfCriterion(text);

    // Assert
    expect(result).toEqual(keys);
  });

  it.each([
    ['norm stellen', ['norm-stellen']],
    ['training', ['training']],
    ['melden', ['melden']],
    ['registreren', ['registreren']],
    ['aangifte', ['aangifte']],
    ['reageren naar de dader', ['reageren']],
    ['schade verhalen', ['schade']],
    ['opvang en nazorg', ['opvang']],
    ['preventie/gastvrijheid', ['preventie']],
    ['ELA', ['ela']],
    ['ela', ['ela']],
    ['borging', ['borging']],
    ['borging (operational)', ['borging']],
    ['borging (tactical)', ['borging']],
    ['Borging (tactisch)', ['borging']],
    ['borging (operationeel)', ['borging']],
    ['borging (strategisch)', ['borging']],
    ['network', ['netwerk']],
    ['Netwerk', ['netwerk']],
    ['ELA / borging', ['ela', 'borging']],
    ['borging / borging (tactisch)', ['borging']],
  ])('when a criterion names measure %j, then it is %j', (text, keys) => {
    // Act
    const result = measuresOfCriterion(text);

    // Assert
    expect(result).toEqual(keys);
  });

  it.each([['kennisdeling'], ['10'], ['norm'], ['']])(
    'when a criterion names a measure %j that is not a VPT measure, then it is under none',
    (text) => {
      // Act
      const result = measuresOfCriterion(text);

      // Assert
      expect(result).toEqual([]);
    },
  );

  it.each([
    ['v1', SCHAKELMODEL_V1],
    ['v2', SCHAKELMODEL_V2],
  ])(
    'when every criterion of the built-in model %s is mapped, then each has a measure and together they cover all twelve',
    (_, model) => {
      // Arrange
      const criteria = allCriteria(model);

      // Act
      const mapped = criteria.map((c) => ({ key: c.key, measures: measuresOfCriterion(c.measure) }));

      // Assert
      expect(mapped.filter((m) => m.measures.length === 0)).toEqual([]);
      expect(new Set(mapped.flatMap((m) => m.measures))).toEqual(new Set(ALL_MEASURES));
    },
  );
});

describe('measureStatus', () => {
  it.each([
    ['v1', SCHAKELMODEL_V1],
    ['v2', SCHAKELMODEL_V2],
  ])('when every criterion of %s is ja, then every measure is met', (_, model) => {
    // Arrange
    const answers = answersWith(model, 'ja');

    // Act
    const status = measureStatus(model, answers);

    // Assert
    expect([...status.keys()].sort()).toEqual([...ALL_MEASURES].sort());
    expect(notMet(status)).toEqual([]);
  });

  it.each([
    ['v1', SCHAKELMODEL_V1, '2c', 'nee', ['norm-stellen']],
    ['v1', SCHAKELMODEL_V1, '3b', 'deels', ['training']],
    ['v1', SCHAKELMODEL_V1, '4d', 'nee', ['borging']],
    ['v1', SCHAKELMODEL_V1, '5c', 'nee', ['borging', 'ela']],
    ['v2', SCHAKELMODEL_V2, '2b', 'nee', ['norm-stellen']],
    ['v2', SCHAKELMODEL_V2, '4e', 'deels', ['preventie']],
    ['v2', SCHAKELMODEL_V2, '5b', 'nee', ['netwerk']],
    ['v2', SCHAKELMODEL_V2, '2a', 'nvt', ['borging']],
    ['v2', SCHAKELMODEL_V2, '5c', 'nvt', ['ela']],
  ] as const)(
    'when in %s criterion %s is %s and the rest ja, then only %j is not met',
    (_, model, key, value, expected) => {
      // Arrange
      const answers = answersWith(model, 'ja', { [key]: value });

      // Act
      const status = measureStatus(model, answers);

      // Assert
      expect(notMet(status)).toEqual(expected);
      expect(status.get(expected[0]!)).toBe('not-met');
    },
  );

  it.each([
    ['v1', SCHAKELMODEL_V1, '3b'],
    ['v1', SCHAKELMODEL_V1, '5a'],
    ['v2', SCHAKELMODEL_V2, '3c'],
  ] as const)(
    'when in %s criterion %s is nvt where that is allowed, then its measure is met',
    (_, model, key) => {
      // Arrange
      const answers = answersWith(model, 'ja', { [key]: 'nvt' });

      // Act
      const status = measureStatus(model, answers);

      // Assert
      expect(notMet(status)).toEqual([]);
    },
  );

  it('when a v2 quickscan leaves the criteria above its first gap open, then their measures are not met', () => {
    // Arrange: gear 2 complete, 3a nee is the first gap, everything from 3b on unanswered.
    const answers: Answers = {
      '2a': answer('ja'),
      '2b': answer('ja'),
      '2c': answer('ja'),
      '2d': answer('ja'),
      '3a': answer('nee'),
    };

    // Act
    const status = measureStatus(SCHAKELMODEL_V2, answers);

    // Assert
    expect(status.get('norm-stellen')).toBe('met');
    expect(status.get('melden')).toBe('met');
    expect(notMet(status)).toEqual(
      [
        'registreren',
        'training',
        'opvang',
        'reageren',
        'borging',
        'aangifte',
        'schade',
        'preventie',
        'ela',
        'netwerk',
      ].sort(),
    );
  });

  it.each([
    ['v1', SCHAKELMODEL_V1],
    ['v2', SCHAKELMODEL_V2],
  ])(
    'when the gear of a %s organisation was recorded directly (no answers), then every measure is unknown',
    (_, model) => {
      // Act
      const status = measureStatus(model, null);

      // Assert
      expect([...status.keys()].sort()).toEqual([...ALL_MEASURES].sort());
      expect([...status.values()].every((s) => s === 'unknown')).toBe(true);
    },
  );

  it("when a region's own model has no criterion for a measure and names one that is not a VPT measure, then the first is absent and the second ignored", () => {
    // Arrange
    const model = ownModel();

    // Act
    const status = measureStatus(model, answersWith(model, 'ja', { '5b': 'nee' }));

    // Assert
    expect(status.has('netwerk')).toBe(false);
    expect(notMet(status)).toEqual([]);
    expect(status.size).toBe(ALL_MEASURES.length - 1);
  });
});

/** Model v2 with 5b about something that is not a VPT measure, so the model has no netwerk criterion. */
function ownModel(): Schakelmodel {
  return {
    ...SCHAKELMODEL_V2,
    id: 'eigen-model',
    gears: SCHAKELMODEL_V2.gears.map((g) => ({
      ...g,
      criteria: g.criteria.map((c) => (c.key === '5b' ? { ...c, measure: 'kennisdeling' } : c)),
    })),
  };
}

/*
 * A small region.
 *
 * org  sector     gear                      answers
 *  1   Zorg       v2 quickscan              all ja
 *  2   Zorg       v2 quickscan              all ja, 2b nee          → norm stellen not met
 *  3   Onderwijs  recorded directly (v2)    none                    → all unknown
 *  4   Onderwijs  no gear                   none                    → all unknown
 *  5   Onderwijs  v1 quickscan              all ja, 5b nee          → netwerk not met
 *  6   Onderwijs  own model (no netwerk)    all ja                  → netwerk unknown
 *  (Openbaar Vervoer has no members)
 */
const SECTORS = [
  { id: 1, name: 'Zorg' },
  { id: 2, name: 'Onderwijs' },
  { id: 3, name: 'Openbaar Vervoer' },
];

const REGION: MeasureOrganisation[] = [
  { id: 1, sectorId: 1, model: SCHAKELMODEL_V2, answers: answersWith(SCHAKELMODEL_V2, 'ja') },
  {
    id: 2,
    sectorId: 1,
    model: SCHAKELMODEL_V2,
    answers: answersWith(SCHAKELMODEL_V2, 'ja', { '2b': 'nee' }),
  },
  { id: 3, sectorId: 2, model: SCHAKELMODEL_V2, answers: null },
  { id: 4, sectorId: 2, model: null, answers: null },
  {
    id: 5,
    sectorId: 2,
    model: SCHAKELMODEL_V1,
    answers: answersWith(SCHAKELMODEL_V1, 'ja', { '5b': 'nee' }),
  },
  { id: 6, sectorId: 2, model: ownModel(), answers: answersWith(ownModel(), 'ja') },
];

describe('measureShares, by hand', () => {
  it('when a region has two sectors with members and one without, then every measure gives the hand-computed counts', () => {
    // Act
    const shares = measureShares({ sectors: SECTORS, organisations: REGION });

    // Assert
    expect(shares.map((m) => [m.measure, m.name])).toEqual(MEASURES.map((m) => [m.key, m.name]));
    expect(shareOf(shares, 'norm-stellen')).toEqual({
      measure: 'norm-stellen',
      name: 'norm stellen',
      met: 3,
      unknown: 2,
      total: 6,
      share: 0.5,
      sectors: [
        { sectorId: 1, name: 'Zorg', met: 1, unknown: 0, total: 2, share: 0.5 },
        { sectorId: 2, name: 'Onderwijs', met: 2, unknown: 2, total: 4, share: 0.5 },
        { sectorId: 3, name: 'Openbaar Vervoer', met: 0, unknown: 0, total: 0, share: null },
      ],
    });
    expect(shareOf(shares, 'netwerk')).toEqual({
      measure: 'netwerk',
      name: 'netwerk',
      met: 2,
      unknown: 3,
      total: 6,
      share: 2 / 6,
      sectors: [
        { sectorId: 1, name: 'Zorg', met: 2, unknown: 0, total: 2, share: 1 },
        { sectorId: 2, name: 'Onderwijs', met: 0, unknown: 3, total: 4, share: 0 },
        { sectorId: 3, name: 'Openbaar Vervoer', met: 0, unknown: 0, total: 0, share: null },
      ],
    });
    const training = shareOf(shares, 'training');
    expect([training.met, training.unknown, training.total, training.share]).toEqual([4, 2, 6, 4 / 6]);
  });

  it('when there are no members at all, then every share is null and every sector is still listed', () => {
    // Act
    const shares = measureShares({ sectors: SECTORS, organisations: [] });

    // Assert
    expect(shares).toHaveLength(MEASURES.length);
    for (const m of shares) {
      expect([m.met, m.unknown, m.total, m.share]).toEqual([0, 0, 0, null]);
      expect(m.sectors.map((s) => [s.name, s.total, s.share])).toEqual(SECTORS.map((s) => [s.name, 0, null]));
    }
  });
});

const CRITERIA_V2 = allCriteria(SCHAKELMODEL_V2).map((c) => c.key);

/** Random answers over model v2: each criterion answered with any value or left open. */
const answersArb: fc.Arbitrary<Answers> = fc
  .tuple(...CRITERIA_V2.map(() => fc.option(fc.constantFrom(...ANSWER_VALUES), { nil: undefined })))
  .map((values) => {
    const answers: Answers = {};
    values.forEach((value, i) => {
      if (value !== undefined) answers[CRITERIA_V2[i]!] = answer(value);
    });
    return answers;
  });

/** A region: 1..4 sectors and members each in one of them, with answers, a recorded gear or no gear. */
const regionArb = fc.integer({ min: 1, max: 4 }).chain((sectorCount) =>
  fc.record({
    sectors: fc.constant(
      Array.from({ length: sectorCount }, (_, i) => ({ id: i + 1, name: `sector ${i + 1}` })),
    ),
    organisations: fc.array(
      fc.record({
        sectorId: fc.integer({ min: 1, max: sectorCount }),
        kind: fc.constantFrom('answers', 'recorded', 'none'),
        answers: answersArb,
      }),
      { maxLength: 25 },
    ),
  }),
);

describe('measureShares, properties', () => {
  it('when members are random, then per measure met + not met + unknown = total and the region is the sum of its sectors', () => {
    fc.assert(
      fc.property(regionArb, ({ sectors, organisations }) => {
        // Arrange
        const members: MeasureOrganisation[] = organisations.map((o, i) => ({
          id: i + 1,
          sectorId: o.sectorId,
          model: o.kind === 'none' ? null : SCHAKELMODEL_V2,
          answers: o.kind === 'answers' ? o.answers : null,
        }));

        // Act
        const shares = measureShares({ sectors, organisations: members });

        // Assert
        for (const m of shares) {
          const notMetCount = members.filter(
            (o) => o.model !== null && measureStatus(o.model, o.answers).get(m.measure) === 'not-met',
          ).length;
          expect(m.met + notMetCount + m.unknown).toBe(m.total);
          expect(m.total).toBe(members.length);
          expect(m.share).toBe(m.total === 0 ? null : m.met / m.total);
          const sum = (field: 'met' | 'unknown' | 'total') => m.sectors.reduce((n, s) => n + s[field], 0);
          expect([sum('met'), sum('unknown'), sum('total')]).toEqual([m.met, m.unknown, m.total]);
          expect(m.sectors.map((s) => s.sectorId)).toEqual(sectors.map((s) => s.id));
        }
      }),
    );
  });
});

describe('compareMeasureShares', () => {
  it('when two quarters are compared, then each measure and sector gets the earlier counts and the change in percentage points', () => {
    // Arrange: in the earlier quarter organisation 2 still met norm stellen and organisation 6 was not yet a member.
    const before = measureShares({
      sectors: SECTORS.slice(0, 2),
      organisations: [
        { ...REGION[0]!, answers: answersWith(SCHAKELMODEL_V2, 'ja') },
        { ...REGION[1]!, answers: answersWith(SCHAKELMODEL_V2, 'ja') },
        ...REGION.slice(2, 5),
      ],
    });
    const after = measureShares({ sectors: SECTORS, organisations: REGION });

    // Act
    const compared = compareMeasureShares(before, after);

    // Assert
    const norm = compared.find((m) => m.measure === 'norm-stellen')!;
    expect(norm.from).toEqual({ met: 3, unknown: 2, total: 5, share: 0.6 });
    expect(norm.share).toBe(0.5);
    expect(norm.changePoints).toBeCloseTo(-10, 9);
    const [zorg, onderwijs, ov] = norm.sectors;
    expect(zorg!.from).toEqual({ met: 2, unknown: 0, total: 2, share: 1 });
    expect(zorg!.changePoints).toBeCloseTo(-50, 9);
    expect(onderwijs!.changePoints).toBeCloseTo((2 / 4 - 1 / 3) * 100, 9);
    expect(ov).toMatchObject({ name: 'Openbaar Vervoer', share: null, changePoints: null });
    expect(ov!.from).toEqual({ met: 0, unknown: 0, total: 0, share: null });
    expect(compared.map((m) => m.measure)).toEqual(ALL_MEASURES);
  });
});
