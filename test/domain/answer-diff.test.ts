// Why did the gear move (issue 10, item 4): the pure diff of two quickscans' answers, the union of
// two model versions' criteria, and the plain Dutch explanation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnswerSource,
  changedCriteria,
  criteriaUnion,
  type DiffSide,
  diffAnswers,
  explainGearDiff,
  type GearSideFacts,
  isMetAnswer,
  MET_CHANGE_TEXT,
  metChange,
} from '../../server/domain/answer-diff.ts';
import { ANSWER_VALUES, type Answers, type AnswerValue, evaluate } from '../../server/domain/gear-engine.ts';
import { allCriteria, type Schakelmodel } from '../../server/domain/model-types.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { ALL_KEYS, answersForGear, KEYS_OF } from '../support.ts';

const v1 = SCHAKELMODEL_V1;

/** Model v1 with `2c` removed and a new `2e` after `2d` and `5d` at the end: another version. */
const v2: Schakelmodel = {
  ...v1,
  version: 2,
  gears: v1.gears.map((g) => {
    const criteria = g.criteria.filter((c) => c.key !== '2c');
    if (g.gear === 2)
      criteria.push({ key: '2e', text: 'Nieuw criterium 2e.', measure: 'melden', guidance: '–' });
    if (g.gear === 5)
      criteria.push({ key: '5d', text: 'Nieuw criterium 5d.', measure: 'netwerk', guidance: '–' });
    return { ...g, criteria };
  }),
};

const side = (answers: AnswerSource | null, model: Schakelmodel | null = v1): DiffSide => ({
  model,
  answers,
});

/** Answers as bare values from the test helper (every criterion answered). */
function answersOf(gear: number, overrides: Record<string, AnswerValue> = {}): Record<string, AnswerValue> {
  return answersForGear(gear, overrides) as Record<string, AnswerValue>;
}

describe('isMetAnswer and metChange', () => {
  it.each([
    ['ja', true],
    ['nvt', true],
    ['deels', false],
    ['nee', false],
    [null, false],
  ] as const)('when the answer is %s, then met is %s', (answer, met) => {
    expect(isMetAnswer(answer)).toBe(met);
  });

  it.each([
    [false, true, 'now_met', 'nu voldaan'],
    [true, false, 'no_longer_met', 'niet meer voldaan'],
    [true, true, 'still_met', 'nog steeds voldaan'],
    [false, false, 'still_unmet', 'nog steeds niet voldaan'],
  ] as const)('when met goes from %s to %s, then the change is %s ("%s")', (fromMet, toMet, change, text) => {
    expect(metChange({ fromMet, toMet })).toBe(change);
    expect(MET_CHANGE_TEXT[change]).toBe(text);
  });
});

describe('diffAnswers: one model', () => {
  it('when 3b goes from nee to ja and 2d from ja to deels, then exactly those two change, in model order, with met before and after', () => {
    // Arrange
    const before = answersOf(2, { '3b': 'nee' });
    const after = answersOf(2, { '3b': 'ja', '2d': 'deels' });

    // Act
    const changes = changedCriteria(side(before), side(after));

    // Assert
    expect(changes).toEqual([
      {
        key: '2d',
        text: allCriteria(v1).find((c) => c.key === '2d')!.text,
        gear: 2,
        from: 'ja',
        to: 'deels',
        fromMet: true,
        toMet: false,
        changed: true,
      },
      {
        key: '3b',
        text: allCriteria(v1).find((c) => c.key === '3b')!.text,
        gear: 3,
        from: 'nee',
        to: 'ja',
        fromMet: false,
        toMet: true,
        changed: true,
      },
    ]);
  });

  it('when an answer goes from ja to nvt, then it changed but stays met', () => {
    const [change] = changedCriteria(side(answersOf(5)), side(answersOf(5, { '4e': 'nvt' })));
    expect(change).toMatchObject({ key: '4e', from: 'ja', to: 'nvt', fromMet: true, toMet: true });
  });

  it('when answers come as { answer, note } (a stored quickscan), then they read the same as bare values', () => {
    const stored = Object.fromEntries(
      Object.entries(answersOf(3)).map(([k, a]) => [k, { answer: a, note: k === '2a' ? 'notitie' : null }]),
    );
    expect(changedCriteria(side(stored), side(answersOf(3)))).toEqual([]);
  });

  it('when every criterion is listed, then the rows follow the model and unchanged ones say so', () => {
    const rows = diffAnswers(side(answersOf(3)), side(answersOf(3)));
    expect(rows.map((r) => r.key)).toEqual(ALL_KEYS);
    expect(rows.every((r) => !r.changed)).toBe(true);
  });

  it('when one side has no answers (a recorded gear or no gear), then every answer of the other side is a change from or to null', () => {
    // Arrange
    const answers = answersOf(2, { '5a': 'deels' });

    // Act
    const gained = changedCriteria(null, side(answers));
    const lost = changedCriteria(side(answers), side(null));

    // Assert
    expect(gained.map((c) => [c.key, c.from, c.to])).toEqual(ALL_KEYS.map((k) => [k, null, answers[k]]));
    expect(gained.filter((c) => c.toMet).map((c) => c.key)).toEqual(KEYS_OF[2]);
    expect(lost.map((c) => [c.key, c.from, c.to])).toEqual(ALL_KEYS.map((k) => [k, answers[k], null]));
    expect(changedCriteria(null, null)).toEqual([]);
  });

  it('when a criterion is left unanswered (allowed above the first gap in model version 2), then it reads as null and not met', () => {
    const { '5c': _left, ...unanswered } = answersOf(5);
    const [change] = changedCriteria(side(answersOf(5)), side(unanswered));
    expect(change).toMatchObject({ key: '5c', from: 'ja', to: null, fromMet: true, toMet: false });
  });
});

describe('criteriaUnion and diffAnswers across model versions', () => {
  it("when the models differ, then the union has the later model's order with the earlier model's own criteria after the one they followed", () => {
    const keys = criteriaUnion(v1, v2).map((c) => c.key);
    expect(keys).toEqual(['2a', '2b', '2c', '2d', '2e', ...KEYS_OF[3], ...KEYS_OF[4], ...KEYS_OF[5], '5d']);
    expect(criteriaUnion(v2, v1).map((c) => c.key)).toEqual([
      '2a',
      '2b',
      '2c',
      '2d',
      '2e',
      ...KEYS_OF[3],
      ...KEYS_OF[4],
      ...KEYS_OF[5],
      '5d',
    ]);
  });

  it('when a criterion exists only in the earlier model, then it goes from its answer to null; one only in the later model from null', () => {
    // Arrange
    const before = answersOf(5);
    const { '2c': _gone, ...kept } = answersOf(5);
    const after = { ...kept, '2e': 'nee' as const, '5d': 'ja' as const };

    // Act
    const changes = changedCriteria(side(before, v1), side(after, v2));

    // Assert
    expect(changes.map((c) => [c.key, c.from, c.to, c.fromMet, c.toMet])).toEqual([
      ['2c', 'ja', null, true, false],
      ['2e', null, 'nee', false, false],
      ['5d', null, 'ja', false, true],
    ]);
    expect(changes.find((c) => c.key === '2e')!.text).toBe('Nieuw criterium 2e.');
  });

  it('when an answered key belongs to neither model, then it is still compared, after the known criteria', () => {
    const changes = changedCriteria(side({ ...answersOf(2), zz: 'ja' }, null), side(answersOf(2), null));
    expect(changes).toEqual([
      { key: 'zz', text: null, gear: null, from: 'ja', to: null, fromMet: true, toMet: false, changed: true },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const answerValue = fc.constantFrom<AnswerValue>(...ANSWER_VALUES);
/** Answers over model v1: every criterion answered or (as version 2 allows) left out. */
const answersArb = fc.record(
  Object.fromEntries(ALL_KEYS.map((k) => [k, answerValue])) as Record<string, fc.Arbitrary<AnswerValue>>,
  { requiredKeys: [] },
);

function engineAnswers(answers: Partial<Record<string, AnswerValue>>): Answers {
  const result: Answers = {};
  for (const [k, a] of Object.entries(answers)) if (a) result[k] = { answer: a, note: 'n' };
  return result;
}

/** A model version derived from v1: some criteria dropped, some new ones added per gear (in one order). */
const modelArb = fc
  .record({
    drop: fc.subarray(ALL_KEYS),
    add: fc.array(fc.record({ gear: fc.constantFrom(2, 3, 4, 5), n: fc.integer({ min: 1, max: 9 }) }), {
      maxLength: 4,
    }),
  })
  .map(
    ({ drop, add }): Schakelmodel => ({
      ...v1,
      version: 9,
      gears: v1.gears.map((g) => {
        const extra = add
          .filter((a) => a.gear === g.gear)
          .map((a) => `${g.gear}x${a.n}`)
          .filter((k, i, all) => all.indexOf(k) === i)
          // Versions of one model agree on the order of the criteria they share.
          .sort();
        return {
          ...g,
          criteria: [
            ...g.criteria.filter((c) => !drop.includes(c.key)),
            ...extra.map((key) => ({ key, text: key, measure: 'm', guidance: 'g' })),
          ],
        };
      }),
    }),
  );

/** True when `sub` appears in `list` in the same order. */
function isSubsequence(sub: string[], list: string[]): boolean {
  let i = 0;
  for (const k of list) if (k === sub[i]) i += 1;
  return i === sub.length;
}

describe('properties', () => {
  it('a criterion is listed as changed exactly when its answer differs, and met is exactly ja or nvt', () => {
    fc.assert(
      fc.property(answersArb, answersArb, (a, b) => {
        const rows = diffAnswers(side(a), side(b));
        expect(rows.map((r) => r.key)).toEqual(ALL_KEYS);
        for (const r of rows) {
          expect(r.from).toBe(a[r.key] ?? null);
          expect(r.to).toBe(b[r.key] ?? null);
          expect(r.changed).toBe(r.from !== r.to);
          expect(r.fromMet).toBe(r.from === 'ja' || r.from === 'nvt');
          expect(r.toMet).toBe(r.to === 'ja' || r.to === 'nvt');
        }
        expect(changedCriteria(side(a), side(b))).toEqual(rows.filter((r) => r.changed));
      }),
    );
  });

  it('comparing a quickscan with itself changes nothing, and swapping the two swaps every change', () => {
    fc.assert(
      fc.property(answersArb, answersArb, (a, b) => {
        expect(changedCriteria(side(a), side(a))).toEqual([]);
        const forth = changedCriteria(side(a), side(b));
        const back = changedCriteria(side(b), side(a));
        expect(back.map((c) => [c.key, c.to, c.from, c.toMet, c.fromMet])).toEqual(
          forth.map((c) => [c.key, c.from, c.to, c.fromMet, c.toMet]),
        );
      }),
    );
  });

  it('when the gear went up, a criterion of the gear above the old one is now met; when it went down, a criterion up to the old gear is no longer met', () => {
    fc.assert(
      fc.property(answersArb, answersArb, (a, b) => {
        const before = evaluate(v1, engineAnswers(a)).gear;
        const after = evaluate(v1, engineAnswers(b)).gear;
        const changes = changedCriteria(side(a), side(b));
        if (after > before) {
          expect(changes.some((c) => c.gear === before + 1 && metChange(c) === 'now_met')).toBe(true);
        }
        if (after < before) {
          expect(
            changes.some((c) => c.gear !== null && c.gear <= before && metChange(c) === 'no_longer_met'),
          ).toBe(true);
        }
        if (changes.every((c) => c.fromMet === c.toMet)) expect(after).toBe(before);
      }),
    );
  });

  it("the union of two model versions lists every criterion of both once, keeping each model's order", () => {
    fc.assert(
      fc.property(modelArb, modelArb, (earlier, later) => {
        const union = criteriaUnion(earlier, later).map((c) => c.key);
        const keysOf = (m: Schakelmodel) => allCriteria(m).map((c) => c.key);
        expect(new Set(union).size).toBe(union.length);
        expect(new Set(union)).toEqual(new Set([...keysOf(earlier), ...keysOf(later)]));
        expect(isSubsequence(keysOf(later), union)).toBe(true);
        expect(isSubsequence(keysOf(earlier), union)).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The explanation

const quickscanIn = (recordedIn: GearSideFacts['quarter'], gear = 3, version = 1) => ({
  recordedIn,
  gear,
  origin: 'quickscan' as const,
  model: { id: 'vpt-schakelmodel', version },
});

describe('explainGearDiff', () => {
  it('when the later gear was imported, then it says there are no answers and why', () => {
    const text = explainGearDiff(
      { quarter: '2016-Q1', member: true, entry: quickscanIn('2016-Q1') },
      {
        quarter: '2016-Q3',
        member: true,
        entry: { recordedIn: '2016-Q3', gear: 4, origin: 'import', model: null },
      },
      changedCriteria(side(answersOf(3)), null),
    );
    expect(text).toContain('Geen antwoorden: de versnelling in Q3 2016 is rechtstreeks vastgelegd (import).');
    expect(text).toContain(
      'Daarom staat elk antwoord van de quickscan van Q1 2016 als verschil in de lijst.',
    );
  });

  it('when a manually recorded gear was carried forward, then it says where it was recorded', () => {
    const text = explainGearDiff(
      {
        quarter: '2016-Q4',
        member: true,
        entry: { recordedIn: '2016-Q2', gear: 2, origin: 'manual', model: null },
      },
      { quarter: '2017-Q2', member: true, entry: quickscanIn('2017-Q2') },
      [],
    );
    expect(text).toBe(
      'Geen antwoorden: de versnelling in Q4 2016 is in Q2 2016 rechtstreeks vastgelegd (handmatig) en doorgeschoven.',
    );
  });

  it('when both quarters carry the same quickscan, then nothing changed', () => {
    expect(
      explainGearDiff(
        { quarter: '2016-Q2', member: true, entry: quickscanIn('2016-Q1') },
        { quarter: '2016-Q4', member: true, entry: quickscanIn('2016-Q1') },
        [],
      ),
    ).toBe('Beide kwartalen hebben dezelfde quickscan (uit Q1 2016, doorgeschoven): er veranderde niets.');
  });

  it('when both quarters carry the same directly recorded gear, then it says there are no answers and nothing changed', () => {
    const imported = { recordedIn: '2016-Q1' as const, gear: 2, origin: 'import' as const, model: null };
    expect(
      explainGearDiff(
        { quarter: '2016-Q2', member: true, entry: imported },
        { quarter: '2016-Q4', member: true, entry: imported },
        [],
      ),
    ).toBe(
      'Geen antwoorden: de versnelling in Q2 2016 is in Q1 2016 rechtstreeks vastgelegd (import) en doorgeschoven. ' +
        'Beide kwartalen hebben dezelfde versnelling (uit Q1 2016, doorgeschoven): er veranderde niets.',
    );
  });

  it('when there is no gear (not a member, or no quickscan yet), then it says which', () => {
    const text = explainGearDiff(
      { quarter: '2016-Q3', member: false, entry: null },
      { quarter: '2017-Q1', member: true, entry: null },
      [],
    );
    expect(text).toBe(
      'In Q3 2016 was de organisatie geen lid van het netwerk, en had ze dus geen versnelling. ' +
        'In Q1 2017 had de organisatie nog geen versnelling: er was in die lidmaatschapsperiode nog geen quickscan.',
    );
  });

  it('when two quickscans differ, then it counts the changed answers and what became met or unmet', () => {
    const changes = changedCriteria(
      side(answersOf(2, { '3b': 'nee' })),
      side(answersOf(2, { '3b': 'ja', '2d': 'deels' })),
    );
    expect(
      explainGearDiff(
        { quarter: '2016-Q1', member: true, entry: quickscanIn('2016-Q1', 2) },
        { quarter: '2016-Q3', member: true, entry: quickscanIn('2016-Q2', 1) },
        changes,
      ),
    ).toBe(
      'Tussen de quickscan van Q1 2016 en die van Q2 2016 veranderden 2 antwoorden: 1 nu voldaan, 1 niet meer voldaan.',
    );
    expect(
      explainGearDiff(
        { quarter: '2016-Q1', member: true, entry: quickscanIn('2016-Q1', 2) },
        { quarter: '2016-Q3', member: true, entry: quickscanIn('2016-Q3', 2) },
        [],
      ),
    ).toBe('Geen enkel antwoord veranderde tussen de quickscan van Q1 2016 en die van Q3 2016.');
  });

  it('when the quickscans were answered against different model versions, then it says so', () => {
    const text = explainGearDiff(
      { quarter: '2016-Q1', member: true, entry: quickscanIn('2016-Q1', 3, 1) },
      { quarter: '2017-Q1', member: true, entry: quickscanIn('2017-Q1', 3, 2) },
      [],
    );
    expect(text).toContain(
      'verschillende versies van het schakelmodel (vpt-schakelmodel versie 1 en vpt-schakelmodel versie 2)',
    );
  });
});
