// Closed quarters in the workbook (issue 10): the Analyse sheet shows "vastgesteld op … door …"
// beside a closed quarter's average, the restated figure beside the closed one with the reason,
// the list of restatements, and the like-for-like change; the Sectoren sheet the region's closed
// figures.
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQuarter } from '../../server/services/closing.service.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { recordGear } from '../../server/services/quickscans.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { buildTestContext } from '../helpers.ts';
import { exportToBuffer, loadWorkbook } from './datasets.ts';

const REGION = 'VPT-regio Testland';

function rowByLabel(sheet: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  for (let r = 1; r <= sheet.rowCount; r++) {
    if (sheet.getRow(r).getCell(1).value === label) return sheet.getRow(r);
  }
  throw new Error(`no row '${label}'`);
}

describe('the workbook of a period with a closed and restated quarter', () => {
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    ({ ctx, close } = await buildTestContext({ actor: 'p.leider@regio.nl' }));
    const sectors = await listSectors(ctx);
    const zorg = sectors.find((s) => s.name === 'Zorg')!.id;
    const ids: number[] = [];
    for (const [name, from] of [
      ['Zorg A', '2016-Q1'],
      ['Zorg B', '2016-Q1'],
      ['Zorg C', '2016-Q2'],
    ] as const) {
      ids.push((await createOrganisation(ctx, { name, sectorId: zorg, memberFrom: from })).id);
    }
    await recordGear(ctx, ids[0]!, '2016-Q1', { gear: 2 }, 'record');
    await recordGear(ctx, ids[1]!, '2016-Q1', { gear: 4 }, 'record');
    await recordGear(ctx, ids[2]!, '2016-Q2', { gear: 5 }, 'record');
    await closeQuarter(ctx, '2016-Q1');
    // A late correction of the closed quarter: 2 → 3.
    await recordGear(ctx, ids[0]!, '2016-Q1', { gear: 3, reason: 'quickscan te laat verwerkt' }, 'record');
    workbook = await loadWorkbook((await exportToBuffer(ctx, REGION, '2016-Q1', '2016-Q2')).buffer);
  });
  afterAll(async () => {
    await close?.();
  });

  it('when the Analyse sheet is read, then the closed quarter shows the closed and the restated average with the reason', () => {
    // Arrange
    const sheet = workbook.getWorksheet('Analyse')!;

    // Act
    const start = rowByLabel(sheet, 'Gemiddelde versnelling Q1 2016 (start)');
    const end = rowByLabel(sheet, 'Gemiddelde versnelling Q2 2016 (eind)');

    // Assert
    expect(start.getCell(2).value).toBe(3.5);
    expect(start.getCell(4).value).toBe(
      'vastgesteld 3,00 · herzien 3,50 (reden: quickscan te laat verwerkt)',
    );
    expect(end.getCell(4).value ?? '').toBe('');
  });

  it('when the Analyse sheet is read, then it lists every restatement with the closed and restated figure, reason and who', () => {
    // Arrange
    const sheet = workbook.getWorksheet('Analyse')!;
    const header = rowByLabel(sheet, 'Herzieningen na vaststelling');

    // Act
    const lines = [1, 2].map((i) => sheet.getRow(header.number + i));

    // Assert
    expect(lines.map((l) => [1, 2, 3, 4, 5].map((c) => l.getCell(c).value))).toEqual([
      ['Regio', 3, 3.5, 'Q1 2016', 'quickscan te laat verwerkt'],
      ['Zorg', 3, 3.5, 'Q1 2016', 'quickscan te laat verwerkt'],
    ]);
    expect(String(lines[0]!.getCell(6).value)).toMatch(/^p\.leider@regio\.nl, \d{1,2} [a-z]{3}\.? \d{4}/);
  });

  it('when the Analyse sheet is read, then it gives the like-for-like change and where the change came from', () => {
    // Arrange
    const sheet = workbook.getWorksheet('Analyse')!;

    // Act
    const same = rowByLabel(sheet, 'Vergelijkbare vordering (organisaties in beide kwartalen)');
    const split = rowByLabel(sheet, 'Waar de vordering vandaan komt');

    // Assert: A and B carry 3 and 4 into Q2 (no change); C joins with 5: 3,50 → 4,00.
    expect(same.getCell(2).value).toBe(0);
    expect(same.getCell(3).value).toBe('n = 2');
    expect(String(split.getCell(4).value)).toContain('+14,29%');
  });

  it('when the Sectoren sheet is read, then the region row is followed by its closed figures and when they were closed', () => {
    // Arrange
    const sheet = workbook.getWorksheet('Sectoren')!;

    // Act
    const closed = rowByLabel(sheet, 'Regio, vastgesteld');
    const when = sheet.getRow(closed.number + 1);

    // Assert
    expect([2, 3, 4, 5].map((c) => closed.getCell(c).value ?? null)).toEqual([3, 2, null, null]);
    expect(String(when.getCell(1).value)).toMatch(
      /^Vastgesteld op \d{1,2} november 2026 door p\.leider@regio\.nl\./,
    );
  });
});
