import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareQuarters,
  formatQuarter,
  isWithin,
  MAX_YEAR,
  MIN_YEAR,
  nextQuarter,
  parseQuarter,
  previousQuarter,
  type Quarter,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
  quarterRange,
  quarterStartDate,
  quartersBetween,
  readLooseQuarter,
} from '../../server/domain/quarter.ts';
import { ValidationError } from '../../server/errors.ts';
import { thrownBy } from '../support.ts';

const FIRST_INDEX = MIN_YEAR * 4;
const LAST_INDEX = MAX_YEAR * 4 + 3;

/** Any supported quarter, built from its running number. */
const quarterArb = fc.integer({ min: FIRST_INDEX, max: LAST_INDEX }).map(quarterFromIndex);

describe('parseQuarter', () => {
  it.each([
    ['2016-Q4', '2016-Q4'],
    ['2015-Q1', '2015-Q1'],
    ['2016-q4', '2016-Q4'],
    ['  2016-Q2  ', '2016-Q2'],
    [' 2017-q3\t', '2017-Q3'],
    [`${MIN_YEAR}-Q1`, `${MIN_YEAR}-Q1`],
    [`${MAX_YEAR}-Q4`, `${MAX_YEAR}-Q4`],
  ])('when given %j, then it returns the canonical quarter %j', (input, expected) => {
    // Act
    const result = parseQuarter(input);

    // Assert
    expect(result).toBe(expected);
  });

  it.each([
    '2016-Q5',
    '2016-Q0',
    '2016Q4',
    '16-Q4',
    'Q4 2016',
    '2016-Q',
    '2016-Q44',
    '',
    '   ',
    'kwartaal',
    `${MIN_YEAR - 1}-Q4`,
    `${MAX_YEAR + 1}-Q1`,
    '0000-Q1',
    '9999-Q4',
  ])(
    'when given %j, then it throws a ValidationError with code invalid_quarter and says the quarter does not exist',
    (input) => {
      // Act
      const error = thrownBy(() => parseQuarter(input));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      const validation = error as ValidationError;
      expect(validation.code).toBe('invalid_quarter');
      expect(validation.statusCode).toBe(400);
      expect(validation.message).toContain('bestaat niet');
      expect(validation.message).toContain(`'${input}'`);
    },
  );
});

describe('nextQuarter and previousQuarter', () => {
  it.each<[Quarter, Quarter]>([
    ['2016-Q1', '2016-Q2'],
    ['2016-Q3', '2016-Q4'],
    ['2015-Q4', '2016-Q1'],
    ['1999-Q4', '2000-Q1'],
  ])('when the quarter is %s, then the next quarter is %s', (q, expected) => {
    // Act
    const result = nextQuarter(q);

    // Assert
    expect(result).toBe(expected);
  });

  it.each<[Quarter, Quarter]>([
    ['2016-Q2', '2016-Q1'],
    ['2016-Q4', '2016-Q3'],
    ['2016-Q1', '2015-Q4'],
    ['2000-Q1', '1999-Q4'],
  ])('when the quarter is %s, then the previous quarter is %s', (q, expected) => {
    // Act
    const result = previousQuarter(q);

    // Assert
    expect(result).toBe(expected);
  });

  it('when stepping past the last supported quarter, then it throws a ValidationError', () => {
    // Act
    const error = thrownBy(() => nextQuarter(`${MAX_YEAR}-Q4`));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('when stepping before the first supported quarter, then it throws a ValidationError', () => {
    // Act
    const error = thrownBy(() => previousQuarter(`${MIN_YEAR}-Q1`));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('when taking the previous and then the next quarter of any quarter, then the original quarter comes back', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_INDEX + 1, max: LAST_INDEX }).map(quarterFromIndex), (q) => {
        expect(nextQuarter(previousQuarter(q))).toBe(q);
      }),
    );
  });

  it('when taking the next and then the previous quarter of any quarter, then the original quarter comes back', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_INDEX, max: LAST_INDEX - 1 }).map(quarterFromIndex), (q) => {
        expect(previousQuarter(nextQuarter(q))).toBe(q);
      }),
    );
  });
});

describe('quarterIndex and quarterFromIndex', () => {
  it('when converting any supported quarter to its running number and back, then the same quarter comes back', () => {
    fc.assert(
      fc.property(quarterArb, (q) => {
        expect(quarterFromIndex(quarterIndex(q))).toBe(q);
        expect(parseQuarter(q)).toBe(q);
      }),
    );
  });

  it('when a text is not canonical, then quarterIndex throws a ValidationError with code invalid_quarter', () => {
    // Act
    // A display text where a canonical quarter belongs: the function must refuse it.
    const error = thrownBy(() => quarterIndex('Q4 2016' as Quarter));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_quarter');
  });
});

describe('quarterRange', () => {
  it('when the period spans a year boundary, then every quarter from start to end is included', () => {
    // Act
    const result = quarterRange('2015-Q4', '2017-Q1');

    // Assert
    expect(result).toEqual(['2015-Q4', '2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4', '2017-Q1']);
  });

  it('when start and end are the same quarter, then the range holds just that quarter', () => {
    // Act
    const result = quarterRange('2016-Q2', '2016-Q2');

    // Assert
    expect(result).toEqual(['2016-Q2']);
  });

  it('when the end lies before the start, then it throws a ValidationError with code reversed_period', () => {
    // Act
    const error = thrownBy(() => quarterRange('2016-Q4', '2016-Q1'));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.code).toBe('reversed_period');
    expect(validation.details).toEqual({ from: '2016-Q4', to: '2016-Q1' });
    expect(validation.message).toContain('Q4 2016');
    expect(validation.message).toContain('Q1 2016');
  });

  it('when building any forward range, then its length is quartersBetween plus one and it is sorted and gap-free', () => {
    fc.assert(
      fc.property(quarterArb, fc.integer({ min: 0, max: 40 }), (from, steps) => {
        const toIndex = Math.min(quarterIndex(from) + steps, LAST_INDEX);
        const to = quarterFromIndex(toIndex);

        const range = quarterRange(from, to);

        expect(range).toHaveLength(quartersBetween(from, to) + 1);
        expect(range[0]).toBe(from);
        expect(range[range.length - 1]).toBe(to);
        for (let i = 1; i < range.length; i++) expect(range[i]).toBe(nextQuarter(range[i - 1]!));
      }),
    );
  });
});

describe('comparing quarters', () => {
  it('when comparing any two canonical quarters as strings, then the order matches their running numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_INDEX, max: LAST_INDEX }),
        fc.integer({ min: FIRST_INDEX, max: LAST_INDEX }),
        (i, j) => {
          const a = quarterFromIndex(i);
          const b = quarterFromIndex(j);
          const stringOrder = a < b ? -1 : a > b ? 1 : 0;

          expect(stringOrder).toBe(Math.sign(i - j));
          expect(Math.sign(compareQuarters(a, b))).toBe(Math.sign(i - j));
          expect(quartersBetween(a, b)).toBe(j - i);
        },
      ),
    );
  });

  it.each<[Quarter, Quarter, Quarter | null, boolean]>([
    ['2016-Q2', '2016-Q1', null, true],
    ['2016-Q1', '2016-Q1', null, true],
    ['2015-Q4', '2016-Q1', null, false],
    ['2016-Q3', '2016-Q1', '2016-Q3', true],
    ['2016-Q4', '2016-Q1', '2016-Q3', false],
  ])('when checking whether %s lies within %s..%s, then the answer is %s', (q, from, until, expected) => {
    // Act
    const result = isWithin(q, from, until);

    // Assert
    expect(result).toBe(expected);
  });
});

describe('quarterOfDate', () => {
  it.each([
    ['2016-01-01T00:00:00+01:00', '2016-Q1'],
    ['2016-03-31T21:59:59Z', '2016-Q1'],
    ['2016-03-31T22:00:00Z', '2016-Q2'],
    ['2016-06-30T12:00:00Z', '2016-Q2'],
    ['2016-06-30T22:00:00Z', '2016-Q3'],
    ['2016-10-15T08:30:00Z', '2016-Q4'],
    ['2016-12-31T22:59:59Z', '2016-Q4'],
    ['2016-12-31T23:00:00Z', '2017-Q1'],
  ])('when the moment is %s, then by the Dutch calendar it falls in %s', (iso, expected) => {
    // Arrange
    const date = new Date(iso);

    // Act
    const result = quarterOfDate(date);

    // Assert
    expect(result).toBe(expected);
  });
});

describe('formatQuarter', () => {
  it.each<[Quarter, string]>([
    ['2016-Q4', 'Q4 2016'],
    ['2015-Q1', 'Q1 2015'],
    // Not a quarter, as an unchecked cell might hold: shown as it is rather than mangled.
    ['not a quarter' as Quarter, 'not a quarter'],
  ])('when formatting %j, then people read %j', (q, expected) => {
    // Act
    const result = formatQuarter(q);

    // Assert
    expect(result).toBe(expected);
  });
});

describe('readLooseQuarter', () => {
  it.each([
    ['Q4 2015', '2015-Q4'],
    ['2015-Q4', '2015-Q4'],
    ['2015-q4', '2015-Q4'],
    ['2015 Q4', '2015-Q4'],
    ['2015Q4', '2015-Q4'],
    ['Q4-2015', '2015-Q4'],
    ['Q4/2015', '2015-Q4'],
    ['q4 2015', '2015-Q4'],
    ['4e kwartaal 2015', '2015-Q4'],
    ['1ste kwartaal 2016', '2016-Q1'],
    ['2de kwartaal 2016', '2016-Q2'],
    ['3 kwartaal 2016', '2016-Q3'],
    ['kwartaal 2 2016', '2016-Q2'],
    ['Kwartaal 3 2016', '2016-Q3'],
    [' q1  2016 ', '2016-Q1'],
    ['4e   kwartaal\t2015', '2015-Q4'],
  ])('when reading %j, then it is the quarter %j', (input, expected) => {
    // Act
    const result = readLooseQuarter(input);

    // Assert
    expect(result).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'onbekend',
    '2015',
    'Q5 2015',
    'Q0 2015',
    '2015-Q5',
    'Q4 15',
    '5e kwartaal 2015',
    'Q4 2015 en verder',
    `Q1 ${MIN_YEAR - 1}`,
    `Q1 ${MAX_YEAR + 1}`,
  ])('when reading %j, then it is not a quarter and gives null', (input) => {
    // Act
    const result = readLooseQuarter(input);

    // Assert
    expect(result).toBeNull();
  });

  it('when reading any canonical or display-formatted quarter, then the canonical quarter comes back', () => {
    fc.assert(
      fc.property(quarterArb, (q) => {
        expect(readLooseQuarter(q)).toBe(q);
        expect(readLooseQuarter(formatQuarter(q))).toBe(q);
      }),
    );
  });
});

describe('quarterStartDate', () => {
  it.each<[Quarter, string]>([
    ['2016-Q1', '2016-01-01'],
    ['2016-Q2', '2016-04-01'],
    ['2016-Q3', '2016-07-01'],
    ['2016-Q4', '2016-10-01'],
  ])('when the quarter is %s, then it starts on %s', (q, date) => {
    expect(quarterStartDate(q)).toBe(date);
  });
});
