// Per VPT measure (issue 12, item 3): the share of a quarter's members that meet its criteria,
// from the stored answers, per sector and for the region; gears recorded without answers and
// members without a gear are "onbekend", never met; with `from`, the change in percentage points.
import { beforeEach, describe, expect, it } from 'vitest';
import type { MeasureSharesDto } from '../../server/contracts/report.contract.ts';
import { testAppPerTest } from '../helpers.ts';
import { answersForGear } from '../support.ts';
import { createOrg, expectError, getJson, injectAs, recordQuickscan, setGear } from './fixtures.ts';

const t = testAppPerTest();

const measures = (query: string) => getJson<MeasureSharesDto>(t.app, `/api/reports/measures?${query}`);
const byKey = (rows: MeasureSharesDto, key: string) => rows.find((r) => r.measure === key)!;

describe('GET /api/reports/measures', () => {
  beforeEach(async () => {
    // Zorg: a full quickscan (every measure met) and one that does not react to the offender (3d nee).
    // Onderwijs: a gear recorded without answers, and a member without any gear.
    const full = await createOrg(t.app, { name: 'Zorggroep Noord', sector: 'Zorg', memberFrom: '2016-Q1' });
    const no3d = await createOrg(t.app, { name: 'Zorggroep Zuid', sector: 'Zorg', memberFrom: '2016-Q1' });
    const direct = await createOrg(t.app, {
      name: 'College West',
      sector: 'Onderwijs',
      memberFrom: '2016-Q1',
    });
    await createOrg(t.app, { name: 'College Oost', sector: 'Onderwijs', memberFrom: '2016-Q1' });
    await recordQuickscan(t.app, full.id, '2016-Q1', answersForGear(5));
    await recordQuickscan(t.app, no3d.id, '2016-Q1', answersForGear(2, { '3d': 'nee' }));
    await recordQuickscan(t.app, no3d.id, '2016-Q3', answersForGear(5, { '3d': 'nee' }));
    await setGear(t.app, direct.id, '2016-Q2', 4);
  });

  it('when a quarter is asked, then each measure counts the members that meet it, with the gears without answers and the members without a gear as unknown', async () => {
    // Act (2016-Q2: the quickscans of 2016-Q1 carried forward)
    const rows = await measures('quarter=2016-Q2');

    // Assert
    expect(rows.map((r) => r.name)).toEqual([
      'norm stellen',
      'training',
      'melden',
      'registreren',
      'aangifte',
      'reageren naar de dader',
      'schade verhalen',
      'opvang en nazorg',
      'preventie/gastvrijheid',
      'ELA',
      'borging',
      'netwerk',
    ]);
    const react = byKey(rows, 'reageren');
    expect(react).toMatchObject({ met: 1, unknown: 2, total: 4, share: 0.25 });
    const zorg = react.sectors.find((s) => s.name === 'Zorg')!;
    const onderwijs = react.sectors.find((s) => s.name === 'Onderwijs')!;
    expect(zorg).toMatchObject({ met: 1, unknown: 0, total: 2, share: 0.5 });
    expect(onderwijs).toMatchObject({ met: 0, unknown: 2, total: 2, share: 0 });
    // Gear 2 answered "nee" above it: norm stellen (gear 2) met by both Zorg members, ELA (gear 5) by one.
    expect(byKey(rows, 'norm-stellen')).toMatchObject({ met: 2, unknown: 2, total: 4 });
    expect(byKey(rows, 'ela')).toMatchObject({ met: 1, unknown: 2, total: 4 });
    // A sector without members is listed with no share.
    expect(react.sectors.find((s) => s.name === 'Openbaar Vervoer')).toMatchObject({ total: 0, share: null });
  });

  it('when from is given, then each measure also has that quarter and the change in percentage points', async () => {
    // Act
    const rows = await measures('quarter=2016-Q3&from=2016-Q2');

    // Assert: the second Zorg member meets ELA from 2016-Q3 on (gear 5, still without 3d).
    const ela = byKey(rows, 'ela');
    expect(ela).toMatchObject({ met: 2, total: 4, share: 0.5, from: { met: 1, total: 4, share: 0.25 } });
    expect(ela.changePoints).toBeCloseTo(25, 10);
    expect(byKey(rows, 'reageren').changePoints).toBe(0);
  });

  it('when the quarter is malformed, in the future or before from, then it is refused; the organisatie role may not ask', async () => {
    // Act
    const malformed = await t.app.inject({ method: 'GET', url: '/api/reports/measures?quarter=2016-Q5' });
    const future = await t.app.inject({ method: 'GET', url: '/api/reports/measures?quarter=2099-Q1' });
    const reversed = await t.app.inject({
      method: 'GET',
      url: '/api/reports/measures?quarter=2016-Q1&from=2016-Q3',
    });
    const organisation = await injectAs(
      t,
      { organisatie: 1 },
      { method: 'GET', url: '/api/reports/measures?quarter=2016-Q2' },
    );

    // Assert
    expectError(malformed, 400, 'validation_failed');
    expectError(future, 422, 'future_quarter');
    expect(reversed.statusCode).toBe(400);
    expectError(organisation, 403, 'forbidden');
  });
});
