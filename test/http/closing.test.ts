// Closed quarters and restatements over HTTP (issue 10): closing in order, refusing a change of
// closed figures without a reason, one restatement per changed average with a reason, closed
// figures that never change, reopening with a reason, and who may do what.
import { describe, expect, it } from 'vitest';
import type { ClosedQuarter, QuartersOverview } from '../../server/contracts/closing.contract.ts';
import type { Summary } from '../../server/contracts/report.contract.ts';
import { rowsOf, testAppPerTest } from '../helpers.ts';
import {
  call,
  changeGear,
  createOrg,
  expectError,
  expectFieldError,
  getJson,
  injectAs,
  type Revision,
  sectorId,
  setGear,
} from './fixtures.ts';

const t = testAppPerTest();

const close = (quarter: string, body: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/quarters/${quarter}/close`, payload: body });
const closeOk = async (quarter: string, body: object = {}) => {
  const res = await close(quarter, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ClosedQuarter[];
};
const reopen = (quarter: string, reason?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/quarters/${quarter}/reopen`,
    payload: reason === undefined ? {} : { reason },
  });
const overview = () => getJson<QuartersOverview>(t.app, '/api/quarters');
const summary = (from: string, to: string) =>
  getJson<Summary>(t.app, `/api/reports/summary?from=${from}&to=${to}`);
const putGear = (id: number, quarter: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/organisations/${id}/gears/${quarter}`, payload });

/** Two organisations in Zorg and one in Onderwijs with gears in 2016-Q1. */
async function smallRegion() {
  const a = await createOrg(t.app, { name: 'Ziekenhuis A', sector: 'Zorg', memberFrom: '2016-Q1' });
  const b = await createOrg(t.app, { name: 'Ziekenhuis B', sector: 'Zorg', memberFrom: '2016-Q1' });
  const c = await createOrg(t.app, { name: 'School C', sector: 'Onderwijs', memberFrom: '2016-Q1' });
  const ga = await setGear(t.app, a.id, '2016-Q1', 2);
  await setGear(t.app, b.id, '2016-Q1', 4);
  await setGear(t.app, c.id, '2016-Q1', 3);
  return { a, b, c, ga };
}

describe('closing a quarter', () => {
  it('when the first quarter with members is closed, then it is listed with who closed it and the report shows the closed figure', async () => {
    // Arrange
    await smallRegion();

    // Act
    const closed = await closeOk('2016-Q1');

    // Assert
    expect(closed).toEqual([
      { quarter: '2016-Q1', closedAt: expect.any(String), closedBy: expect.any(String), restatementCount: 0 },
    ]);
    const list = await overview();
    expect(list.closed.map((c) => c.quarter)).toEqual(['2016-Q1']);
    expect(list.nextToClose).toBe('2016-Q2');
    const report = await summary('2016-Q1', '2016-Q2');
    expect(report.overall.from.closed).toEqual({
      average: 3,
      n: 3,
      closedAt: closed[0]!.closedAt,
      closedBy: closed[0]!.closedBy,
    });
    expect(report.overall.to.closed).toBeNull();
    expect(report.restatements).toEqual([]);
  });

  it('when a later quarter is closed before the earlier ones, then it is refused naming the quarter to close first, unless includeEarlier', async () => {
    // Arrange
    await smallRegion();

    // Act
    const refused = await close('2016-Q3');
    const closed = await closeOk('2016-Q3', { includeEarlier: true });

    // Assert
    const body = expectFieldError(refused, 422, 'close_order', 'quarter');
    expect(body.error.message).toContain('Q1 2016');
    expect(closed.map((c) => c.quarter)).toEqual(['2016-Q1', '2016-Q2', '2016-Q3']);
  });

  it('when a quarter is closed twice or lies in the future, then it is refused and nothing is stored', async () => {
    // Arrange
    await smallRegion();
    await closeOk('2016-Q1');

    // Act
    const twice = await close('2016-Q1');
    const future = await close('2027-Q1');

    // Assert
    expectError(twice, 409, 'quarter_already_closed');
    expectFieldError(future, 422, 'future_quarter', 'quarter');
    expect((await overview()).closed).toHaveLength(1);
  });

  it('when the organisatie role or the bestuur tries to close, then it is forbidden', async () => {
    // Arrange
    const { a } = await smallRegion();

    // Act
    const asOrg = await injectAs(
      t,
      { organisatie: a.id },
      { method: 'POST', url: '/api/quarters/2016-Q1/close' },
    );
    const asBoard = await injectAs(t, 'bestuur', { method: 'POST', url: '/api/quarters/2016-Q1/close' });

    // Assert
    expectError(asOrg, 403, 'forbidden');
    expectError(asBoard, 403, 'forbidden');
  });
});

describe('a change of a closed quarter', () => {
  it('when it changes a closed figure without a reason, then it is refused with a problem at reason and nothing changes', async () => {
    // Arrange
    const { a, ga } = await smallRegion();
    await closeOk('2016-Q1');
    const before = await rowsOf(t.app.db);

    // Act
    const res = await putGear(a.id, '2016-Q1', { gear: 3, expectedVersion: ga.version });

    // Assert
    const body = expectFieldError(res, 409, 'quarter_closed', 'reason');
    expect(body.error.message).toContain('Q1 2016 is vastgesteld');
    expect(await rowsOf(t.app.db)).toEqual(before);
  });

  it('when it carries a reason, then the gear changes, the closed figure stays and each changed average gets one restatement', async () => {
    // Arrange
    const { a, ga } = await smallRegion();
    await closeOk('2016-Q1');
    const closedBefore = await rowsOf(t.app.db, ['closed_scope_figures', 'closed_organisation_figures']);

    // Act
    const res = await putGear(a.id, '2016-Q1', {
      gear: 3,
      expectedVersion: ga.version,
      reason: 'late correctie',
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(await rowsOf(t.app.db, ['closed_scope_figures', 'closed_organisation_figures'])).toEqual(
      closedBefore,
    );
    const report = await summary('2016-Q1', '2016-Q1');
    expect(report.overall.from.average).toBeCloseTo(10 / 3);
    expect(report.overall.from.closed?.average).toBe(3);
    expect(report.restatements!.map((r) => [r.quarter, r.scope, r.closed, r.restated, r.reason])).toEqual([
      ['2016-Q1', 'regio', 3, 10 / 3, 'late correctie'],
      ['2016-Q1', 'Zorg', 3, 3.5, 'late correctie'],
    ]);
    const history = await getJson<Revision[]>(t.app, `/api/organisations/${a.id}/revisions`);
    expect(history[0]!.reason).toBe('late correctie');
    expect((await overview()).closed[0]!.restatementCount).toBe(2);
  });

  it('when a write in an open quarter does not reach a closed one, then no reason is asked', async () => {
    // Arrange
    const { a } = await smallRegion();
    await closeOk('2016-Q1');

    // Act
    const res = await putGear(a.id, '2016-Q2', { gear: 5 });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
  });

  it('when a late organisation joins with a membership in a closed quarter, then it needs a reason and restates n', async () => {
    // Arrange
    await smallRegion();
    await closeOk('2016-Q1');
    const zorg = await sectorId(t.app, 'Zorg');
    const payload = { name: 'Huisarts D', sectorId: zorg, memberFrom: '2016-Q1' };

    // Act
    const refused = await t.app.inject({ method: 'POST', url: '/api/organisations', payload });
    const created = await call(
      t.app,
      {
        method: 'POST',
        url: '/api/organisations',
        payload: { ...payload, reason: 'lid sinds Q1, te laat ingevoerd' },
      },
      201,
    );

    // Assert
    expectFieldError(refused, 409, 'quarter_closed', 'reason');
    expect(created).toMatchObject({ name: 'Huisarts D' });
    // A member without a gear changes no average: n of members is in the organisation figures only.
    const report = await summary('2016-Q1', '2016-Q1');
    expect(report.overall.from.closed?.n).toBe(3);
  });

  it('when an organisation moves sector in a closed quarter with a reason, then both sectors are restated and the region is not', async () => {
    // Arrange
    const { c } = await smallRegion();
    await closeOk('2016-Q1');
    const zorg = await sectorId(t.app, 'Zorg');

    // Act
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/organisations/${c.id}/move`,
      payload: { sectorId: zorg, from: '2016-Q1', reason: 'verkeerde sector' },
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    const report = await summary('2016-Q1', '2016-Q1');
    expect(report.restatements!.map((r) => r.scope).sort()).toEqual(['Onderwijs', 'Zorg']);
  });

  it('when a directly recorded gear is changed without changing any figure, then no reason is needed', async () => {
    // Arrange
    const { a, ga } = await smallRegion();
    await closeOk('2016-Q1');

    // Act
    const res = await putGear(a.id, '2016-Q1', {
      gear: 2,
      expectedVersion: ga.version,
      remark: 'bron: lijst',
    });

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect((await summary('2016-Q1', '2016-Q1')).restatements).toEqual([]);
  });
});

describe('a late member before the closed quarters', () => {
  it('when an organisation turns out to be a member before the first closed quarter, then that quarter is the next to close', async () => {
    // Arrange
    await smallRegion();
    await closeOk('2016-Q2', { includeEarlier: true });
    const zorg = await sectorId(t.app, 'Zorg');
    await call(
      t.app,
      {
        method: 'POST',
        url: '/api/organisations',
        payload: {
          name: 'Huisarts E',
          sectorId: zorg,
          memberFrom: '2015-Q4',
          reason: 'al lid sinds Q4 2015',
        },
      },
      201,
    );

    // Act
    const next = (await overview()).nextToClose;
    const closed = await closeOk('2016-Q3', { includeEarlier: true });

    // Assert
    expect(next).toBe('2015-Q4');
    expect(closed.map((c) => c.quarter)).toEqual(['2015-Q4', '2016-Q3']);
  });
});

describe('reopening a quarter', () => {
  it('when the last closed quarter is reopened with a reason, then it is open again and the reopening is in the history', async () => {
    // Arrange
    const { a, ga } = await smallRegion();
    await closeOk('2016-Q2', { includeEarlier: true });

    // Act
    const notLast = await reopen('2016-Q1', 'fout');
    const noReason = await reopen('2016-Q2');
    const ok = await reopen('2016-Q2', 'cijfers Zorg nog niet compleet');
    await changeGear(t.app, a.id, '2016-Q2', 4, (await setGear(t.app, a.id, '2016-Q2', 3)).version);

    // Assert
    expectFieldError(notLast, 422, 'reopen_order', 'quarter');
    expectFieldError(noReason, 400, 'validation_failed', 'reason');
    expect(ok.statusCode, ok.body).toBe(204);
    const list = await overview();
    expect(list.closed.map((c) => c.quarter)).toEqual(['2016-Q1']);
    expect(list.history[0]).toMatchObject({
      quarter: '2016-Q2',
      reopenReason: 'cijfers Zorg nog niet compleet',
    });
    expect(ga.version).toBeGreaterThan(0);
  });
});
