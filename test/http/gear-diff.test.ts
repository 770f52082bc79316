// Why did the gear move (issue 10, item 4) over HTTP: GET /api/organisations/:id/diff?from&to finds
// the quickscan behind each quarter's gear (carried forward only within its membership period),
// lists the criteria whose answer differs, says when a gear was recorded without answers, and
// refuses what the other organisation routes refuse.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { GearDiff } from '../../server/contracts/gear-diff.contract.ts';
import { SCHAKELMODEL_V1 } from '../../server/domain/models/schakelmodel-v1.ts';
import { loadModelRegistry } from '../../server/services/model-registry.ts';
import { recordQuickscan as recordQuickscanAs } from '../../server/services/quickscans.service.ts';
import {
  insertTestUser,
  operatorContext,
  signInjects,
  startTestSession,
  TEST_NOW,
  testAppPerTest,
} from '../helpers.ts';
import { ALL_KEYS, answersForGear, KEYS_OF } from '../support.ts';
import {
  call,
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  injectAs,
  openShareLink,
  problemsOf,
  recordQuickscan,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();

const diffUrl = (id: number, from: string, to: string) =>
  `/api/organisations/${id}/diff?from=${from}&to=${to}`;
const diff = (id: number, from: string, to: string) => getJson<GearDiff>(t.app, diffUrl(id, from, to));
const post = (url: string, payload: object) => call(t.app, { method: 'POST', url, payload }, 200);

/** An organisation with a quickscan in Q1 2016 (gear 2, 3b "nee") and one in Q3 2016 (gear 3). */
async function twoQuickscans(name = 'Gemeente Dijkwaard') {
  const org = await createOrg(t.app, { name, memberFrom: '2015-Q4' });
  await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(2, { '3b': 'nee', '4a': 'deels' }));
  await recordQuickscan(t.app, org.id, '2016-Q3', answersForGear(3, { '4a': 'deels' }));
  return org;
}

describe('GET /api/organisations/:id/diff', () => {
  it('when two quarters have quickscans of their own, then the answer names both gears and every criterion whose answer changed, met before and after', async () => {
    // Arrange
    const org = await twoQuickscans();

    const model = await getJson<{ id: string; version: number }>(t.app, '/api/model');

    // Act
    const result = await diff(org.id, '2016-Q1', '2016-Q3');

    // Assert
    expect(result).toMatchObject({
      organisationId: org.id,
      name: 'Gemeente Dijkwaard',
      from: '2016-Q1',
      to: '2016-Q3',
      fromGear: 2,
      toGear: 3,
      fromSource: 'quickscan',
      toSource: 'quickscan',
      fromOrigin: 'quickscan',
      toOrigin: 'quickscan',
      fromRecordedIn: '2016-Q1',
      toRecordedIn: '2016-Q3',
      fromModel: { id: model.id, version: model.version },
      toModel: { id: model.id, version: model.version },
      comparable: true,
    });
    // 3a..3e went from nee to ja; 4a stayed deels, so it is not listed.
    expect(result.changes.map((c) => [c.criterion, c.from, c.to, c.fromMet, c.toMet])).toEqual(
      KEYS_OF[3].map((k) => [k, 'nee', 'ja', false, true]),
    );
    expect(result.changes[1]).toMatchObject({ criterion: '3b', gear: 3 });
    expect(result.changes[1]!.text).toMatch(/getraind/);
    expect(result.explanation).toBe(
      'Tussen de quickscan van Q1 2016 en die van Q3 2016 veranderden 5 antwoorden: 5 nu voldaan.',
    );
  });

  it('when the pinned fields are read, then they are { fromGear, toGear, changes: [{ criterion, from, to }] } with answers ja|deels|nee|nvt|null', async () => {
    // Arrange
    const org = await twoQuickscans();

    // Act
    const result = await diff(org.id, '2016-Q1', '2016-Q3');

    // Assert
    expect(result).toEqual(expect.objectContaining({ fromGear: 2, toGear: 3, changes: expect.any(Array) }));
    for (const change of result.changes) {
      expect(change).toEqual(expect.objectContaining({ criterion: expect.any(String) }));
      for (const answer of [change.from, change.to])
        expect(['ja', 'deels', 'nee', 'nvt', null]).toContain(answer);
    }
  });

  it('when both quarters carry a gear forward, then the quickscans behind them are the ones compared', async () => {
    // Arrange
    const org = await twoQuickscans();

    // Act: Q2 2016 carries Q1's quickscan, Q2 2017 carries Q3 2016's.
    const carried = await diff(org.id, '2016-Q2', '2017-Q2');
    const direct = await diff(org.id, '2016-Q1', '2016-Q3');

    // Assert
    expect(carried).toMatchObject({
      fromGear: 2,
      toGear: 3,
      fromRecordedIn: '2016-Q1',
      toRecordedIn: '2016-Q3',
      comparable: true,
    });
    expect(carried.changes).toEqual(direct.changes);
  });

  it('when both quarters carry the same quickscan, then nothing changed and the explanation says so', async () => {
    // Arrange
    const org = await twoQuickscans();

    // Act
    const same = await diff(org.id, '2016-Q3', '2016-Q4');

    // Assert
    expect(same).toMatchObject({
      fromGear: 3,
      toGear: 3,
      fromRecordedIn: '2016-Q3',
      toRecordedIn: '2016-Q3',
    });
    expect(same.changes).toEqual([]);
    expect(same.explanation).toBe(
      'Beide kwartalen hebben dezelfde quickscan (uit Q3 2016, doorgeschoven): er veranderde niets.',
    );
  });

  it('when there is a gap in the membership, then no gear carries across it: none in the gap, none after rejoining until a new quickscan', async () => {
    // Arrange: member Q4 2015 – Q2 2016, again from Q1 2017; a quickscan in Q1 2016 only.
    const org = await createOrg(t.app, { name: 'Ziekenhuis Noord', memberFrom: '2015-Q4' });
    const answers = answersForGear(4);
    await recordQuickscan(t.app, org.id, '2016-Q1', answers);
    await post(`/api/organisations/${org.id}/leave`, { until: '2016-Q2' });
    await post(`/api/organisations/${org.id}/join`, { from: '2017-Q1' });

    // Act
    const inGap = await diff(org.id, '2016-Q2', '2016-Q4');
    const rejoined = await diff(org.id, '2016-Q1', '2017-Q2');
    const later = await recordQuickscan(t.app, org.id, '2017-Q3', answersForGear(4, { '2c': 'deels' }));
    const afterNew = await diff(org.id, '2016-Q1', '2017-Q3');

    // Assert
    expect(inGap).toMatchObject({
      fromGear: 4,
      fromRecordedIn: '2016-Q1',
      toGear: null,
      toSource: null,
      toOrigin: null,
      toRecordedIn: null,
      toModel: null,
      comparable: false,
    });
    expect(inGap.explanation).toBe(
      'In Q4 2016 was de organisatie geen lid van het netwerk, en had ze dus geen versnelling. ' +
        'Daarom staat elk antwoord van de quickscan van Q1 2016 als verschil in de lijst.',
    );
    expect(inGap.changes.map((c) => [c.criterion, c.from, c.to])).toEqual(
      ALL_KEYS.map((k) => [k, answers[k], null]),
    );
    expect(rejoined).toMatchObject({ toGear: null, toSource: null, comparable: false });
    expect(rejoined.explanation).toContain(
      'In Q2 2017 had de organisatie nog geen versnelling: er was in die lidmaatschapsperiode nog geen quickscan.',
    );
    expect(later.gear).toBe(1);
    expect(afterNew).toMatchObject({ fromGear: 4, toGear: 1, toRecordedIn: '2017-Q3', comparable: true });
    expect(afterNew.changes).toEqual([
      expect.objectContaining({ criterion: '2c', from: 'ja', to: 'deels', fromMet: true, toMet: false }),
    ]);
  });

  it('when a gear was recorded directly (import or by hand), then there are no answers and the explanation says so', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Woonstede', memberFrom: '2015-Q4' });
    await setGear(t.app, org.id, '2016-Q1', 2, { source: 'manual' });
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(3));
    await setGear(t.app, org.id, '2016-Q3', 4, { source: 'import' });

    // Act
    const fromManual = await diff(org.id, '2016-Q1', '2016-Q2');
    const toImport = await diff(org.id, '2016-Q2', '2016-Q3');
    const bothRecorded = await diff(org.id, '2016-Q1', '2016-Q4');

    // Assert
    expect(fromManual).toMatchObject({
      fromGear: 2,
      fromSource: 'recorded',
      fromOrigin: 'manual',
      fromModel: null,
      toSource: 'quickscan',
      comparable: false,
    });
    expect(fromManual.explanation).toMatch(
      /^Geen antwoorden: de versnelling in Q1 2016 is rechtstreeks vastgelegd \(handmatig\)\./,
    );
    expect(fromManual.changes.every((c) => c.from === null && c.fromMet === false)).toBe(true);
    expect(toImport).toMatchObject({
      toGear: 4,
      toSource: 'recorded',
      toOrigin: 'import',
      comparable: false,
    });
    expect(toImport.explanation).toContain(
      'Geen antwoorden: de versnelling in Q3 2016 is rechtstreeks vastgelegd (import).',
    );
    expect(bothRecorded.changes).toEqual([]);
    expect(bothRecorded.explanation).toBe(
      'Geen antwoorden: de versnelling in Q1 2016 is rechtstreeks vastgelegd (handmatig). ' +
        'Geen antwoorden: de versnelling in Q4 2016 is in Q3 2016 rechtstreeks vastgelegd (import) en doorgeschoven.',
    );
  });

  it('when a quickscan is edited, then the diff compares its answers as they are now', async () => {
    // Arrange
    const org = await twoQuickscans();
    const current = await getJson<{ version: number }>(
      t.app,
      `/api/organisations/${org.id}/quickscans/2016-Q3`,
    );
    await call(
      t.app,
      {
        method: 'PUT',
        url: `/api/organisations/${org.id}/quickscans/2016-Q3`,
        payload: { answers: answersForGear(3, { '4a': 'ja' }), expectedVersion: current.version },
      },
      200,
    );

    // Act
    const result = await diff(org.id, '2016-Q1', '2016-Q3');

    // Assert
    expect(result.changes.map((c) => c.criterion)).toEqual([...KEYS_OF[3], '4a']);
    expect(result.changes.at(-1)).toMatchObject({ from: 'deels', to: 'ja', fromMet: false, toMet: true });
  });
});

describe('GET /api/organisations/:id/diff: two model versions', () => {
  it('when the two quickscans were answered against different model versions, then each is read with its own model and the explanation says so', async () => {
    // Arrange: a quickscan of Q1 2016 recorded while version 1 was the active model ("nvt" on
    // 2a was allowed then), then the app started again with the current model.
    const org = await createOrg(t.app, { name: 'Gemeente Oudmodel', memberFrom: '2015-Q4' });
    const v1 = {
      ...operatorContext(t.app),
      models: await loadModelRegistry(t.db, SCHAKELMODEL_V1, TEST_NOW),
    };
    await recordQuickscanAs(
      v1,
      org.id,
      '2016-Q1',
      { answers: answersForGear(3, { '2a': { answer: 'nvt', note: 'oud' } }) },
      'create',
    );
    const restarted = await buildApp(testConfig(), { db: t.db, now: () => TEST_NOW });
    await restarted.ready();
    try {
      const session = await startTestSession(
        restarted,
        await insertTestUser(t.db, 'herstart@test.example.org', 'projectleider'),
      );
      signInjects(restarted, session);
      const current = restarted.models.active;
      await recordQuickscan(restarted, org.id, '2016-Q3', answersForGear(3));

      // Act
      const res = await restarted.inject({ method: 'GET', url: diffUrl(org.id, '2016-Q1', '2016-Q3') });

      // Assert
      expect(res.statusCode, res.body).toBe(200);
      const result = res.json() as GearDiff;
      expect(result).toMatchObject({
        fromModel: { id: SCHAKELMODEL_V1.id, version: 1 },
        toModel: { id: current.id, version: current.version },
        fromGear: 3,
        toGear: 3,
      });
      expect(result.changes).toEqual([
        expect.objectContaining({ criterion: '2a', from: 'nvt', to: 'ja', fromMet: true, toMet: true }),
      ]);
      expect(result.explanation).toContain('verschillende versies van het schakelmodel');
    } finally {
      await restarted.close();
    }
  });
});

describe('GET /api/organisations/:id/diff: who may ask', () => {
  it('when the bestuur, the organisation itself or its share link asks, then they get the diff; another organisation answers 404 as if it did not exist', async () => {
    // Arrange
    const own = await twoQuickscans('Gemeente Eigen');
    const other = await twoQuickscans('Gemeente Ander');
    const link = await call<{ token: string }>(
      t.app,
      { method: 'POST', url: `/api/organisations/${own.id}/share-links`, payload: { label: 'eigen' } },
      201,
    );
    const share = await openShareLink(t, link.token);

    // Act
    const bestuur = await injectAs(t, 'bestuur', {
      method: 'GET',
      url: diffUrl(other.id, '2016-Q1', '2016-Q3'),
    });
    const mine = await injectAs(
      t,
      { organisatie: own.id },
      { method: 'GET', url: diffUrl(own.id, '2016-Q1', '2016-Q3') },
    );
    const theirs = await injectAs(
      t,
      { organisatie: own.id },
      { method: 'GET', url: diffUrl(other.id, '2016-Q1', '2016-Q3') },
    );
    const shared = await share.inject({ method: 'GET', url: diffUrl(own.id, '2016-Q1', '2016-Q3') });
    const sharedOther = await share.inject({ method: 'GET', url: diffUrl(other.id, '2016-Q1', '2016-Q3') });
    const anonymous = await t.anonymous({ method: 'GET', url: diffUrl(own.id, '2016-Q1', '2016-Q3') });

    // Assert
    expect(bestuur.statusCode, bestuur.body).toBe(200);
    expect((bestuur.json() as GearDiff).name).toBe('Gemeente Ander');
    expect(mine.statusCode, mine.body).toBe(200);
    expect((mine.json() as GearDiff).changes).toHaveLength(5);
    expect(shared.statusCode, shared.body).toBe(200);
    for (const res of [theirs, sharedOther]) {
      const body = expectError(res, 404, 'organisation_not_found');
      expect(body.error.message).not.toContain('Gemeente Ander');
    }
    expectError(anonymous, 401, 'unauthenticated');
  });

  it('when the organisation does not exist, then the answer is 404', async () => {
    expectError(
      await t.app.inject({ method: 'GET', url: diffUrl(999, '2016-Q1', '2016-Q3') }),
      404,
      'organisation_not_found',
    );
  });
});

describe('GET /api/organisations/:id/diff: bad quarters', () => {
  it('when the period is reversed, then the answer is 400 reversed_period in plain Dutch', async () => {
    // Arrange
    const org = await twoQuickscans();

    // Act
    const res = await t.app.inject({ method: 'GET', url: diffUrl(org.id, '2016-Q3', '2016-Q1') });

    // Assert
    const body = expectError(res, 400, 'reversed_period');
    expect(body.error.message).toContain('Q3 2016 ligt na Q1 2016');
  });

  it('when the second quarter lies after the current one, then the answer is 422 future_quarter at "to"', async () => {
    // Arrange
    const org = await twoQuickscans();

    // Act
    const res = await t.app.inject({ method: 'GET', url: diffUrl(org.id, '2026-Q3', '2027-Q1') });

    // Assert
    const body = expectError(res, 422, 'future_quarter');
    expect(body.error.message).toContain('Q1 2027 ligt na het huidige kwartaal (Q4 2026)');
    expect(problemsOf(body).map((p) => [p.code, p.path])).toEqual([['future_quarter', 'to']]);
  });

  it.each([
    ['a quarter that does not exist', 'from=2016-Q5&to=2016-Q4', 'from'],
    ['a quarter in another form', 'from=2016-Q1&to=Q4%202016', 'to'],
    ['no from', 'to=2016-Q4', 'from'],
    ['no to', 'from=2016-Q4', 'to'],
  ])(
    'when the query has %s, then the answer is 400 validation_failed at that field',
    async (_label, query, path) => {
      // Arrange
      const org = await twoQuickscans();

      // Act
      const res = await t.app.inject({ method: 'GET', url: `/api/organisations/${org.id}/diff?${query}` });

      // Assert
      expectFieldError(res, 400, 'validation_failed', path);
    },
  );

  it('when the id is not a number, then the answer is 400', async () => {
    expectError(
      await t.app.inject({ method: 'GET', url: '/api/organisations/abc/diff?from=2016-Q1&to=2016-Q2' }),
      400,
      'validation_failed',
    );
  });
});
