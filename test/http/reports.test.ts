import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Average,
  Distribution,
  Matrix,
  Summary,
  Worklist,
} from '../../server/contracts/report.contract.ts';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import { buildTestApp, type TestApp, testAppPerTest } from '../helpers.ts';
import { answersForGear } from '../support.ts';
import {
  call,
  createOrg,
  expectError,
  getJson,
  type Organisation,
  recordQuickscan,
  setGear,
} from './fixtures.ts';

/**
 * Compares averages and percentages as numbers (unrounded, so up to float precision), and how
 * many of the counted gears are older than four quarters (`staleCount`, 0 unless said).
 */
function expectAverage(
  actual: Average,
  n: number,
  average: number | null,
  staleCount: number | null = 0,
): void {
  expect(actual.n).toBe(n);
  expect(actual.staleCount).toBe(staleCount);
  if (average === null) expect(actual.average).toBeNull();
  else expect(actual.average).toBeCloseTo(average, 12);
}

function expectPercent(actual: number | null, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 10);
}

/*
 * Hand-made region; report period 2015-Q4 .. 2016-Q4. "-" is not a member, "." a member
 * without a gear.
 *
 *     organisation            sector               member             recorded                         Q4'15 Q1 Q2 Q3 Q4
 *  A  Politie Eenheid         Veiligheid/Justitie  2015-Q1 ..         2015-Q3: 3 (answers), 2016-Q2: 4   3   3  4  4  4
 *  B  Brandweer               Veiligheid/Justitie  2015-Q1 ..         2015-Q4: 2, 2016-Q4: 3,            2   2  2  2  3
 *                                                                     2017-Q1: 5 (after the period)
 *  C  Ziekenhuis              Zorg                 2016-Q2 .. (joined later)  2016-Q2: 3 (answers)       -   -  3  3  3
 *  D  Thuiszorg               Zorg                 2015-Q1 .. 2016-Q2 (left)  2015-Q4: 1                 1   1  1  -  -
 *  E  GGZ                     Zorg                 2015-Q1 ..         2015-Q1: 4, 2016-Q3: 5             4   4  4  5  5
 *  F  Basisschool De Wilg     Onderwijs            2015-Q1 ..         (none)                             .   .  .  .  .
 *  G  ROC                     Onderwijs            2016-Q1 ..         2016-Q1: 2, 2016-Q3: 2 (answers)   -   2  2  2  2
 *  H  Vervoerder Regio        Openbaar Vervoer     2015-Q1 .. archived with memberUntil 2016-Q1
 *                                                                     2015-Q3: 2                         2   2  -  -  -
 *  I  Busbedrijf              Openbaar Vervoer     2015-Q1 ..         2015-Q4: 4 (import), 2016-Q2: 4    4   4  4  4  4
 *
 * G and I record the same gear again: a re-recording changes no average.
 * In 2016-Q4 Openbaar Vervoer (4) and Zorg (4) tie as strongest; Veiligheid/Justitie has 3.5.
 */
async function buildRegion(app: TestApp['app']): Promise<Record<string, Organisation>> {
  const o: Record<string, Organisation> = {};
  o.A = await createOrg(app, {
    name: 'Politie Eenheid',
    sector: 'Veiligheid/Justitie',
    memberFrom: '2015-Q1',
  });
  o.B = await createOrg(app, { name: 'Brandweer', sector: 'Veiligheid/Justitie', memberFrom: '2015-Q1' });
  o.C = await createOrg(app, { name: 'Ziekenhuis', sector: 'Zorg', memberFrom: '2016-Q2' });
  o.D = await createOrg(app, {
    name: 'Thuiszorg',
    sector: 'Zorg',
    memberFrom: '2015-Q1',
    memberUntil: '2016-Q2',
  });
  o.E = await createOrg(app, { name: 'GGZ', sector: 'Zorg', memberFrom: '2015-Q1' });
  o.F = await createOrg(app, { name: 'Basisschool De Wilg', sector: 'Onderwijs', memberFrom: '2015-Q1' });
  o.G = await createOrg(app, { name: 'ROC', sector: 'Onderwijs', memberFrom: '2016-Q1' });
  o.H = await createOrg(app, { name: 'Vervoerder Regio', sector: 'Openbaar Vervoer', memberFrom: '2015-Q1' });
  o.I = await createOrg(app, { name: 'Busbedrijf', sector: 'Openbaar Vervoer', memberFrom: '2015-Q1' });

  await recordQuickscan(app, o.A.id, '2015-Q3', answersForGear(3, { '4a': 'deels' }));
  await setGear(app, o.A.id, '2016-Q2', 4);
  await setGear(app, o.B.id, '2015-Q4', 2);
  await setGear(app, o.B.id, '2016-Q4', 3);
  await recordQuickscan(app, o.B.id, '2017-Q1', answersForGear(5));
  await recordQuickscan(app, o.C.id, '2016-Q2', answersForGear(3));
  await setGear(app, o.D.id, '2015-Q4', 1);
  await setGear(app, o.E.id, '2015-Q1', 4);
  await setGear(app, o.E.id, '2016-Q3', 5);
  await setGear(app, o.G.id, '2016-Q1', 2);
  await recordQuickscan(app, o.G.id, '2016-Q3', answersForGear(2, { '3b': 'deels' }));
  await setGear(app, o.H.id, '2015-Q3', 2);
  await setGear(app, o.I.id, '2015-Q4', 4, { source: 'import' });
  await setGear(app, o.I.id, '2016-Q2', 4);
  await call(
    app,
    { method: 'POST', url: `/api/organisations/${o.H.id}/archive`, payload: { memberUntil: '2016-Q1' } },
    200,
  );
  return o;
}

describe('reports on a hand-made region', () => {
  let t: TestApp;
  let orgs: Record<string, Organisation>;

  beforeAll(async () => {
    t = await buildTestApp();
    orgs = await buildRegion(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET /api/reports/summary', () => {
    it('when the summary of 2015-Q4 to 2016-Q4 is asked for, then counts, averages and changes are exact', async () => {
      // Act
      const s = await getJson<Summary>(t.app, '/api/reports/summary?from=2015-Q4&to=2016-Q4');

      // Assert
      expect(s.from).toBe('2015-Q4');
      expect(s.to).toBe('2016-Q4');
      expect(s.organisationCount).toBe(7); // D and H left, C and G joined
      expect(s.sectorCount).toBe(4);
      expectAverage(s.overall.from, 6, 16 / 6);
      expectAverage(s.overall.to, 6, 21 / 6);
      expectPercent(s.overall.changePercent, 31.25);
      expect(s.sectors.map((x) => x.name)).toEqual(DEFAULT_SECTORS);
      const by = Object.fromEntries(s.sectors.map((x) => [x.name, x]));
      expectAverage(by['Veiligheid/Justitie']!.from, 2, 2.5);
      expectAverage(by['Veiligheid/Justitie']!.to, 2, 3.5);
      expectPercent(by['Veiligheid/Justitie']!.changePercent, 40);
      expectAverage(by.Zorg!.from, 2, 2.5);
      expectAverage(by.Zorg!.to, 2, 4);
      expectPercent(by.Zorg!.changePercent, 60);
      expectAverage(by.Onderwijs!.from, 0, null);
      expectAverage(by.Onderwijs!.to, 1, 2);
      expectPercent(by.Onderwijs!.changePercent, null);
      expectAverage(by['Openbaar Vervoer']!.from, 2, 3);
      expectAverage(by['Openbaar Vervoer']!.to, 1, 4);
      expectPercent(by['Openbaar Vervoer']!.changePercent, 100 / 3);
      for (const name of ['Openbaar Bestuur', 'Sociale Zekerheid', 'Woningbouwcorporaties', 'Anders']) {
        expect(by[name]).toEqual({
          name,
          from: { n: 0, average: null, staleCount: 0, closed: null },
          to: { n: 0, average: null, staleCount: 0, closed: null },
          changePercent: null,
          likeForLike: { n: 0, from: null, to: null, changePercent: null },
          changeParts: null,
        });
      }
    });

    it('when sectors tie for the highest average in the end quarter, then all of them are strongest', async () => {
      // Act
      const s = await getJson<Summary>(t.app, '/api/reports/summary?from=2015-Q4&to=2016-Q4');

      // Assert
      expect(s.strongest).toEqual(['Openbaar Vervoer', 'Zorg']);
    });

    it('when the end quarter is one with a later quickscan after it, then that quickscan is ignored', async () => {
      // Act: B has 3 in 2016-Q4 and 5 in 2017-Q1
      const q4 = await getJson<Summary>(t.app, '/api/reports/summary?from=2016-Q4&to=2016-Q4');
      const q1 = await getJson<Summary>(t.app, '/api/reports/summary?from=2016-Q4&to=2017-Q1');

      // Assert
      const vj = (s: Summary) => s.sectors.find((x) => x.name === 'Veiligheid/Justitie')!;
      expectAverage(vj(q4).to, 2, 3.5);
      expectAverage(vj(q1).from, 2, 3.5);
      expectAverage(vj(q1).to, 2, 4.5);
      expect(q1.strongest).toEqual(['Veiligheid/Justitie']);
      expectPercent(vj(q1).changePercent, (1 / 3.5) * 100);
    });

    it('when both quarters are the same, then from and to are equal and the change is 0', async () => {
      // Act
      const s = await getJson<Summary>(t.app, '/api/reports/summary?from=2016-Q2&to=2016-Q2');

      // Assert: members A B C D E F G I; gears 4 2 3 1 4 . 2 4; E's 4 of 2015-Q1 is five quarters old (stale, counted)
      expect(s.organisationCount).toBe(8);
      expectAverage(s.overall.from, 7, 20 / 7, 1);
      expect(s.overall.to).toEqual(s.overall.from);
      expect(s.overall.changePercent).toBe(0);
    });

    it('when the period lies before any member joined, then there are no averages and no strongest sector', async () => {
      // Act
      const s = await getJson<Summary>(t.app, '/api/reports/summary?from=2010-Q1&to=2014-Q4');

      // Assert
      expect(s).toMatchObject({
        organisationCount: 0,
        sectorCount: 0,
        overall: { from: { n: 0, average: null }, to: { n: 0, average: null }, changePercent: null },
        strongest: [],
      });
    });
  });

  describe('GET /api/reports/matrix', () => {
    it('when the matrix of 2015-Q4 to 2016-Q4 is asked for, then every sector and quarter has its exact average and n', async () => {
      // Act
      const m = await getJson<Matrix>(t.app, '/api/reports/matrix?from=2015-Q4&to=2016-Q4');

      // Assert
      const quarters = ['2015-Q4', '2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4'];
      expect(m.from).toBe('2015-Q4');
      expect(m.to).toBe('2016-Q4');
      expect(m.quarters).toEqual(quarters);
      expect(m.sectors.map((s) => s.name)).toEqual(DEFAULT_SECTORS);
      // E's gear 4 of 2015-Q1 is five quarters old in 2016-Q2: counted, and counted as stale.
      const stale: Record<string, number[]> = { Zorg: [0, 0, 1, 0, 0] };
      const expected: Record<string, { cells: Array<[number, number | null]>; change: number | null }> = {
        'Veiligheid/Justitie': {
          cells: [
            [2, 2.5],
            [2, 2.5],
            [2, 3],
            [2, 3],
            [2, 3.5],
          ],
          change: 40,
        },
        Zorg: {
          cells: [
            [2, 2.5],
            [2, 2.5],
            [3, 8 / 3],
            [2, 4],
            [2, 4],
          ],
          change: 60,
        },
        Onderwijs: {
          cells: [
            [0, null],
            [1, 2],
            [1, 2],
            [1, 2],
            [1, 2],
          ],
          change: null,
        },
        'Openbaar Vervoer': {
          cells: [
            [2, 3],
            [2, 3],
            [1, 4],
            [1, 4],
            [1, 4],
          ],
          change: 100 / 3,
        },
      };
      for (const sector of m.sectors) {
        expect(sector.cells.map((c) => c.quarter)).toEqual(quarters);
        const want = expected[sector.name] ?? {
          cells: quarters.map(() => [0, null] as [number, null]),
          change: null,
        };
        sector.cells.forEach((cell, i) => {
          expectAverage(cell, want.cells[i]![0], want.cells[i]![1], stale[sector.name]?.[i] ?? 0);
        });
        expectPercent(sector.changePercent, want.change);
      }
      const region: Array<[number, number]> = [
        [6, 16 / 6],
        [7, 18 / 7],
        [7, 20 / 7],
        [6, 20 / 6],
        [6, 21 / 6],
      ];
      expect(m.region.cells.map((c) => c.quarter)).toEqual(quarters);
      m.region.cells.forEach((cell, i) => {
        expectAverage(cell, region[i]![0], region[i]![1], i === 2 ? 1 : 0);
      });
      expectPercent(m.region.changePercent, 31.25);
    });

    it('when the matrix and the summary cover the same quarters, then their first and last columns agree', async () => {
      // Act
      const m = await getJson<Matrix>(t.app, '/api/reports/matrix?from=2015-Q4&to=2016-Q4');
      const s = await getJson<Summary>(t.app, '/api/reports/summary?from=2015-Q4&to=2016-Q4');

      // Assert
      // The summary says `closed: null` for an open quarter; the matrix leaves it out.
      const open = ({ closed, ...figure }: Summary['overall']['from']) => {
        expect(closed).toBeNull();
        return figure;
      };
      expect(m.region.cells[0]).toEqual({ quarter: '2015-Q4', ...open(s.overall.from) });
      expect(m.region.cells[4]).toEqual({ quarter: '2016-Q4', ...open(s.overall.to) });
      for (const row of m.sectors) {
        const sum = s.sectors.find((x) => x.name === row.name)!;
        expect(row.cells[4]).toEqual({ quarter: '2016-Q4', ...open(sum.to) });
        expect(row.changePercent).toEqual(sum.changePercent);
      }
    });
  });

  describe('GET /api/reports/distribution', () => {
    it('when the distribution is asked for, then each quarter counts members per gear and those without one', async () => {
      // Act
      const d = await getJson<Distribution>(t.app, '/api/reports/distribution?from=2015-Q4&to=2016-Q4');

      // Assert
      expect(d.from).toBe('2015-Q4');
      expect(d.to).toBe('2016-Q4');
      expect(
        d.quarters.map((q) => [q.quarter, q.members, q.withoutGear, q.counts.map((c) => c.count)]),
      ).toEqual([
        ['2015-Q4', 7, 1, [1, 2, 1, 2, 0]],
        ['2016-Q1', 8, 1, [1, 3, 1, 2, 0]],
        ['2016-Q2', 8, 1, [1, 2, 1, 3, 0]],
        ['2016-Q3', 7, 1, [0, 2, 1, 2, 1]],
        ['2016-Q4', 7, 1, [0, 1, 2, 2, 1]],
      ]);
      for (const q of d.quarters) {
        expect(q.counts.map((c) => c.gear)).toEqual([1, 2, 3, 4, 5]);
        expect(q.counts.reduce((sum, c) => sum + c.count, 0) + q.withoutGear).toBe(q.members);
      }
    });
  });

  describe('GET /api/reports/worklist', () => {
    it('when the worklist of 2016-Q4 is asked for, then it lists the members without a quickscan then, oldest gear first (changed by issue 9: no longer by sector), then those without a gear', async () => {
      // Act
      const w = await getJson<Worklist>(t.app, '/api/reports/worklist?quarter=2016-Q4');

      // Assert: B has one in 2016-Q4; D left; H (archived) was a member until 2016-Q1. Equal ages by sector, then name.
      expect(w.quarter).toBe('2016-Q4');
      expect(w.items.map((i) => [i.name, i.sector, i.gear, i.lastRecordedIn, i.ageQuarters])).toEqual([
        ['Busbedrijf', 'Openbaar Vervoer', 4, '2016-Q2', 2],
        ['Politie Eenheid', 'Veiligheid/Justitie', 4, '2016-Q2', 2],
        ['Ziekenhuis', 'Zorg', 3, '2016-Q2', 2],
        ['ROC', 'Onderwijs', 2, '2016-Q3', 1],
        ['GGZ', 'Zorg', 5, '2016-Q3', 1],
        ['Basisschool De Wilg', 'Onderwijs', null, null, null],
      ]);
      expect(w.items.at(-1)).toMatchObject({ id: orgs.F!.id, sectorId: orgs.F!.sectorId });
    });

    it('when no quarter is given, then the worklist is of the current quarter, oldest gear first with its age', async () => {
      // Act
      const w = await getJson<Worklist>(t.app, '/api/reports/worklist');

      // Assert
      expect(w.quarter).toBe('2026-Q4');
      expect(w.items.map((i) => [i.name, i.gear, i.lastRecordedIn, i.ageQuarters])).toEqual([
        ['Busbedrijf', 4, '2016-Q2', 42],
        ['Politie Eenheid', 4, '2016-Q2', 42],
        ['Ziekenhuis', 3, '2016-Q2', 42],
        ['ROC', 2, '2016-Q3', 41],
        ['GGZ', 5, '2016-Q3', 41],
        ['Brandweer', 5, '2017-Q1', 39],
        ['Basisschool De Wilg', null, null, null],
      ]);
    });

    it('when a quarter before some members joined is asked for, then only the members of then are listed, an organisation archived later included (changed by issue 9)', async () => {
      // Act
      const w = await getJson<Worklist>(t.app, '/api/reports/worklist?quarter=2015-Q4');

      // Assert: A B D E F H I were members; B, D and I have one in 2015-Q4; H was archived later
      // but was a member then, as the report counts it
      expect(w.items.map((i) => [i.name, i.ageQuarters])).toEqual([
        ['GGZ', 3],
        ['Vervoerder Regio', 1],
        ['Politie Eenheid', 1],
        ['Basisschool De Wilg', null],
      ]);
    });
  });

  describe('bad report input', () => {
    const periodic = ['/api/reports/summary', '/api/reports/matrix', '/api/reports/distribution'];

    it.each(periodic)(
      'when %s gets a reversed period, then the answer is 400 reversed_period',
      async (path) => {
        // Act
        const res = await t.app.inject({ method: 'GET', url: `${path}?from=2016-Q4&to=2015-Q4` });

        // Assert
        const body = expectError(res, 400, 'reversed_period');
        expect(body.error.message).toContain('Q4 2016 ligt na Q4 2015');
        expect(body.error.details).toEqual({ from: '2016-Q4', to: '2015-Q4' });
      },
    );

    it.each(periodic)(
      'when %s gets a quarter that does not exist, then the answer is 400 with the Dutch message',
      async (path) => {
        // Act
        const res = await t.app.inject({ method: 'GET', url: `${path}?from=2016-Q5&to=2016-Q4` });

        // Assert
        const body = expectError(res, 400, 'validation_failed');
        const message =
          "kwartaal '2016-Q5' bestaat niet: gebruik JJJJ-Qn met n van 1 tot 4 (bijvoorbeeld 2016-Q4)";
        expect(body.error.message).toBe(message);
        expect(body.error.details).toEqual({ problems: [{ code: 'invalid_field', path: 'from', message }] });
      },
    );

    it.each(periodic)('when %s misses from or to, then the answer is 400', async (path) => {
      // Act
      const noFrom = await t.app.inject({ method: 'GET', url: `${path}?to=2016-Q4` });
      const noTo = await t.app.inject({ method: 'GET', url: `${path}?from=2016-Q4` });

      // Assert
      const missingFrom = expectError(noFrom, 400, 'validation_failed');
      const missingTo = expectError(noTo, 400, 'validation_failed');
      expect(missingFrom.error.details?.problems?.map((p) => [p.path, p.message])).toEqual([
        ['from', 'vul dit in'],
      ]);
      expect(missingTo.error.details?.problems?.map((p) => [p.path, p.message])).toEqual([
        ['to', 'vul dit in'],
      ]);
      expect(missingFrom.error.message).toBe('vul dit in');
    });

    it('when the worklist gets a malformed quarter, then the answer is 400', async () => {
      // Act
      const res = await t.app.inject({ method: 'GET', url: '/api/reports/worklist?quarter=Q4-2016' });

      // Assert
      expect(expectError(res, 400, 'validation_failed').error.message).toContain(
        "kwartaal 'Q4-2016' bestaat niet",
      );
    });
  });
});

describe('reports follow edits', () => {
  const t = testAppPerTest();

  it('when a quickscan is edited or deleted, then the next report uses the stored state', async () => {
    // Arrange
    const a = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
    await setGear(t.app, a.id, '2016-Q1', 2);
    await recordQuickscan(t.app, a.id, '2016-Q2', answersForGear(3));
    const summary = () => getJson<Summary>(t.app, '/api/reports/summary?from=2016-Q1&to=2016-Q2');
    const first = await summary();

    // Act
    await call(
      t.app,
      {
        method: 'PUT',
        url: `/api/organisations/${a.id}/quickscans/2016-Q2`,
        payload: { answers: answersForGear(4), expectedVersion: 1 },
      },
      200,
    );
    const afterEdit = await summary();
    await call(t.app, { method: 'DELETE', url: `/api/organisations/${a.id}/quickscans/2016-Q2` }, 204);
    const afterDelete = await summary();

    // Assert
    expectAverage(first.overall.to, 1, 3);
    expectAverage(afterEdit.overall.to, 1, 4);
    expectPercent(afterEdit.overall.changePercent, 100);
    expectAverage(afterDelete.overall.to, 1, 2);
    expectPercent(afterDelete.overall.changePercent, 0);
  });
});

describe('report queries do not grow with the region', () => {
  const t = testAppPerTest();

  const sectorNames = ['Zorg', 'Onderwijs', 'Openbaar Vervoer', 'Veiligheid/Justitie', 'Sociale Zekerheid'];

  /** Adds organisations `from`..`to`-1, each with a few quickscans and recorded gears over 2015–2016. */
  async function addOrganisations(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) {
      const org = await createOrg(t.app, {
        name: `Organisatie ${String(i).padStart(2, '0')}`,
        sector: sectorNames[i % sectorNames.length]!,
        memberFrom: i % 4 === 0 ? '2016-Q1' : '2015-Q1',
        ...(i % 7 === 3 ? { memberUntil: '2016-Q3' } : {}),
      });
      if (i % 4 !== 0) await setGear(t.app, org.id, '2015-Q4', 1 + ((i + 1) % 5), { source: 'import' });
      await recordQuickscan(t.app, org.id, '2016-Q1', answersForGear(1 + (i % 5)));
      await setGear(t.app, org.id, '2016-Q2', 1 + ((i + 2) % 5));
      if (i % 3 === 0) await setGear(t.app, org.id, '2016-Q3', 3);
    }
  }

  /** Runs the reports one by one, each with an empty query log, and returns how many SQL queries each ran. */
  async function queriesPerReport(): Promise<Array<[string, number]>> {
    const counts: Array<[string, number]> = [];
    for (const url of reports) {
      t.queries.length = 0;
      await getJson(t.app, url);
      counts.push([url, t.queries.length]);
    }
    return counts;
  }

  const reports = [
    '/api/reports/summary?from=2015-Q4&to=2016-Q4',
    '/api/reports/matrix?from=2015-Q1&to=2016-Q4',
    '/api/reports/distribution?from=2015-Q1&to=2016-Q4',
    '/api/reports/worklist?quarter=2016-Q2',
  ];

  it('when the region grows from 3 to 30 organisations, then the summary and the matrix run the same number of queries', async () => {
    // Arrange
    await addOrganisations(0, 3);
    const small = await queriesPerReport();
    const smallSummary = await getJson<Summary>(t.app, reports[0]!);

    // Act
    await addOrganisations(3, 30);
    const large = await queriesPerReport();
    const largeSummary = await getJson<Summary>(t.app, reports[0]!);

    // Assert: the data did grow, the number of queries did not
    expect(smallSummary.overall.to.n).toBe(3);
    expect(largeSummary.overall.to.n).toBeGreaterThan(20);
    for (const [url, count] of small) expect(count, url).toBeGreaterThan(0);
    expect(large).toEqual(small);
  });
});
