import { beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../server/contracts/errors.contract.ts';
import { rowCounts, testAppPerTest } from '../helpers.ts';
import { ALL_KEYS, answersForGear } from '../support.ts';
import {
  call,
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  type Organisation,
  problemsOf,
  type Quickscan,
  type Revision,
  recordQuickscan,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();
let org: Organisation;

beforeEach(async () => {
  org = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q4' });
});

const url = (quarter?: string, id: number | string = org.id) =>
  quarter === undefined
    ? `/api/organisations/${id}/quickscans`
    : `/api/organisations/${id}/quickscans/${quarter}`;

function putQuickscan(quarter: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'PUT', url: url(quarter), payload });
}

/** Asserts that a quarter has no quickscan and no revision: a failed write left nothing behind. */
async function expectNothingIn(quarter: string): Promise<void> {
  expectError(await t.app.inject({ method: 'GET', url: url(quarter) }), 404, 'quickscan_not_found');
  expect(await getJson(t.app, `${url(quarter)}/revisions`)).toEqual([]);
}

describe('POST /api/organisations/:id/quickscans', () => {
  it('when a quickscan is recorded, then its gear follows from the answers and the model version is kept', async () => {
    // Arrange
    const answers = answersForGear(3, {
      '4a': { answer: 'deels', note: 'aangifte op nummer nog niet geregeld' },
      '4e': { answer: 'nvt', note: 'geen publieksbalie' },
    });

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: url(),
      payload: {
        quarter: '2016-Q2',
        answers,
        conductedOn: '2016-05-12',
        conductedBy: 'P. Leider',
        remark: 'goed gesprek',
      },
    });

    // Assert
    expect(res.statusCode).toBe(201);
    const qs = res.json() as Quickscan;
    expect(qs).toMatchObject({
      organisationId: org.id,
      quarter: '2016-Q2',
      source: 'quickscan',
      gear: 3,
      conductedOn: '2016-05-12',
      conductedBy: 'P. Leider',
      model: { id: 'vpt-schakelmodel', version: 2 },
      remark: 'goed gesprek',
      version: 1,
    });
    expect(Object.keys(qs.answers!).sort()).toEqual([...ALL_KEYS].sort());
    expect(qs.answers!['2a']).toEqual({ answer: 'ja', note: null });
    expect(qs.answers!['4a']).toEqual({ answer: 'deels', note: 'aangifte op nummer nog niet geregeld' });
    expect(qs.answers!['4e']).toEqual({ answer: 'nvt', note: 'geen publieksbalie' });
    expect(qs.answers!['5c']).toEqual({ answer: 'nee', note: null });
    expect(await getJson(t.app, url('2016-Q2'))).toEqual(qs);
  });

  it('when a quickscan is recorded in the current quarter without a date, then it is dated today by the API user', async () => {
    // Act
    const qs = await recordQuickscan(t.app, org.id, '2026-Q4', answersForGear(2));

    // Assert
    expect(qs.conductedOn).toBe('2026-11-15');
    expect(qs.conductedBy).toBe('projectleider@test.example.org');
    expect(qs.createdBy).toBe(qs.conductedBy);
  });

  it('when answers are written loosely, then they are normalised', async () => {
    // Arrange
    const answers = answersForGear(1, {
      '2a': ' JA ',
      '2b': { answer: 'Nvt', note: '  eigen norm van de koepel ' },
    });

    // Act
    const qs = await recordQuickscan(t.app, org.id, '2016-Q1', answers);

    // Assert
    expect(qs.answers!['2a']).toEqual({ answer: 'ja', note: null });
    expect(qs.answers!['2b']).toEqual({ answer: 'nvt', note: 'eigen norm van de koepel' });
  });

  it('when all answers are ja, then the gear is 5; when all are nee, then it is 1', async () => {
    // Act
    const top = await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(5));
    const floor = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(1));

    // Assert
    expect(top.gear).toBe(5);
    expect(floor.gear).toBe(1);
  });

  it('when every criterion is answered nvt with a reason, then model version 2 refuses 2a, 5a, 5b and 5c and nothing is written', async () => {
    // Arrange
    const answers = Object.fromEntries(ALL_KEYS.map((k) => [k, { answer: 'nvt', note: 'niet bij ons' }]));

    // Act
    const res = await t.app.inject({ method: 'POST', url: url(), payload: { quarter: '2016-Q2', answers } });

    // Assert
    const body = expectError(res, 400, 'invalid_answers');
    expect(problemsOf(body).map((p) => [p.code, p.criterion])).toEqual([
      ['answer_invalid', '2a'],
      ['answer_invalid', '5a'],
      ['answer_invalid', '5b'],
      ['answer_invalid', '5c'],
    ]);
    await expectNothingIn('2016-Q2');
  });

  it('when a gear-1 organisation answers only gear 2, then the rest may stay open: stored as given, counted as not met', async () => {
    // Arrange: 2c is not met, so gear 2 is the first gap and gears 3 to 5 need no answers
    const answers = {
      '2a': 'ja',
      '2b': 'ja',
      '2c': 'nee',
      '2d': { answer: 'deels', note: 'meldroute in concept' },
    };

    // Act
    const qs = await recordQuickscan(t.app, org.id, '2016-Q2', answers);
    const status = await getJson<{ gear: number; met: string[]; nextSteps: Array<{ key: string }> }>(
      t.app,
      `/api/organisations/${org.id}/status?quarter=2016-Q2`,
    );

    // Assert
    expect(qs.gear).toBe(1);
    expect(Object.keys(qs.answers!)).toEqual(['2a', '2b', '2c', '2d']);
    expect(status.met).toEqual(['2a', '2b']);
    expect(status.nextSteps.map((s) => s.key)).toEqual(['2c', '2d']);
  });

  it('when a criterion at the first gap is left open, then it is refused as answer_missing', async () => {
    // Arrange: gear 2 met, 3a not met and 3b open, so 3b is in the first gap
    const { '3b': _, ...answers } = answersForGear(2);

    // Act
    const res = await t.app.inject({ method: 'POST', url: url(), payload: { quarter: '2016-Q2', answers } });

    // Assert
    const body = expectError(res, 400, 'invalid_answers');
    expect(problemsOf(body).map((p) => [p.code, p.criterion])).toEqual([['answer_missing', '3b']]);
  });

  it('when a quickscan is posted in a quarter that already has one, then the answer is 409 and the first stays', async () => {
    // Arrange
    const first = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: url(),
      payload: { quarter: '2016-Q2', answers: answersForGear(4) },
    });

    // Assert
    const body = expectError(res, 409, 'quickscan_exists');
    expect(body.error.details).toEqual({ currentVersion: 1 });
    expect(await getJson(t.app, url('2016-Q2'))).toEqual(first);
  });

  it.each<[string, unknown, string]>([
    ['an unknown criterion', answersForGear(3, { '9z': 'ja' }), "criterium '9z' bestaat niet"],
    [
      'a missing criterion',
      (({ '3c': _, ...rest }) => rest)(answersForGear(3)),
      "criterium '3c' is niet beantwoord",
    ],
    ['nvt without a reason', answersForGear(3, { '3b': 'nvt' }), 'toelichting'],
    ['nvt with an empty reason', answersForGear(3, { '3b': { answer: 'nvt', note: '   ' } }), 'toelichting'],
    ['an answer that is not one of the four', answersForGear(3, { '2a': 'misschien' }), 'ongeldig'],
    [
      'nvt at 2a, which model version 2 does not allow',
      answersForGear(3, { '2a': { answer: 'nvt', note: 'x' } }),
      'kan niet "nvt"',
    ],
    ['no answers at all (the four of gear 2 are the first gap)', {}, '4 problemen'],
  ])(
    'when a quickscan has %s, then the answer is 400 invalid_answers and nothing is written',
    async (_label, answers, message) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: url(),
        payload: { quarter: '2016-Q2', answers },
      });

      // Assert
      const body = expectError(res, 400, 'invalid_answers');
      expect(body.error.message).toContain(message);
      expect(body.error.details).toEqual({ problems: expect.any(Array) });
      await expectNothingIn('2016-Q2');
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it('when several answers are wrong, then every problem is listed at once', async () => {
    // Arrange
    const { '3a': _, ...answers } = answersForGear(2, { x1: 'ja', '3b': 'nvt', '4c': 'soms' });

    // Act
    const res = await t.app.inject({ method: 'POST', url: url(), payload: { quarter: '2016-Q2', answers } });

    // Assert
    const body = expectError(res, 400, 'invalid_answers');
    const problems = problemsOf(body).map((p) => [p.criterion, p.code]);
    expect(problems.sort()).toEqual([
      ['3a', 'answer_missing'],
      ['3b', 'note_required'],
      ['4c', 'answer_invalid'],
      ['x1', 'criterion_unknown'],
    ]);
    expect(body.error.message).toMatch(/^4 problemen met de antwoorden: /);
    expect(body.error.message).toContain("criterium '3a' is niet beantwoord");
  });

  it.each<[string, Record<string, unknown>]>([
    ['answers that are a list', { quarter: '2016-Q2', answers: ['ja'] }],
    [
      'an answer object with an unknown field',
      { quarter: '2016-Q2', answers: answersForGear(2, { '2a': { answer: 'ja', score: 1 } as never }) },
    ],
    ['an answer that is a number', { quarter: '2016-Q2', answers: answersForGear(2, { '2a': 1 as never }) }],
    ['no quarter', { answers: answersForGear(2) }],
    ['no answers', { quarter: '2016-Q2' }],
    ['an unknown field', { quarter: '2016-Q2', answers: answersForGear(2), gear: 2 }],
    [
      'a note over 2000 characters',
      { quarter: '2016-Q2', answers: answersForGear(2, { '2a': { answer: 'ja', note: 'x'.repeat(2001) } }) },
    ],
  ])(
    'when a quickscan is posted with %s, then the answer is 400 and nothing is written',
    async (_label, payload) => {
      // Arrange
      const before = await rowCounts(t);

      // Act
      const res = await t.app.inject({ method: 'POST', url: url(), payload });

      // Assert
      expectError(res, 400, 'validation_failed');
      await expectNothingIn('2016-Q2');
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it.each(['2016-Q5', '2016-Q0', '16-Q4', '2016Q4', 'Q4 2016', '1989-Q4', ''])(
    'when the quarter is %j, then the answer is 400 with a message that says how to write one',
    async (quarter) => {
      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: url(),
        payload: { quarter, answers: answersForGear(2) },
      });

      // Assert
      const body = expectError(res, 400, 'validation_failed');
      const message = `kwartaal '${quarter}' bestaat niet: gebruik JJJJ-Qn met n van 1 tot 4 (bijvoorbeeld 2016-Q4)`;
      expect(body.error.message).toBe(message);
      expect(body.error.details).toEqual({ problems: [{ code: 'invalid_field', path: 'quarter', message }] });
      expect(await rowCounts(t)).toMatchObject({ quickscans: 0, revisions: 1 });
    },
  );

  it.each([
    ['2026-02-30', 'a day that does not exist'],
    ['15-05-2016', 'a Dutch date order'],
    ['2026-11-16', 'a date in the future'],
    ['2016-03-31', 'a date before the quarter began'],
  ])(
    'when conductedOn is %j (%s), then the answer is 400 invalid_date and nothing is written',
    async (conductedOn) => {
      // Act
      const res = await t.app.inject({
        method: 'POST',
        url: url(),
        payload: { quarter: '2016-Q2', answers: answersForGear(2), conductedOn },
      });

      // Assert
      expectFieldError(res, 400, 'invalid_date', 'conductedOn');
      await expectNothingIn('2016-Q2');
    },
  );

  it('when the quarter is before the organisation joined, then the answer is 422 not_a_member', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: url(),
      payload: { quarter: '2015-Q3', answers: answersForGear(2) },
    });

    // Assert
    const body = expectError(res, 422, 'not_a_member');
    expect(body.error.message).toContain('Q3 2015');
    expect(body.error.details).toEqual({
      memberFrom: '2015-Q4',
      memberUntil: null,
      memberships: [{ from: '2015-Q4', until: null }],
    });
    await expectNothingIn('2015-Q3');
  });

  it('when the quarter is after the organisation left, then the answer is 422 not_a_member', async () => {
    // Arrange
    const left = await createOrg(t.app, {
      name: 'Gemeente B',
      memberFrom: '2015-Q1',
      memberUntil: '2016-Q2',
    });

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: url(undefined, left.id),
      payload: { quarter: '2016-Q3', answers: answersForGear(2) },
    });

    // Assert
    expect(expectError(res, 422, 'not_a_member').error.details).toEqual({
      memberFrom: '2015-Q1',
      memberUntil: '2016-Q2',
      memberships: [{ from: '2015-Q1', until: '2016-Q2' }],
    });
    expect(await getJson(t.app, url(undefined, left.id))).toEqual([]);
  });

  it('when the quarter is in the future, then the answer is 422 future_quarter', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: url(),
      payload: { quarter: '2027-Q1', answers: answersForGear(2) },
    });

    // Assert
    expect(expectError(res, 422, 'future_quarter').error.message).toContain('Q1 2027');
    await expectNothingIn('2027-Q1');
  });

  it('when the organisation does not exist, then the answer is 404', async () => {
    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: url(undefined, 999),
      payload: { quarter: '2016-Q2', answers: answersForGear(2) },
    });

    // Assert
    expectError(res, 404, 'organisation_not_found');
    expect(await rowCounts(t)).toMatchObject({ quickscans: 0 });
  });
});

describe('GET /api/organisations/:id/quickscans', () => {
  it('when an organisation has quickscans and recorded gears, then all are listed oldest first', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q3', answersForGear(3));
    await setGear(t.app, org.id, '2016-Q1', 2, { source: 'import', remark: 'prestatielijst 2016' });
    await recordQuickscan(t.app, org.id, '2017-Q1', answersForGear(4));

    // Act
    const list = await getJson<Quickscan[]>(t.app, url());

    // Assert
    expect(list.map((q) => [q.quarter, q.source, q.gear])).toEqual([
      ['2016-Q1', 'import', 2],
      ['2016-Q3', 'quickscan', 3],
      ['2017-Q1', 'quickscan', 4],
    ]);
    expect(list[0]!.answers).toBeNull();
    expect(Object.keys(list[1]!.answers!)).toHaveLength(17);
  });

  it('when an organisation has no quickscans, then the list is empty; for an unknown one it is 404', async () => {
    // Act
    const empty = await getJson(t.app, url());
    const unknown = await t.app.inject({ method: 'GET', url: url(undefined, 999) });

    // Assert
    expect(empty).toEqual([]);
    expectError(unknown, 404, 'organisation_not_found');
  });

  it('when one quarter without a quickscan is asked for, then the answer is 404 quickscan_not_found', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: url('2016-Q2') });

    // Assert
    expect(expectError(res, 404, 'quickscan_not_found').error.message).toBe(
      "'Gemeente A' heeft geen quickscan of versnelling in Q2 2016",
    );
  });

  it('when the quarter in the path is malformed, then the answer is 400 with the quarter message', async () => {
    // Act
    const res = await t.app.inject({ method: 'GET', url: url('2016-Q5') });

    // Assert
    expect(expectError(res, 400, 'validation_failed').error.message).toContain(
      "kwartaal '2016-Q5' bestaat niet",
    );
  });
});

describe('PUT /api/organisations/:id/quickscans/:quarter', () => {
  it('when a quarter has no quickscan yet, then PUT creates it (201)', async () => {
    // Act
    const res = await putQuickscan('2016-Q2', { answers: answersForGear(2) });

    // Assert
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ quarter: '2016-Q2', gear: 2, version: 1 });
  });

  it('when a quickscan is recorded twice in one quarter, then the second is an edit and the first is kept in history', async () => {
    // Arrange
    const first = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2), {
      remark: 'eerste bezoek',
    });

    // Act
    const res = await putQuickscan('2016-Q2', { answers: answersForGear(3), expectedVersion: 1 });

    // Assert
    expect(res.statusCode).toBe(200);
    const second = res.json() as Quickscan;
    expect(second).toMatchObject({ id: first.id, gear: 3, version: 2, remark: 'eerste bezoek' });
    expect(await getJson<Quickscan[]>(t.app, url())).toHaveLength(1);
    const revisions = await getJson<Revision[]>(t.app, `${url('2016-Q2')}/revisions`);
    expect(revisions.map((r) => r.action)).toEqual(['update', 'create']);
    expect(revisions[0]!.before).toEqual(first);
    expect(revisions[0]!.after).toEqual(second);
  });

  it('when an existing quickscan is PUT without expectedVersion, then the answer is 409 quickscan_exists', async () => {
    // Arrange
    const first = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));

    // Act
    const res = await putQuickscan('2016-Q2', { answers: answersForGear(4) });

    // Assert
    const body = expectError(res, 409, 'quickscan_exists');
    expect(body.error.message).toContain('expectedVersion 1');
    expect(await getJson(t.app, url('2016-Q2'))).toEqual(first);
  });

  it('when two writers both edit with expectedVersion 1, then the first gets 200, the second 409 and the first answers stay', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));
    const writerA = answersForGear(3, { '4a': { answer: 'deels', note: 'van schrijver A' } });
    const writerB = answersForGear(5);

    // Act
    const a = await putQuickscan('2016-Q2', { answers: writerA, expectedVersion: 1 });
    const b = await putQuickscan('2016-Q2', { answers: writerB, expectedVersion: 1 });

    // Assert
    expect(a.statusCode).toBe(200);
    const body = expectError(b, 409, 'version_conflict');
    expect(body.error.details).toEqual({ currentVersion: 2 });
    expect(body.error.message).toContain('u had versie 1');
    const stored = await getJson<Quickscan>(t.app, url('2016-Q2'));
    expect(stored).toEqual(a.json());
    expect(stored.gear).toBe(3);
    expect(stored.answers!['4a']).toEqual({ answer: 'deels', note: 'van schrijver A' });
    const revisions = await getJson<Revision[]>(t.app, `${url('2016-Q2')}/revisions`);
    expect(revisions.map((r) => r.action)).toEqual(['update', 'create']);
  });

  it('when two writers send their edits at the same moment, then exactly one wins and the other gets 409', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));

    // Act
    const [a, b] = await Promise.all([
      putQuickscan('2016-Q2', { answers: answersForGear(3), expectedVersion: 1 }),
      putQuickscan('2016-Q2', { answers: answersForGear(4), expectedVersion: 1 }),
    ]);

    // Assert
    const statuses = [a!.statusCode, b!.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a!.statusCode === 200 ? a! : b!;
    const loser = a!.statusCode === 200 ? b! : a!;
    expectError(loser, 409, 'version_conflict');
    expect(await getJson(t.app, url('2016-Q2'))).toEqual(winner.json());
    expect(await getJson<Revision[]>(t.app, `${url('2016-Q2')}/revisions`)).toHaveLength(2);
  });

  it('when the quickscan was deleted meanwhile, then an edit with expectedVersion gets 409 and creates nothing', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));
    await call(t.app, { method: 'DELETE', url: url('2016-Q2') }, 204);

    // Act
    const res = await putQuickscan('2016-Q2', { answers: answersForGear(3), expectedVersion: 1 });

    // Assert
    expect(expectError(res, 409, 'version_conflict').error.details).toEqual({ currentVersion: null });
    expectError(await t.app.inject({ method: 'GET', url: url('2016-Q2') }), 404, 'quickscan_not_found');
  });

  it('when an edit has bad answers, then the answer is 400 and the stored quickscan and its history are unchanged', async () => {
    // Arrange
    const first = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));
    const before = await rowCounts(t);

    // Act
    const res = await putQuickscan('2016-Q2', {
      answers: answersForGear(3, { '3a': 'nvt' }),
      expectedVersion: 1,
    });

    // Assert
    expectError(res, 400, 'invalid_answers');
    expect(await getJson(t.app, url('2016-Q2'))).toEqual(first);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when a quickscan replaces a directly recorded gear, then the entry becomes a quickscan with answers', async () => {
    // Arrange
    await setGear(t.app, org.id, '2016-Q2', 4, { source: 'import' });

    // Act
    const res = await putQuickscan('2016-Q2', { answers: answersForGear(2), expectedVersion: 1 });

    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      source: 'quickscan',
      gear: 2,
      version: 2,
      model: { id: 'vpt-schakelmodel', version: 2 },
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a quarter field in the body', { quarter: '2016-Q2', answers: answersForGear(2) }],
    ['expectedVersion 0', { answers: answersForGear(2), expectedVersion: 0 }],
    ['expectedVersion as text', { answers: answersForGear(2), expectedVersion: '1' }],
  ])('when a PUT has %s, then the answer is 400 and nothing is written', async (_label, payload) => {
    // Act
    const res = await putQuickscan('2016-Q2', payload);

    // Assert
    expectError(res, 400, 'validation_failed');
    await expectNothingIn('2016-Q2');
  });

  it('when a PUT targets a future quarter or a non-member quarter, then the answer is 422', async () => {
    // Act
    const future = await putQuickscan('2027-Q1', { answers: answersForGear(2) });
    const before = await putQuickscan('2014-Q4', { answers: answersForGear(2) });

    // Assert
    expectError(future, 422, 'future_quarter');
    expectError(before, 422, 'not_a_member');
    expect(await getJson(t.app, url())).toEqual([]);
  });
});

describe('DELETE /api/organisations/:id/quickscans/:quarter', () => {
  it('when a quickscan is deleted, then it is gone and the deleted version stays in the history', async () => {
    // Arrange
    const qs = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(3));

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: url('2016-Q2') });

    // Assert
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectError(await t.app.inject({ method: 'GET', url: url('2016-Q2') }), 404, 'quickscan_not_found');
    const [deleted] = await getJson<Revision[]>(t.app, `${url('2016-Q2')}/revisions`);
    expect(deleted).toMatchObject({ action: 'delete', before: qs, after: null });
  });

  it('when a delete carries a stale expectedVersion, then the answer is 409 and the quickscan stays', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));
    const edited = await call<Quickscan>(
      t.app,
      { method: 'PUT', url: url('2016-Q2'), payload: { answers: answersForGear(3), expectedVersion: 1 } },
      200,
    );

    // Act
    const stale = await t.app.inject({ method: 'DELETE', url: `${url('2016-Q2')}?expectedVersion=1` });
    const current = await t.app.inject({ method: 'DELETE', url: `${url('2016-Q2')}?expectedVersion=2` });

    // Assert
    expect(expectError(stale, 409, 'version_conflict').error.details).toEqual({ currentVersion: 2 });
    expect(current.statusCode).toBe(204);
    const revisions = await getJson<Revision[]>(t.app, `${url('2016-Q2')}/revisions`);
    expect(revisions[0]).toMatchObject({ action: 'delete', before: edited });
  });

  it('when there is nothing to delete, then the answer is 404', async () => {
    // Act
    const none = await t.app.inject({ method: 'DELETE', url: url('2016-Q2') });
    const unknownOrg = await t.app.inject({ method: 'DELETE', url: url('2016-Q2', 999) });

    // Assert
    expectError(none, 404, 'quickscan_not_found');
    expectError(unknownOrg, 404, 'organisation_not_found');
  });

  it('when the expectedVersion of a delete is not a number, then the answer is 400', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: `${url('2016-Q2')}?expectedVersion=twee` });

    // Assert
    expectError(res, 400, 'validation_failed');
    await getJson(t.app, url('2016-Q2'));
  });
});

describe('history of quickscans', () => {
  it('when a quickscan is edited and then deleted, then its revisions show create, update and delete with every earlier answer', async () => {
    // Arrange
    const created = await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2, { '3a': 'deels' }));
    const updated = await call<Quickscan>(
      t.app,
      { method: 'PUT', url: url('2016-Q2'), payload: { answers: answersForGear(4), expectedVersion: 1 } },
      200,
    );
    await call(t.app, { method: 'DELETE', url: url('2016-Q2') }, 204);

    // Act
    const revisions = await getJson<Revision[]>(t.app, `${url('2016-Q2')}/revisions`);

    // Assert: newest first
    expect(revisions.map((r) => r.action)).toEqual(['delete', 'update', 'create']);
    for (const r of revisions) {
      expect(r).toMatchObject({
        entity: 'quickscan',
        entityId: created.id,
        organisationId: org.id,
        quarter: '2016-Q2',
      });
    }
    const [del, upd, cre] = revisions as [Revision, Revision, Revision];
    expect(cre.before).toBeNull();
    expect(cre.after).toEqual(created);
    expect(upd.before).toEqual(created);
    expect(upd.after).toEqual(updated);
    expect(del.before).toEqual(updated);
    expect(del.after).toBeNull();
    // The earliest answers are still readable.
    expect((cre.after as Quickscan).answers!['3a']).toEqual({ answer: 'deels', note: null });
    expect((cre.after as Quickscan).gear).toBe(2);
  });

  it("when an organisation's revisions are listed, then its quickscan changes are among them, newest first", async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));
    await call(
      t.app,
      { method: 'PUT', url: url('2016-Q2'), payload: { answers: answersForGear(3), expectedVersion: 1 } },
      200,
    );
    await setGear(t.app, org.id, '2016-Q3', 3);
    await call(t.app, { method: 'DELETE', url: url('2016-Q2') }, 204);

    // Act
    const revisions = await getJson<Revision[]>(t.app, `/api/organisations/${org.id}/revisions`);

    // Assert
    expect(revisions.map((r) => [r.entity, r.action, r.quarter])).toEqual([
      ['quickscan', 'delete', '2016-Q2'],
      ['quickscan', 'create', '2016-Q3'],
      ['quickscan', 'update', '2016-Q2'],
      ['quickscan', 'create', '2016-Q2'],
      ['organisation', 'create', null],
    ]);
    expect((revisions[0]!.before as Quickscan).gear).toBe(3);
    expect((revisions[3]!.after as Quickscan).gear).toBe(2);
  });

  it('when the revisions of a quarter without any change are asked for, then the list is empty', async () => {
    // Act
    const revisions = await getJson(t.app, `${url('2016-Q2')}/revisions`);

    // Assert
    expect(revisions).toEqual([]);
  });

  it('when the revisions of an unknown organisation or a malformed quarter are asked for, then 404 or 400', async () => {
    // Act
    const unknown = await t.app.inject({ method: 'GET', url: `${url('2016-Q2', 999)}/revisions` });
    const malformed = await t.app.inject({ method: 'GET', url: `${url('2016-Q5')}/revisions` });

    // Assert
    expectError(unknown, 404, 'organisation_not_found');
    expectError(malformed, 400, 'validation_failed');
  });
});

describe('PUT /api/organisations/:id/gears/:quarter', () => {
  const gearUrl = (quarter: string, id: number | string = org.id) =>
    `/api/organisations/${id}/gears/${quarter}`;

  it('when a gear is recorded directly, then it is stored as manual without answers or model', async () => {
    // Act
    const res = await t.app.inject({
      method: 'PUT',
      url: gearUrl('2016-Q1'),
      payload: { gear: 3, remark: 'telefonisch' },
    });

    // Assert
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      quarter: '2016-Q1',
      source: 'manual',
      gear: 3,
      answers: null,
      model: null,
      conductedOn: null,
      conductedBy: null,
      remark: 'telefonisch',
      version: 1,
    });
  });

  it('when a gear is recorded with source import, then the source is kept', async () => {
    // Act
    const qs = await setGear(t.app, org.id, '2016-Q1', 4, { source: 'import' });

    // Assert
    expect(qs).toMatchObject({ source: 'import', gear: 4 });
  });

  it('when a recorded gear is changed with expectedVersion, then it is an edit kept in history; without it, 409', async () => {
    // Arrange
    const first = await setGear(t.app, org.id, '2016-Q1', 2);

    // Act
    const withoutVersion = await t.app.inject({
      method: 'PUT',
      url: gearUrl('2016-Q1'),
      payload: { gear: 3 },
    });
    const withVersion = await t.app.inject({
      method: 'PUT',
      url: gearUrl('2016-Q1'),
      payload: { gear: 3, expectedVersion: 1 },
    });
    const stale = await t.app.inject({
      method: 'PUT',
      url: gearUrl('2016-Q1'),
      payload: { gear: 4, expectedVersion: 1 },
    });

    // Assert
    expectError(withoutVersion, 409, 'quickscan_exists');
    expect(withVersion.statusCode).toBe(200);
    expect(withVersion.json()).toMatchObject({ gear: 3, version: 2 });
    expectError(stale, 409, 'version_conflict');
    const revisions = await getJson<Revision[]>(t.app, `${url('2016-Q1')}/revisions`);
    expect(revisions.map((r) => r.action)).toEqual(['update', 'create']);
    expect(revisions[0]!.before).toEqual(first);
  });

  it('when a gear is recorded directly over an answered quickscan, then the answer is 409 and the quickscan stays', async () => {
    // Arrange
    const qs = await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(2));

    // Act
    const plain = await t.app.inject({ method: 'PUT', url: gearUrl('2016-Q1'), payload: { gear: 5 } });
    const versioned = await t.app.inject({
      method: 'PUT',
      url: gearUrl('2016-Q1'),
      payload: { gear: 5, expectedVersion: 1 },
    });

    // Assert
    expectError(plain, 409, 'quickscan_has_answers');
    expectError(versioned, 409, 'quickscan_has_answers');
    expect(await getJson(t.app, url('2016-Q1'))).toEqual(qs);
  });

  it.each<[string, unknown, ErrorCode]>([
    ['0', 0, 'invalid_gear'],
    ['6', 6, 'invalid_gear'],
    ['-1', -1, 'invalid_gear'],
    ['2.5', 2.5, 'invalid_gear'],
    ['"x"', 'x', 'validation_failed'],
    ['"3" as text', '3', 'validation_failed'],
    ['null', null, 'validation_failed'],
  ])('when the gear is %s, then the answer is 400 and nothing is written', async (_label, gear, code) => {
    // Arrange
    const before = await rowCounts(t);

    // Act
    const res = await t.app.inject({ method: 'PUT', url: gearUrl('2016-Q1'), payload: { gear } });

    // Assert
    const body = expectError(res, 400, code);
    if (code === 'invalid_gear') expect(body.error.message).toContain('kies een heel getal van 1 tot 5');
    await expectNothingIn('2016-Q1');
    expect(await rowCounts(t)).toEqual(before);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no gear', { source: 'manual' }],
    ['an unknown source', { gear: 3, source: 'excel' }],
    ['an unknown field', { gear: 3, answers: {} }],
  ])('when a gear is recorded with %s, then the answer is 400', async (_label, payload) => {
    // Act
    const res = await t.app.inject({ method: 'PUT', url: gearUrl('2016-Q1'), payload });

    // Assert
    expectError(res, 400, 'validation_failed');
    await expectNothingIn('2016-Q1');
  });

  it('when a gear is recorded outside the membership, in the future or for an unknown organisation, then it is refused', async () => {
    // Act
    const early = await t.app.inject({ method: 'PUT', url: gearUrl('2015-Q3'), payload: { gear: 2 } });
    const future = await t.app.inject({ method: 'PUT', url: gearUrl('2027-Q1'), payload: { gear: 2 } });
    const unknown = await t.app.inject({ method: 'PUT', url: gearUrl('2016-Q1', 999), payload: { gear: 2 } });
    const malformed = await t.app.inject({ method: 'PUT', url: gearUrl('2016-Q5'), payload: { gear: 2 } });

    // Assert
    expectError(early, 422, 'not_a_member');
    expectError(future, 422, 'future_quarter');
    expectError(unknown, 404, 'organisation_not_found');
    expectError(malformed, 400, 'validation_failed');
    expect(await getJson(t.app, url())).toEqual([]);
  });

  it('when a recorded gear is deleted, then it is gone and kept in the history', async () => {
    // Arrange
    const gear = await setGear(t.app, org.id, '2016-Q1', 3);

    // Act
    const res = await t.app.inject({ method: 'DELETE', url: url('2016-Q1') });

    // Assert
    expect(res.statusCode).toBe(204);
    const [deleted] = await getJson<Revision[]>(t.app, `${url('2016-Q1')}/revisions`);
    expect(deleted).toMatchObject({ action: 'delete', before: gear, after: null });
  });
});
