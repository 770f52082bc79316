// zod's validation messages as the app configures them: bad input parsed through the real
// contracts, and every message a plain Dutch sentence a person can act on.

import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bootstrap } from '../../server/bootstrap.ts';
import { setupBody } from '../../server/contracts/auth.contract.ts';
import { pageQuery } from '../../server/contracts/common.contract.ts';
import { employeesBody } from '../../server/contracts/incident.contract.ts';
import { dutchMessage } from '../../server/contracts/messages.ts';
import { createActionBody } from '../../server/contracts/network.contract.ts';
import { createOrganisationBody } from '../../server/contracts/organisation.contract.ts';
import { targetBody } from '../../server/contracts/outcome.contract.ts';
import { createShareLinkBody } from '../../server/contracts/share-link.contract.ts';
import { createUserBody, updateUserBody } from '../../server/contracts/user.contract.ts';

beforeAll(() => bootstrap());

/** The message zod gives for `path` when `schema` parses `input`. */
function messageAt(schema: z.ZodType, input: unknown, path: string): string | undefined {
  const result = schema.safeParse(input);
  expect(result.success, `expected ${JSON.stringify(input)} to be refused`).toBe(false);
  return result.error?.issues.find((i) => i.path.join('.') === path)?.message;
}

const organisation = { name: 'Ziekenhuis De Linde', sectorId: 1 };
const share = { label: 'voor de directie' };

// [what, schema, input, path, the message]
const cases: Array<[string, z.ZodType, unknown, string, string]> = [
  ['a missing field', createOrganisationBody, { sectorId: 1 }, 'name', 'vul dit in'],
  ['a field sent as null', createOrganisationBody, { ...organisation, name: null }, 'name', 'vul dit in'],
  [
    'text that is too long',
    createOrganisationBody,
    { ...organisation, name: 'x'.repeat(301) },
    'name',
    'mag hoogstens 300 tekens lang zijn',
  ],
  [
    'text where a number goes',
    createOrganisationBody,
    { ...organisation, sectorId: 'zorg' },
    'sectorId',
    'vul een heel getal groter dan 0 in',
  ],
  [
    'a number that is not whole',
    createShareLinkBody,
    { ...share, expiresInDays: 1.5 },
    'expiresInDays',
    'vul een heel getal van 1 tot en met 366 in',
  ],
  [
    'a number below the range',
    createShareLinkBody,
    { ...share, expiresInDays: 0 },
    'expiresInDays',
    'vul een heel getal van 1 tot en met 366 in',
  ],
  [
    'a number above the range',
    createShareLinkBody,
    { ...share, expiresInDays: 400 },
    'expiresInDays',
    'vul een heel getal van 1 tot en met 366 in',
  ],
  [
    'a number as text in a query',
    pageQuery,
    { limit: 'veel' },
    'limit',
    'vul een heel getal van 1 tot en met 500 in',
  ],
  ['a negative offset', pageQuery, { offset: '-1' }, 'offset', 'vul een heel getal van 0 of meer in'],
  [
    'a choice that does not exist',
    createUserBody,
    { email: 'a@b.nl', role: 'baas', password: 'x' },
    'role',
    'kies een van: projectleider, bestuur of organisatie',
  ],
  [
    'a flag that is not true or false',
    updateUserBody,
    { disabled: 'ja' },
    'disabled',
    'kies ja of nee (true of false)',
  ],
  [
    'an e-mail address without @',
    createOrganisationBody,
    { ...organisation, contactEmail: 'info-at-linde.nl' },
    'contactEmail',
    'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl',
  ],
  ['an unknown field', createShareLinkBody, { ...share, colour: 'rood' }, '', "onbekend veld 'colour'"],
  [
    'two unknown fields',
    createShareLinkBody,
    { ...share, colour: 'rood', size: 3 },
    '',
    "onbekende velden: 'colour' en 'size'",
  ],
  [
    'a list where a text goes',
    createActionBody,
    { criterion: ['1a'], title: 'Plan' },
    'criterion',
    'kies een criterium',
  ],
  [
    'a schema message is kept',
    employeesBody,
    { employees: 0 },
    'employees',
    'geef het aantal medewerkers met een publieke taak: een geheel getal van 1 tot en met 10.000.000',
  ],
  [
    'a schema message for an empty title',
    createActionBody,
    { criterion: '1a', title: ' ' },
    'title',
    'geef een omschrijving',
  ],
  [
    'a schema message for a number field',
    targetBody,
    { kind: 'x', value: 'veel', quarter: '2026-Q4' },
    'value',
    'geef een streefwaarde (een getal)',
  ],
  ['a setup without token', setupBody, { email: 'a@b.nl', password: 'x' }, 'token', 'vul dit in'],
  ['an empty setup token', setupBody, { token: '', email: 'a@b.nl', password: 'x' }, 'token', 'vul dit in'],
];

describe('validation messages', () => {
  it.each(cases)('given %s, then the message is plain Dutch', (_what, schema, input, path, expected) => {
    expect(messageAt(schema, input, path)).toBe(expected);
  });

  it('given any refused input, then no message names a type, an operator, a path, an ISO date or English', () => {
    for (const [what, schema, input] of cases) {
      const issues = schema.safeParse(input).error?.issues ?? [];
      for (const issue of issues) {
        expect(issue.message, what).not.toMatch(
          /string|number|boolean|undefined|expected|received|invalid|input|<=|>=|\bbody\.|\d{4}-\d{2}-\d{2}|\d{4}-Q\d/i,
        );
      }
    }
  });

  it.each([
    [
      'too_small',
      { code: 'too_small', origin: 'string', minimum: 12, inclusive: true, input: 'kort' },
      'vul minstens 12 tekens in',
    ],
    [
      'too_small',
      { code: 'too_small', origin: 'array', minimum: 1, inclusive: true, input: [] },
      'kies of vul er minstens één in',
    ],
    [
      'too_big',
      { code: 'too_big', origin: 'array', maximum: 10, inclusive: true, input: [] },
      'geef er hoogstens 10',
    ],
    [
      'too_small',
      {
        code: 'too_small',
        origin: 'date',
        minimum: Date.UTC(2026, 9, 1),
        inclusive: true,
        input: new Date(0),
      },
      'kies een datum op of na 1 oktober 2026',
    ],
    [
      'too_big',
      {
        code: 'too_big',
        origin: 'date',
        maximum: Date.UTC(2026, 11, 31),
        inclusive: true,
        input: new Date(),
      },
      'kies een datum op of voor 31 december 2026',
    ],
    [
      'invalid_format',
      { code: 'invalid_format', format: 'email', input: 'naam' },
      'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl',
    ],
    [
      'invalid_format',
      { code: 'invalid_format', format: 'date', input: '2026-13-01' },
      'vul een geldige datum in',
    ],
    [
      'invalid_format',
      { code: 'invalid_format', format: 'url', input: 'ergens' },
      'vul een geldig webadres in, zoals https://www.voorbeeld.nl',
    ],
    ['invalid_type', { code: 'invalid_type', expected: 'array', input: 'a' }, 'hier hoort een lijst'],
    [
      'invalid_type',
      { code: 'invalid_type', expected: 'object', input: 3 },
      'hier hoort een groep gegevens (een object)',
    ],
    ['invalid_type', { code: 'invalid_type', expected: 'string', input: 3 }, 'vul hier tekst in'],
    [
      'not_multiple_of',
      { code: 'not_multiple_of', divisor: 0.01, input: 1.234 },
      'gebruik hoogstens 2 cijfers achter de komma',
    ],
    ['invalid_value', { code: 'invalid_value', values: ['ja'], input: 'nee' }, "hier kan alleen 'ja'"],
  ])(
    'given an issue %s that no contract of ours raises yet, then it reads as a person says it',
    (_code, issue, expected) => {
      expect(dutchMessage(issue as never)).toBe(expected);
    },
  );
});
