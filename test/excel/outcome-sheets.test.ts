// The workbook's outcomes (issue 12, item 5): a sheet "Incidenten" with the 0-meting against the
// period per sector and the region's figures per quarter, a sheet "Maatregelen" with each VPT
// measure's share, and the targets on the Analyse sheet; downloaded through the real app and read
// back with exceljs.
import type ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { testAppPerTest } from '../helpers.ts';
import { call, createOrg, type Organisation, setGear } from '../http/fixtures.ts';
import { answersForGear } from '../support.ts';
import { loadWorkbook } from './datasets.ts';

const t = testAppPerTest();

async function download(from: string, to: string): Promise<ExcelJS.Workbook> {
  const res = await t.app.inject({ url: `/api/reports/prestatielijst.xlsx?from=${from}&to=${to}` });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return loadWorkbook(res.rawPayload);
}

/** Every row of a sheet as its cell values (from column A), empty rows as []. */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

function rowStarting(sheet: ExcelJS.Worksheet, label: string): unknown[] {
  const row = rowsOf(sheet).find((r) => r[0] === label);
  expect(row, `a row '${label}' on ${sheet.name}`).toBeDefined();
  return row!;
}

const figures = (org: Organisation, quarter: string, payload: object) =>
  call(t.app, { method: 'PUT', url: `/api/organisations/${org.id}/incidents/${quarter}`, payload }, 201);

let a: Organisation;
let b: Organisation;

beforeEach(async () => {
  a = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
  b = await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2016-Q1' });
  for (const o of [a, b]) {
    await call(
      t.app,
      { method: 'PUT', url: `/api/organisations/${o.id}/employees/2016`, payload: { employees: 100 } },
      201,
    );
  }
});

describe('the sheet Incidenten', () => {
  it('when there is a 0-meting, then each sector and the region show the rates, the change, the target and the counts', async () => {
    // Arrange: A 8 in Q1 and 4 in Q4 (100 employees: 32 and 16 per 100 per year); B only in Q1
    await call(
      t.app,
      {
        method: 'PUT',
        url: '/api/baselines/region',
        payload: { from: '2016-Q1', to: '2016-Q1', targetPercent: -25 },
      },
      201,
    );
    await figures(a, '2016-Q1', { verbal: 6, physical: 2, reports: 1 });
    await figures(a, '2016-Q4', { verbal: 4 });
    await figures(b, '2016-Q1', { threat: 3 });

    // Act
    const sheet = (await download('2016-Q4', '2016-Q4')).getWorksheet('Incidenten')!;

    // Assert: Regio | 0-meting | periode | verandering | doel | op koers | vergeleken | alleen 0-meting | alleen periode | zonder
    expect(rowStarting(sheet, 'Regio')).toEqual(['Regio', 32, 16, -0.5, -0.25, 'ja', 1, 1, 0, 0]);
    expect(rowStarting(sheet, 'Zorg')).toEqual(
      ['Zorg', null, null, null, -0.25, '–', 0, 0, 0, 0].map((v) => v ?? undefined),
    );
    expect(rowStarting(sheet, 'Q4 2016')).toEqual(['Q4 2016', 1, 4, 4]);
  });

  it('when there is no 0-meting, then the sheet says so and still gives the figures per quarter, not registered left empty', async () => {
    // Arrange
    await figures(a, '2016-Q2', { verbal: 5, reports: 0 });

    // Act
    const sheet = (await download('2016-Q1', '2016-Q2')).getWorksheet('Incidenten')!;
    const rows = rowsOf(sheet);

    // Assert
    expect(rows.some((r) => String(r[0]).startsWith('Er is nog geen 0-meting vastgelegd'))).toBe(true);
    expect(rowStarting(sheet, 'Q1 2016')).toEqual(['Q1 2016', 0]);
    // Q2: 1 organisation, 5 incidents, verbal 5, threat/physical/other empty, aangiftes 0
    expect(rowStarting(sheet, 'Q2 2016')).toEqual(['Q2 2016', 1, 5, 5, undefined, undefined, undefined, 0]);
  });
});

describe('the sheet Maatregelen', () => {
  it('when members have quickscans with answers and one a gear without, then each measure shows its share, counts and unknowns', async () => {
    // Arrange
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${a.id}/quickscans`,
        payload: { quarter: '2016-Q2', answers: answersForGear(5) },
      },
      201,
    );
    await setGear(t.app, b.id, '2016-Q2', 3);

    // Act
    const sheet = (await download('2016-Q1', '2016-Q2')).getWorksheet('Maatregelen')!;
    const rows = rowsOf(sheet).slice(3);

    // Assert: twelve measures; A meets everything, B is unknown
    expect(rows).toHaveLength(12);
    const first = rows[0]!;
    expect(first.slice(1, 5)).toEqual([0.5, 1, 1, 2]);
    expect(sheet.getRow(3).getCell(6).value).toBe('Voldoet Q1 2016');
  });
});

describe('the targets on the Analyse sheet', () => {
  it('when the region has targets, then each is listed with its target value, current value and status', async () => {
    // Arrange
    await setGear(t.app, a.id, '2016-Q2', 3);
    await setGear(t.app, b.id, '2016-Q2', 2);
    await call(
      t.app,
      {
        method: 'POST',
        url: '/api/targets',
        payload: { kind: 'gear-share-3', value: 80, quarter: '2016-Q4' },
      },
      201,
    );

    // Act
    const sheet = (await download('2016-Q1', '2016-Q4')).getWorksheet('Analyse')!;

    // Assert
    expect(rowStarting(sheet, 'Doelen')).toEqual([
      'Doelen',
      'Streefwaarde',
      'Nu',
      'Gemeten in',
      'Status',
      'Toelichting',
    ]);
    expect(
      rowStarting(sheet, 'aandeel leden in versnelling 3 of hoger ≥ 80,00% in Q4 2016').slice(0, 5),
    ).toEqual([
      'aandeel leden in versnelling 3 of hoger ≥ 80,00% in Q4 2016',
      '80,00%',
      '50,00%',
      'Q4 2016',
      'niet gehaald',
    ]);
  });
});
