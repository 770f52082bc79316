import { describe, expect, it } from 'vitest';
import { type Answers, evaluate } from '../../server/domain/gear-engine.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import {
  allCriteria,
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
