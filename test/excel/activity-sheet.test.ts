// The workbook's sheet "Activiteiten" (issue 13, item 2): per quarter the network's activities of
// each kind, their totals, and the share of the members with a house visit in the last twelve
// months; downloaded through the real app and read back with exceljs.
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { testAppPerTest } from '../helpers.ts';
import { call, createOrg, type Organisation } from '../http/fixtures.ts';
import { loadWorkbook, SHEETS } from './datasets.ts';

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

function rowNumber(sheet: ExcelJS.Worksheet, label: string): number {
  const index = rowsOf(sheet).findIndex((r) => r[0] === label);
  expect(index, `a row '${label}' on ${sheet.name}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

const rowStarting = (sheet: ExcelJS.Worksheet, label: string) => rowsOf(sheet)[rowNumber(sheet, label) - 1];

const activity = (date: string, kind: string, organisations: Organisation[] = []) =>
  call(
    t.app,
    {
      method: 'POST',
      url: '/api/activities',
      payload: { date, kind, title: `${kind} ${date}`, organisationIds: organisations.map((o) => o.id) },
    },
    201,
  );

const HEADER = [
  'Kwartaal',
  'Huisbezoek',
  'Netwerkbijeenkomst',
  'Ambassadeursbijeenkomst',
  'Workshop/training',
  'Advies',
  'Overig',
  'Totaal',
];

describe('the sheet Activiteiten', () => {
  it('when activities are logged in and around the period, then each quarter counts them per kind, the total row adds them up and the visited share covers the twelve months up to today', async () => {
    // Arrange: A, B and C are members in Q4 2026, D left at the end of 2025. TEST_NOW is 15 November 2026.
    const a = await createOrg(t.app, { name: 'Gemeente A', memberFrom: '2016-Q1' });
    const b = await createOrg(t.app, { name: 'Gemeente B', memberFrom: '2016-Q1' });
    const c = await createOrg(t.app, { name: 'Gemeente C', memberFrom: '2026-Q1' });
    const d = await createOrg(t.app, { name: 'Gemeente D', memberFrom: '2016-Q1', memberUntil: '2025-Q4' });
    await activity('2025-11-10', 'huisbezoek', [c]); // more than twelve months ago: C is not visited
    await activity('2025-12-01', 'huisbezoek', [b]); // before the period, within twelve months
    await activity('2026-02-10', 'huisbezoek', [a]);
    await activity('2026-05-05', 'huisbezoek', [d]); // counted, but D is no member
    await activity('2026-05-20', 'netwerkbijeenkomst', [a, b]); // one activity, two organisations
    await activity('2026-08-01', 'workshop');
    await activity('2026-10-01', 'overig');
    await activity('2026-11-02', 'advies', [c]);

    // Act
    const workbook = await download('2026-Q1', '2026-Q4');
    const sheet = workbook.getWorksheet('Activiteiten')!;

    // Assert
    expect(workbook.worksheets.map((s) => s.name)).toEqual(SHEETS);
    expect(sheet.getCell('A1').value).toBe('Activiteiten van het netwerk per kwartaal, Q1 2026 – Q4 2026');
    expect(rowStarting(sheet, 'Kwartaal')).toEqual(HEADER);
    expect(rowStarting(sheet, 'Q1 2026')).toEqual(['Q1 2026', 1, 0, 0, 0, 0, 0, 1]);
    expect(rowStarting(sheet, 'Q2 2026')).toEqual(['Q2 2026', 1, 1, 0, 0, 0, 0, 2]);
    expect(rowStarting(sheet, 'Q3 2026')).toEqual(['Q3 2026', 0, 0, 0, 1, 0, 0, 1]);
    expect(rowStarting(sheet, 'Q4 2026')).toEqual(['Q4 2026', 0, 0, 0, 0, 1, 1, 2]);
    expect(rowStarting(sheet, 'Totaal')).toEqual(['Totaal', 2, 1, 0, 1, 1, 1, 6]);
    expect(rowsOf(sheet).map((r) => r[0])).toContain(
      'Leden met een huisbezoek in de laatste twaalf maanden (tot en met 15 november 2026)',
    );
    expect(rowStarting(sheet, 'Bezocht')).toEqual(['Bezocht', 2]);
    expect(rowStarting(sheet, 'Leden')).toEqual(['Leden', 3]);
    // Two of three: 66,67%, stored as shown (66.67 / 100, give or take the last binary digit).
    const share = sheet.getRow(rowNumber(sheet, 'Aandeel')).getCell(2);
    expect(share.value).toBeCloseTo(0.6667, 12);
    expect(share.numFmt).toBe('[$-413]0.00%');
    // Wide enough for the longest kind, and printed on one page wide.
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual('Ambassadeursbijeenkomst'.length);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
  });

  it('when the period has no activities and no members, then every count is 0 and the share is a dash', async () => {
    // Act: a closed period, so the twelve months end at its last day
    const sheet = (await download('2026-Q1', '2026-Q2')).getWorksheet('Activiteiten')!;

    // Assert
    expect(rowStarting(sheet, 'Q1 2026')).toEqual(['Q1 2026', 0, 0, 0, 0, 0, 0, 0]);
    expect(rowStarting(sheet, 'Q2 2026')).toEqual(['Q2 2026', 0, 0, 0, 0, 0, 0, 0]);
    expect(rowStarting(sheet, 'Totaal')).toEqual(['Totaal', 0, 0, 0, 0, 0, 0, 0]);
    expect(rowsOf(sheet).map((r) => r[0])).toContain(
      'Leden met een huisbezoek in de laatste twaalf maanden (tot en met 30 juni 2026)',
    );
    expect(rowStarting(sheet, 'Bezocht')).toEqual(['Bezocht', 0]);
    expect(rowStarting(sheet, 'Leden')).toEqual(['Leden', 0]);
    expect(rowStarting(sheet, 'Aandeel')).toEqual(['Aandeel', '–']);
  });
});
