import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrestatielijst } from '../../server/excel/prestatielijst-reader.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import {
  createOrganisation,
  moveOrganisation,
  updateOrganisation,
} from '../../server/services/organisations.service.ts';
import { recordGear } from '../../server/services/quickscans.service.ts';
import { reportMatrix } from '../../server/services/reports.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { buildTestContext } from '../helpers.ts';
import { expectAppError } from '../support.ts';
import { buildDataset, DATASET_M, exportToBuffer, loadWorkbook, PERIOD_M } from './datasets.ts';

// The tests run on 15 November 2026 (TEST_NOW): 2026-Q4 is the current quarter.

const REGION = 'VPT-regio Testland';
const QUARTERS = [
  'Q4 2015',
  'Q1 2016',
  'Q2 2016',
  'Q3 2016',
  'Q4 2016',
  'Q1 2017',
  'Q2 2017',
  'Q3 2017',
  'Q4 2017',
];
const FIRST_GEAR_COL = 5;

interface ListLine {
  number: number;
  name: string;
  sector: unknown;
  memberFrom: unknown;
  memberUntil: unknown;
  /** Per quarter: the gear, or null. */
  gears: Array<number | null>;
}

function noteText(cell: ExcelJS.Cell): string | undefined {
  const note = cell.note as string | ExcelJS.Comment | undefined;
  if (note === undefined) return undefined;
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

/** The organisation rows of the Prestatielijst sheet (those with a sector), in order. */
function listLines(sheet: ExcelJS.Worksheet, quarters: number): ListLine[] {
  const lines: ListLine[] = [];
  sheet.eachRow((row, number) => {
    if (number <= 6 || row.getCell(2).value === null) return;
    lines.push({
      number,
      name: String(row.getCell(1).value),
      sector: row.getCell(2).value,
      memberFrom: row.getCell(3).value,
      memberUntil: row.getCell(4).value,
      gears: Array.from(
        { length: quarters },
        (_, i) => row.getCell(FIRST_GEAR_COL + i).value as number | null,
      ),
    });
  });
  return lines;
}

function line(lines: ListLine[], name: string): ListLine {
  const found = lines.find((l) => l.name === name);
  if (!found) throw new Error(`no row '${name}' in ${lines.map((l) => l.name).join(', ')}`);
  return found;
}

/** Every cell of a sheet as plain values (formulas with their cached result) and notes, row by row. */
function sheetContent(sheet: ExcelJS.Worksheet): unknown[] {
  const rows: unknown[] = [];
  sheet.eachRow((row, number) => {
    const cells: unknown[] = [];
    row.eachCell((cell, col) => cells.push([col, cell.value, noteText(cell) ?? null]));
    rows.push([number, cells]);
  });
  return rows;
}

describe('the prestatielijst of a region through time (dataset M, Q4 2015 to Q4 2017)', () => {
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  let workbook: ExcelJS.Workbook;
  let lines: ListLine[];

  beforeAll(async () => {
    ({ ctx, close } = await buildTestContext());
    await buildDataset(ctx, DATASET_M);
    workbook = await loadWorkbook((await exportToBuffer(ctx, REGION, PERIOD_M.from, PERIOD_M.to)).buffer);
    lines = listLines(workbook.getWorksheet('Prestatielijst')!, QUARTERS.length);
  });
  afterAll(async () => {
    await close?.();
  });

  it('when an organisation moved sector within the period, then it has a row under each sector it belonged to, saying when, with its gears only in those quarters', () => {
    const _ = null;
    expect(line(lines, 'Ziekenhuis Rivierland (tot en met Q2 2016)')).toMatchObject({
      sector: 'Zorg',
      gears: [2, 2, 3, _, _, _, _, _, _],
    });
    expect(line(lines, 'Ziekenhuis Rivierland (vanaf Q3 2016)')).toMatchObject({
      sector: 'Sociale Zekerheid',
      gears: [_, _, _, 3, 3, 4, 4, 4, 4],
    });
    // There and back: two rows under Zorg, in time order, one under Sociale Zekerheid.
    expect(lines.filter((l) => l.name.startsWith('GGZ Midden')).map((l) => [l.name, l.sector])).toEqual([
      ['GGZ Midden (tot en met Q1 2016)', 'Zorg'],
      ['GGZ Midden (vanaf Q1 2017)', 'Zorg'],
      ['GGZ Midden (Q2 2016 tot en met Q4 2016)', 'Sociale Zekerheid'],
    ]);
    expect(line(lines, 'GGZ Midden (Q2 2016 tot en met Q4 2016)').gears).toEqual([_, _, 4, 4, 5, _, _, _, _]);
    // Moved while it was no member: the row of each sector starts where its membership does.
    expect(line(lines, 'Woonstichting Delta (tot en met Q1 2016)')).toMatchObject({
      sector: 'Woningbouwcorporaties',
      gears: [3, 3, _, _, _, _, _, _, _],
    });
    expect(line(lines, 'Woonstichting Delta (vanaf Q1 2017)')).toMatchObject({
      sector: 'Anders',
      gears: [_, _, _, _, _, _, 4, 4, 4],
    });
    // An organisation that stayed in its sector keeps its plain name.
    expect(line(lines, 'Gemeente Zuidstad').gears).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 4]);
  });

  it('when an organisation left or rejoined, then Lid sinds and Lid tot hold every period, and its cells are blank between them', () => {
    const _ = null;
    expect(line(lines, 'Thuiszorg Zuid')).toMatchObject({
      memberFrom: 'Q4 2015',
      memberUntil: 'Q2 2016',
      gears: [1, 1, 2, _, _, _, _, _, _],
    });
    // A gear does not carry across the gap: a member again in Q4 2016 without a gear until Q1 2017.
    expect(line(lines, 'Gemeente Oost')).toMatchObject({
      memberFrom: 'Q4 2015; Q4 2016',
      memberUntil: 'Q1 2016; –',
      gears: [2, 2, _, _, _, 3, 3, 3, 3],
    });
    // A period before the list is listed too, so the list gives back every period.
    expect(line(lines, 'Stichting Oud')).toMatchObject({
      memberFrom: 'Q1 2014; Q1 2016',
      memberUntil: 'Q4 2014; –',
    });
    // Each row of an organisation that moved carries all its periods.
    for (const name of ['Woonstichting Delta (tot en met Q1 2016)', 'Woonstichting Delta (vanaf Q1 2017)']) {
      expect(line(lines, name)).toMatchObject({ memberFrom: 'Q4 2015; Q1 2017', memberUntil: 'Q1 2016; –' });
    }
    expect(line(lines, 'Ziekenhuis Rivierland (vanaf Q3 2016)')).toMatchObject({
      memberFrom: 'Q3 2015',
      memberUntil: null,
    });
  });

  it('when the list is read, then every live AVERAGE row is exactly the report’s figure in every quarter', async () => {
    const sheet = workbook.getWorksheet('Prestatielijst')!;
    const matrix = await reportMatrix(ctx, PERIOD_M.from, PERIOD_M.to);
    const figures = new Map<string, Array<{ n: number; average: number | null }>>([
      ...matrix.sectors.map((s) => [`Gemiddelde ${s.name}`, s.cells] as const),
      ['Gemiddelde regio', matrix.region.cells],
    ]);
    let checked = 0;
    sheet.eachRow((row) => {
      const label = String(row.getCell(1).value);
      const cells = figures.get(label);
      if (!cells) return;
      QUARTERS.forEach((q, qi) => {
        const cell = row.getCell(FIRST_GEAR_COL + qi);
        const { formula, result } = cell.value as ExcelJS.CellFormulaValue;
        // What a spreadsheet computes: the average of the numbers in the formula's ranges.
        const values = [...formula.matchAll(/([A-Z]+)(\d+):[A-Z]+(\d+)/g)].flatMap(([, col, a, b]) =>
          Array.from(
            { length: Number(b) - Number(a) + 1 },
            (_, i) => sheet.getCell(`${col}${Number(a) + i}`).value,
          ),
        );
        const gears = values.filter((v): v is number => typeof v === 'number');
        const expected = cells[qi]!;
        const at = `${label} ${q}`;
        expect(gears.length, at).toBe(expected.n);
        if (expected.average === null) {
          expect(gears, at).toEqual([]);
          expect(result ?? '', at).toBe('');
        } else {
          expect(gears.reduce((a, b) => a + b, 0) / gears.length, at).toBeCloseTo(expected.average, 12);
          expect(result as number, at).toBeCloseTo(expected.average, 12);
        }
        checked++;
      });
    });
    // Every sector with members in the period, and the region.
    expect(checked).toBe(QUARTERS.length * 7);
  });

  it('when the exported list is read back, then each row of a mover is its organisation in one stretch, with every period', async () => {
    const buffer = await workbook.xlsx.writeBuffer();
    const parsed = await readPrestatielijst(Buffer.from(buffer), 'lijst.xlsx');
    expect(parsed.errors).toEqual([]);
    const delta = parsed.rows.filter((r) => r.name === 'Woonstichting Delta');
    expect(delta.map((r) => [r.sector, r.stretch])).toEqual([
      ['Woningbouwcorporaties', { from: null, until: '2016-Q1', label: 'tot en met Q1 2016' }],
      ['Anders', { from: '2017-Q1', until: null, label: 'vanaf Q1 2017' }],
    ]);
    expect(delta[0]!.memberships).toEqual([
      { from: '2015-Q4', until: '2016-Q1' },
      { from: '2017-Q1', until: 'open' },
    ]);
    const ggz = parsed.rows.find((r) => r.stretch?.label === 'Q2 2016 tot en met Q4 2016')!;
    expect(ggz).toMatchObject({ name: 'GGZ Midden', stretch: { from: '2016-Q2', until: '2016-Q4' } });
    // The gear carried into the list says where it came from.
    const rivierland = parsed.rows.find((r) => r.name === 'Ziekenhuis Rivierland')!;
    expect(rivierland.gears[0]).toEqual({
      quarter: '2015-Q4',
      gear: 2,
      carried: true,
      carriedFrom: '2015-Q3',
    });
  });
});

describe('a change today never rewrites an earlier list', () => {
  it('when organisations move later (from a later quarter, or now through an edit), then the list of an earlier period is the same, cell for cell', async () => {
    const { ctx, close } = await buildTestContext();
    try {
      const ids = await buildDataset(ctx, DATASET_M);
      const sectors = new Map((await listSectors(ctx)).map((s) => [s.name, s.id]));
      const before = await loadWorkbook((await exportToBuffer(ctx, REGION, '2015-Q4', '2016-Q4')).buffer);

      await moveOrganisation(ctx, ids.get('Gemeente Zuidstad')!, {
        sectorId: sectors.get('Zorg')!,
        from: '2018-Q1',
      });
      await moveOrganisation(ctx, ids.get('Ziekenhuis Rivierland')!, {
        sectorId: sectors.get('Zorg')!,
        from: '2017-Q1',
      });
      // A new sector in the organisation form moves it from the current quarter.
      await updateOrganisation(ctx, ids.get('Thuiszorg Zuid')!, { sectorId: sectors.get('Anders')! });
      await updateOrganisation(ctx, ids.get('Netbeheerder West')!, { sectorId: sectors.get('Onderwijs')! });
      const after = await loadWorkbook((await exportToBuffer(ctx, REGION, '2015-Q4', '2016-Q4')).buffer);

      for (const name of ['Prestatielijst', 'Analyse', 'Sectoren']) {
        expect(sheetContent(after.getWorksheet(name)!), name).toEqual(
          sheetContent(before.getWorksheet(name)!),
        );
      }
    } finally {
      await close();
    }
  });
});

describe('the notes of carried-forward gears', () => {
  it('when a gear is carried forward, then only the first cell whose origin the row does not show gets a note saying where it came from and how many quarters ago', async () => {
    const { ctx, close } = await buildTestContext();
    try {
      const [zorg] = await listSectors(ctx).then((all) => all.filter((s) => s.name === 'Zorg'));
      const org = await createOrganisation(ctx, {
        name: 'GGZ Oost',
        sectorId: zorg!.id,
        memberFrom: '2024-Q1',
      });
      await recordGear(ctx, org.id, '2024-Q1', { gear: 3, source: 'import' }, 'record');

      // The origin in the row: the recorded gear shows where the carried ones come from.
      const shown = await loadWorkbook((await exportToBuffer(ctx, REGION, '2024-Q1', '2026-Q4')).buffer);
      const row = shown.getWorksheet('Prestatielijst')!.getRow(8);
      expect(row.getCell(1).value).toBe('GGZ Oost');
      for (let qi = 0; qi < 12; qi++) expect(noteText(row.getCell(FIRST_GEAR_COL + qi))).toBeUndefined();
      expect(row.getCell(FIRST_GEAR_COL + 1).font?.italic).toBe(true);

      // The origin before the period: the first carried cell says where from, the run after it not.
      const hidden = await loadWorkbook((await exportToBuffer(ctx, REGION, '2024-Q2', '2026-Q4')).buffer);
      const later = hidden.getWorksheet('Prestatielijst')!.getRow(8);
      expect(noteText(later.getCell(FIRST_GEAR_COL))).toBe(
        'Doorgeschoven uit Q1 2024, 1 kwartaal geleden: geen nieuwe quickscan in Q2 2024',
      );
      expect(noteText(later.getCell(FIRST_GEAR_COL + 1))).toBeUndefined();
      expect(noteText(later.getCell(FIRST_GEAR_COL + 10))).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('when the period reaches past the current quarter, then the export is refused before anything is written', async () => {
    const { ctx, close } = await buildTestContext();
    try {
      await expectAppError(() => exportToBuffer(ctx, REGION, '2026-Q1', '2027-Q1'), 'future_quarter', 422);
    } finally {
      await close();
    }
  });
});
