import { describe, expect, it } from 'vitest';
import type { ErrorCode, ProblemCode } from '../../server/contracts/errors.contract.ts';
import type { OrganisationList } from '../../server/contracts/organisation.contract.ts';
import { rowCounts, testAppPerTest } from '../helpers.ts';
import { answersForGear } from '../support.ts';
import {
  call,
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  injectAs,
  type Organisation,
  type Revision,
  recordQuickscan,
  sectorId,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();

describe('POST /api/organisations', () => {
  it('when an organisation is added with only name and sector, then it is a member from the current quarter', async () => {
    // Arrange
    const zorg = await sectorId(t.app, 'Zorg');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: '  Ziekenhuis   Noord ', sectorId: zorg },
    });

    // Assert
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(Number),
      name: 'Ziekenhuis Noord',
      sectorId: zorg,
      sector: 'Zorg',
      contactName: null,
      contactEmail: null,
      contactPhone: null,
      notes: null,
      memberFrom: '2026-Q4',
      memberUntil: null,
      memberships: [{ from: '2026-Q4', until: null }],
      sectorHistory: [{ sectorId: zorg, sector: 'Zorg', from: '2026-Q4' }],
      archived: false,
      archivedAt: null,
      version: 1,
      createdAt: '2026-11-15T10:00:00.000Z',
      updatedAt: '2026-11-15T10:00:00.000Z',
    });
  });

  it('when an organisation is added with contact fields and a membership, then they are stored tidied', async () => {
    // Arrange
    const sector = await sectorId(t.app, 'Openbaar Bestuur');

    // Act
    const created = await call<Organisation>(
      t.app,
      {
        method: 'POST',
        url: '/api/organisations',
        payload: {
          name: 'Gemeente A',
          sectorId: sector,
          contactName: ' J. de Vries ',
          contactEmail: 'j.devries@gemeente-a.nl',
          contactPhone: '',
          notes: null,
          memberFrom: '2015-Q4',
          memberUntil: '2017-Q1',
        },
      },
      201,
    );

    // Assert
    expect(created).toMatchObject({
      name: 'Gemeente A',
      contactName: 'J. de Vries',
      contactEmail: 'j.devries@gemeente-a.nl',
      contactPhone: null,
      notes: null,
      memberFrom: '2015-Q4',
      memberUntil: '2017-Q1',
    });
    expect(await getJson(t.app, `/api/organisations/${created.id}`)).toEqual(created);
  });

  it.each([
    ['Gemeente A', 'the same name'],
    [' gemeente a ', 'lower case with spaces around'],
    ['GEMEENTE  A', 'upper case with a double space'],
  ])(
    'when %j is added while "Gemeente A" exists (%s), then the answer is 409 and there is still one',
    async (name) => {
      // Arrange
      await createOrg(t.app, { name: 'Gemeente A' });
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/organisations',
        payload: { name, sectorId: await sectorId(t.app, 'Zorg') },
      });

      // Assert
      expect(expectFieldError(res, 409, 'duplicate_name', 'name').error.message).toContain('bestaat al');
      expect(await rowCounts(t)).toEqual(before);
      const list = await getJson<OrganisationList>(t.app, '/api/organisations');
      expect(list.items.map((o) => o.name)).toEqual(['Gemeente A']);
    },
  );

  it('when the sector does not exist, then the answer is 404 sector_not_found and nothing is stored', async () => {
    // Arrange
    const before = await rowCounts(t);

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: 'Gemeente A', sectorId: 999 },
    });

    // Assert
    expectError(res, 404, 'sector_not_found');
    expect(await rowCounts(t)).toEqual(before);
  });

  it.each<[string, Record<string, unknown>, ErrorCode, string, ProblemCode?]>([
    ['no name', { sectorId: 1 }, 'validation_failed', 'name'],
    ['an empty name', { name: '   ', sectorId: 1 }, 'invalid_name', 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201), sectorId: 1 }, 'invalid_name', 'name'],
    ['no sector', { name: 'Gemeente A' }, 'validation_failed', 'sectorId'],
    ['a sector id that is text', { name: 'Gemeente A', sectorId: 'Zorg' }, 'validation_failed', 'sectorId'],
    [
      'an invalid e-mail address',
      { name: 'Gemeente A', sectorId: 1, contactEmail: 'geen-adres' },
      'validation_failed',
      'contactEmail',
    ],
    [
      'an unknown field',
      { name: 'Gemeente A', sectorId: 1, website: 'https://a.nl' },
      'validation_failed',
      'website',
      'unknown_field',
    ],
    [
      'a malformed memberFrom',
      { name: 'Gemeente A', sectorId: 1, memberFrom: '2016-Q5' },
      'validation_failed',
      'memberFrom',
    ],
    [
      'a memberFrom in another notation',
      { name: 'Gemeente A', sectorId: 1, memberFrom: 'Q4 2016' },
      'validation_failed',
      'memberFrom',
    ],
    [
      'a memberUntil before memberFrom',
      { name: 'Gemeente A', sectorId: 1, memberFrom: '2016-Q3', memberUntil: '2016-Q2' },
      'invalid_membership',
      'memberUntil',
    ],
  ])(
    'when an organisation is added with %s, then the answer is 400 naming the field and nothing is stored',
    async (_label, payload, code, path, problemCode) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({ method: 'POST', url: '/api/organisations', payload });

      // Assert
      expectFieldError(res, 400, code, path, problemCode);
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it('when memberFrom is a quarter that does not exist, then the message says how to write one', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: 'Gemeente A', sectorId: 1, memberFrom: '2016-Q5' },
    });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(body.error.message).toContain(
      "kwartaal '2016-Q5' bestaat niet: gebruik JJJJ-Qn met n van 1 tot 4 (bijvoorbeeld 2016-Q4)",
    );
    expect(body.error.message).not.toMatch(/^memberFrom: /);
    expect(body.error.details).toEqual({
      problems: [
        {
          code: 'invalid_field',
          path: 'memberFrom',
          message: expect.stringContaining("kwartaal '2016-Q5' bestaat niet"),
        },
      ],
    });
  });
});

describe('GET /api/organisations', () => {
  it('when organisations are listed, then each shows its gear in the current quarter, carried forward', async () => {
    // Arrange
    const a = await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2016-Q1' });
    const b = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
    await setGear(t.app, a.id, '2016-Q2', 3);
    await setGear(t.app, a.id, '2026-Q4', 4);
    await recordQuickscan(t.app, b.id, '2016-Q3', answersForGear(2));

    // Act
    const list = await getJson<OrganisationList>(t.app, '/api/organisations');

    // Assert: sorted by name
    expect(list.quarter).toBe('2026-Q4');
    expect(list.items.map((o) => [o.name, o.member, o.gear, o.gearRecordedIn])).toEqual([
      ['Gemeente A', true, 2, '2016-Q3'],
      ['Gemeente B', true, 4, '2026-Q4'],
    ]);
  });

  it('when a page is asked for with limit and offset, then that stretch of the name-sorted list comes with the total that passed the filters', async () => {
    // Arrange
    for (const name of ['Gemeente E', 'Gemeente C', 'Gemeente A', 'Gemeente D', 'Gemeente B']) {
      await createOrg(t.app, { name, memberFrom: '2016-Q1' });
    }
    const names = (l: OrganisationList) => l.items.map((o) => o.name);

    // Act
    const whole = await getJson<OrganisationList>(t.app, '/api/organisations');
    const first = await getJson<OrganisationList>(t.app, '/api/organisations?limit=2');
    const second = await getJson<OrganisationList>(t.app, '/api/organisations?limit=2&offset=2');
    const last = await getJson<OrganisationList>(t.app, '/api/organisations?limit=2&offset=4');
    const beyond = await getJson<OrganisationList>(t.app, '/api/organisations?limit=2&offset=9');
    const searched = await getJson<OrganisationList>(t.app, '/api/organisations?q=gemeente%20d&limit=1');

    // Assert
    expect(whole.total).toBe(5);
    expect(names(first)).toEqual(['Gemeente A', 'Gemeente B']);
    expect(names(second)).toEqual(['Gemeente C', 'Gemeente D']);
    expect(names(last)).toEqual(['Gemeente E']);
    expect(names(beyond)).toEqual([]);
    for (const page of [first, second, last, beyond]) expect(page.total).toBe(5);
    expect([names(searched), searched.total]).toEqual([['Gemeente D'], 1]);
  });

  it('when limit or offset is not a sensible number, then the answer is 400 naming each', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations?limit=0&offset=-1' });
    const tooMany = await t.app.inject({ method: 'GET', url: '/api/organisations?limit=5000' });
    const words = await t.app.inject({ method: 'GET', url: '/api/organisations?limit=tien&offset=1.5' });

    // Assert
    expect(res.statusCode).toBe(400);
    const { problems } = (
      res.json() as { error: { details: { problems: Array<{ path: string; message: string }> } } }
    ).error.details;
    expect(problems.map((p) => p.path).sort()).toEqual(['limit', 'offset']);
    expect(problems.map((p) => [p.path, p.message]).sort()).toEqual([
      ['limit', 'geef een aantal van 1 tot en met 1000'],
      ['offset', 'geef een aantal van 0 of meer'],
    ]);
    expect(tooMany.statusCode).toBe(400);
    expect(words.statusCode).toBe(400);
    expect(words.body).toContain('geef een aantal van 1 tot en met 1000');
    expect(words.body).toContain('geef een aantal van 0 of meer');
  });

  it('when a past quarter is asked for, then the gears of that quarter show and non-members have none', async () => {
    // Arrange
    const early = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2017-Q1' });
    await setGear(t.app, early.id, '2015-Q2', 2);
    await setGear(t.app, early.id, '2016-Q4', 3);

    // Act
    const list = await getJson<OrganisationList>(t.app, '/api/organisations?quarter=2016-Q2');

    // Assert
    expect(list.quarter).toBe('2016-Q2');
    expect(list.items.map((o) => [o.name, o.member, o.gear, o.gearRecordedIn])).toEqual([
      ['Gemeente A', true, 2, '2015-Q2'],
      ['Gemeente B', false, null, null],
    ]);
  });

  it('when filtered by sector and by a search text, then only matching organisations are listed', async () => {
    // Arrange
    await createOrg(t.app, { name: 'Ziekenhuis Noord', sector: 'Zorg' });
    await createOrg(t.app, { name: 'Ziekenhuis Zuid', sector: 'Zorg' });
    await createOrg(t.app, { name: 'Gemeente Noordwijk', sector: 'Openbaar Bestuur' });
    const zorg = await sectorId(t.app, 'Zorg');

    // Act
    const bySector = await getJson<OrganisationList>(t.app, `/api/organisations?sectorId=${zorg}`);
    const bySearch = await getJson<OrganisationList>(t.app, '/api/organisations?q=NOORD');
    const both = await getJson<OrganisationList>(t.app, `/api/organisations?q=noord&sectorId=${zorg}`);
    const wildcard = await getJson<OrganisationList>(t.app, '/api/organisations?q=%25');

    // Assert
    expect(bySector.items.map((o) => o.name)).toEqual(['Ziekenhuis Noord', 'Ziekenhuis Zuid']);
    expect(bySearch.items.map((o) => o.name)).toEqual(['Gemeente Noordwijk', 'Ziekenhuis Noord']);
    expect(both.items.map((o) => o.name)).toEqual(['Ziekenhuis Noord']);
    expect(wildcard.items).toEqual([]);
  });

  it('when an organisation is archived, then it is listed only with includeArchived or in a quarter it was a member (changed by issue 9: the list of a quarter shows its members as the report counts them)', async () => {
    // Arrange
    await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
    const gone = await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2016-Q1' });
    await call(
      t.app,
      { method: 'POST', url: `/api/organisations/${gone.id}/archive`, payload: { memberUntil: '2018-Q4' } },
      200,
    );

    // Act
    const active = await getJson<OrganisationList>(t.app, '/api/organisations');
    const all = await getJson<OrganisationList>(t.app, '/api/organisations?includeArchived=true');
    const then = await getJson<OrganisationList>(t.app, '/api/organisations?quarter=2017-Q2');

    // Assert
    expect(active.items.map((o) => o.name)).toEqual(['Gemeente A']);
    expect(all.items.map((o) => [o.name, o.archived, o.member])).toEqual([
      ['Gemeente A', false, true],
      ['Gemeente B', true, false],
    ]);
    expect(then.items.map((o) => [o.name, o.archived, o.member])).toEqual([
      ['Gemeente A', false, true],
      ['Gemeente B', true, true],
    ]);
  });

  it('when an organisation is archived in the current quarter, then the list of that quarter still shows it, as a member of that quarter', async () => {
    // Arrange
    const gone = await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2016-Q1' });
    await call(t.app, { method: 'POST', url: `/api/organisations/${gone.id}/archive`, payload: {} }, 200);

    // Act
    const now = await getJson<OrganisationList>(t.app, '/api/organisations');

    // Assert: archiving ends the membership in the current quarter (2026-Q4), so it was a member then
    expect(now.items.map((o) => [o.name, o.archived, o.member, o.memberUntil])).toEqual([
      ['Gemeente B', true, true, '2026-Q4'],
    ]);
  });

  it.each([
    ['quarter=2016-Q5', 'a quarter that does not exist'],
    ['quarter=2016Q4', 'a quarter without a dash'],
    ['sectorId=zorg', 'a sector id that is not a number'],
    ['includeArchived=ja', 'a boolean that is not one'],
  ])('when the list is asked with %s (%s), then the answer is 400', async (query) => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: `/api/organisations?${query}` });

    // Assert
    expectError(res, 400, 'validation_failed');
  });
});

describe('GET /api/organisations/:id', () => {
  it('when an unknown organisation is asked for, then the answer is 404 organisation_not_found', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/999' });

    // Assert
    expect(expectError(res, 404, 'organisation_not_found').error.message).toBe(
      'organisatie 999 bestaat niet',
    );
  });

  it('when the id is not a number, then the answer is 400', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/gemeente-a' });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(body.error.message).toBe('id moet een positief geheel getal zijn');
    expect(body.error.details).toEqual({
      problems: [{ code: 'invalid_field', path: 'id', message: 'id moet een positief geheel getal zijn' }],
    });
  });
});

describe('PATCH /api/organisations/:id', () => {
  it('when an organisation is renamed and moved, then the change is stored and the version goes up', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A' });
    const zorg = await sectorId(t.app, 'Zorg');

    // Act
    const updated = await call<Organisation>(
      t.app,
      {
        method: 'PATCH',
        url: `/api/organisations/${org.id}`,
        payload: { name: 'GGD Regio A', sectorId: zorg, contactName: 'P. Jansen', expectedVersion: 1 },
      },
      200,
    );

    // Assert
    expect(updated).toMatchObject({
      name: 'GGD Regio A',
      sectorId: zorg,
      sector: 'Zorg',
      contactName: 'P. Jansen',
      version: 2,
    });
    expect(await getJson(t.app, `/api/organisations/${org.id}`)).toEqual(updated);
  });

  it('when only one field is sent, then the other fields keep their values', async () => {
    // Arrange
    const created = await call<Organisation>(
      t.app,
      {
        method: 'POST',
        url: '/api/organisations',
        payload: { name: 'Gemeente A', sectorId: 1, contactName: 'J. de Vries', memberFrom: '2016-Q1' },
      },
      201,
    );

    // Act
    const updated = await call<Organisation>(
      t.app,
      { method: 'PATCH', url: `/api/organisations/${created.id}`, payload: { notes: 'bezoek gepland' } },
      200,
    );

    // Assert
    expect(updated).toMatchObject({
      name: 'Gemeente A',
      contactName: 'J. de Vries',
      memberFrom: '2016-Q1',
      notes: 'bezoek gepland',
    });
  });

  it('when an organisation is renamed to its own name in other case, then that is allowed', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A' });

    // Act
    const updated = await call<Organisation>(
      t.app,
      { method: 'PATCH', url: `/api/organisations/${org.id}`, payload: { name: 'gemeente a' } },
      200,
    );

    // Assert
    expect(updated.name).toBe('gemeente a');
  });

  it('when an organisation is renamed to the name of another, then the answer is 409 and nothing changes', async () => {
    // Arrange
    await createOrg(t.app, { name: 'Gemeente A' });
    const other = await createOrg(t.app, { name: 'Gemeente B' });
    const before = await rowCounts(t);

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisations/${other.id}`,
      payload: { name: ' GEMEENTE A ' },
    });

    // Assert
    expectFieldError(res, 409, 'duplicate_name', 'name');
    expect(await getJson(t.app, `/api/organisations/${other.id}`)).toEqual(other);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when two people edit with the same expectedVersion, then the second gets 409 version_conflict', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A' });
    await call(
      t.app,
      {
        method: 'PATCH',
        url: `/api/organisations/${org.id}`,
        payload: { notes: 'eerste', expectedVersion: 1 },
      },
      200,
    );

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisations/${org.id}`,
      payload: { notes: 'tweede', expectedVersion: 1 },
    });

    // Assert
    const body = expectError(res, 409, 'version_conflict');
    expect(body.error.details).toEqual({ currentVersion: 2 });
    expect((await getJson<Organisation>(t.app, `/api/organisations/${org.id}`)).notes).toBe('eerste');
  });

  it('when the membership is shortened so that quickscans fall outside it, then the answer is 422 and it stays', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await setGear(t.app, org.id, '2015-Q2', 2);
    await recordQuickscan(t.app, org.id, '2016-Q3', answersForGear(3));
    await setGear(t.app, org.id, '2017-Q1', 4);
    const before = await rowCounts(t);

    // Act
    const later = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisations/${org.id}`,
      payload: { memberFrom: '2016-Q1' },
    });
    const earlier = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisations/${org.id}`,
      payload: { memberUntil: '2016-Q2' },
    });

    // Assert
    const laterBody = expectError(later, 422, 'gears_outside_membership');
    expect(laterBody.error.details).toEqual({
      quarters: ['2015-Q2'],
      problems: [{ code: 'gears_outside_membership', path: 'memberFrom', message: laterBody.error.message }],
    });
    const body = expectError(earlier, 422, 'gears_outside_membership');
    expect(body.error.details).toEqual({
      quarters: ['2016-Q3', '2017-Q1'],
      problems: [{ code: 'gears_outside_membership', path: 'memberUntil', message: body.error.message }],
    });
    expect(body.error.message).toContain('Q3 2016, Q1 2017');
    expect(await getJson(t.app, `/api/organisations/${org.id}`)).toEqual(org);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the membership is changed so that every quickscan stays inside it, then it is stored', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await setGear(t.app, org.id, '2016-Q2', 2);

    // Act
    const updated = await call<Organisation>(
      t.app,
      {
        method: 'PATCH',
        url: `/api/organisations/${org.id}`,
        payload: { memberFrom: '2016-Q2', memberUntil: '2016-Q2' },
      },
      200,
    );

    // Assert
    expect(updated).toMatchObject({ memberFrom: '2016-Q2', memberUntil: '2016-Q2' });
  });

  it.each<[string, number, ErrorCode, Record<string, unknown>]>([
    ['an unknown field', 400, 'validation_failed', { city: 'Utrecht' }],
    ['an empty name', 400, 'invalid_name', { name: '' }],
    ['a malformed memberUntil', 400, 'validation_failed', { memberUntil: '2016-Q0' }],
    ['memberUntil before memberFrom', 400, 'invalid_membership', { memberUntil: '2014-Q4' }],
    ['an unknown sector', 404, 'sector_not_found', { sectorId: 999 }],
    ['an expectedVersion that is not a whole number', 400, 'validation_failed', { expectedVersion: 1.5 }],
  ])(
    'when an organisation is changed with %s, then the answer is %i %s and it stays as it was',
    async (_label, status, code, payload) => {
      // Arrange
      const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });

      // Act
      const res = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${org.id}`, payload });

      // Assert
      expectError(res, status, code);
      expect(await getJson(t.app, `/api/organisations/${org.id}`)).toEqual(org);
    },
  );

  it('when an unknown organisation is changed, then the answer is 404', async () => {
    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/organisations/999',
      payload: { notes: 'x' },
    });

    // Assert
    expectError(res, 404, 'organisation_not_found');
  });
});

describe('archive and restore', () => {
  it('when an organisation is archived, then its membership ends in the current quarter and its history stays', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
    await setGear(t.app, org.id, '2016-Q2', 3);

    // Act: no body at all, as a button would send it
    const archived = await call<Organisation>(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/archive` },
      200,
    );

    // Assert
    expect(archived).toMatchObject({
      archived: true,
      archivedAt: '2026-11-15T10:00:00.000Z',
      memberUntil: '2026-Q4',
      version: 2,
    });
    const quickscans = await getJson<unknown[]>(t.app, `/api/organisations/${org.id}/quickscans`);
    expect(quickscans).toHaveLength(1);
  });

  it('when an organisation is archived with a memberUntil, then its membership ends then', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await setGear(t.app, org.id, '2016-Q1', 2);

    // Act
    const archived = await call<Organisation>(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: { memberUntil: '2016-Q2' } },
      200,
    );

    // Assert
    expect(archived).toMatchObject({ archived: true, memberUntil: '2016-Q2' });
  });

  it('when the memberUntil of an archive leaves quickscans outside, then the answer is 422 and it is not archived', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await setGear(t.app, org.id, '2016-Q3', 2);

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/archive`,
      payload: { memberUntil: '2016-Q2' },
    });

    // Assert
    const body = expectError(res, 422, 'gears_outside_membership');
    expect(body.error.details).toEqual({
      quarters: ['2016-Q3'],
      problems: [{ code: 'gears_outside_membership', path: 'memberUntil', message: body.error.message }],
    });
    expect(await getJson(t.app, `/api/organisations/${org.id}`)).toEqual(org);
  });

  it.each([
    ['an unknown field', { city: 'Utrecht' }],
    ['a malformed memberUntil', { memberUntil: 'eind 2016' }],
  ])('when an archive is asked with %s, then the answer is 400', async (_label, payload) => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });

    // Act
    const res = await t.app.inject({ method: 'POST', url: `/api/organisations/${org.id}/archive`, payload });

    // Assert
    expectError(res, 400, 'validation_failed');
    expect((await getJson<Organisation>(t.app, `/api/organisations/${org.id}`)).archived).toBe(false);
  });

  it('when an archived organisation is archived again, then the answer is 409 already_archived', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A' });
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: {} }, 200);

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${org.id}/archive`,
      payload: {},
    });

    // Assert
    expectError(res, 409, 'already_archived');
  });

  it('when an archived organisation is restored, then it is active again and its membership reopens as it was before archiving (changed by issue 9)', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await call(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: { memberUntil: '2016-Q4' } },
      200,
    );

    // Act
    const restored = await call<Organisation>(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/restore` },
      200,
    );

    // Assert
    expect(restored).toMatchObject({
      archived: false,
      archivedAt: null,
      memberUntil: null,
      memberships: [{ from: '2015-Q1', until: null }],
      version: 3,
    });
    const list = await getJson<OrganisationList>(t.app, '/api/organisations');
    expect(list.items.map((o) => o.name)).toEqual(['Gemeente A']);
  });

  it('when a restored organisation gets memberUntil null, then its membership is open-ended again', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: {} }, 200);
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/restore` }, 200);

    // Act
    const reopened = await call<Organisation>(
      t.app,
      { method: 'PATCH', url: `/api/organisations/${org.id}`, payload: { memberUntil: null } },
      200,
    );

    // Assert
    expect(reopened).toMatchObject({ archived: false, memberUntil: null, version: 4 });
  });

  it('when an organisation that is not archived is restored, then the answer is 409 not_archived', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A' });

    // Act
    const res = await t.app.inject({ method: 'POST', url: `/api/organisations/${org.id}/restore` });

    // Assert
    expectError(res, 409, 'not_archived');
  });

  it('when an unknown organisation is archived or restored, then the answer is 404', async () => {
    // Act
    const archive = await t.app.inject({
      method: 'POST',
      url: '/api/organisations/999/archive',
      payload: {},
    });
    const restore = await t.app.inject({ method: 'POST', url: '/api/organisations/999/restore' });

    // Assert
    expectError(archive, 404, 'organisation_not_found');
    expectError(restore, 404, 'organisation_not_found');
  });
});

describe('GET /api/organisations/:id/revisions', () => {
  it('when an organisation is created, changed, archived and restored, then each step is kept with before and after', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
    await call(
      t.app,
      { method: 'PATCH', url: `/api/organisations/${org.id}`, payload: { name: 'Gemeente A-stad' } },
      200,
    );
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: {} }, 200);
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/restore` }, 200);

    // Act
    const revisions = await getJson<Revision[]>(t.app, `/api/organisations/${org.id}/revisions`);

    // Assert: newest first
    expect(revisions.map((r) => r.action)).toEqual(['restore', 'archive', 'update', 'create']);
    for (const r of revisions) {
      expect(r).toMatchObject({
        entity: 'organisation',
        entityId: org.id,
        organisationId: org.id,
        quarter: null,
      });
      expect(r.actor).toBe('projectleider@test.example.org');
    }
    const [restore, archive, update, create] = revisions;
    expect(create!.before).toBeNull();
    expect(create!.after).toMatchObject({ name: 'Gemeente A', version: 1 });
    expect(update!.before).toMatchObject({ name: 'Gemeente A' });
    expect(update!.after).toMatchObject({ name: 'Gemeente A-stad', version: 2 });
    expect(archive!.before).toMatchObject({ archived: false, memberUntil: null });
    expect(archive!.after).toMatchObject({
      archived: true,
      memberUntil: '2026-Q4',
      memberships: [{ from: '2016-Q1', until: '2026-Q4' }],
    });
    // Changed by issue 9: restoring reopens what archiving closed.
    expect(restore!.before).toMatchObject({ archived: true, memberUntil: '2026-Q4' });
    expect(restore!.after).toMatchObject({
      archived: false,
      memberUntil: null,
      memberships: [{ from: '2016-Q1', until: null }],
    });
  });

  it('when revisions are paged, then limit and offset apply and bad values are refused', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente A' });
    for (const notes of ['een', 'twee', 'drie']) {
      await call(t.app, { method: 'PATCH', url: `/api/organisations/${org.id}`, payload: { notes } }, 200);
    }

    // Act
    const page = await getJson<Revision[]>(t.app, `/api/organisations/${org.id}/revisions?limit=2&offset=1`);
    const bad = await t.app.inject({ method: 'GET', url: `/api/organisations/${org.id}/revisions?limit=0` });

    // Assert
    expect(page.map((r) => (r.after as { notes: string | null }).notes)).toEqual(['twee', 'een']);
    expectError(bad, 400, 'validation_failed');
  });

  it('when the revisions of an unknown organisation are asked for, then the answer is 404', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/999/revisions' });

    // Assert
    expectError(res, 404, 'organisation_not_found');
  });
});

describe('what an organisation sees of itself', () => {
  it("when an organisation reads its own record, then the projectleider's notes are left out", async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente Dijkwaard', memberFrom: '2016-Q1' });
    await call(
      t.app,
      { method: 'PATCH', url: `/api/organisations/${org.id}`, payload: { notes: 'intern: lastig contact' } },
      200,
    );
    const self = { organisatie: org.id };

    // Act
    const own = await injectAs(t, self, { method: 'GET', url: `/api/organisations/${org.id}` });
    const list = await injectAs(t, self, { method: 'GET', url: '/api/organisations' });
    const asLeader = await getJson<{ notes: string | null }>(t.app, `/api/organisations/${org.id}`);

    // Assert
    expect(own.statusCode).toBe(200);
    expect(own.json().notes).toBeNull();
    expect(list.json().items.map((o: { notes: string | null }) => o.notes)).toEqual([null]);
    expect(asLeader.notes).toBe('intern: lastig contact');
  });
});
