import { describe, expect, it } from 'vitest';
import { type Answers, evaluate } from '../../server/domain/gear-engine.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import {
  allCriteria,
  allowsNotApplicable,
  GEARS,
  gearDefinition,
  modelRef,
  type Schakelmodel,
  schakelmodelSchema,
} from '../../server/domain/schakelmodel.ts';
import { ALL_KEYS } from '../support.ts';

/** A deep, mutable copy of the v1 model to bend into invalid shapes. */
function copyOfV1(): Schakelmodel {
  return structuredClone(SCHAKELMODEL_V1) as Schakelmodel;
}

function issueMessages(model: unknown): string[] {
  const result = schakelmodelSchema.safeParse(model);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe('SCHAKELMODEL_V1', () => {
  it('when listing all criteria, then the keys are 2a..2d, 3a..3e, 4a..4e, 5a..5c in that order', () => {
    // Act
    const keys = allCriteria(SCHAKELMODEL_V1).map((c) => c.key);

    // Assert
    expect(keys).toEqual(ALL_KEYS);
  });

  it('when listing all criteria, then each one carries the gear its key starts with', () => {
    // Act
    const criteria = allCriteria(SCHAKELMODEL_V1);

    // Assert
    for (const c of criteria) expect(String(c.gear)).toBe(c.key[0]);
  });

  it('when reading the gears, then they are numbered 1 to 5 with the names from the domain brief', () => {
    // Act
    const gears = SCHAKELMODEL_V1.gears.map((g) => [g.gear, g.name]);

    // Assert
    expect(gears).toEqual([
      [1, 'Startpositie'],
      [2, 'Basis gelegd'],
      [3, 'Protocol werkt'],
      [4, 'Consequent en geborgd'],
      [5, 'Ketensamenwerking'],
    ]);
    expect(SCHAKELMODEL_V1.gears.map((g) => g.gear)).toEqual([...GEARS]);
  });

  it('when reading gear 1, then it has no criteria because every member starts there', () => {
    expect(gearDefinition(SCHAKELMODEL_V1, 1)?.criteria).toEqual([]);
  });

  it('when reading every criterion, then each one has a text and guidance for the next-steps view', () => {
    for (const c of allCriteria(SCHAKELMODEL_V1)) {
      expect(c.text.trim().length, c.key).toBeGreaterThan(0);
      expect(c.guidance.trim().length, c.key).toBeGreaterThan(0);
    }
  });

  it.each([
    ['2a', 'borging'],
    ['2b', '1'],
    ['2c', '1'],
    ['2d', '3'],
    ['3a', '4'],
    ['3b', '2'],
    ['3c', '8'],
    ['3d', '6'],
    ['3e', 'borging (operationeel)'],
    ['4a', '5'],
    ['4b', '7'],
    ['4c', 'borging (tactisch)'],
    ['4d', 'borging (strategisch)'],
    ['4e', '9'],
    ['5a', 'ELA'],
    ['5b', 'netwerk'],
    ['5c', 'ELA / borging'],
  ])('when reading criterion %s, then it traces back to measure %j', (key, measure) => {
    // Act
    const criterion = allCriteria(SCHAKELMODEL_V1).find((c) => c.key === key);

    // Assert
    expect(criterion?.measure).toBe(measure);
  });

  it('when asking for its reference, then it is vpt-schakelmodel version 1', () => {
    expect(modelRef(SCHAKELMODEL_V1)).toEqual({ id: 'vpt-schakelmodel', version: 1 });
  });

  it('when asking for a gear that does not exist, then gearDefinition gives undefined', () => {
    expect(gearDefinition(SCHAKELMODEL_V1, 6)).toBeUndefined();
  });

  it('when validated again by the schema, then it is accepted unchanged', () => {
    // Act
    const result = schakelmodelSchema.safeParse(copyOfV1());

    // Assert
    expect(result.success).toBe(true);
    expect(result.data).toEqual(SCHAKELMODEL_V1);
  });
});

describe('schakelmodelSchema', () => {
  it('when a model has only 4 gears, then it is rejected', () => {
    // Arrange
    const model = copyOfV1();
    model.gears = model.gears.slice(0, 4);

    // Act
    const result = schakelmodelSchema.safeParse(model);

    // Assert
    expect(result.success).toBe(false);
    expect(issueMessages(model).join('\n')).toContain('precies 5 versnellingen');
  });

  it('when a model has 6 gears, then it is rejected', () => {
    // Arrange
    const model = copyOfV1();
    model.gears.push({ ...model.gears[4]!, gear: 5 });

    // Act
    const result = schakelmodelSchema.safeParse(model);

    // Assert
    expect(result.success).toBe(false);
  });

  it('when gears 2 and 3 are swapped, then it is rejected because the gears are out of order', () => {
    // Arrange
    const model = copyOfV1();
    const [g2, g3] = [model.gears[1]!, model.gears[2]!];
    model.gears[1] = g3;
    model.gears[2] = g2;

    // Act
    const messages = issueMessages(model);

    // Assert
    expect(messages).toContain('versnelling op plaats 2 moet nummer 2 hebben');
    expect(messages).toContain('versnelling op plaats 3 moet nummer 3 hebben');
  });

  it('when gear 1 has a criterion, then it is rejected because gear 1 is the starting position', () => {
    // Arrange
    const model = copyOfV1();
    model.gears[0]!.criteria.push({
      key: '1a',
      text: 'Lid van het netwerk.',
      measure: 'netwerk',
      guidance: 'Word lid.',
    });

    // Act
    const messages = issueMessages(model);

    // Assert
    expect(messages).toEqual(['versnelling 1 is de startpositie en heeft geen criteria']);
  });

  it('when gear 3 has no criteria, then it is rejected', () => {
    // Arrange
    const model = copyOfV1();
    model.gears[2]!.criteria = [];

    // Act
    const messages = issueMessages(model);

    // Assert
    expect(messages).toEqual(['versnelling 3 heeft minstens één criterium nodig']);
  });

  it('when two criteria share a key, then it is rejected naming the duplicate key', () => {
    // Arrange
    const model = copyOfV1();
    model.gears[3]!.criteria[1]!.key = '3a';

    // Act
    const result = schakelmodelSchema.safeParse(model);

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        message: "criterium '3a' komt dubbel voor",
        path: ['gears', 3, 'criteria', 1, 'key'],
      }),
    ]);
  });

  it.each([
    ['an empty key', ''],
    ['a key with a space', '3 f'],
    ['a key that is too long', 'a'.repeat(17)],
  ])('when a criterion has %s, then it is rejected', (_label, key) => {
    // Arrange
    const model = copyOfV1();
    model.gears[2]!.criteria[0]!.key = key;

    // Act
    const result = schakelmodelSchema.safeParse(model);

    // Assert
    expect(result.success).toBe(false);
  });

  it('when a criterion has no guidance, then it is rejected', () => {
    // Arrange
    const model = copyOfV1();
    model.gears[2]!.criteria[0]!.guidance = '   ';

    // Act
    const result = schakelmodelSchema.safeParse(model);

    // Assert
    expect(result.success).toBe(false);
  });

  it('when a region adds a criterion 3f, then the model is accepted and gear 3 needs it too', () => {
    // Arrange
    const model = copyOfV1();
    model.id = 'vpt-schakelmodel-regio';
    model.gears[2]!.criteria.push({
      key: '3f',
      text: 'Er is een alarmeringsprocedure.',
      measure: 'regionaal',
      guidance: 'Leg vast hoe medewerkers alarm slaan en wie er dan komt.',
    });

    // Act
    const parsed = schakelmodelSchema.parse(model);

    // Assert
    const keys = allCriteria(parsed).map((c) => c.key);
    expect(keys.indexOf('3f')).toBe(keys.indexOf('3e') + 1);
    const answers: Answers = Object.fromEntries(keys.map((k) => [k, { answer: 'ja', note: null }]));
    answers['3f'] = { answer: 'nee', note: null };
    const result = evaluate(parsed, answers);
    expect(result.gear).toBe(2);
    expect(result.nextSteps.map((s) => s.key)).toEqual(['3f']);
    expect(result.progress).toEqual({ met: 5, total: 6 });
  });
});

describe('SCHAKELMODEL_V2', () => {
  /** The measures by name, as DOMAIN.md lists them for version 2. */
  const NAMED_MEASURES = [
    'norm stellen',
    'training',
    'melden',
    'registreren',
    'aangifte',
    'reageren naar de dader',
    'schade verhalen',
    'opvang en nazorg',
    'preventie/gastvrijheid',
    'ELA',
    'borging (operationeel)',
    'borging (tactisch)',
    'netwerk',
  ];
  const v2 = (key: string) => allCriteria(SCHAKELMODEL_V2).find((c) => c.key === key)!;
  const v1 = (key: string) => allCriteria(SCHAKELMODEL_V1).find((c) => c.key === key)!;

  it('when asking for its reference, then it is vpt-schakelmodel version 2, with the same keys and gear names as v1', () => {
    expect(modelRef(SCHAKELMODEL_V2)).toEqual({ id: 'vpt-schakelmodel', version: 2 });
    expect(allCriteria(SCHAKELMODEL_V2).map((c) => c.key)).toEqual(ALL_KEYS);
    expect(SCHAKELMODEL_V2.gears.map((g) => g.name)).toEqual(SCHAKELMODEL_V1.gears.map((g) => g.name));
  });

  it('when validated again by the schema, then it is accepted unchanged', () => {
    expect(schakelmodelSchema.parse(structuredClone(SCHAKELMODEL_V2))).toEqual(SCHAKELMODEL_V2);
  });

  it('when reading its rules, then criteria above the first gap may stay open and v1 keeps demanding every answer', () => {
    expect(SCHAKELMODEL_V2.unansweredAboveFirstGap).toBe(true);
    expect(SCHAKELMODEL_V1.unansweredAboveFirstGap).toBe(false);
  });

  it('when reading n.v.t. per criterion, then it is refused exactly for 2a, 5a, 5b and 5c, and v1 allows it everywhere', () => {
    const refused = allCriteria(SCHAKELMODEL_V2).filter((c) => !allowsNotApplicable(c));
    expect(refused.map((c) => c.key)).toEqual(['2a', '5a', '5b', '5c']);
    expect(allCriteria(SCHAKELMODEL_V1).every((c) => c.notApplicable === true)).toBe(true);
  });

  it.each([
    ['2a', 'borging (tactisch)'],
    ['2b', 'norm stellen'],
    ['2c', 'norm stellen'],
    ['2d', 'melden'],
    ['3a', 'registreren'],
    ['3b', 'training'],
    ['3c', 'opvang en nazorg'],
    ['3d', 'reageren naar de dader'],
    ['3e', 'borging (operationeel)'],
    ['4a', 'aangifte'],
    ['4b', 'schade verhalen'],
    ['4c', 'borging (tactisch)'],
    ['4d', 'borging (tactisch)'],
    ['4e', 'preventie/gastvrijheid'],
    ['5a', 'ELA'],
    ['5b', 'netwerk'],
    ['5c', 'ELA'],
  ])('when reading criterion %s, then its measure is named %j', (key, measure) => {
    expect(v2(key).measure).toBe(measure);
    expect(NAMED_MEASURES).toContain(measure);
  });

  it('when reading 2d, then employees are encouraged to report every incident, not only told how', () => {
    expect(v2('2d').text).toBe(
      'Medewerkers worden gestimuleerd elk incident te melden en weten hoe en waar.',
    );
  });

  it('when reading 3d, then its guidance speaks of a toegangsbeperking and no part of the model of a toegangsverbod', () => {
    expect(v2('3d').guidance).toContain('toegangsbeperking');
    const everything = JSON.stringify(SCHAKELMODEL_V2).toLowerCase();
    expect(everything).not.toContain('toegangsverbod');
  });

  it('when reading 5a, then the organisation knows the ELA and its contact persons, and the +200% is the OM policy', () => {
    const { guidance } = v2('5a');
    expect(guidance).toContain('Eenduidige Landelijke Afspraken');
    expect(guidance).toContain('contactpersonen bij politie en OM');
    expect(guidance).toContain('beleid van het OM, geen afspraak die de werkgever maakt');
  });

  it('when comparing with v1, then only the texts DOMAIN.md names differ', () => {
    const changedText = ALL_KEYS.filter((k) => v1(k).text !== v2(k).text);
    const changedGuidance = ALL_KEYS.filter((k) => v1(k).guidance !== v2(k).guidance);
    expect(changedText).toEqual(['2d', '4d']);
    expect(changedGuidance).toEqual(['2d', '3d', '4d', '5a']);
  });
});

describe('the model file defaults for version 2 fields', () => {
  /** A model file as version 1 was written before the fields existed. */
  function legacyV1File(): Record<string, unknown> {
    const { unansweredAboveFirstGap: _rule, ...rest } = structuredClone(SCHAKELMODEL_V1);
    return {
      ...rest,
      gears: rest.gears.map((g) => ({
        ...g,
        criteria: g.criteria.map(({ notApplicable: _nvt, ...c }) => c),
      })),
    };
  }

  it('when a file does not say, then every criterion allows nvt and every answer is required', () => {
    // Act
    const parsed = schakelmodelSchema.parse(legacyV1File());

    // Assert
    expect(parsed.unansweredAboveFirstGap).toBe(false);
    expect(allCriteria(parsed).every((c) => c.notApplicable === true)).toBe(true);
  });

  it('when the stored v1 definition without the fields is read, then its JSON is exactly that of v1 (the registry compares them)', () => {
    // Act
    const parsed = schakelmodelSchema.parse(JSON.parse(JSON.stringify(legacyV1File())));

    // Assert
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(SCHAKELMODEL_V1));
  });

  it.each([
    [
      'a criterion whose notApplicable is not a boolean',
      (m: Schakelmodel) => {
        (m.gears[1]!.criteria[0] as unknown as Record<string, unknown>).notApplicable = 'nee';
      },
    ],
    [
      'a rule flag that is not a boolean',
      (m: Schakelmodel) => {
        (m as unknown as Record<string, unknown>).unansweredAboveFirstGap = 1;
      },
    ],
  ])('when a file has %s, then it is rejected', (_label, bend) => {
    // Arrange
    const model = copyOfV1();
    bend(model);

    // Act
    const result = schakelmodelSchema.safeParse(model);

    // Assert
    expect(result.success).toBe(false);
  });
});
