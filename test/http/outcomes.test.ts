// The 0-meting, the incident report against it, an organisation's trend beside its sector and the
// region's targets (issue 12, items 2, 4 and 5), through the real app: figures are compared only
// over organisations with figures in both periods, the rest counted; bad input is refused whole.
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  Baseline,
  BaselineList,
  IncidentReport,
  IncidentTrend,
  Target,
} from '../../server/contracts/outcome.contract.ts';
import { testAppPerTest } from '../helpers.ts';
import {
  call,
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  type Organisation,
  problemsOf,
  type Revision,
  sectorId,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();

async function figures(org: Organisation, quarter: string, verbal: number, physical: number | null = null) {
  await call(
    t.app,
    {
      method: 'PUT',
      url: `/api/organisations/${org.id}/incidents/${quarter}`,
      payload: { verbal, physical },
    },
    201,
  );
}

async function employees(org: Organisation, year: number, n: number) {
  await call(
    t.app,
    { method: 'PUT', url: `/api/organisations/${org.id}/employees/${year}`, payload: { employees: n } },
    201,
  );
}

const setRegion = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/baselines/region', payload });

describe('the 0-meting', () => {
  it('when the projectleider sets it, then it reads back, and a positive target is read as the same reduction', async () => {
    // Act
    const set = await setRegion({ from: '2015-Q1', to: '2015-Q4', targetPercent: 25 });
    const list = await getJson<BaselineList>(t.app, '/api/baselines');

    // Assert
    expect(set.statusCode, set.body).toBe(201);
    expect(list.region).toMatchObject({
      from: '2015-Q1',
      to: '2015-Q4',
      targetPercent: -25,
      sectorId: null,
      version: 1,
    });
    expect(list.sectors).toEqual([]);
  });

  it('when the period is reversed and reaches into the future, then both problems are named next to the field and nothing is stored', async () => {
    // Act
    const res = await setRegion({ from: '2027-Q4', to: '2027-Q1', targetPercent: -25 });
    const list = await getJson<BaselineList>(t.app, '/api/baselines');

    // Assert
    expectError(res, 400, 'validation_failed');
    const messages = problemsOf(res.json()).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      'to: het laatste kwartaal ligt voor het eerste (Q4 2027)',
      'to: een 0-meting ligt in het verleden: kies een kwartaal tot en met Q4 2026',
    ]);
    expect(list.region).toBeNull();
  });

  it('when a target lies outside −100…100, then it is refused at its field in Dutch', async () => {
    // Act
    const res = await setRegion({ from: '2015-Q1', to: '2015-Q4', targetPercent: -250 });

    // Assert
    expectFieldError(res, 400, 'validation_failed', 'targetPercent');
  });

  it('when it is changed, then the version it was read at is needed and the history keeps before and after', async () => {
    // Arrange
    await call(
      t.app,
      {
        method: 'PUT',
        url: '/api/baselines/region',
        payload: { from: '2015-Q1', to: '2015-Q4', targetPercent: -25 },
      },
      201,
    );

    // Act
    const without = await setRegion({ from: '2016-Q1', to: '2016-Q4', targetPercent: -15 });
    const changed = await setRegion({
      from: '2016-Q1',
      to: '2016-Q4',
      targetPercent: -15,
      expectedVersion: 1,
    });
    const history = await getJson<{ items: Revision[] }>(t.app, '/api/audit?entity=baseline');

    // Assert
    expectError(without, 409, 'version_conflict');
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Baseline>()).toMatchObject({ from: '2016-Q1', targetPercent: -15, version: 2 });
    expect(history.items[0]).toMatchObject({
      action: 'update',
      before: { from: '2015-Q1', to: '2015-Q4', targetPercent: -25 },
      after: { from: '2016-Q1', to: '2016-Q4', targetPercent: -15 },
    });
  });

  it('when a sector gets its own and loses it again, then the list shows it and then the region alone', async () => {
    // Arrange
    const zorg = await sectorId(t.app, 'Zorg');

    // Act
    const own = await t.app.inject({
      method: 'PUT',
      url: `/api/baselines/sectors/${zorg}`,
      payload: { from: '2016-Q1', to: '2016-Q2', targetPercent: -10 },
    });
    const withOwn = await getJson<BaselineList>(t.app, '/api/baselines');
    await call(t.app, { method: 'DELETE', url: `/api/baselines/sectors/${zorg}` }, 204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/baselines/sectors/${zorg}` });

    // Assert
    expect(own.statusCode, own.body).toBe(201);
    expect(withOwn.sectors).toMatchObject([{ sector: 'Zorg', from: '2016-Q1', targetPercent: -10 }]);
    expectError(again, 404, 'baseline_not_found');
  });
});

describe('GET /api/reports/incidents', () => {
  let a: Organisation;
  let b: Organisation;
  let onlyBefore: Organisation;
  let onlyAfter: Organisation;

  beforeEach(async () => {
    a = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2015-Q1' });
    b = await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2015-Q1' });
    onlyBefore = await createOrg(t.app, { name: 'Gemeente C', memberFrom: '2015-Q1' });
    onlyAfter = await createOrg(t.app, { name: 'Ziekenhuis D', sector: 'Zorg', memberFrom: '2015-Q1' });
    for (const o of [a, b, onlyBefore, onlyAfter]) await employees(o, 2015, 400);
    await employees(a, 2016, 200);
  });

  it('when there is no 0-meting, then it says so in Dutch (422)', async () => {
    // Act
    const res = await t.app.inject({ url: '/api/reports/incidents?from=2016-Q1&to=2016-Q4' });

    // Assert
    const body = expectError(res, 422, 'no_baseline');
    expect(body.error.message).toContain('0-meting');
  });

  it('when organisations registered in one period only, then they are counted apart and the rate is over those in both', async () => {
    // Arrange: 2015 baseline; A: 4 quarters of 10 with 400 employees; B: 2 quarters of 20 with 400
    await call(
      t.app,
      {
        method: 'PUT',
        url: '/api/baselines/region',
        payload: { from: '2015-Q1', to: '2015-Q4', targetPercent: -25 },
      },
      201,
    );
    for (const q of ['2015-Q1', '2015-Q2', '2015-Q3', '2015-Q4']) await figures(a, q, 10);
    await figures(b, '2015-Q1', 15, 5);
    await figures(b, '2015-Q2', 20);
    await figures(onlyBefore, '2015-Q3', 99);
    await figures(a, '2016-Q1', 5);
    await figures(b, '2016-Q1', 8);
    await figures(onlyAfter, '2016-Q1', 77);

    // Act
    const report = await getJson<IncidentReport>(t.app, '/api/reports/incidents?from=2016-Q1&to=2016-Q4');

    // Assert: baseline 80 incidents over 400 + 200 employee-years (A a whole year, B half of one)
    expect(report.baseline).toEqual({ from: '2015-Q1', to: '2015-Q4' });
    expect(report.region.organisations).toEqual({
      both: 2,
      onlyBaseline: 1,
      onlyPeriod: 1,
      withoutEmployees: 0,
    });
    expect(report.region.baseline).toMatchObject({ incidents: 80, employees: 800, quarters: 6 });
    expect(report.region.baseline.per100).toBeCloseTo((80 / 600) * 100, 10);
    // period: A 5 over 200/4, B 8 over 400/4 employee-years
    expect(report.region.period).toMatchObject({ incidents: 13, employees: 600, quarters: 2 });
    expect(report.region.period.per100).toBeCloseTo((13 / 150) * 100, 10);
    expect(report.region.changePercent).toBeCloseTo(((13 / 150 - 80 / 600) / (80 / 600)) * 100, 10);
    expect(report.region.targetPercent).toBe(-25);
    expect(report.region.onTrack).toBe(true);
    const zorg = report.sectors.find((s) => s.name === 'Zorg')!;
    expect(zorg.organisations).toEqual({ both: 0, onlyBaseline: 0, onlyPeriod: 1, withoutEmployees: 0 });
    expect(zorg.baseline.per100).toBeNull();
    expect(zorg.changePercent).toBeNull();
    expect(zorg.onTrack).toBeNull();
  });

  it('when an organisation moved sector, then each quarter counts in the sector it had then', async () => {
    // Arrange
    await call(
      t.app,
      {
        method: 'PUT',
        url: '/api/baselines/region',
        payload: { from: '2015-Q1', to: '2015-Q1', targetPercent: -25 },
      },
      201,
    );
    await figures(a, '2015-Q1', 10);
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${a.id}/move`,
        payload: { sectorId: await sectorId(t.app, 'Zorg'), from: '2016-Q1' },
      },
      200,
    );
    await figures(a, '2016-Q1', 5);

    // Act
    const report = await getJson<IncidentReport>(t.app, '/api/reports/incidents?from=2016-Q1&to=2016-Q1');

    // Assert
    const bestuur = report.sectors.find((s) => s.name === 'Openbaar Bestuur')!;
    const zorg = report.sectors.find((s) => s.name === 'Zorg')!;
    expect(report.region.organisations.both).toBe(1);
    expect(bestuur.organisations).toMatchObject({ both: 0, onlyBaseline: 1 });
    expect(zorg.organisations).toMatchObject({ both: 0, onlyPeriod: 1 });
  });

  it('when the period reaches past the current quarter, then it is refused', async () => {
    // Act
    const res = await t.app.inject({ url: '/api/reports/incidents?from=2026-Q4&to=2027-Q1' });

    // Assert
    expectError(res, 422, 'future_quarter');
  });
});

describe('GET /api/organisations/:id/incident-trend', () => {
  it('when fewer than three organisations of the sector registered, then the sector rate is left out; with three it shows', async () => {
    // Arrange
    const orgs = [];
    for (const name of ['Gemeente P', 'Gemeente Q', 'Gemeente R']) {
      const o = await createOrg(t.app, { name, memberFrom: '2016-Q1' });
      await employees(o, 2016, 100);
      orgs.push(o);
    }
    await figures(orgs[0]!, '2016-Q1', 2);
    await figures(orgs[1]!, '2016-Q1', 4);
    await figures(orgs[0]!, '2016-Q2', 1);
    await figures(orgs[1]!, '2016-Q2', 1);
    await figures(orgs[2]!, '2016-Q2', 4);

    // Act
    const trend = await getJson<IncidentTrend>(
      t.app,
      `/api/organisations/${orgs[0]!.id}/incident-trend?from=2016-Q1&to=2016-Q3`,
    );

    // Assert: own 2 incidents over 100/4 employee-years = 8 per 100 per year
    expect(trend.sector).toBe('Openbaar Bestuur');
    expect(trend.quarters).toEqual([
      { quarter: '2016-Q1', incidents: 2, per100: 8, sectorPer100: null, sectorN: null },
      { quarter: '2016-Q2', incidents: 1, per100: 4, sectorPer100: (6 / 75) * 100, sectorN: 3 },
      { quarter: '2016-Q3', incidents: null, per100: null, sectorPer100: null, sectorN: null },
    ]);
  });
});

describe('targets', () => {
  it('when a target on the share in gear 3 or higher is added, then the list gives its current value and that it is met', async () => {
    // Arrange
    const x = await createOrg(t.app, { name: 'Gemeente X', memberFrom: '2016-Q1' });
    const y = await createOrg(t.app, { name: 'Gemeente Y', memberFrom: '2016-Q1' });
    await setGear(t.app, x.id, '2016-Q1', 3);
    await setGear(t.app, y.id, '2016-Q1', 2);

    // Act
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      payload: { kind: 'gear-share-3', value: 50, quarter: '2016-Q4' },
    });
    const list = await getJson<Target[]>(t.app, '/api/targets');

    // Assert
    expect(added.statusCode, added.body).toBe(201);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      kind: 'gear-share-3',
      value: 50,
      current: 50,
      currentQuarter: '2016-Q4',
      met: true,
      onTrack: true,
      status: 'gehaald',
      description: 'aandeel leden in versnelling 3 of hoger ≥ 50,00% in Q4 2016',
    });
  });

  it('when a future target is behind but the line of the last year reaches it, then it is on track', async () => {
    // Arrange: the average goes from 2 (Q4 2025) to 3 (Q4 2026); 4 by Q4 2027 is on the line
    const x = await createOrg(t.app, { name: 'Gemeente X', memberFrom: '2025-Q1' });
    await setGear(t.app, x.id, '2025-Q4', 2);
    await setGear(t.app, x.id, '2026-Q4', 3);
    await call(
      t.app,
      { method: 'POST', url: '/api/targets', payload: { kind: 'average', value: 4, quarter: '2027-Q4' } },
      201,
    );
    await call(
      t.app,
      { method: 'POST', url: '/api/targets', payload: { kind: 'average', value: 4.5, quarter: '2027-Q4' } },
      201,
    );

    // Act
    const list = await getJson<Target[]>(t.app, '/api/targets');

    // Assert
    expect(list.map((x) => [x.current, x.met, x.projected, x.onTrack, x.status])).toEqual([
      [3, false, 4, true, 'op-koers'],
      [3, false, 4, false, 'achter'],
    ]);
  });

  it('when a target is wrong in several ways, then it is refused with a Dutch message and nothing is stored', async () => {
    // Arrange
    const zorg = await sectorId(t.app, 'Zorg');

    // Act
    const tooHigh = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      payload: { kind: 'average', value: 7, quarter: '2027-Q4' },
    });
    const sectorOnAll = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      payload: { kind: 'sector-minimum', value: 3.5, quarter: '2027-Q4', sectorId: zorg },
    });
    const unknownKind = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      payload: { kind: 'vibes', value: 1, quarter: '2027-Q4' },
    });
    const list = await getJson<Target[]>(t.app, '/api/targets');

    // Assert
    expect(expectFieldError(tooHigh, 400, 'invalid_target', 'value').error.message).toBe(
      'een gemiddelde versnelling ligt tussen 1 en 5',
    );
    expectFieldError(sectorOnAll, 400, 'invalid_target', 'sectorId');
    expectFieldError(unknownKind, 400, 'validation_failed', 'kind');
    expect(list).toEqual([]);
  });

  it('when a target is removed, then it leaves the list, stays in the history, and cannot be removed twice', async () => {
    // Arrange
    const target = await call<Target>(
      t.app,
      { method: 'POST', url: '/api/targets', payload: { kind: 'members', value: 14, quarter: '2027-Q4' } },
      201,
    );

    // Act
    await call(t.app, { method: 'DELETE', url: `/api/targets/${target.id}` }, 204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/targets/${target.id}` });
    const list = await getJson<Target[]>(t.app, '/api/targets');
    const history = await getJson<{ items: Revision[] }>(t.app, '/api/audit?entity=target');

    // Assert
    expectError(again, 404, 'target_not_found');
    expect(list).toEqual([]);
    expect(history.items.map((r) => r.action)).toEqual(['delete', 'create']);
  });

  it('when a target is due in the current quarter and not met yet, then it is behind, not failed, while the quarter runs', async () => {
    // Arrange: the test clock is in Q4 2026
    await createOrg(t.app, { name: 'Gemeente X', memberFrom: '2026-Q1' });
    await call(
      t.app,
      { method: 'POST', url: '/api/targets', payload: { kind: 'members', value: 2, quarter: '2026-Q4' } },
      201,
    );

    // Act
    const [target] = await getJson<Target[]>(t.app, '/api/targets');

    // Assert
    expect(target).toMatchObject({
      current: 1,
      currentQuarter: '2026-Q4',
      met: false,
      status: 'achter',
      onTrack: false,
    });
  });

  it('when a target lies in the first supported year, then it is listed without a year before it (no error)', async () => {
    // Act
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      payload: { kind: 'members', value: 3, quarter: '1990-Q2' },
    });
    const list = await t.app.inject({ url: '/api/targets' });

    // Assert
    expect(added.statusCode, added.body).toBe(201);
    expect(list.statusCode).toBe(200);
    expect(list.json<Target[]>()[0]).toMatchObject({ current: 0, status: 'niet-gehaald' });
  });
});

describe('a sector with outcomes', () => {
  it('when a sector has a target or its own 0-meting, then deleting it is refused in Dutch (409), and allowed once they are gone', async () => {
    // Arrange
    const sector = await call<{ id: number }>(
      t.app,
      { method: 'POST', url: '/api/sectors', payload: { name: 'Energie' } },
      201,
    );
    const target = await call<Target>(
      t.app,
      {
        method: 'POST',
        url: '/api/targets',
        payload: { kind: 'members', value: 3, quarter: '2027-Q4', sectorId: sector.id },
      },
      201,
    );
    await call(
      t.app,
      {
        method: 'PUT',
        url: `/api/baselines/sectors/${sector.id}`,
        payload: { from: '2016-Q1', to: '2016-Q4', targetPercent: -20 },
      },
      201,
    );

    // Act
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/sectors/${sector.id}` });
    await call(t.app, { method: 'DELETE', url: `/api/targets/${target.id}` }, 204);
    await call(t.app, { method: 'DELETE', url: `/api/baselines/sectors/${sector.id}` }, 204);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/sectors/${sector.id}` });

    // Assert
    const body = expectError(refused, 409, 'sector_in_use');
    expect(body.error.message).toBe(
      "sector 'Energie' heeft een eigen 0-meting en 1 doel; haal die eerst weg (Uitkomsten) voordat de sector kan verdwijnen",
    );
    expect(deleted.statusCode, deleted.body).toBe(204);
  });
});
