import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, DATASET_B, DATASET_M, loadWorkbook, PERIOD_M, SHEETS } from '../excel/datasets.ts';
import { buildTestApp, operatorContext, type TestApp } from '../helpers.ts';
import { expectError, injectAs, type SignedIn } from './fixtures.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const REGION = 'VPT-regio Hollands Testland';
const URL = '/api/reports/prestatielijst.xlsx';

let t: TestApp;
let zorgLid: number;

beforeAll(async () => {
  t = await buildTestApp({ config: { regionName: REGION } });
  const ids = await buildDataset(operatorContext(t.app), DATASET_B);
  zorgLid = ids.get('Zorg lid 1')!;
});

afterAll(async () => {
  await t?.close();
});

/** A GET as the test projectleider, or as another account. */
function get(url: string, as?: SignedIn): Promise<LightMyRequestResponse> {
  return as ? injectAs(t, as, { method: 'GET', url }) : t.app.inject({ method: 'GET', url });
}

/** Asserts a workbook download and returns the loaded workbook. */
async function expectWorkbook(res: LightMyRequestResponse, from: string, to: string) {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  expect(res.headers['content-type']).toBe(XLSX);
  expect(res.headers['content-disposition']).toBe(`attachment; filename="prestatielijst-${from}-${to}.xlsx"`);
  expect(res.headers['cache-control']).toBe('no-store');
  // A zip archive.
  expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  const workbook = await loadWorkbook(res.rawPayload);
  expect(workbook.worksheets.map((w) => w.name)).toEqual(SHEETS);
  return workbook;
}

function analyseValue(
  workbook: Awaited<ReturnType<typeof loadWorkbook>>,
  label: string,
  column = 2,
): unknown {
  const sheet = workbook.getWorksheet('Analyse')!;
  let value: unknown;
  sheet.eachRow((row) => {
    if (row.getCell(1).value === label) value = row.getCell(column).value;
  });
  return value;
}

describe('GET /api/reports/prestatielijst.xlsx', () => {
  it('when the projectleider downloads a period, then the answer is the workbook named after the period', async () => {
    const workbook = await expectWorkbook(await get(`${URL}?from=2015-Q4&to=2016-Q4`), '2015-Q4', '2016-Q4');

    // The region name comes from the config.
    const list = workbook.getWorksheet('Prestatielijst')!;
    expect(list.getCell('A1').value).toBe(`Prestatielijst ${REGION}`);
    expect(list.getCell('A2').value).toBe('Periode: Q4 2015 tot en met Q4 2016');
    expect(analyseValue(workbook, 'Aantal aangesloten organisaties')).toBe(22);
    expect(analyseValue(workbook, 'Aantal sectoren')).toBe(8);
    expect(analyseValue(workbook, 'Gemiddelde versnelling Q4 2015 (start)')).toBeCloseTo(56 / 19, 12);
    expect(analyseValue(workbook, 'Gemiddelde versnelling Q4 2016 (eind)')).toBeCloseTo(82 / 22, 12);
    expect(analyseValue(workbook, 'Kwalitatief sterkste sector')).toBe('Openbaar Vervoer & Zorg');
  });

  it('when the bestuur downloads it, then it gets the same workbook with the members named', async () => {
    const workbook = await expectWorkbook(
      await get(`${URL}?from=2016-Q1&to=2016-Q4`, 'bestuur'),
      '2016-Q1',
      '2016-Q4',
    );
    const list = workbook.getWorksheet('Prestatielijst')!;
    const names: unknown[] = [];
    list.eachRow((row) => names.push(row.getCell(1).value));
    expect(names).toContain('Zorg lid 1');
    expect(names).toContain('Zorg nieuw 1');
    expect(list.getRow(6).getCell(5).value).toBe('Q1 2016');
    expect(list.getRow(6).getCell(8).value).toBe('Q4 2016');
  });

  it('when an organisation asks for it, then the answer is 403: the list names every member', async () => {
    expectError(await get(`${URL}?from=2015-Q4&to=2016-Q4`, { organisatie: zorgLid }), 403, 'forbidden');
  });

  it('when nobody is signed in, then the answer is 401', async () => {
    expectError(
      await t.anonymous({ method: 'GET', url: `${URL}?from=2015-Q4&to=2016-Q4` }),
      401,
      'unauthenticated',
    );
  });

  it('when the period runs backwards, then the answer is a 400 JSON error, not a broken file', async () => {
    const body = expectError(await get(`${URL}?from=2016-Q4&to=2015-Q4`), 400, 'reversed_period');
    expect(body.error.message).toContain('Q4 2016');
  });

  it.each([
    ['a quarter 5', 'from=2016-Q5&to=2016-Q4'],
    ['a quarter in words', 'from=Q4%202015&to=2016-Q4'],
    ['no end quarter', 'from=2015-Q4'],
    ['no period at all', ''],
  ])('when the query has %s, then the answer is 400 validation_failed', async (_what, query) => {
    expectError(await get(`${URL}?${query}`), 400, 'validation_failed');
  });

  it('when nobody has a gear in the period, then the answer is still a valid workbook', async () => {
    const workbook = await expectWorkbook(await get(`${URL}?from=2014-Q1&to=2014-Q4`), '2014-Q1', '2014-Q4');
    expect(analyseValue(workbook, 'Aantal aangesloten organisaties')).toBe(0);
    expect(analyseValue(workbook, 'Gemiddelde versnelling Q1 2014 (start)')).toBeNull();
    expect(analyseValue(workbook, 'Kwalitatief sterkste sector')).toBe('–');
    const list = workbook.getWorksheet('Prestatielijst')!;
    expect(list.getRow(6).getCell(1).value).toBe('Organisatie');
  });

  it('when a single quarter is asked for, then the workbook has one quarter column', async () => {
    const workbook = await expectWorkbook(await get(`${URL}?from=2016-Q4&to=2016-Q4`), '2016-Q4', '2016-Q4');
    const header = workbook.getWorksheet('Prestatielijst')!.getRow(6);
    expect([5, 6].map((c) => header.getCell(c).value)).toEqual(['Q4 2016', 'Verandering']);
  });

  it('when the period reaches past the current quarter, then the answer is a 422 JSON error, not a file', async () => {
    const body = expectError(await get(`${URL}?from=2026-Q1&to=2027-Q1`), 422, 'future_quarter');
    expect(body.error.message).toContain('Q1 2027');
  });

  it('when the OpenAPI document is read, then the route is described as an Excel download', async () => {
    const doc = (await t.anonymous({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, { get?: { responses?: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const op = doc.paths['/api/reports/prestatielijst.xlsx']?.get;
    expect(op).toBeDefined();
    expect(Object.keys(op!.responses!['200']!.content ?? {})).toContain(XLSX);
  });
});

describe('GET /api/reports/prestatielijst.xlsx for a region through time', () => {
  it('when organisations moved, left and rejoined, then the download has a row per sector stretch and every period', async () => {
    const moves = await buildTestApp();
    try {
      await buildDataset(operatorContext(moves.app), DATASET_M);
      const res = await moves.app.inject({
        method: 'GET',
        url: `${URL}?from=${PERIOD_M.from}&to=${PERIOD_M.to}`,
      });
      const workbook = await expectWorkbook(res, PERIOD_M.from, PERIOD_M.to);
      const rows: unknown[][] = [];
      workbook.getWorksheet('Prestatielijst')!.eachRow((row) => {
        if (row.getCell(2).value !== null && row.number > 6) {
          rows.push([1, 2, 3, 4].map((c) => row.getCell(c).value));
        }
      });
      expect(rows).toContainEqual(['Ziekenhuis Rivierland (tot en met Q2 2016)', 'Zorg', 'Q3 2015', null]);
      expect(rows).toContainEqual([
        'Ziekenhuis Rivierland (vanaf Q3 2016)',
        'Sociale Zekerheid',
        'Q3 2015',
        null,
      ]);
      expect(rows).toContainEqual(['Gemeente Oost', 'Openbaar Bestuur', 'Q4 2015; Q4 2016', 'Q1 2016; –']);
    } finally {
      await moves.close();
    }
  });
});
