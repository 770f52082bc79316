import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Answer,
  type AnswerProblem,
  type Answers,
  type AnswerValue,
  evaluate,
  evaluateRecordedGear,
  isMet,
  MAX_NOTE_LENGTH,
  mustAnswerThrough,
  parseGear,
  validateAnswers,
} from '../../server/domain/gear-engine.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import type { Gear } from '../../server/domain/schakelmodel.ts';
import { ValidationError } from '../../server/errors.ts';
import { ALL_KEYS, KEYS_OF, thrownBy } from '../support.ts';

const MODEL = SCHAKELMODEL_V1;
/** The criteria of a gear by number (gear 1 has none). */
const keysOf = (gear: number): string[] => KEYS_OF[gear as 2 | 3 | 4 | 5] ?? [];

function answer(
  value: AnswerValue,
  note: string | null = value === 'nvt' ? 'niet van toepassing hier' : null,
): Answer {
  return { answer: value, note };
}

/** Answers for every v1 criterion: `value` by default, with per-key overrides. */
function answersWith(value: AnswerValue, overrides: Record<string, AnswerValue> = {}): Answers {
  const result: Answers = {};
  for (const key of ALL_KEYS) result[key] = answer(overrides[key] ?? value);
  return result;
}

/** Overrides that answer every criterion of the given gears with `value`. */
function gearsAnswered(gears: Array<2 | 3 | 4 | 5>, value: AnswerValue): Record<string, AnswerValue> {
  return Object.fromEntries(gears.flatMap((g) => KEYS_OF[g].map((k) => [k, value])));
}

function problemsOf(error: unknown): AnswerProblem[] {
  const details = (error as ValidationError).details as { problems: AnswerProblem[] };
  return details.problems;
}

describe('evaluate with the v1 model', () => {
  it('when every criterion is answered nee, then the organisation is in gear 1 and all of gear 2 are the next steps', () => {
    // Arrange
    const answers = answersWith('nee');

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(1);
    expect(result.met).toEqual([]);
    expect(result.nextSteps.map((s) => s.key)).toEqual(KEYS_OF[2]);
    expect(result.nextSteps.every((s) => s.gear === 2 && s.guidance.length > 0)).toBe(true);
    expect(result.progress).toEqual({ met: 0, total: 4 });
  });

  it('when all criteria of gear 2 are ja and the rest nee, then the organisation is in gear 2', () => {
    // Arrange
    const answers = answersWith('nee', gearsAnswered([2], 'ja'));

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(2);
    expect(result.met).toEqual(KEYS_OF[2]);
    expect(result.nextSteps.map((s) => s.key)).toEqual(KEYS_OF[3]);
    expect(result.progress).toEqual({ met: 0, total: 5 });
  });

  it('when gear 2 is complete and gear 3 is complete except one deels, then it stays in gear 2 and lists the partial criterion', () => {
    // Arrange
    const answers = answersWith('nee', { ...gearsAnswered([2, 3], 'ja'), '3c': 'deels' });

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(2);
    const gear3 = result.gears.find((g) => g.gear === 3)!;
    expect(gear3.complete).toBe(false);
    expect(gear3.partial).toEqual(['3c']);
    expect(gear3.unmet).toEqual(['3c']);
    expect(gear3.met).toEqual(['3a', '3b', '3d', '3e']);
    expect(result.nextSteps.map((s) => s.key)).toEqual(['3c']);
    expect(result.progress).toEqual({ met: 4, total: 5 });
  });

  it('when the criteria of gears 3 and 4 are met but one of gear 2 is not, then the organisation is in gear 1 because gears are cumulative', () => {
    // Arrange
    const answers = answersWith('nee', { ...gearsAnswered([2, 3, 4], 'ja'), '2b': 'nee' });

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(1);
    expect(result.gears.map((g) => [g.gear, g.complete])).toEqual([
      [2, false],
      [3, true],
      [4, true],
      [5, false],
    ]);
    expect(result.nextSteps.map((s) => s.key)).toEqual(['2b']);
    expect(result.progress).toEqual({ met: 3, total: 4 });
    expect(result.met).toEqual([...KEYS_OF[2]!.filter((k) => k !== '2b'), ...KEYS_OF[3]!, ...KEYS_OF[4]!]);
  });

  it('when a criterion is answered nvt with a reason, then it counts as met', () => {
    // Arrange
    const answers = answersWith('nee', { ...gearsAnswered([2, 3], 'ja'), '2c': 'nvt', '3d': 'nvt' });

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(3);
    expect(result.met).toContain('2c');
    expect(result.met).toContain('3d');
    expect(result.nextSteps.map((s) => s.key)).toEqual(KEYS_OF[4]);
  });

  it('when a criterion is answered deels, then it is not met but shown as progress', () => {
    // Arrange
    const answers = answersWith('nee', { '2a': 'deels' });

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(1);
    expect(result.gears[0]!.partial).toEqual(['2a']);
    expect(result.nextSteps.map((s) => s.key)).toEqual(KEYS_OF[2]);
    expect(result.progress).toEqual({ met: 0, total: 4 });
  });

  it('when gear 4 is complete and two criteria of gear 5 are met, then the next step is the one remaining gear-5 criterion', () => {
    // Arrange
    const answers = answersWith('ja', { '5b': 'nee' });

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(4);
    expect(result.nextSteps.map((s) => [s.key, s.gear])).toEqual([['5b', 5]]);
    expect(result.progress).toEqual({ met: 2, total: 3 });
  });

  it('when every criterion is answered ja, then the organisation is in gear 5 with no next steps and no progress', () => {
    // Arrange
    const answers = answersWith('ja');

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(5);
    expect(result.nextSteps).toEqual([]);
    expect(result.progress).toBeNull();
    expect(result.met).toEqual(ALL_KEYS);
    expect(result.gears.every((g) => g.complete)).toBe(true);
  });

  it('when an answer is missing for a criterion, then that criterion counts as not met', () => {
    // Arrange
    const answers = answersWith('ja');
    delete answers['3a'];

    // Act
    const result = evaluate(MODEL, answers);

    // Assert
    expect(result.gear).toBe(2);
    expect(result.nextSteps.map((s) => s.key)).toEqual(['3a']);
  });
});

describe('isMet', () => {
  it.each([
    ['ja', true],
    ['nvt', true],
    ['deels', false],
    ['nee', false],
  ] as const)('when the answer is %s, then met is %s', (value, expected) => {
    expect(isMet(answer(value))).toBe(expected);
  });

  it('when there is no answer, then it is not met', () => {
    expect(isMet(undefined)).toBe(false);
  });
});

describe('validateAnswers', () => {
  it('when every criterion has a bare value, then it returns answers without notes', () => {
    // Arrange
    const raw = Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja']));

    // Act
    const result = validateAnswers(MODEL, raw);

    // Assert
    expect(Object.keys(result)).toEqual(ALL_KEYS);
    expect(result['2a']).toEqual({ answer: 'ja', note: null });
  });

  it('when answers come as {answer, note} objects and bare values mixed, then they are normalised', () => {
    // Arrange
    const raw: Record<string, unknown> = Object.fromEntries(ALL_KEYS.map((k) => [k, 'nee']));
    raw['2a'] = { answer: 'ja', note: '  vastgesteld in 2015  ' };
    raw['2b'] = { answer: 'deels' };
    raw['2c'] = { answer: 'nvt', note: 'geen bezoekers' };
    raw['2d'] = { answer: 'nee', note: '   ' };
    raw['3a'] = ' JA ';
    raw['3b'] = { answer: 'Deels', note: null };

    // Act
    const result = validateAnswers(MODEL, raw);

    // Assert
    expect(result['2a']).toEqual({ answer: 'ja', note: 'vastgesteld in 2015' });
    expect(result['2b']).toEqual({ answer: 'deels', note: null });
    expect(result['2c']).toEqual({ answer: 'nvt', note: 'geen bezoekers' });
    expect(result['2d']).toEqual({ answer: 'nee', note: null });
    expect(result['3a']).toEqual({ answer: 'ja', note: null });
    expect(result['3b']).toEqual({ answer: 'deels', note: null });
  });

  it('when an unknown criterion is answered, then it throws invalid_answers naming that criterion', () => {
    // Arrange
    const raw = { ...Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja'])), '6a': 'ja' };

    // Act
    const error = thrownBy(() => validateAnswers(MODEL, raw));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_answers');
    expect(problemsOf(error)).toEqual([
      { code: 'criterion_unknown', criterion: '6a', message: expect.stringContaining('bestaat niet') },
    ]);
    expect((error as ValidationError).message).toBe(problemsOf(error)[0]!.message);
  });

  it('when a criterion is not answered, then it throws invalid_answers naming the missing criterion', () => {
    // Arrange
    const raw: Record<string, unknown> = Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja']));
    delete raw['4c'];

    // Act
    const error = thrownBy(() => validateAnswers(MODEL, raw));

    // Assert
    expect((error as ValidationError).code).toBe('invalid_answers');
    expect(problemsOf(error)).toEqual([
      { code: 'answer_missing', criterion: '4c', message: expect.stringContaining('niet beantwoord') },
    ]);
  });

  it.each([
    ['an unknown word', 'misschien'],
    ['an empty string', ''],
    ['a number', 1],
    ['a boolean', true],
    ['null', null],
    ['a list', ['ja']],
    ['an object without answer', { note: 'x' }],
    ['an object with an extra field', { answer: 'ja', extra: 1 }],
    ['a note that is not text', { answer: 'ja', note: 42 }],
    ['a note that is too long', { answer: 'ja', note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }],
  ])(
    'when a criterion is answered with %s, then it throws invalid_answers for that criterion',
    (_label, value) => {
      // Arrange
      const raw: Record<string, unknown> = Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja']));
      raw['3e'] = value;

      // Act
      const error = thrownBy(() => validateAnswers(MODEL, raw));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('invalid_answers');
      expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual([['answer_invalid', '3e']]);
    },
  );

  it.each([
    ['a bare nvt', 'nvt'],
    ['nvt with a null note', { answer: 'nvt', note: null }],
    ['nvt with a blank note', { answer: 'nvt', note: '   ' }],
  ])('when a criterion is answered %s, then it throws because nvt needs a reason', (_label, value) => {
    // Arrange
    const raw: Record<string, unknown> = Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja']));
    raw['2c'] = value;

    // Act
    const error = thrownBy(() => validateAnswers(MODEL, raw));

    // Assert
    expect((error as ValidationError).code).toBe('invalid_answers');
    expect(problemsOf(error)).toEqual([
      { code: 'note_required', criterion: '2c', message: expect.stringContaining('toelichting') },
    ]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ja'],
    ['a number', 3],
    ['a list', ['ja', 'nee']],
  ])('when the answers are %s instead of an object, then it throws invalid_answers', (_label, raw) => {
    // Act
    const error = thrownBy(() => validateAnswers(MODEL, raw));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_answers');
    expect((error as ValidationError).statusCode).toBe(400);
  });

  it('when there are several problems, then all of them are listed, not only the first', () => {
    // Arrange
    const raw: Record<string, unknown> = Object.fromEntries(ALL_KEYS.map((k) => [k, 'ja']));
    raw.zz = 'ja';
    delete raw['2a'];
    raw['3b'] = 'misschien';
    raw['5c'] = 'nvt';

    // Act
    const error = thrownBy(() => validateAnswers(MODEL, raw));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_answers');
    expect((error as ValidationError).message).toBe(
      "4 problemen met de antwoorden: criterium 'zz' bestaat niet in VPT-schakelmodel versie 1; " +
        "criterium '2a' is niet beantwoord; " +
        'criterium \'3b\': antwoord "misschien" is ongeldig; kies "ja", "deels", "nee" of "nvt"; ' +
        'criterium \'5c\': bij "nvt" (niet van toepassing) hoort een korte toelichting waarom',
    );
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual([
      ['criterion_unknown', 'zz'],
      ['answer_missing', '2a'],
      ['answer_invalid', '3b'],
      ['note_required', '5c'],
    ]);
  });

  it('when the empty object is given, then every criterion of the model is reported as unanswered', () => {
    // Act
    const error = thrownBy(() => validateAnswers(MODEL, {}));

    // Assert
    expect(problemsOf(error).map((p) => p.criterion)).toEqual(ALL_KEYS);
  });
});

describe('evaluateRecordedGear', () => {
  it('when gear 3 is recorded directly, then all criteria of gears 2 and 3 count as met and all of gear 4 are next steps', () => {
    // Act
    const result = evaluateRecordedGear(MODEL, 3);

    // Assert
    expect(result.gear).toBe(3);
    expect(result.met).toEqual([...KEYS_OF[2]!, ...KEYS_OF[3]!]);
    expect(result.nextSteps.map((s) => s.key)).toEqual(KEYS_OF[4]);
    expect(result.nextSteps.every((s) => s.gear === 4)).toBe(true);
    expect(result.progress).toEqual({ met: 0, total: 5 });
    expect(result.gears.map((g) => g.complete)).toEqual([true, true, false, false]);
  });

  it('when gear 1 is recorded directly, then nothing is met and all of gear 2 are next steps', () => {
    // Act
    const result = evaluateRecordedGear(MODEL, 1);

    // Assert
    expect(result.met).toEqual([]);
    expect(result.nextSteps.map((s) => s.key)).toEqual(KEYS_OF[2]);
    expect(result.progress).toEqual({ met: 0, total: 4 });
  });

  it('when gear 5 is recorded directly, then everything is met and there are no next steps', () => {
    // Act
    const result = evaluateRecordedGear(MODEL, 5);

    // Assert
    expect(result.met).toEqual(ALL_KEYS);
    expect(result.nextSteps).toEqual([]);
    expect(result.progress).toBeNull();
  });
});

describe('parseGear', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [5, 5],
    ['4', 4],
    [' 2 ', 2],
  ])('when given %j, then it is gear %i', (value, expected) => {
    expect(parseGear(value)).toBe(expected);
  });

  it.each([
    0,
    6,
    -1,
    2.5,
    '2.5',
    'x',
    '',
    '  ',
    null,
    undefined,
    true,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    [3],
    {},
  ])('when given %j, then it throws a ValidationError with code invalid_gear', (value) => {
    // Act
    const error = thrownBy(() => parseGear(value));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_gear');
    expect((error as ValidationError).message).toContain('geen versnelling');
  });
});

describe('evaluate properties with arbitrary v1 answers', () => {
  const answerArb: fc.Arbitrary<Answer> = fc.oneof(
    fc.constantFrom<AnswerValue>('ja', 'deels', 'nee').map((value) => ({ answer: value, note: null })),
    fc
      .constantFrom('geen publiekscontact', 'geen eigen gebouw')
      .map((note) => ({ answer: 'nvt' as const, note })),
  );
  const answersArb: fc.Arbitrary<Answers> = fc.record(
    Object.fromEntries(ALL_KEYS.map((k) => [k, answerArb])) as Record<string, fc.Arbitrary<Answer>>,
  );

  it('when answers are arbitrary, then the gear is always a whole number from 1 to 5', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const { gear } = evaluate(MODEL, answers);
        expect(Number.isInteger(gear)).toBe(true);
        expect(gear).toBeGreaterThanOrEqual(1);
        expect(gear).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('when answers are arbitrary, then the gear is exactly the highest g with every criterion of gears 2..g met', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const { gear } = evaluate(MODEL, answers);
        const allMet = (g: number) => keysOf(g).every((k) => isMet(answers[k]));
        for (let g = 2; g <= gear; g++) expect(allMet(g)).toBe(true);
        if (gear < 5) expect(allMet(gear + 1)).toBe(false);
      }),
    );
  });

  it('when any one criterion is flipped to ja, then the gear never goes down', () => {
    fc.assert(
      fc.property(answersArb, fc.constantFrom(...ALL_KEYS), (answers, key) => {
        const before = evaluate(MODEL, answers).gear;
        const after = evaluate(MODEL, { ...answers, [key]: { answer: 'ja', note: null } }).gear;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('when answers are arbitrary, then the next steps are exactly the unmet criteria of the next gear', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const result = evaluate(MODEL, answers);
        const expected = result.gear === 5 ? [] : keysOf(result.gear + 1).filter((k) => !isMet(answers[k]));
        expect(result.nextSteps.map((s) => s.key)).toEqual(expected);
        expect(result.nextSteps.every((s) => s.gear === ((result.gear + 1) as Gear))).toBe(true);
      }),
    );
  });

  it('when answers are arbitrary, then progress met plus the number of next steps is the size of the next gear', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const result = evaluate(MODEL, answers);
        if (result.gear === 5) {
          expect(result.progress).toBeNull();
          return;
        }
        expect(result.progress).not.toBeNull();
        expect(result.progress!.total).toBe(keysOf(result.gear + 1).length);
        expect(result.progress!.met + result.nextSteps.length).toBe(result.progress!.total);
      }),
    );
  });

  it('when arbitrary well-formed answers are validated, then they pass unchanged and evaluate the same', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const validated = validateAnswers(MODEL, answers);
        expect(validated).toEqual(answers);
        expect(evaluate(MODEL, validated).gear).toBe(evaluate(MODEL, answers).gear);
      }),
    );
  });

  it('when every criterion is ja, then the gear is 5', () => {
    expect(evaluate(MODEL, answersWith('ja')).gear).toBe(5);
  });

  it('when every criterion is ja or nvt, then the gear is 5', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL_KEYS)), (nvtKeys) => {
        const overrides = Object.fromEntries(nvtKeys.map((k) => [k, 'nvt' as const]));
        expect(evaluate(MODEL, answersWith('ja', overrides)).gear).toBe(5);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Model version 2: "n.v.t." only where the criterion allows it, and unanswered above the first gap

const V2 = SCHAKELMODEL_V2;
/** The criteria version 2 refuses "n.v.t." for: the written protocol and the chain cooperation. */
const NO_NVT = ['2a', '5a', '5b', '5c'];
const gearOfKey = (key: string): number => Number(key[0]);

/** Answers for some criteria only: `value` for each key. */
function answersFor(keys: string[], value: AnswerValue): Answers {
  return Object.fromEntries(keys.map((k) => [k, answer(value)]));
}

/** Raw answers for some v2 criteria: `value` for each key, with a reason for nvt. */
function rawFor(keys: string[], value: AnswerValue): Record<string, unknown> {
  return Object.fromEntries(
    keys.map((k) => [k, value === 'nvt' ? { answer: 'nvt', note: 'niet van toepassing hier' } : value]),
  );
}

describe('validateAnswers with the v2 model: n.v.t. per criterion', () => {
  it.each(NO_NVT)(
    'when %s is answered nvt with a reason, then it is refused as answer_invalid in plain Dutch',
    (key) => {
      // Arrange
      const raw = { ...rawFor(ALL_KEYS, 'ja'), ...rawFor([key], 'nvt') };

      // Act
      const error = thrownBy(() => validateAnswers(V2, raw));

      // Assert
      expect((error as ValidationError).code).toBe('invalid_answers');
      expect(problemsOf(error)).toEqual([
        {
          code: 'answer_invalid',
          criterion: key,
          message: `criterium '${key}': bij dit criterium kan niet "nvt" (niet van toepassing) worden gekozen; kies "ja", "deels" of "nee"`,
        },
      ]);
    },
  );

  it.each(ALL_KEYS.filter((k) => !NO_NVT.includes(k)))(
    'when %s is answered nvt with a reason, then it is accepted and counts as met',
    (key) => {
      // Arrange
      const raw = { ...rawFor(ALL_KEYS, 'ja'), ...rawFor([key], 'nvt') };

      // Act
      const answers = validateAnswers(V2, raw);

      // Assert
      expect(answers[key]).toEqual({ answer: 'nvt', note: 'niet van toepassing hier' });
      expect(evaluate(V2, answers).gear).toBe(5);
    },
  );

  it('when every criterion is answered nvt with a reason, then it is refused at 2a and at 5a, 5b and 5c', () => {
    // Arrange
    const raw = rawFor(ALL_KEYS, 'nvt');

    // Act
    const error = thrownBy(() => validateAnswers(V2, raw));

    // Assert
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual(
      NO_NVT.map((k) => ['answer_invalid', k]),
    );
  });

  it('when nvt reaches evaluate for a criterion that does not allow it, then it counts as not met', () => {
    // Arrange: answers that never went through validateAnswers
    const answers = answersWith('nvt');

    // Act
    const result = evaluate(V2, answers);

    // Assert
    expect(result.gear).toBe(1);
    expect(result.nextSteps.map((s) => s.key)).toEqual(['2a']);
    expect(result.gears.find((g) => g.gear === 5)!.unmet).toEqual(['5a', '5b', '5c']);
    expect(evaluate(MODEL, answers).gear).toBe(5);
  });

  it('when nvt comes without a reason where it is allowed, then the reason is still required', () => {
    // Arrange
    const raw = { ...rawFor(ALL_KEYS, 'ja'), '4e': 'nvt' };

    // Act
    const error = thrownBy(() => validateAnswers(V2, raw));

    // Assert
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual([['note_required', '4e']]);
  });
});

describe('validateAnswers with the v2 model: unanswered above the first gap', () => {
  it.each([
    [
      'a gear-1 organisation answers only gear 2, with 2b nee',
      { ...rawFor(KEYS_OF[2], 'ja'), '2b': 'nee' },
      1,
    ],
    [
      'gear 2 is met and gear 3 has a deels; gears 4 and 5 stay open',
      { ...rawFor([...KEYS_OF[2], ...KEYS_OF[3]], 'ja'), '3c': 'deels' },
      2,
    ],
    [
      'gears 2 and 3 are met and gear 4 has a nee; gear 5 stays open',
      { ...rawFor([...KEYS_OF[2], ...KEYS_OF[3], ...KEYS_OF[4]], 'ja'), '4b': 'nee' },
      3,
    ],
    ['gear 2 is all nee; nothing above it is answered', rawFor(KEYS_OF[2], 'nee'), 1],
    [
      'gear 2 has 2a deels and gear 4 is answered anyway',
      { ...rawFor(KEYS_OF[2], 'ja'), '2a': 'deels', ...rawFor(KEYS_OF[4], 'ja') },
      1,
    ],
  ] as const)(
    'when %s, then the answers are accepted and the organisation is in gear %i',
    (_label, raw, gear) => {
      // Act
      const answers = validateAnswers(V2, raw);

      // Assert
      expect(Object.keys(answers)).toEqual(
        Object.keys(raw).sort((a, b) => ALL_KEYS.indexOf(a) - ALL_KEYS.indexOf(b)),
      );
      expect(evaluate(V2, answers).gear).toBe(gear);
    },
  );

  it('when criteria above the first gap are left open, then they count as not met', () => {
    // Arrange: gear 2 met, gear 3 fully answered with 3a nee, gears 4 and 5 open
    const raw = { ...rawFor([...KEYS_OF[2], ...KEYS_OF[3]], 'ja'), '3a': 'nee' };

    // Act
    const result = evaluate(V2, validateAnswers(V2, raw));

    // Assert
    expect(result.gear).toBe(2);
    expect(result.nextSteps.map((s) => s.key)).toEqual(['3a']);
    expect(result.gears.map((g) => [g.gear, g.met.length, g.unmet])).toEqual([
      [2, 4, []],
      [3, 4, ['3a']],
      [4, 0, KEYS_OF[4]],
      [5, 0, KEYS_OF[5]],
    ]);
    expect(result.met).toEqual([...KEYS_OF[2], '3b', '3c', '3d', '3e']);
  });

  it.each([
    ['nothing is answered: every criterion of gear 2', {}, KEYS_OF[2]],
    [
      '2b is nee and 2c is open: 2c, in the first gap itself',
      { ...rawFor(['2a', '2b', '2d'], 'ja'), '2b': 'nee' },
      ['2c'],
    ],
    [
      'gear 2 is met, 3a is nee and 3b to 3e are open: 3b to 3e',
      { ...rawFor(KEYS_OF[2], 'ja'), '3a': 'nee' },
      ['3b', '3c', '3d', '3e'],
    ],
    [
      'gears 2 to 4 are met and gear 5 is open: gear 5 is the first gap',
      rawFor([...KEYS_OF[2], ...KEYS_OF[3], ...KEYS_OF[4]], 'ja'),
      KEYS_OF[5],
    ],
    ['2a is open and everything else is ja: 2a', rawFor(ALL_KEYS.slice(1), 'ja'), ['2a']],
  ] as const)('when %s is refused as answer_missing', (_label, raw, missing) => {
    // Act
    const error = thrownBy(() => validateAnswers(V2, raw));

    // Assert
    expect((error as ValidationError).code).toBe('invalid_answers');
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual(
      missing.map((k) => ['answer_missing', k]),
    );
  });

  it('when 2a is answered nvt, then it is no gap-closer: only 2a is refused, the gears above may stay open', () => {
    // Arrange
    const raw = { ...rawFor(KEYS_OF[2], 'ja'), ...rawFor(['2a'], 'nvt') };

    // Act
    const error = thrownBy(() => validateAnswers(V2, raw));

    // Assert
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual([['answer_invalid', '2a']]);
  });

  it('when a criterion above the first gap is answered, then its answer is still checked', () => {
    // Arrange: gap at gear 2; 5a nvt and 4e nvt without reason are wrong all the same
    const raw = { ...rawFor(KEYS_OF[2], 'nee'), ...rawFor(['5a'], 'nvt'), '4e': 'nvt', '3a': 'misschien' };

    // Act
    const error = thrownBy(() => validateAnswers(V2, raw));

    // Assert
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual([
      ['answer_invalid', '3a'],
      ['note_required', '4e'],
      ['answer_invalid', '5a'],
    ]);
  });

  it.each([
    ['nothing is answered', {}, 2],
    ['gear 2 is all ja, the rest open', answersFor(KEYS_OF[2], 'ja'), 3],
    ['everything is ja but 3b deels', { ...answersWith('ja'), '3b': answer('deels') }, 3],
    ['everything is ja but 2a nvt, which v2 refuses', { ...answersWith('ja'), '2a': answer('nvt') }, 2],
    ['everything is ja but 4e nvt, which v2 allows', { ...answersWith('ja'), '4e': answer('nvt') }, 5],
    ['everything is ja', answersWith('ja'), 5],
  ])(
    'when %s, then v2 wants every answer through gear %i and v1 through gear 5',
    (_label, answers, through) => {
      expect(mustAnswerThrough(V2, answers)).toBe(through);
      expect(mustAnswerThrough(MODEL, answers)).toBe(5);
    },
  );
});

describe('the v1 model keeps its rules', () => {
  it('when 2a and the criteria of gear 5 are answered nvt with a reason, then v1 accepts them and gives gear 5', () => {
    // Arrange
    const raw = { ...rawFor(ALL_KEYS, 'ja'), ...rawFor(NO_NVT, 'nvt') };

    // Act
    const answers = validateAnswers(MODEL, raw);

    // Assert
    expect(evaluate(MODEL, answers).gear).toBe(5);
  });

  it('when a gear-1 organisation leaves the gears above 2 open, then v1 still demands every answer', () => {
    // Act
    const error = thrownBy(() => validateAnswers(MODEL, rawFor(KEYS_OF[2], 'nee')));

    // Assert
    expect(problemsOf(error).map((p) => [p.code, p.criterion])).toEqual(
      ALL_KEYS.filter((k) => gearOfKey(k) > 2).map((k) => ['answer_missing', k]),
    );
  });
});

describe('validateAnswers properties with arbitrary, partly unanswered answers', () => {
  /** Per criterion: not answered, or one of the four answers (nvt with a reason). */
  const maybeAnswerArb = fc.option(
    fc.constantFrom<AnswerValue>('ja', 'deels', 'nee', 'nvt').map((value) => answer(value)),
    { nil: undefined, freq: 3 },
  );
  const partialArb: fc.Arbitrary<Answers> = fc.tuple(...ALL_KEYS.map(() => maybeAnswerArb)).map((values) => {
    const result: Answers = {};
    values.forEach((a, i) => {
      if (a) result[ALL_KEYS[i]!] = a;
    });
    return result;
  });

  it('when v2 answers are arbitrary, then they are accepted exactly when no nvt is refused and everything through the gear after the reached one is answered', () => {
    fc.assert(
      fc.property(partialArb, (raw) => {
        const gear = evaluate(V2, raw).gear;
        const firstGap = Math.min(5, gear + 1);
        const refusedNvt = NO_NVT.filter((k) => raw[k]?.answer === 'nvt');
        const missing = ALL_KEYS.filter((k) => raw[k] === undefined && gearOfKey(k) <= firstGap);
        let problems: AnswerProblem[] = [];
        try {
          expect(validateAnswers(V2, raw)).toEqual(raw);
        } catch (error) {
          problems = problemsOf(error);
        }
        expect(problems.filter((p) => p.code === 'answer_missing').map((p) => p.criterion)).toEqual(missing);
        expect(problems.filter((p) => p.code === 'answer_invalid').map((p) => p.criterion)).toEqual(
          refusedNvt,
        );
        expect(problems.every((p) => p.code === 'answer_missing' || p.code === 'answer_invalid')).toBe(true);
      }),
    );
  });

  it('when v2 answers are accepted, then gear 5 is only reached with 2a, 5a, 5b and 5c answered ja', () => {
    fc.assert(
      fc.property(partialArb, (raw) => {
        let accepted: Answers;
        try {
          accepted = validateAnswers(V2, raw);
        } catch {
          return;
        }
        const result = evaluate(V2, accepted);
        if (result.gear >= 2) expect(accepted['2a']?.answer).toBe('ja');
        if (result.gear === 5) for (const k of KEYS_OF[5]) expect(accepted[k]?.answer).toBe('ja');
        for (const k of ALL_KEYS) if (accepted[k] === undefined) expect(result.met).not.toContain(k);
      }),
    );
  });

  it('when every v2 answer is nvt or unanswered, then no quickscan is accepted', () => {
    fc.assert(
      fc.property(fc.subarray(ALL_KEYS), (keys) => {
        expect(() => validateAnswers(V2, rawFor(keys, 'nvt'))).toThrow(ValidationError);
      }),
    );
  });

  it('when v1 answers are arbitrary, then every unanswered criterion is refused and nvt is never refused', () => {
    fc.assert(
      fc.property(partialArb, (raw) => {
        const missing = ALL_KEYS.filter((k) => raw[k] === undefined);
        let problems: AnswerProblem[] = [];
        try {
          validateAnswers(MODEL, raw);
        } catch (error) {
          problems = problemsOf(error);
        }
        expect(problems.map((p) => [p.code, p.criterion])).toEqual(missing.map((k) => ['answer_missing', k]));
      }),
    );
  });
});
