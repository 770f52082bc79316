import { describe, expect, it } from 'vitest';
import type { ErrorCode, ProblemCode } from '../../server/contracts/errors.contract.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import { rowCounts, testAppPerTest } from '../helpers.ts';
import {
  call,
  createOrg,
  createSector,
  expectError,
  expectFieldError,
  getJson,
  listSectors,
  type Sector,
  sectorId,
} from './fixtures.ts';

const t = testAppPerTest();

describe('GET /api/sectors', () => {
  it('when the database is new, then the 8 default sectors are listed in order, empty', async () => {
    // Act
    const sectors = await listSectors(t.app);

    // Assert
    expect(sectors.map((s) => s.name)).toEqual(DEFAULT_SECTORS);
    for (const s of sectors) {
      expect(s).toEqual({
        id: expect.any(Number),
        name: s.name,
        organisationCount: 0,
        deletable: true,
        version: 1,
      });
    }
  });

  it('when a sector has active and archived organisations, then only the active ones are counted', async () => {
    // Arrange
    await createOrg(t.app, { name: 'Ziekenhuis Noord', sector: 'Zorg', memberFrom: '2016-Q1' });
    const archived = await createOrg(t.app, {
      name: 'Thuiszorg Zuid',
      sector: 'Zorg',
      memberFrom: '2016-Q1',
    });
    await call(t.app, { method: 'POST', url: `/api/organisations/${archived.id}/archive`, payload: {} }, 200);

    // Act
    const zorg = (await listSectors(t.app)).find((s) => s.name === 'Zorg');

    // Assert
    expect(zorg?.organisationCount).toBe(1);
  });
});

describe('POST /api/sectors', () => {
  it('when a new sector is added, then it is created with a tidied name and listed last', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sectors',
      payload: { name: '  Cultuur   en Sport ' },
    });

    // Assert
    expect(res.statusCode).toBe(201);
    const created = res.json() as Sector;
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Cultuur en Sport',
      organisationCount: 0,
      deletable: true,
      version: 1,
    });
    const names = (await listSectors(t.app)).map((s) => s.name);
    expect(names).toEqual([...DEFAULT_SECTORS, 'Cultuur en Sport']);
  });

  it.each([
    ['Zorg', 'the same name'],
    [' zorg ', 'another case with spaces around'],
    ['ZORG', 'upper case'],
  ])(
    'when a sector named %j is added while "Zorg" exists (%s), then the answer is 409 duplicate_name',
    async (name) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({ method: 'POST', url: '/api/sectors', payload: { name } });

      // Assert
      expectFieldError(res, 409, 'duplicate_name', 'name');
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it('when two added sectors differ only in case, then the second is refused', async () => {
    // Arrange
    await createSector(t.app, 'Gemeente A');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sectors',
      payload: { name: ' gemeente a ' },
    });

    // Assert
    expect(expectError(res, 409, 'duplicate_name').error.message).toContain('gemeente a');
    expect((await listSectors(t.app)).filter((s) => s.name.toLowerCase() === 'gemeente a')).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>, ErrorCode, string, ProblemCode?]>([
    ['an empty name', { name: '' }, 'invalid_name', 'name'],
    ['a name of only spaces', { name: '    ' }, 'invalid_name', 'name'],
    ['a name longer than 100 characters', { name: 'x'.repeat(101) }, 'invalid_name', 'name'],
    ['a name longer than the schema allows', { name: 'x'.repeat(201) }, 'validation_failed', 'name'],
    ['no name', {}, 'validation_failed', 'name'],
    ['a name that is not text', { name: 42 }, 'validation_failed', 'name'],
    ['an unknown field', { name: 'Cultuur', colour: 'rood' }, 'validation_failed', 'colour', 'unknown_field'],
  ])(
    'when a sector is added with %s, then the answer is 400 naming the field and nothing is stored',
    async (_label, payload, code, path, problemCode) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({ method: 'POST', url: '/api/sectors', payload });

      // Assert
      expectFieldError(res, 400, code, path, problemCode);
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it('when a sector is added with an unknown field, then the message names the field', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sectors',
      payload: { name: 'Cultuur', colour: 'rood' },
    });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(body.error.message).toBe("onbekend veld 'colour'");
    expect(body.error.details).toEqual({
      problems: [{ code: 'unknown_field', path: 'colour', message: "onbekend veld 'colour'" }],
    });
  });
});

describe('GET /api/sectors/:id', () => {
  it('when an existing sector is asked for, then it is returned with its organisation count', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Onderwijs');
    await createOrg(t.app, { name: 'Basisschool De Wilg', sector: id });

    // Act
    const sector = await getJson<Sector>(t.app, `/api/sectors/${id}`);

    // Assert
    expect(sector).toEqual({ id, name: 'Onderwijs', organisationCount: 1, deletable: false, version: 1 });
  });

  it('when an unknown id is asked for, then the answer is 404', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: '/api/sectors/999' });

    // Assert
    expect(expectError(res, 404, 'sector_not_found').error.message).toBe('sector 999 bestaat niet');
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])(
    'when the id is %j, then the answer is 400',
    async (id) => {
      // Act
      const res = await t.app.inject({ method: 'GET', url: `/api/sectors/${id}` });

      // Assert
      expectError(res, 400, 'validation_failed');
    },
  );
});

describe('PATCH /api/sectors/:id', () => {
  it('when a sector is renamed, then the new name shows everywhere and the version goes up', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Anders');
    const org = await createOrg(t.app, { name: 'Stichting X', sector: id });

    // Act
    const renamed = await call<Sector>(
      t.app,
      { method: 'PATCH', url: `/api/sectors/${id}`, payload: { name: 'Overig' } },
      200,
    );

    // Assert
    expect(renamed).toEqual({ id, name: 'Overig', organisationCount: 1, deletable: false, version: 2 });
    expect((await listSectors(t.app)).map((s) => s.name)).toContain('Overig');
    expect((await getJson<{ sector: string }>(t.app, `/api/organisations/${org.id}`)).sector).toBe('Overig');
  });

  it('when a sector is renamed to its own name in other case, then that is allowed', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Zorg');

    // Act
    const renamed = await call<Sector>(
      t.app,
      { method: 'PATCH', url: `/api/sectors/${id}`, payload: { name: 'ZORG' } },
      200,
    );

    // Assert
    expect(renamed.name).toBe('ZORG');
  });

  it('when a sector is renamed to the name of another sector, then the answer is 409 and the name stays', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Anders');

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/sectors/${id}`,
      payload: { name: ' zorg' },
    });

    // Assert
    expectFieldError(res, 409, 'duplicate_name', 'name');
    expect((await getJson<Sector>(t.app, `/api/sectors/${id}`)).name).toBe('Anders');
  });

  it('when an unknown sector is renamed, then the answer is 404', async () => {
    // Act
    const res = await t.app.inject({ method: 'PATCH', url: '/api/sectors/999', payload: { name: 'Overig' } });

    // Assert
    expectError(res, 404, 'sector_not_found');
  });

  it('when a sector is renamed with an empty name or unknown field, then the answer is 400', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Anders');

    // Act
    const empty = await t.app.inject({ method: 'PATCH', url: `/api/sectors/${id}`, payload: { name: ' ' } });
    const extra = await t.app.inject({
      method: 'PATCH',
      url: `/api/sectors/${id}`,
      payload: { name: 'Overig', position: 1 },
    });

    // Assert
    expectFieldError(empty, 400, 'invalid_name', 'name');
    expectFieldError(extra, 400, 'validation_failed', 'position', 'unknown_field');
    expect((await getJson<Sector>(t.app, `/api/sectors/${id}`)).name).toBe('Anders');
  });
});

describe('DELETE /api/sectors/:id', () => {
  it('when an empty sector is deleted, then it is gone', async () => {
    // Arrange
    const sector = await createSector(t.app, 'Cultuur');

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: `/api/sectors/${sector.id}` });

    // Assert
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectError(
      await t.app.inject({ method: 'GET', url: `/api/sectors/${sector.id}` }),
      404,
      'sector_not_found',
    );
    expect((await listSectors(t.app)).map((s) => s.name)).toEqual(DEFAULT_SECTORS);
  });

  it('when a sector with organisations is deleted, then the answer is 409 sector_in_use and it stays', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Zorg');
    await createOrg(t.app, { name: 'Ziekenhuis Noord', sector: id });
    await createOrg(t.app, { name: 'Thuiszorg Zuid', sector: id });

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: `/api/sectors/${id}` });

    // Assert
    const body = expectError(res, 409, 'sector_in_use');
    expect(body.error.details).toEqual({ organisationCount: 2 });
    expect((await getJson<Sector>(t.app, `/api/sectors/${id}`)).organisationCount).toBe(2);
  });

  it('when a sector holds only an archived organisation, then it still cannot be deleted', async () => {
    // Arrange
    const id = await sectorId(t.app, 'Anders');
    const org = await createOrg(t.app, { name: 'Stichting X', sector: id, memberFrom: '2016-Q1' });
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: {} }, 200);

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: `/api/sectors/${id}` });

    // Assert
    expectError(res, 409, 'sector_in_use');
    await getJson(t.app, `/api/sectors/${id}`);
  });

  it('when an unknown sector is deleted, then the answer is 404', async () => {
    // Act
    const res = await t.app.inject({ method: 'DELETE', url: '/api/sectors/999' });

    // Assert
    expectError(res, 404, 'sector_not_found');
  });

  it('when the id to delete is not a number, then the answer is 400', async () => {
    // Act
    const res = await t.app.inject({ method: 'DELETE', url: '/api/sectors/zorg' });

    // Assert
    expectError(res, 400, 'validation_failed');
  });
});

describe('sector counts and no-op renames', () => {
  it('when an organisation is archived, then the list and the single sector both count only active organisations', async () => {
    // Arrange
    const sector = await createSector(t.app, 'Cultuur');
    await createOrg(t.app, { name: 'Theater De Kade', sector: sector.id, memberFrom: '2016-Q1' });
    const leaving = await createOrg(t.app, {
      name: 'Museum Het Veer',
      sector: sector.id,
      memberFrom: '2016-Q1',
    });
    await call(t.app, { method: 'POST', url: `/api/organisations/${leaving.id}/archive`, payload: {} }, 200);

    // Act
    const fromList = (await listSectors(t.app)).find((s) => s.id === sector.id)!;
    const single = await getJson<Sector>(t.app, `/api/sectors/${sector.id}`);

    // Assert
    expect(fromList.organisationCount).toBe(1);
    expect(single.organisationCount).toBe(1);
  });

  it('when a sector is renamed to the name it already has, then nothing changes and no revision is written', async () => {
    // Arrange
    const sector = await createSector(t.app, 'Cultuur');
    const before = await rowCounts(t);

    // Act
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/sectors/${sector.id}`,
      payload: { name: ' Cultuur ' },
    });

    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(sector.version);
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('deletable sectors and stale renames', () => {
  it('when a sector only has archived organisations, then it counts 0 active but is not deletable', async () => {
    // Arrange
    const sector = await createSector(t.app, 'Cultuur');
    const org = await createOrg(t.app, { name: 'Museum Het Veer', sector: sector.id, memberFrom: '2016-Q1' });
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: {} }, 200);

    // Act
    const listed = (await listSectors(t.app)).find((s) => s.id === sector.id)!;
    const empty = await createSector(t.app, 'Leeg');

    // Assert
    expect(listed).toMatchObject({ organisationCount: 0, deletable: false });
    expect(empty).toMatchObject({ organisationCount: 0, deletable: true });
  });

  it('when a rename carries a stale expectedVersion, then it answers 409 and the name stays', async () => {
    // Arrange
    const sector = await createSector(t.app, 'Cultuur');
    await call(t.app, { method: 'PATCH', url: `/api/sectors/${sector.id}`, payload: { name: 'Kunst' } }, 200);

    // Act
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/sectors/${sector.id}`,
      payload: { name: 'Erfgoed', expectedVersion: sector.version },
    });

    // Assert
    expectError(stale, 409, 'version_conflict');
    expect((await getJson<Sector>(t.app, `/api/sectors/${sector.id}`)).name).toBe('Kunst');
  });
});
