// Incident figures per organisation and quarter, and employees per year (issue 12, item 1): the
// projectleider and the organisation itself record and correct them; "not registered" is not 0;
// corrections need the version they were read at; closed quarters are frozen; bad input is
// refused whole, in Dutch, next to its field; every write is attributed in the change history.
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  Employees,
  IncidentFigures,
  OrganisationIncidents,
} from '../../server/contracts/incident.contract.ts';
import { rowCounts, testAppPerTest } from '../helpers.ts';
import {
  call,
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  injectAs,
  type Organisation,
  problemsOf,
  type Revision,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();
let org: Organisation;
let other: Organisation;

beforeEach(async () => {
  org = await createOrg(t.app, { name: 'Gemeente Eigenstad', memberFrom: '2016-Q1' });
  other = await createOrg(t.app, { name: 'Gemeente Buurdorp', memberFrom: '2016-Q1' });
});

const url = (quarter: string, id = org.id) => `/api/organisations/${id}/incidents/${quarter}`;
const put = (quarter: string, payload: object, id = org.id) =>
  t.app.inject({ method: 'PUT', url: url(quarter, id), payload });

describe('PUT /api/organisations/:id/incidents/:quarter', () => {
  it('when the projectleider records figures, then they read back with their sum, and a figure left out is "not registered", not 0', async () => {
    // Act
    const created = await put('2016-Q2', { verbal: 4, threat: 2, physical: 0, reports: 1 });
    const read = await getJson<IncidentFigures>(t.app, url('2016-Q2'));

    // Assert
    expect(created.statusCode, created.body).toBe(201);
    expect(read).toMatchObject({
      organisationId: org.id,
      quarter: '2016-Q2',
      verbal: 4,
      threat: 2,
      physical: 0,
      other: null,
      reports: 1,
      reactions48h: null,
      damageRecovered: null,
      incidents: 6,
      version: 1,
    });
    expect(read.updatedBy).toBeTruthy();
  });

  it('when nothing is registered in a quarter, then it reads as version 0 with every figure null and no sum', async () => {
    // Act
    const read = await getJson<IncidentFigures>(t.app, url('2016-Q3'));

    // Assert
    expect(read).toMatchObject({ version: 0, verbal: null, incidents: null, updatedAt: null });
  });

  it('when figures are corrected, then the version they were read at is needed; a stale one is refused and nothing changes', async () => {
    // Arrange
    await call(t.app, { method: 'PUT', url: url('2016-Q2'), payload: { verbal: 4 } }, 201);

    // Act
    const without = await put('2016-Q2', { verbal: 5 });
    const corrected = await put('2016-Q2', { verbal: 5, other: 1, expectedVersion: 1 });
    const stale = await put('2016-Q2', { verbal: 9, expectedVersion: 1 });

    // Assert
    expectError(without, 409, 'version_conflict');
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({ verbal: 5, other: 1, incidents: 6, version: 2 });
    expectError(stale, 409, 'version_conflict');
    expect(await getJson<IncidentFigures>(t.app, url('2016-Q2'))).toMatchObject({ verbal: 5, version: 2 });
  });

  it('when every figure is emptied, then the quarter has nothing registered again and the history keeps what there was', async () => {
    // Arrange
    await call(t.app, { method: 'PUT', url: url('2016-Q2'), payload: { verbal: 4 } }, 201);

    // Act
    const emptied = await put('2016-Q2', { verbal: null, expectedVersion: 1 });

    // Assert
    expect(emptied.statusCode, emptied.body).toBe(200);
    expect(emptied.json()).toMatchObject({ version: 2, verbal: null, incidents: null });
    const list = await getJson<OrganisationIncidents>(t.app, `/api/organisations/${org.id}/incidents`);
    expect(list.quarters).toEqual([]);
    const history = await getJson<Revision[]>(t.app, `/api/organisations/${org.id}/revisions`);
    const changes = history.filter((r) => r.entity === 'incident_figures');
    expect(changes.map((r) => r.action).sort()).toEqual(['create', 'delete']);
    expect(changes.find((r) => r.action === 'delete')!.before).toMatchObject({ verbal: 4 });
  });

  it('when a quarter was emptied and filled in again, then a save made from the read before is refused, not written over the new figures', async () => {
    // Arrange: A reads version 1; B empties the quarter and enters new figures.
    await call(t.app, { method: 'PUT', url: url('2016-Q2'), payload: { verbal: 4 } }, 201);
    const readByA = await getJson<IncidentFigures>(t.app, url('2016-Q2'));
    await call(t.app, { method: 'PUT', url: url('2016-Q2'), payload: { expectedVersion: 1 } }, 200);
    const refilled = await call<IncidentFigures>(
      t.app,
      { method: 'PUT', url: url('2016-Q2'), payload: { verbal: 9, expectedVersion: 2 } },
      200,
    );

    // Act
    const stale = await put('2016-Q2', { verbal: 5, expectedVersion: readByA.version });

    // Assert
    expectError(stale, 409, 'version_conflict');
    expect(refilled.version).toBe(3);
    expect(await getJson<IncidentFigures>(t.app, url('2016-Q2'))).toMatchObject({ verbal: 9, version: 3 });
  });

  it('when a membership was shortened after figures were recorded, then those figures can still be emptied', async () => {
    // Arrange
    await call(t.app, { method: 'PUT', url: url('2016-Q3'), payload: { verbal: 4 } }, 201);
    await call(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/leave`, payload: { until: '2016-Q2' } },
      200,
    );

    // Act
    const refill = await put('2016-Q3', { verbal: 5, expectedVersion: 1 });
    const empty = await put('2016-Q3', { expectedVersion: 1 });

    // Assert
    expectError(refill, 422, 'not_a_member');
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ verbal: null, incidents: null });
  });

  it('when the figures are not counts, then every problem is listed at once next to its field, in Dutch, and nothing is written', async () => {
    // Arrange
    const before = await rowCounts(t);

    // Act
    const res = await put('2016-Q2', {
      verbal: -1,
      threat: 2.5,
      physical: 'veel',
      reports: 2_000_000,
      mood: 3,
    });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    const problems = problemsOf(body);
    expect(problems.map((p) => p.path).sort()).toEqual(['mood', 'physical', 'reports', 'threat', 'verbal']);
    expect(problems.find((p) => p.path === 'mood')?.code).toBe('unknown_field');
    for (const field of ['verbal', 'threat', 'physical', 'reports']) {
      const problem = problems.find((p) => p.path === field);
      expect(problem?.message, field).toMatch(/^geef een geheel getal van 0 tot en met 1\.000\.000/);
    }
    expect(res.body).not.toMatch(/number|expected|string|body\./);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the quarter lies in the future or outside the membership, then it is refused with the reason and nothing is written', async () => {
    // Arrange
    const before = await rowCounts(t);

    // Act
    const future = await put('2099-Q1', { verbal: 1 });
    const early = await put('2015-Q4', { verbal: 1 });
    const malformed = await put('2016-Q5', { verbal: 1 });

    // Assert
    expectFieldError(future, 422, 'future_quarter', 'quarter');
    expect(expectError(early, 422, 'not_a_member').error.message).toContain('Q4 2015 geen lid');
    expectError(malformed, 400, 'validation_failed');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the quarter is closed, then its figures are frozen until it is reopened', async () => {
    // Arrange
    await setGear(t.app, org.id, '2016-Q1', 2);
    await call(t.app, { method: 'PUT', url: url('2016-Q1'), payload: { verbal: 4 } }, 201);
    await call(t.app, { method: 'POST', url: '/api/quarters/2016-Q1/close', payload: {} }, 200);

    // Act
    const refused = await put('2016-Q1', { verbal: 5, expectedVersion: 1 });
    await call(
      t.app,
      {
        method: 'POST',
        url: '/api/quarters/2016-Q1/reopen',
        payload: { reason: 'incidentcijfers aangevuld' },
      },
      204,
    );
    const after = await put('2016-Q1', { verbal: 5, expectedVersion: 1 });

    // Assert
    const body = expectFieldError(refused, 409, 'quarter_closed', 'quarter');
    expect(body.error.message).toContain('Q1 2016 is vastgesteld');
    expect(after.statusCode, after.body).toBe(200);
  });
});

describe('employees borrowed by a closed quarter', () => {
  it("when a closed quarter borrows a neighbouring year's employees, then changing that number is refused; a year that does not move it is fine", async () => {
    // Arrange: figures in closed Q1 2016, employees only for 2017 (2016 borrows them)
    await setGear(t.app, org.id, '2016-Q1', 2);
    await call(t.app, { method: 'PUT', url: url('2016-Q1'), payload: { verbal: 4 } }, 201);
    await call(
      t.app,
      { method: 'PUT', url: `/api/organisations/${org.id}/employees/2017`, payload: { employees: 100 } },
      201,
    );
    await call(t.app, { method: 'POST', url: '/api/quarters/2016-Q1/close', payload: {} }, 200);

    // Act
    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/organisations/${org.id}/employees/2017`,
      payload: { employees: 120, expectedVersion: 1 },
    });
    const later = await t.app.inject({
      method: 'PUT',
      url: `/api/organisations/${org.id}/employees/2018`,
      payload: { employees: 130 },
    });

    // Assert
    const body = expectFieldError(moved, 409, 'quarter_closed', 'employees');
    expect(body.error.message).toContain(
      'Q1 2016 is vastgesteld en rekent met het aantal medewerkers van een ander jaar',
    );
    expect(later.statusCode, later.body).toBe(201);
  });
});

describe('the organisation records its own figures', () => {
  it('when an organisatie account records and corrects its own figures, then they are saved and attributed to that account', async () => {
    // Act
    const created = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PUT',
        url: url('2016-Q2'),
        payload: { verbal: 3, reactions48h: 2 },
      },
    );
    const corrected = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PUT',
        url: url('2016-Q2'),
        payload: { verbal: 4, reactions48h: 2, expectedVersion: 1 },
      },
    );
    const employees = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PUT',
        url: `/api/organisations/${org.id}/employees/2016`,
        payload: { employees: 80 },
      },
    );

    // Assert
    expect(created.statusCode, created.body).toBe(201);
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(employees.statusCode, employees.body).toBe(201);
    const history = await getJson<Revision[]>(t.app, `/api/organisations/${org.id}/revisions`);
    const actors = history
      .filter((r) => r.entity === 'incident_figures' || r.entity === 'employees')
      .map((r) => r.actor);
    expect(actors).toHaveLength(3);
    for (const actor of actors) expect(actor).toBe(`als-organisatie-${org.id}@test.example.org`);
  });

  it('when an organisatie account writes another organisation, then the answer is the 404 of an unknown one, and the bestuur gets 403', async () => {
    // Act
    const foreign = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PUT',
        url: url('2016-Q2', other.id),
        payload: { verbal: 3 },
      },
    );
    const board = await injectAs(t, 'bestuur', {
      method: 'PUT',
      url: url('2016-Q2'),
      payload: { verbal: 3 },
    });

    // Assert
    expectError(foreign, 404, 'organisation_not_found');
    expect(foreign.body).not.toContain('Buurdorp');
    expectError(board, 403, 'forbidden');
    expect(
      (await getJson<OrganisationIncidents>(t.app, `/api/organisations/${other.id}/incidents`)).quarters,
    ).toEqual([]);
  });

  it('when the organisatie account sends no CSRF token, then the write is refused', async () => {
    // Act
    const res = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PUT',
        url: url('2016-Q2'),
        payload: { verbal: 3 },
        headers: { 'x-csrf-token': '' },
      },
    );

    // Assert
    expectError(res, 403, 'csrf_failed');
  });

  it('when the organisatie account tries any other write, then it stays refused (its only write is its figures)', async () => {
    // Act
    const gear = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PUT',
        url: `/api/organisations/${org.id}/gears/2016-Q2`,
        payload: { gear: 5 },
      },
    );
    const rename = await injectAs(
      t,
      { organisatie: org.id },
      {
        method: 'PATCH',
        url: `/api/organisations/${org.id}`,
        payload: { name: 'Gemeente Hoogstad' },
      },
    );

    // Assert
    expectError(gear, 403, 'forbidden');
    expectError(rename, 403, 'forbidden');
  });
});

describe('PUT /api/organisations/:id/employees/:year', () => {
  it('when the employees of a year are recorded and corrected with their version, then the list shows them per year', async () => {
    // Act
    const first = await call<Employees>(
      t.app,
      { method: 'PUT', url: `/api/organisations/${org.id}/employees/2016`, payload: { employees: 120 } },
      201,
    );
    const changed = await call<Employees>(
      t.app,
      {
        method: 'PUT',
        url: `/api/organisations/${org.id}/employees/2016`,
        payload: { employees: 125, expectedVersion: first.version },
      },
      200,
    );
    const list = await getJson<OrganisationIncidents>(t.app, `/api/organisations/${org.id}/incidents`);

    // Assert
    expect(changed).toMatchObject({ year: 2016, employees: 125, version: 2 });
    expect(list.employees.map((e) => [e.year, e.employees])).toEqual([[2016, 125]]);
  });

  it('when the number or the year is wrong, then each is named in Dutch and nothing is written', async () => {
    // Arrange
    const before = await rowCounts(t);

    // Act
    const zero = await t.app.inject({
      method: 'PUT',
      url: `/api/organisations/${org.id}/employees/2016`,
      payload: { employees: 0 },
    });
    const year = await t.app.inject({
      method: 'PUT',
      url: `/api/organisations/${org.id}/employees/16`,
      payload: { employees: 10 },
    });

    // Assert
    expect(expectFieldError(zero, 400, 'validation_failed', 'employees').error.message).toContain(
      'geef het aantal medewerkers met een publieke taak',
    );
    expect(expectFieldError(year, 400, 'validation_failed', 'year').error.message).toContain(
      'geef een jaar als 2016',
    );
    expect(await rowCounts(t)).toEqual(before);
  });
});
