// The network's work (issue 13, items 1 and 2) through the real app: actions agreed with an
// organisation (the organisation itself may change only their status and note), overdue ones
// across the region, an action whose criterion a later quickscan shows as met, and the network's
// activities with their counts per quarter and the share of members visited in the last year.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Action, Activity, ActivityReport } from '../../server/contracts/network.contract.ts';
import { testAppPerTest } from '../helpers.ts';
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
} from './fixtures.ts';

const t = testAppPerTest();
let org: Organisation;
let other: Organisation;

beforeEach(async () => {
  org = await createOrg(t.app, { name: 'Gemeente Eigenstad', memberFrom: '2016-Q1' });
  other = await createOrg(t.app, { name: 'Gemeente Buurdorp', memberFrom: '2016-Q1' });
});

const addAction = (payload: object, id = org.id) =>
  t.app.inject({ method: 'POST', url: `/api/organisations/${id}/actions`, payload });

describe('actions', () => {
  it('when the projectleider agrees an action, then it reads back with the criterion, owner, due quarter and status open', async () => {
    // Act
    const res = await addAction({
      criterion: '2b',
      title: 'Protocol in het MT bespreken',
      owner: 'Jan',
      due: '2027-Q1',
    });
    const list = await getJson<Action[]>(t.app, `/api/organisations/${org.id}/actions`);

    // Assert
    expect(res.statusCode, res.body).toBe(201);
    expect(list).toMatchObject([
      {
        organisation: 'Gemeente Eigenstad',
        criterion: '2b',
        title: 'Protocol in het MT bespreken',
        owner: 'Jan',
        due: { quarter: '2027-Q1', date: null },
        status: 'open',
        overdue: false,
        criterionMet: null,
        version: 1,
      },
    ]);
    expect(list[0]!.criterionText).toBeTruthy();
  });

  it('when an action is wrong in several ways, then each problem is named at its field and nothing is stored', async () => {
    // Act
    const res = await addAction({ criterion: '2b', title: '', due: '2027-02-30' });
    const unknown = await addAction({ criterion: '9z', title: 'x' });
    const list = await getJson<Action[]>(t.app, `/api/organisations/${org.id}/actions`);

    // Assert
    expectError(res, 400, 'validation_failed');
    expect(
      res
        .json()
        .error.details.problems.map((p: { path: string }) => p.path)
        .sort(),
    ).toEqual(['due', 'title']);
    expectFieldError(unknown, 400, 'unknown_criterion', 'criterion');
    expect(list).toEqual([]);
  });

  it('when an action is past its due quarter, then it is overdue and listed across the region', async () => {
    // Arrange: the test clock is in Q4 2026
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/actions`,
        payload: { criterion: '2a', title: 'Oud', due: '2026-Q3' },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${other.id}/actions`,
        payload: { criterion: '2a', title: 'Nieuw', due: '2026-Q4' },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${other.id}/actions`,
        payload: { criterion: '2a', title: 'Datum', due: '2026-11-14' },
      },
      201,
    );

    // Act
    const overdue = await getJson<Action[]>(t.app, '/api/actions?overdue=true');

    // Assert
    expect(overdue.map((a) => a.title).sort()).toEqual(['Datum', 'Oud']);
  });

  it('when the organisation changes its own action, then only the status and note change; other fields, other organisations and deleting are refused', async () => {
    // Arrange
    const action = await call<Action>(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/actions`,
        payload: { criterion: '2b', title: 'Protocol' },
      },
      201,
    );
    const foreign = await call<Action>(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${other.id}/actions`,
        payload: { criterion: '2b', title: 'Van de buren' },
      },
      201,
    );
    const as = { organisatie: org.id };
    const url = `/api/organisations/${org.id}/actions/${action.id}`;

    // Act
    const done = await injectAs(t, as, {
      method: 'PATCH',
      url,
      payload: { status: 'klaar', note: 'besproken op 12 nov', expectedVersion: 1 },
    });
    const retitle = await injectAs(t, as, {
      method: 'PATCH',
      url,
      payload: { title: 'Anders', expectedVersion: 2 },
    });
    const theirs = await injectAs(t, as, {
      method: 'PATCH',
      url: `/api/organisations/${other.id}/actions/${foreign.id}`,
      payload: { status: 'klaar', expectedVersion: 1 },
    });
    const smuggled = await injectAs(t, as, {
      method: 'PATCH',
      url: `/api/organisations/${org.id}/actions/${foreign.id}`,
      payload: { status: 'klaar', expectedVersion: 1 },
    });
    const removed = await injectAs(t, as, { method: 'DELETE', url });
    const history = await getJson<{ items: Revision[] }>(t.app, '/api/audit?entity=action');

    // Assert
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<Action>()).toMatchObject({ status: 'klaar', note: 'besproken op 12 nov', version: 2 });
    expectError(retitle, 403, 'forbidden');
    expectError(theirs, 404, 'organisation_not_found');
    expectError(smuggled, 404, 'action_not_found');
    expectError(removed, 403, 'forbidden');
    expect(history.items[0]).toMatchObject({
      action: 'update',
      before: { status: 'open', note: null },
      after: { status: 'klaar', note: 'besproken op 12 nov' },
    });
  });

  it('when a quickscan after the agreement shows the criterion as met, then the action says it can be closed', async () => {
    // Arrange
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/actions`,
        payload: { criterion: '2b', title: 'Protocol' },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2026-Q4', answers: answersForGear(3) },
      },
      201,
    );

    // Act
    const [action] = await getJson<Action[]>(t.app, `/api/organisations/${org.id}/actions`);

    // Assert
    expect(action!.criterionMet).toEqual({ quarter: '2026-Q4' });
  });

  it('when an action is changed from an old version, then it is refused and nothing changes', async () => {
    // Arrange
    const action = await call<Action>(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/actions`,
        payload: { criterion: '2b', title: 'Protocol' },
      },
      201,
    );
    const url = `/api/organisations/${org.id}/actions/${action.id}`;
    await call(t.app, { method: 'PATCH', url, payload: { status: 'bezig', expectedVersion: 1 } }, 200);

    // Act
    const stale = await t.app.inject({
      method: 'PATCH',
      url,
      payload: { status: 'vervallen', expectedVersion: 1 },
    });

    // Assert
    expectError(stale, 409, 'version_conflict');
    expect((await getJson<Action[]>(t.app, `/api/organisations/${org.id}/actions`))[0]!.status).toBe('bezig');
  });
});

describe('activities', () => {
  it('when a house visit is logged with organisations and measures, then the list filters by organisation and period', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/activities',
      payload: {
        date: '2026-10-05',
        kind: 'huisbezoek',
        title: 'Kennismaking',
        organisationIds: [org.id],
        measures: ['melden'],
      },
    });
    await call(
      t.app,
      {
        method: 'POST',
        url: '/api/activities',
        payload: {
          date: '2026-03-01',
          kind: 'netwerkbijeenkomst',
          title: 'Netwerk',
          organisationIds: [org.id, other.id],
        },
      },
      201,
    );
    const forOther = await getJson<Activity[]>(t.app, `/api/activities?organisationId=${other.id}`);
    const inQ4 = await getJson<Activity[]>(t.app, '/api/activities?from=2026-Q4&to=2026-Q4');

    // Assert
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Activity>()).toMatchObject({
      kind: 'huisbezoek',
      organisations: [{ id: org.id, name: 'Gemeente Eigenstad' }],
      measures: [{ key: 'melden', name: 'melden' }],
    });
    expect(forOther.map((a) => a.title)).toEqual(['Netwerk']);
    expect(inQ4.map((a) => a.title)).toEqual(['Kennismaking']);
  });

  it('when an activity names an unknown organisation and measure, then both are named at their fields', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/activities',
      payload: {
        date: '2026-10-05',
        kind: 'advies',
        title: 'Advies',
        organisationIds: [99999],
        measures: ['dansen'],
      },
    });

    // Assert
    expectError(res, 400, 'validation_failed');
    expect(res.json().error.details.problems.map((p: { path: string }) => p.path)).toEqual([
      'organisationIds',
      'measures',
    ]);
  });

  it('when activities are counted, then each quarter has its kinds and the share of members visited in the last twelve months', async () => {
    // Arrange: a visit to one of two members a year and a half ago, and one to the other this year
    const post = (payload: object) => call(t.app, { method: 'POST', url: '/api/activities', payload }, 201);
    await post({ date: '2025-05-01', kind: 'huisbezoek', title: 'Oud bezoek', organisationIds: [org.id] });
    await post({ date: '2026-10-01', kind: 'huisbezoek', title: 'Bezoek', organisationIds: [other.id] });
    await post({ date: '2026-10-02', kind: 'workshop', title: 'Workshop melden', organisationIds: [] });

    // Act
    const report = await getJson<ActivityReport>(t.app, '/api/reports/activities?from=2026-Q3&to=2026-Q4');

    // Assert: TEST_NOW is 15 November 2026
    expect(report.quarters.map((q) => [q.quarter, q.total, q.counts.huisbezoek, q.counts.workshop])).toEqual([
      ['2026-Q3', 0, 0, 0],
      ['2026-Q4', 2, 1, 1],
    ]);
    expect(report.visited).toEqual({ asOf: '2026-11-15', visited: 1, members: 2, share: 0.5 });
  });

  it('when an activity is changed and removed, then the history keeps both and the list no longer shows it', async () => {
    // Arrange
    const a = await call<Activity>(
      t.app,
      {
        method: 'POST',
        url: '/api/activities',
        payload: { date: '2026-10-05', kind: 'advies', title: 'Advies' },
      },
      201,
    );

    // Act
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/activities/${a.id}`,
      payload: { title: 'Advies over ELA', expectedVersion: 1 },
    });
    await call(t.app, { method: 'DELETE', url: `/api/activities/${a.id}` }, 204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/activities/${a.id}` });
    const list = await getJson<Activity[]>(t.app, '/api/activities');
    const history = await getJson<{ items: Revision[] }>(t.app, '/api/audit?entity=activity');

    // Assert
    expect(changed.json<Activity>()).toMatchObject({ title: 'Advies over ELA', version: 2 });
    expectError(again, 404, 'activity_not_found');
    expect(list).toEqual([]);
    expect(history.items.map((r) => r.action)).toEqual(['delete', 'update', 'create']);
  });

  it('when only the title of an activity with organisations and measures is changed, then its organisations and measures stay', async () => {
    // Arrange
    const a = await call<Activity>(
      t.app,
      {
        method: 'POST',
        url: '/api/activities',
        payload: {
          date: '2026-10-05',
          kind: 'huisbezoek',
          title: 'Bezoek',
          organisationIds: [org.id],
          measures: ['melden'],
        },
      },
      201,
    );

    // Act
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/activities/${a.id}`,
      payload: { title: 'Bezoek 2', expectedVersion: 1 },
    });

    // Assert
    expect(changed.json<Activity>()).toMatchObject({
      title: 'Bezoek 2',
      organisations: [{ id: org.id }],
      measures: [{ key: 'melden' }],
    });
  });

  it('when an activity names too many organisations, then the message says how many may', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/activities',
      payload: {
        date: '2026-10-05',
        kind: 'advies',
        title: 'x',
        organisationIds: Array.from({ length: 501 }, (_, i) => i + 1),
      },
    });

    // Assert
    expect(expectFieldError(res, 400, 'validation_failed', 'organisationIds').error.message).toBe(
      'hoogstens 500 organisaties per activiteit',
    );
  });
});

describe('criterion met', () => {
  it('when an older quarter is corrected after the agreement but the latest quickscan does not meet the criterion, then nothing is offered', async () => {
    // Arrange: the latest quickscan (Q3) does not meet 2b; the agreement; then Q1 is corrected to meet it
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2026-Q1', answers: answersForGear(1) },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/quickscans`,
        payload: { quarter: '2026-Q3', answers: answersForGear(1) },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/actions`,
        payload: { criterion: '2b', title: 'Protocol' },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'PUT',
        url: `/api/organisations/${org.id}/quickscans/2026-Q1`,
        payload: { answers: answersForGear(3), expectedVersion: 1 },
      },
      200,
    );

    // Act
    const [action] = await getJson<Action[]>(t.app, `/api/organisations/${org.id}/actions`);

    // Assert
    expect(action!.criterionMet).toBeNull();
  });
});
