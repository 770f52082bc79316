import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, rowCounts, testAppPerTest } from '../helpers.ts';
import { answersForGear } from '../support.ts';
import {
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  listSectors,
  type Organisation,
  problemsOf,
} from './fixtures.ts';

const t = testAppPerTest();
let org: Organisation;

beforeEach(async () => {
  org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
});

/** Every route that takes an id, with a body that would be valid, so only the id decides. */
function idRoutes(id: string | number): InjectOptions[] {
  return [
    { method: 'GET', url: `/api/sectors/${id}` },
    { method: 'PATCH', url: `/api/sectors/${id}`, payload: { name: 'Overig' } },
    { method: 'DELETE', url: `/api/sectors/${id}` },
    { method: 'GET', url: `/api/organisations/${id}` },
    { method: 'PATCH', url: `/api/organisations/${id}`, payload: { notes: 'x' } },
    { method: 'POST', url: `/api/organisations/${id}/archive`, payload: {} },
    { method: 'POST', url: `/api/organisations/${id}/restore` },
    { method: 'GET', url: `/api/organisations/${id}/status?quarter=2016-Q2` },
    { method: 'GET', url: `/api/organisations/${id}/history` },
    { method: 'GET', url: `/api/organisations/${id}/revisions` },
    { method: 'GET', url: `/api/organisations/${id}/quickscans` },
    {
      method: 'POST',
      url: `/api/organisations/${id}/quickscans`,
      payload: { quarter: '2016-Q2', answers: answersForGear(2) },
    },
    { method: 'GET', url: `/api/organisations/${id}/quickscans/2016-Q2` },
    {
      method: 'PUT',
      url: `/api/organisations/${id}/quickscans/2016-Q2`,
      payload: { answers: answersForGear(2) },
    },
    { method: 'DELETE', url: `/api/organisations/${id}/quickscans/2016-Q2` },
    { method: 'GET', url: `/api/organisations/${id}/quickscans/2016-Q2/revisions` },
    { method: 'PUT', url: `/api/organisations/${id}/gears/2016-Q2`, payload: { gear: 3 } },
  ];
}

const label = (o: InjectOptions) => `${o.method} ${o.url}`;

describe('unknown and malformed ids', () => {
  it.each(idRoutes(999).map((o) => [label(o), o] as const))(
    'when %s is called with an id that does not exist, then the answer is 404 and nothing is written',
    async (_label, options) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject(options);

      // Assert
      const code = String(options.url).startsWith('/api/sectors')
        ? 'sector_not_found'
        : 'organisation_not_found';
      expectError(res, 404, code);
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it.each(idRoutes('abc').map((o) => [label(o), o] as const))(
    'when %s is called with an id that is not a number, then the answer is 400',
    async (_label, options) => {
      // Act
      const res = await t.app.inject(options);

      // Assert
      const body = expectError(res, 400, 'validation_failed');
      expect(body.error.message).toBe('id moet een positief geheel getal zijn');
      expect(body.error.details).toEqual({
        problems: [{ code: 'invalid_field', path: 'id', message: 'id moet een positief geheel getal zijn' }],
      });
    },
  );
});

describe('bodies that are not usable JSON', () => {
  const writes: InjectOptions[] = [
    { method: 'POST', url: '/api/sectors' },
    { method: 'POST', url: '/api/organisations' },
    { method: 'PATCH', url: '/api/organisations/1' },
    { method: 'POST', url: '/api/organisations/1/quickscans' },
    { method: 'PUT', url: '/api/organisations/1/quickscans/2016-Q2' },
    { method: 'PUT', url: '/api/organisations/1/gears/2016-Q2' },
  ];

  it.each(writes.map((o) => [label(o), o] as const))(
    'when %s gets a text/plain body, then the answer is 415 and nothing is written',
    async (_label, options) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({
        ...options,
        headers: { 'content-type': 'text/plain' },
        payload: '{"name":"Cultuur"}',
      });

      // Assert
      expect(expectError(res, 415, 'unsupported_media_type').error.message).toContain('application/json');
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it.each([
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/html',
  ])('when a body is sent as %s, then the answer is 415', async (contentType) => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sectors',
      headers: { 'content-type': contentType },
      payload: 'name=Cultuur',
    });

    // Assert
    expectError(res, 415, 'unsupported_media_type');
  });

  it.each(writes.map((o) => [label(o), o] as const))(
    'when %s gets broken JSON, then the answer is 400 invalid_json and nothing is written',
    async (_label, options) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({
        ...options,
        headers: { 'content-type': 'application/json' },
        payload: '{"name": "Cultuur",',
      });

      // Assert
      expectError(res, 400, 'invalid_json');
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it('when a JSON body is empty on a route that needs one, then the answer is 400 validation_failed', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sectors',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });

    // Assert
    expectFieldError(res, 400, 'validation_failed', 'body');
  });

  it('when a bodiless request carries a JSON content type, then it is served as if it had no body', async () => {
    // Arrange
    const created = await t.app.inject({ method: 'POST', url: '/api/sectors', payload: { name: 'Leeg' } });

    // Act
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/sectors/${created.json().id}`,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });

    // Assert
    expect(res.statusCode).toBe(204);
  });

  it.each(['null', '[]', '"Cultuur"', '42', 'true'])(
    'when the JSON body is %s instead of an object, then the answer is 400',
    async (payload) => {
      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sectors',
        headers: { 'content-type': 'application/json' },
        payload,
      });

      // Assert: the problem is the body as a whole
      expectFieldError(res, 400, 'validation_failed', 'body');
      expect((await listSectors(t.app)).length).toBe(8);
    },
  );

  it.each([
    '{"name":"Cultuur","__proto__":{"admin":true}}',
    '{"name":"Cultuur","constructor":{"prototype":{"admin":true}}}',
  ])(
    'when a body tries prototype pollution (%s), then the answer is 400 and nothing is written',
    async (payload) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sectors',
        headers: { 'content-type': 'application/json' },
        payload,
      });

      // Assert
      expectError(res, 400, 'invalid_json');
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it('when a body is sent without any content type, then the answer is 415', async () => {
    // Act
    const res = await t.app.inject({ method: 'POST', url: '/api/sectors', payload: '{"name":"Cultuur"}' });

    // Assert
    expectError(res, 415, 'unsupported_media_type');
    expect((await listSectors(t.app)).length).toBe(8);
  });

  it('when a body is larger than the limit, then the answer is 413 and nothing is written', async () => {
    // Arrange
    const before = await rowCounts(t);
    const remark = 'x'.repeat(1024 * 1024 + 1);

    // Act
    const sector = await t.app.inject({ method: 'POST', url: '/api/sectors', payload: { name: remark } });
    const quickscan = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/quickscans`,
      payload: { quarter: '2016-Q2', answers: answersForGear(2), remark },
    });

    // Assert
    expect(expectError(sector, 413, 'body_too_large').error.message).toBe(
      'het verzoek is te groot: maximaal 1024 kB',
    );
    expectError(quickscan, 413, 'body_too_large');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the body limit is configured smaller, then the message names that limit', async () => {
    // Arrange
    const small = await buildTestApp({ config: { bodyLimit: 2048 } });
    try {
      // Act
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/sectors',
        payload: { name: 'x'.repeat(3000) },
      });

      // Assert
      expect(expectError(res, 413, 'body_too_large').error.message).toBe(
        'het verzoek is te groot: maximaal 2 kB',
      );
    } finally {
      await small.close();
    }
  });
});

describe('unknown fields', () => {
  it.each<[string, InjectOptions]>([
    ['a sector', { method: 'POST', url: '/api/sectors', payload: { name: 'Cultuur', id: 5 } }],
    [
      'an organisation',
      { method: 'POST', url: '/api/organisations', payload: { name: 'B', sectorId: 1, archived: true } },
    ],
    ['an organisation change', { method: 'PATCH', url: '/api/organisations/1', payload: { version: 7 } }],
    ['an archive', { method: 'POST', url: '/api/organisations/1/archive', payload: { when: '2016-Q2' } }],
    [
      'a quickscan',
      {
        method: 'POST',
        url: '/api/organisations/1/quickscans',
        payload: { quarter: '2016-Q2', answers: answersForGear(2), gear: 5 },
      },
    ],
    [
      'a quickscan edit',
      {
        method: 'PUT',
        url: '/api/organisations/1/quickscans/2016-Q2',
        payload: { answers: answersForGear(2), version: 1 },
      },
    ],
    [
      'a recorded gear',
      { method: 'PUT', url: '/api/organisations/1/gears/2016-Q2', payload: { gear: 3, quarter: '2016-Q2' } },
    ],
  ])(
    'when %s is sent with an unknown field, then the answer is 400 naming the field and nothing is written',
    async (_label, options) => {
      // Arrange
      const before = await rowCounts(t);
      const field = Object.keys(options.payload as object).at(-1)!;

      // Act
      const res = await t.app.inject(options);

      // Assert
      const body = expectError(res, 400, 'validation_failed');
      expect(body.error.message).toBe(`onbekend veld '${field}'`);
      expect(body.error.details).toEqual({
        problems: [{ code: 'unknown_field', path: field, message: `onbekend veld '${field}'` }],
      });
      expect(await rowCounts(t)).toEqual(before);
    },
  );
});

describe('validation problems', () => {
  it('when a body carries two unknown fields, then each is its own unknown_field problem named by its key', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sectors',
      payload: { name: 'Cultuur', colour: 'rood', size: 3 },
    });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(body.error.message).toBe("er zijn 2 problemen: onbekend veld 'colour'; onbekend veld 'size'");
    expect(problemsOf(body)).toEqual([
      { code: 'unknown_field', path: 'colour', message: "onbekend veld 'colour'" },
      { code: 'unknown_field', path: 'size', message: "onbekend veld 'size'" },
    ]);
  });

  it('when several fields are invalid, then every one is listed as invalid_field by its own path', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: 5, sectorId: 'Zorg' },
    });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(body.error.message).toBe(
      'er zijn 2 problemen: vul hier tekst in; vul een heel getal groter dan 0 in',
    );
    expect(problemsOf(body).map((p) => [p.code, p.path])).toEqual([
      ['invalid_field', 'name'],
      ['invalid_field', 'sectorId'],
    ]);
  });

  it('when a field inside the body is wrong, then its path is dotted from the body, without a location prefix', async () => {
    // Act
    const invalid = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/quickscans`,
      payload: { quarter: '2016-Q2', answers: { '2a': 5 } },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/quickscans`,
      payload: { quarter: '2016-Q2', answers: { '2a': { answer: 'ja', extra: 1 } } },
    });

    // Assert
    expectFieldError(invalid, 400, 'validation_failed', 'answers.2a');
    expectFieldError(unknown, 400, 'validation_failed', 'answers.2a.extra', 'unknown_field');
    expect(unknown.json().error.message).toBe("onbekend veld 'extra'");
  });

  it('when query parameters are invalid, then each problem names the parameter without "querystring."', async () => {
    // Act
    const both = await t.app.inject({ method: 'GET', url: '/api/reports/summary?from=2016-Q5&to=2016-Q0' });
    const flag = await t.app.inject({ method: 'GET', url: '/api/organisations?includeArchived=misschien' });

    // Assert
    const body = expectError(both, 400, 'validation_failed');
    expect(problemsOf(body).map((p) => [p.code, p.path])).toEqual([
      ['invalid_field', 'from'],
      ['invalid_field', 'to'],
    ]);
    expect(problemsOf(body)[1]!.message).toContain("kwartaal '2016-Q0' bestaat niet");
    expectFieldError(flag, 400, 'validation_failed', 'includeArchived');
  });
});

describe('unexpected failures', () => {
  it('when the database fails halfway through a write, then the answer is 500 without internals and the write is undone', async () => {
    // Arrange: the revision insert, the last step of every write, will fail
    await sql`drop table revisions`.execute(t.db);

    // Act
    const sector = await t.app.inject({ method: 'POST', url: '/api/sectors', payload: { name: 'Cultuur' } });
    const quickscan = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/quickscans`,
      payload: { quarter: '2016-Q2', answers: answersForGear(3) },
    });

    // Assert
    for (const res of [sector, quickscan]) {
      const body = expectError(res, 500, 'internal_error');
      expect(body.error.message).toBe('er ging iets mis op de server; probeer het later opnieuw');
      expect(res.body).not.toMatch(/revisions|sqlite/i);
    }
    expect((await listSectors(t.app)).map((s) => s.name)).not.toContain('Cultuur');
    expect(await getJson(t.app, `/api/organisations/${org.id}/quickscans`)).toEqual([]);
    const answers = await t.db
      .selectFrom('quickscan_answers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(answers.n)).toBe(0);
  });
});

describe('bad input never gives a 500', () => {
  const weird: unknown[] = [
    null,
    [],
    'tekst',
    0,
    { name: null },
    { name: ['A'] },
    { answers: null, quarter: null },
    { answers: { '2a': null }, quarter: '2016-Q2' },
    { answers: { '2a': { answer: null } }, quarter: '2016-Q2' },
    { answers: { ['x'.repeat(17)]: 'ja' }, quarter: '2016-Q2' },
    { gear: Number.MAX_SAFE_INTEGER },
    { gear: -0.5, expectedVersion: -1 },
    { sectorId: 2 ** 40, name: 'B' },
    { memberFrom: '9999-Q4', name: 'B', sectorId: 1 },
    { memberFrom: '2016-Q1', memberUntil: '2100-Q4', name: 'Gemeente B', sectorId: 1 },
    { contactEmail: 'a@b', name: 'B', sectorId: 1 },
  ];
  const routes: InjectOptions[] = [
    { method: 'POST', url: '/api/sectors' },
    { method: 'PATCH', url: '/api/sectors/1' },
    { method: 'POST', url: '/api/organisations' },
    { method: 'PATCH', url: '/api/organisations/1' },
    { method: 'POST', url: '/api/organisations/1/quickscans' },
    { method: 'PUT', url: '/api/organisations/1/quickscans/2016-Q2' },
    { method: 'PUT', url: '/api/organisations/1/gears/2016-Q2' },
    { method: 'POST', url: '/api/organisations/1/archive' },
  ];

  it.each(routes.map((o) => [label(o), o] as const))(
    'when %s gets odd payloads, then every answer is a 2xx or a 4xx in the error shape',
    async (_label, options) => {
      for (const payload of weird) {
        // Act
        const res = await t.app.inject({
          ...options,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });

        // Assert
        expect(res.statusCode, `${JSON.stringify(payload)} -> ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expectError(res, res.statusCode, res.json().error.code);
      }
    },
  );

  it.each([
    '/api/reports/summary?from=2016-Q1&to=2016-Q1&from=2016-Q2',
    '/api/reports/matrix?from=1990-Q1&to=2100-Q4',
    '/api/reports/worklist?quarter=',
    '/api/organisations?q=%00%27%22;drop%20table%20organisations',
    '/api/organisations?sectorId=1e3',
    '/api/organisations/1/revisions?limit=100000',
    '/api/organisations/1/history?from=1990-Q1',
    '/api/models/vpt-schakelmodel/1e9',
  ])('when GET %s is asked, then the answer is not a 500', async (url) => {
    // Act
    const res = await t.app.inject({ method: 'GET', url });

    // Assert
    expect(res.statusCode, res.body).toBeLessThan(500);
    if (res.statusCode >= 400) expectError(res, res.statusCode, res.json().error.code);
  });
});
