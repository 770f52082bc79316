import { beforeEach, describe, expect, it } from 'vitest';
import type { Schakelmodel } from '../../server/contracts/model.contract.ts';
import type { GearHistory, OrganisationStatus } from '../../server/contracts/organisation.contract.ts';
import { testAppPerTest } from '../helpers.ts';
import { answersForGear, KEYS_OF } from '../support.ts';
import {
  call,
  changeGear,
  createOrg,
  expectError,
  getJson,
  type Organisation,
  recordQuickscan,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();
let org: Organisation;

beforeEach(async () => {
  org = await createOrg(t.app, { name: 'Gemeente A', sector: 'Openbaar Bestuur', memberFrom: '2016-Q1' });
});

const statusUrl = (quarter?: string, id: number | string = org.id) =>
  `/api/organisations/${id}/status${quarter ? `?quarter=${quarter}` : ''}`;

/** The criteria of one gear as the model publishes them, each with its gear: what next steps should be. */
async function criteriaOfGear(gear: number): Promise<OrganisationStatus['nextSteps']> {
  const model = await getJson<Schakelmodel>(t.app, '/api/model');
  // A next step is what to do; whether "n.v.t." may be chosen is the quickscan's business.
  return model.gears[gear - 1]!.criteria.map(({ notApplicable: _nvt, ...c }) => ({ ...c, gear }));
}

describe('GET /api/organisations/:id/status', () => {
  it('when a quickscan is recorded in the quarter, then its gear shows, not carried forward, with what is met and what is next', async () => {
    // Arrange: gear 3, and of gear 4 two criteria met (one of them nvt), one partly
    await recordQuickscan(
      t.app,
      org.id,
      '2016-Q2',
      answersForGear(3, {
        '4b': 'ja',
        '4e': { answer: 'nvt', note: 'geen publieksbalie' },
        '4c': { answer: 'deels', note: 'analyse alleen jaarlijks' },
        '5b': 'ja',
      }),
    );
    const gear4 = await criteriaOfGear(4);

    // Act
    const status = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2'));

    // Assert
    expect(status).toMatchObject({
      id: org.id,
      name: 'Gemeente A',
      sector: 'Openbaar Bestuur',
      quarter: '2016-Q2',
      member: true,
      gear: 3,
      gearName: 'Protocol werkt',
      carriedFrom: null,
      source: 'quickscan',
      model: { id: 'vpt-schakelmodel', version: 2 },
      progress: { met: 2, total: 5 },
    });
    expect(status.met).toEqual([...KEYS_OF[2], ...KEYS_OF[3], '4b', '4e', '5b']);
    expect(status.partial).toEqual(['4c']);
    expect(status.nextSteps).toEqual(gear4.filter((c) => ['4a', '4c', '4d'].includes(c.key)));
    for (const step of status.nextSteps) {
      expect(step.guidance.length).toBeGreaterThan(20);
      expect(step.gear).toBe(4);
    }
  });

  it('when a later quarter has no quickscan, then the gear is carried forward from the quarter it was recorded in', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(2));

    // Act
    const later = await getJson<OrganisationStatus>(t.app, statusUrl('2017-Q3'));
    const now = await getJson<OrganisationStatus>(t.app, statusUrl());

    // Assert
    expect(later).toMatchObject({ quarter: '2017-Q3', gear: 2, carriedFrom: '2016-Q2', source: 'quickscan' });
    expect(later.nextSteps.map((c) => c.key)).toEqual(KEYS_OF[3]);
    expect(later.progress).toEqual({ met: 0, total: 5 });
    expect(now).toMatchObject({ quarter: '2026-Q4', gear: 2, carriedFrom: '2016-Q2' });
  });

  it('when a newer quickscan follows, then quarters before it keep the older gear and quarters after it get the newer', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(2));
    await recordQuickscan(t.app, org.id, '2016-Q4', answersForGear(4));

    // Act
    const q3 = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q3'));
    const q4 = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q4'));
    const next = await getJson<OrganisationStatus>(t.app, statusUrl('2017-Q1'));

    // Assert
    expect([q3.gear, q3.carriedFrom]).toEqual([2, '2016-Q1']);
    expect([q4.gear, q4.carriedFrom]).toEqual([4, null]);
    expect([next.gear, next.carriedFrom]).toEqual([4, '2016-Q4']);
  });

  it('when an organisation has no quickscan yet, then its gear is null with no next steps or progress', async () => {
    // Act
    const status = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q3'));

    // Assert
    expect(status).toMatchObject({
      member: true,
      gear: null,
      gearName: null,
      carriedFrom: null,
      source: null,
      model: null,
      met: [],
      partial: [],
      nextSteps: [],
      progress: { met: 0, total: 0 },
    });
  });

  it('when the quarter is before its first quickscan, then the gear is null', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q3', answersForGear(3));

    // Act
    const status = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2'));

    // Assert
    expect(status.gear).toBeNull();
  });

  it('when the quarter is outside the membership, then member is false and the gear is null', async () => {
    // Arrange
    const left = await createOrg(t.app, {
      name: 'Gemeente B',
      memberFrom: '2015-Q1',
      memberUntil: '2016-Q2',
    });
    await setGear(t.app, left.id, '2016-Q1', 3);

    // Act
    const before = await getJson<OrganisationStatus>(t.app, statusUrl('2014-Q4', left.id));
    const inside = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2', left.id));
    const after = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q3', left.id));

    // Assert
    expect([before.member, before.gear]).toEqual([false, null]);
    expect([inside.member, inside.gear, inside.carriedFrom]).toEqual([true, 3, '2016-Q1']);
    expect([after.member, after.gear, after.nextSteps, after.progress]).toEqual([
      false,
      null,
      [],
      { met: 0, total: 0 },
    ]);
  });

  it('when a gear was recorded directly, then its source shows, the gears up to it count as met and all of the next gear is to do', async () => {
    // Arrange
    await setGear(t.app, org.id, '2016-Q1', 3, { source: 'import' });
    await setGear(t.app, org.id, '2016-Q3', 2);
    const gear4 = await criteriaOfGear(4);

    // Act
    const imported = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2'));
    const manual = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q3'));

    // Assert
    expect(imported).toMatchObject({
      gear: 3,
      gearName: 'Protocol werkt',
      carriedFrom: '2016-Q1',
      source: 'import',
      model: null,
      partial: [],
      progress: { met: 0, total: 5 },
    });
    expect(imported.met).toEqual([...KEYS_OF[2], ...KEYS_OF[3]]);
    expect(imported.nextSteps).toEqual(gear4);
    expect(manual).toMatchObject({
      gear: 2,
      carriedFrom: null,
      source: 'manual',
      progress: { met: 0, total: 5 },
    });
    expect(manual.met).toEqual(KEYS_OF[2]);
  });

  it('when the gear is 5, then there are no next steps and no progress to make', async () => {
    // Arrange
    await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(5));

    // Act
    const status = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q1'));

    // Assert
    expect(status).toMatchObject({
      gear: 5,
      gearName: 'Ketensamenwerking',
      nextSteps: [],
      progress: { met: 0, total: 0 },
    });
    expect(status.met).toHaveLength(17);
  });

  it('when a quickscan has an unmet gear-2 criterion but later gears met, then the gear stays 1 and the next steps are gear 2', async () => {
    // Arrange: gears are cumulative
    await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(5, { '2c': 'deels' }));
    const gear2 = await criteriaOfGear(2);

    // Act
    const status = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q1'));

    // Assert
    expect(status.gear).toBe(1);
    expect(status.gearName).toBe('Startpositie');
    expect(status.nextSteps).toEqual(gear2.filter((c) => c.key === '2c'));
    expect(status.progress).toEqual({ met: 3, total: 4 });
    expect(status.partial).toEqual(['2c']);
  });

  it('when the quickscan is deleted, then the status falls back to the earlier gear', async () => {
    // Arrange
    await setGear(t.app, org.id, '2016-Q1', 2);
    await recordQuickscan(t.app, org.id, '2016-Q3', answersForGear(4));
    await call(t.app, { method: 'DELETE', url: `/api/organisations/${org.id}/quickscans/2016-Q3` }, 204);

    // Act
    const status = await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q3'));

    // Assert
    expect(status).toMatchObject({ gear: 2, carriedFrom: '2016-Q1', source: 'manual' });
  });

  it('when the status was read and then a quickscan or a gear is recorded or deleted, then the next read shows the change at once', async () => {
    // Arrange: read (and so cache) the status before every change.
    await setGear(t.app, org.id, '2016-Q1', 2);
    expect(await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2'))).toMatchObject({ gear: 2 });

    // Act + Assert
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(4));
    expect(await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2'))).toMatchObject({
      gear: 4,
      carriedFrom: null,
      source: 'quickscan',
    });
    await changeGear(t.app, org.id, '2016-Q1', 3, 1);
    expect(await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q1'))).toMatchObject({ gear: 3 });
    await call(t.app, { method: 'DELETE', url: `/api/organisations/${org.id}/quickscans/2016-Q2` }, 204);
    expect(await getJson<OrganisationStatus>(t.app, statusUrl('2016-Q2'))).toMatchObject({
      gear: 3,
      carriedFrom: '2016-Q1',
    });
  });

  it('when the quarter is malformed or the organisation unknown, then the answer is 400 or 404', async () => {
    // Act
    const malformed = await t.app.inject({ method: 'GET', url: statusUrl('2016-Q5') });
    const unknown = await t.app.inject({ method: 'GET', url: statusUrl('2016-Q1', 999) });
    const notNumeric = await t.app.inject({ method: 'GET', url: statusUrl('2016-Q1', 'abc') });

    // Assert
    expect(expectError(malformed, 400, 'validation_failed').error.message).toBe(
      "kwartaal '2016-Q5' bestaat niet: gebruik JJJJ-Qn met n van 1 tot 4 (bijvoorbeeld 2016-Q4)",
    );
    expectError(unknown, 404, 'organisation_not_found');
    expectError(notNumeric, 400, 'validation_failed');
  });
});

describe('GET /api/organisations/:id/history', () => {
  it('when a period is asked for, then every quarter shows its gear, whether it was carried and its source', async () => {
    // Arrange
    await setGear(t.app, org.id, '2016-Q2', 2, { source: 'import' });
    await recordQuickscan(t.app, org.id, '2016-Q4', answersForGear(3));

    // Act
    const history = await getJson<GearHistory>(
      t.app,
      `/api/organisations/${org.id}/history?from=2015-Q4&to=2017-Q1`,
    );

    // Assert
    expect(history).toMatchObject({ id: org.id, name: 'Gemeente A', from: '2015-Q4', to: '2017-Q1' });
    const sector = { sectorId: org.sectorId, sector: 'Openbaar Bestuur' };
    expect(history.quarters).toEqual([
      {
        quarter: '2015-Q4',
        member: false,
        ...sector,
        gear: null,
        carriedFrom: null,
        ageQuarters: null,
        source: null,
      },
      {
        quarter: '2016-Q1',
        member: true,
        ...sector,
        gear: null,
        carriedFrom: null,
        ageQuarters: null,
        source: null,
      },
      {
        quarter: '2016-Q2',
        member: true,
        ...sector,
        gear: 2,
        carriedFrom: null,
        ageQuarters: 0,
        source: 'import',
      },
      {
        quarter: '2016-Q3',
        member: true,
        ...sector,
        gear: 2,
        carriedFrom: '2016-Q2',
        ageQuarters: 1,
        source: 'import',
      },
      {
        quarter: '2016-Q4',
        member: true,
        ...sector,
        gear: 3,
        carriedFrom: null,
        ageQuarters: 0,
        source: 'quickscan',
      },
      {
        quarter: '2017-Q1',
        member: true,
        ...sector,
        gear: 3,
        carriedFrom: '2016-Q4',
        ageQuarters: 1,
        source: 'quickscan',
      },
    ]);
  });

  it('when no period is given, then it runs from the start of the membership to the current quarter', async () => {
    // Act
    const history = await getJson<GearHistory>(t.app, `/api/organisations/${org.id}/history`);

    // Assert
    expect(history.from).toBe('2016-Q1');
    expect(history.to).toBe('2026-Q4');
    expect(history.quarters).toHaveLength(4 * 10 + 4);
  });

  it('when an organisation has left, then the default period ends in its last member quarter and no gear shows after it', async () => {
    // Arrange
    const left = await createOrg(t.app, {
      name: 'Gemeente B',
      memberFrom: '2015-Q3',
      memberUntil: '2016-Q1',
    });
    await setGear(t.app, left.id, '2015-Q4', 4);

    // Act
    const byDefault = await getJson<GearHistory>(t.app, `/api/organisations/${left.id}/history`);
    const longer = await getJson<GearHistory>(
      t.app,
      `/api/organisations/${left.id}/history?from=2015-Q4&to=2016-Q2`,
    );

    // Assert
    expect(byDefault.quarters.map((q) => [q.quarter, q.gear])).toEqual([
      ['2015-Q3', null],
      ['2015-Q4', 4],
      ['2016-Q1', 4],
    ]);
    expect(longer.quarters.map((q) => [q.quarter, q.member, q.gear])).toEqual([
      ['2015-Q4', true, 4],
      ['2016-Q1', true, 4],
      ['2016-Q2', false, null],
    ]);
  });

  it('when the period is reversed, then the answer is 400 reversed_period', async () => {
    // Act
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/organisations/${org.id}/history?from=2017-Q1&to=2016-Q1`,
    });

    // Assert
    const body = expectError(res, 400, 'reversed_period');
    expect(body.error.details).toEqual({ from: '2017-Q1', to: '2016-Q1' });
  });

  it('when a quarter of the period is malformed or the organisation unknown, then 400 or 404', async () => {
    // Act
    const malformed = await t.app.inject({
      method: 'GET',
      url: `/api/organisations/${org.id}/history?to=2016-Q9`,
    });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/organisations/999/history' });

    // Assert
    expect(expectError(malformed, 400, 'validation_failed').error.message).toContain(
      "kwartaal '2016-Q9' bestaat niet",
    );
    expectError(unknown, 404, 'organisation_not_found');
  });
});
