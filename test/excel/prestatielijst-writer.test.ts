import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SECTORS } from '../../server/contracts/sector.contract.ts';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import { spreadsheetPercent } from '../../server/domain/rounding.ts';
import { GEAR_FILLS } from '../../server/excel/prestatielijst-format.ts';
import { buildTestContext } from '../helpers.ts';
import { ALL_KEYS } from '../support.ts';
import { buildDataset, DATASET_A, DATASET_B, exportToBuffer, loadWorkbook, SHEETS } from './datasets.ts';

const REGION = 'VPT-regio Testland';
const QUARTER_HEADERS = ['Q4 2015', 'Q1 2016', 'Q2 2016', 'Q3 2016', 'Q4 2016'];
const HEADER_ROW = 6;
const FIRST_GEAR_COL = 5;
const CHANGE_COL = FIRST_GEAR_COL + QUARTER_HEADERS.length;

/** A gear recorded in that quarter. */
type Recorded = number;
/** A gear carried forward from an earlier quarter. */
type Carried = { gear: number; from: string };
type Expected = Recorded | Carried | null;
const carried = (gear: number, from: string): Carried => ({ gear, from });

type Line =
  | { heading: string }
  | {
      org: string;
      sector: string;
      from: string;
      until: string | null;
      cells: Expected[];
      change: number | null;
    }
  | { average: string; ranges: string[]; values: Array<number | null>; change: number | null };

/** Dataset A as the Prestatielijst sheet must show it, worked out by hand from the table in datasets.ts. */
const EXPECTED_LIST: Line[] = [
  { heading: 'Zorg' },
  {
    org: 'GGZ Midden',
    sector: 'Zorg',
    from: 'Q3 2015',
    until: null,
    cells: [carried(4, 'Q3 2015'), carried(4, 'Q3 2015'), carried(4, 'Q3 2015'), carried(4, 'Q3 2015'), 5],
    change: 1,
  },
  {
    org: 'Thuiszorg West',
    sector: 'Zorg',
    from: 'Q2 2016',
    until: null,
    cells: [null, null, 2, 3, carried(3, 'Q3 2016')],
    change: 1,
  },
  {
    org: 'Ziekenhuis Noord',
    sector: 'Zorg',
    from: 'Q4 2015',
    until: null,
    cells: [2, carried(2, 'Q4 2015'), 4, carried(4, 'Q2 2016'), carried(4, 'Q2 2016')],
    change: 2,
  },
  // Zorg: (2+4)/2, (2+4)/2, (4+4+2)/3, (4+4+3)/3, (4+5+3)/3
  { average: 'Zorg', ranges: ['8:10'], values: [3, 3, 10 / 3, 11 / 3, 4], change: (4 - 3) / 3 },
  { heading: 'Onderwijs' },
  {
    org: 'Albeda College',
    sector: 'Onderwijs',
    from: 'Q4 2015',
    until: null,
    cells: [2, carried(2, 'Q4 2015'), carried(2, 'Q4 2015'), carried(2, 'Q4 2015'), 4],
    change: 2,
  },
  {
    org: 'Basisschool De Linde',
    sector: 'Onderwijs',
    from: 'Q4 2015',
    until: null,
    cells: [2, carried(2, 'Q4 2015'), carried(2, 'Q4 2015'), 3, carried(3, 'Q3 2016')],
    change: 1,
  },
  {
    // Left after Q2 2016: blank afterwards, so no change over the period.
    org: 'Hogeschool Delta',
    sector: 'Onderwijs',
    from: 'Q4 2015',
    until: 'Q2 2016',
    cells: [2, carried(2, 'Q4 2015'), 3, null, null],
    change: null,
  },
  // Onderwijs: (2+2+2)/3, same, (2+2+3)/3, (2+3)/2, (4+3)/2
  { average: 'Onderwijs', ranges: ['13:15'], values: [2, 2, 7 / 3, 2.5, 3.5], change: (3.5 - 2) / 2 },
  { heading: 'Openbaar Vervoer' },
  {
    org: 'Busbedrijf Oost',
    sector: 'Openbaar Vervoer',
    from: 'Q4 2015',
    until: null,
    cells: [4, carried(4, 'Q4 2015'), carried(4, 'Q4 2015'), carried(4, 'Q4 2015'), 4],
    change: 0,
  },
  {
    org: 'Tramlijn Centrum',
    sector: 'Openbaar Vervoer',
    from: 'Q4 2015',
    until: null,
    cells: [3, carried(3, 'Q4 2015'), carried(3, 'Q4 2015'), 4, carried(4, 'Q3 2016')],
    change: 1,
  },
  { average: 'Openbaar Vervoer', ranges: ['18:19'], values: [3.5, 3.5, 3.5, 4, 4], change: (4 - 3.5) / 3.5 },
  { heading: 'Openbaar Bestuur' },
  {
    // A member since Q4 2015 without a gear until its first quickscan in Q1 2016.
    org: 'Gemeente Aastad',
    sector: 'Openbaar Bestuur',
    from: 'Q4 2015',
    until: null,
    cells: [null, 2, carried(2, 'Q1 2016'), carried(2, 'Q1 2016'), 3],
    change: 1,
  },
  {
    org: 'Gemeente Zuidstad',
    sector: 'Openbaar Bestuur',
    from: 'Q4 2015',
    until: null,
    cells: [3, carried(3, 'Q4 2015'), carried(3, 'Q4 2015'), carried(3, 'Q4 2015'), 4],
    change: 1,
  },
  { average: 'Openbaar Bestuur', ranges: ['22:23'], values: [3, 2.5, 2.5, 2.5, 3.5], change: (3.5 - 3) / 3 },
];

// Region: Q4 2015 2+4+2+2+2+4+3+3 = 22 over 8; Q1 2016 adds Aastad (2): 24 over 9; Q2 2016 adds
// Thuiszorg, Noord and Delta move up: 29 over 10; Q3 2016 Delta gone: 29 over 9; Q4 2016: 34 over 9.
const REGION_VALUES = [22 / 8, 24 / 9, 29 / 10, 29 / 9, 34 / 9];
const REGION_CHANGE = (34 / 9 - 22 / 8) / (22 / 8);
const REGION_ROW = 26;

/** "1 kwartaal geleden", "3 kwartalen geleden": from a quarter as shown ("Q3 2015") to another. */
function ago(from: string, to: string): string {
  const index = (q: string) => {
    const [, n, year] = /^Q(\d) (\d{4})$/.exec(q)!;
    return Number(year) * 4 + Number(n);
  };
  const n = index(to) - index(from);
  return `${n} ${n === 1 ? 'kwartaal' : 'kwartalen'} geleden`;
}

function fgColor(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  return fill?.type === 'pattern' ? fill.fgColor?.argb : undefined;
}

function noteText(cell: ExcelJS.Cell): string | undefined {
  const note = cell.note as string | ExcelJS.Comment | undefined;
  if (note === undefined) return undefined;
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

function rowByLabel(sheet: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (!found && row.getCell(1).value === label) found = row;
  });
  if (!found) throw new Error(`no row '${label}' in ${sheet.name}`);
  return found;
}

describe('the prestatielijst workbook for a hand-made region (dataset A, Q4 2015 to Q4 2016)', () => {
  let close: () => Promise<void>;
  let workbook: ExcelJS.Workbook;
  let list: ExcelJS.Worksheet;
  let result: { organisations: number; quarters: number };

  beforeAll(async () => {
    const t = await buildTestContext();
    close = t.close;
    await buildDataset(t.ctx, DATASET_A);
    const exported = await exportToBuffer(t.ctx, REGION, '2015-Q4', '2016-Q4');
    result = exported.result;
    workbook = await loadWorkbook(exported.buffer);
    list = workbook.getWorksheet('Prestatielijst')!;
  });
  afterAll(async () => {
    await close?.();
  });

  it('when exported, then it has the sheets Prestatielijst, Analyse, Sectoren, Incidenten, Maatregelen, Activiteiten and Schakelmodel in that order', () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual(SHEETS);
    // Every organisation that was a member at some time in the period is listed, Delta included.
    expect(result).toEqual({ organisations: 10, quarters: 5 });
  });

  it('when the list is read, then the title block names the region, the period and the date it was made', () => {
    expect(list.getCell('A1').value).toBe(`Prestatielijst ${REGION}`);
    expect(list.getCell('A1').font?.bold).toBe(true);
    expect(list.getCell('A2').value).toBe('Periode: Q4 2015 tot en met Q4 2016');
    // TEST_NOW is 15 November 2026.
    expect(list.getCell('A3').value).toBe('Gemaakt op 15 november 2026');
    // The legend: every gear in its own colour (each merged over the columns its name needs:
    // see layout.test.ts).
    expect(list.getCell('A4').value).toBe('Legenda versnelling:');
    const legend: ExcelJS.Cell[] = [];
    for (const r of [4, 5]) {
      list.getRow(r).eachCell((cell) => {
        if (Number(cell.col) !== 1 && cell.master === cell && /^\d /.test(String(cell.value)))
          legend.push(cell);
      });
    }
    expect(legend.map((c) => String(c.value).slice(0, 2))).toEqual(['1 ', '2 ', '3 ', '4 ', '5 ']);
    legend.forEach((cell, i) => {
      expect(fgColor(cell)).toBe(`FF${GEAR_FILLS[i + 1]}`);
    });
  });

  it('when the list is read, then the header row has the fixed columns, one column per quarter and Verandering', () => {
    const header = list.getRow(HEADER_ROW);
    const labels = Array.from({ length: CHANGE_COL }, (_, i) => header.getCell(i + 1).value);
    expect(labels).toEqual([
      'Organisatie',
      'Sector',
      'Lid sinds',
      'Lid tot',
      ...QUARTER_HEADERS,
      'Verandering',
    ]);
    expect(header.getCell(CHANGE_COL + 1).value).toBeNull();
    expect(list.getRow(5).getCell(1).value).toBeNull();
  });

  it('when the list is read, then organisations are grouped under sector headings, sorted by name, each followed by its average', () => {
    const actual: string[] = [];
    for (let r = HEADER_ROW + 1; r <= REGION_ROW; r++)
      actual.push(String(list.getRow(r).getCell(1).value ?? ''));
    const expected = EXPECTED_LIST.map((line) =>
      'heading' in line ? line.heading : 'org' in line ? line.org : `Gemiddelde ${line.average}`,
    );
    expect(actual).toEqual([...expected, '', 'Gemiddelde regio']);
    // A sector heading is a row with only the name in it, and sectors without organisations have none.
    for (const heading of ['Zorg', 'Onderwijs', 'Openbaar Vervoer', 'Openbaar Bestuur']) {
      const row = rowByLabel(list, heading);
      expect(row.getCell(2).value).toBeNull();
      expect(row.getCell(FIRST_GEAR_COL).value).toBeNull();
      expect(row.getCell(1).font?.bold).toBe(true);
    }
    expect(actual).not.toContain('Veiligheid/Justitie');
    expect(actual).not.toContain('Anders');
  });

  it('when an organisation row is read, then it has its sector, membership, gears as coloured numbers and the change (a carried gear whose origin the row does not show says where from and how old)', () => {
    for (const [i, line] of EXPECTED_LIST.entries()) {
      if (!('org' in line)) continue;
      const row = list.getRow(HEADER_ROW + 1 + i);
      const where = `${line.org}`;
      expect(row.getCell(1).value, where).toBe(line.org);
      expect(row.getCell(2).value, where).toBe(line.sector);
      expect(row.getCell(3).value, where).toBe(line.from);
      expect(row.getCell(4).value, where).toBe(line.until);
      line.cells.forEach((expected, qi) => {
        const cell = row.getCell(FIRST_GEAR_COL + qi);
        const at = `${line.org} ${QUARTER_HEADERS[qi]}`;
        if (expected === null) {
          expect(cell.value, at).toBeNull();
          expect(fgColor(cell), at).toBeUndefined();
          expect(noteText(cell), at).toBeUndefined();
          return;
        }
        const gear = typeof expected === 'number' ? expected : expected.gear;
        expect(typeof cell.value, at).toBe('number');
        expect(cell.value, at).toBe(gear);
        expect(fgColor(cell), at).toBe(`FF${GEAR_FILLS[gear]}`);
        if (typeof expected === 'number') {
          expect(cell.font?.italic ?? false, at).toBe(false);
          expect(noteText(cell), at).toBeUndefined();
        } else {
          expect(cell.font?.italic, at).toBe(true);
          expect(cell.font?.color?.argb, at).toBe('FF595959');
          // A note only where the row does not show the origin: not after a cell carried from the
          // same quarter, nor when the quarter it comes from is in the row as a recorded gear.
          const previous = line.cells[qi - 1];
          const originShown =
            (typeof previous === 'object' && previous !== null && previous.from === expected.from) ||
            line.cells.some(
              (c, i) => i < qi && typeof c === 'number' && QUARTER_HEADERS[i] === expected.from,
            );
          expect(noteText(cell), at).toBe(
            originShown
              ? undefined
              : `Doorgeschoven uit ${expected.from}, ${ago(expected.from, QUARTER_HEADERS[qi]!)}: geen nieuwe quickscan in ${QUARTER_HEADERS[qi]}`,
          );
        }
      });
      const change = row.getCell(CHANGE_COL);
      expect(change.value, `${where} change`).toBe(line.change);
      expect(change.numFmt).toMatch(/^(\[\$-413\])?\+0;-0;0$/);
    }
  });

  it('when an average row is read, then it holds AVERAGE formulas over the rows above whose cached result is the sector average', () => {
    const lines: Array<{
      row: number;
      ranges: string[];
      values: Array<number | null>;
      change: number | null;
    }> = [];
    EXPECTED_LIST.forEach((line, i) => {
      if ('average' in line) lines.push({ row: HEADER_ROW + 1 + i, ...line });
    });
    lines.push({
      row: REGION_ROW,
      ranges: ['8:10', '13:15', '18:19', '22:23'],
      values: REGION_VALUES,
      change: REGION_CHANGE,
    });
    for (const line of lines) {
      const row = list.getRow(line.row);
      line.values.forEach((expected, qi) => {
        const cell = row.getCell(FIRST_GEAR_COL + qi);
        const col = String.fromCharCode(64 + FIRST_GEAR_COL + qi);
        const at = `${row.getCell(1).value} ${QUARTER_HEADERS[qi]}`;
        const value = cell.value as ExcelJS.CellFormulaValue;
        const args = line.ranges.map((r) => r.replace(/(\d+):(\d+)/, `${col}$1:${col}$2`)).join(',');
        expect(value.formula, at).toBe(`IFERROR(AVERAGE(${args}),"")`);
        expect(value.result as number, at).toBeCloseTo(expected!, 12);
        expect(cell.numFmt, at).toContain('0.00');
        expect(cell.font?.bold, at).toBe(true);
      });
      const change = row.getCell(CHANGE_COL);
      expect(change.value as number).toBe(spreadsheetPercent(line.change! * 100));
      expect(change.numFmt).toContain('%');
    }
    expect(list.getRow(REGION_ROW - 1).getCell(1).value).toBeNull();
    expect(list.getRow(REGION_ROW).getCell(1).value).toBe('Gemiddelde regio');
    expect(list.rowCount).toBe(REGION_ROW);
  });

  it('when the list is opened, then panes are frozen below the header and right of the names, with an autofilter and set column widths', () => {
    expect(list.views).toHaveLength(1);
    expect(list.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW });
    // From the header to the last sector average (the region row below stays out of the filter).
    expect(list.autoFilter).toBe('A6:J24');
    const widths = list.columns.slice(0, CHANGE_COL).map((c) => c.width);
    for (const [i, w] of widths.entries()) {
      expect(w, `column ${i + 1}`).toBeGreaterThanOrEqual(8);
    }
    // The name column is wide enough for the longest name.
    expect(widths[0]).toBeGreaterThanOrEqual('Gemiddelde Openbaar Vervoer'.length);
    expect(widths[1]).toBeGreaterThanOrEqual('Openbaar Vervoer'.length);
  });

  it('when the list is printed, then it is landscape, one page wide, with the header row on every page', () => {
    expect(list.pageSetup.orientation).toBe('landscape');
    expect(list.pageSetup.fitToPage).toBe(true);
    expect(list.pageSetup.fitToWidth).toBe(1);
    expect(list.pageSetup.fitToHeight).toBe(0);
    expect(list.pageSetup.printTitlesRow).toBe(`${HEADER_ROW}:${HEADER_ROW}`);
    expect(list.headerFooter.oddFooter).toContain(`Prestatielijst ${REGION}, Q4 2015 – Q4 2016`);
  });

  it('when the Analyse sheet is read, then it holds the quantitative analysis as numbers with number formats', () => {
    const sheet = workbook.getWorksheet('Analyse')!;
    expect(String(sheet.getCell('A1').value)).toBe(
      `Kwantitatieve analyse ${REGION}, Q4 2015 tot en met Q4 2016`,
    );

    // Members in Q4 2016: Delta left in Q2 2016.
    expect(rowByLabel(sheet, 'Aantal aangesloten organisaties').getCell(2).value).toBe(9);
    const sectors = rowByLabel(sheet, 'Aantal sectoren');
    expect(sectors.getCell(2).value).toBe(4);
    expect(sectors.getCell(3).value).toBe('Zorg, Onderwijs, Openbaar Vervoer, Openbaar Bestuur');

    const start = rowByLabel(sheet, 'Gemiddelde versnelling Q4 2015 (start)');
    expect(start.getCell(2).value).toBe(22 / 8);
    expect(start.getCell(2).numFmt).toMatch(/0\.00$/);
    expect(start.getCell(3).value).toBe('n = 8');
    const end = rowByLabel(sheet, 'Gemiddelde versnelling Q4 2016 (eind)');
    expect(typeof end.getCell(2).value).toBe('number');
    expect(end.getCell(2).value as number).toBeCloseTo(34 / 9, 12);
    expect(end.getCell(2).numFmt).toMatch(/0\.00$/);
    expect(end.getCell(3).value).toBe('n = 9');
    const change = rowByLabel(sheet, 'Procentuele vordering regio t.o.v. Q4 2015').getCell(2);
    expect(typeof change.value).toBe('number');
    expect(change.value as number).toBe(spreadsheetPercent(REGION_CHANGE * 100)); // 37/99, stored as shown: +37,37%
    expect(change.numFmt).toContain('0.00%');

    const header = rowByLabel(sheet, 'Procentuele vordering per sector');
    expect([2, 3, 4, 5, 6].map((c) => header.getCell(c).value)).toEqual([
      'Vordering',
      'Gem. Q4 2015',
      'Gem. Q4 2016',
      'n Q4 2015',
      'n Q4 2016',
    ]);
    // [change, average start, average end, n start, n end], by hand from the dataset table.
    const perSector: Record<string, [number | null, number | null, number | null, number, number]> = {
      'Veiligheid/Justitie': [null, null, null, 0, 0],
      Zorg: [1 / 3, 3, 4, 2, 3],
      Onderwijs: [0.75, 2, 3.5, 3, 2],
      'Openbaar Vervoer': [1 / 7, 3.5, 4, 2, 2],
      'Openbaar Bestuur': [1 / 6, 3, 3.5, 1, 2],
      'Sociale Zekerheid': [null, null, null, 0, 0],
      Woningbouwcorporaties: [null, null, null, 0, 0],
      Anders: [null, null, null, 0, 0],
    };
    const sectorRows = DEFAULT_SECTORS.map((_, i) => sheet.getRow(header.number + 1 + i));
    expect(sectorRows.map((r) => r.getCell(1).value)).toEqual(DEFAULT_SECTORS);
    for (const row of sectorRows) {
      const name = String(row.getCell(1).value);
      const [pct, a, b, na, nb] = perSector[name]!;
      const cells = [2, 3, 4].map((c) => row.getCell(c).value as number | null);
      [pct, a, b].forEach((expected, i) => {
        if (expected === null) expect(cells[i], name).toBeNull();
        // The change is stored as shown (rounded to 0.01%, as LibreOffice renders it the same way).
        else if (i === 0) expect(cells[i], name).toBe(spreadsheetPercent(expected * 100));
        else expect(cells[i]!, name).toBeCloseTo(expected, 12);
      });
      expect(row.getCell(5).value, name).toBe(na);
      expect(row.getCell(6).value, name).toBe(nb);
      expect(row.getCell(2).numFmt, name).toContain('0.00%');
      expect(row.getCell(3).numFmt, name).toMatch(/0\.00$/);
      expect(row.getCell(4).numFmt, name).toMatch(/0\.00$/);
    }

    // Zorg and Openbaar Vervoer both end at 4,00.
    expect(rowByLabel(sheet, 'Kwalitatief sterkste sector').getCell(2).value).toBe('Openbaar Vervoer & Zorg');
  });

  it('when the Sectoren sheet is read, then it has the average and n per sector and quarter, and the region', () => {
    const sheet = workbook.getWorksheet('Sectoren')!;
    const header = sheet.getRow(2);
    expect(header.getCell(1).value).toBe('Sector');
    QUARTER_HEADERS.forEach((q, i) => {
      expect(header.getCell(2 + i * 2).value).toBe(`${q} gem.`);
      expect(header.getCell(3 + i * 2).value).toBe('n');
    });
    expect(header.getCell(2 + QUARTER_HEADERS.length * 2).value).toBe('Verandering');
    const expected: Record<string, Array<[number | null, number]>> = {
      Zorg: [
        [3, 2],
        [3, 2],
        [10 / 3, 3],
        [11 / 3, 3],
        [4, 3],
      ],
      Onderwijs: [
        [2, 3],
        [2, 3],
        [7 / 3, 3],
        [2.5, 2],
        [3.5, 2],
      ],
      'Openbaar Vervoer': [
        [3.5, 2],
        [3.5, 2],
        [3.5, 2],
        [4, 2],
        [4, 2],
      ],
      'Openbaar Bestuur': [
        [3, 1],
        [2.5, 2],
        [2.5, 2],
        [2.5, 2],
        [3.5, 2],
      ],
      Regio: REGION_VALUES.map((v, i) => [v, [8, 9, 10, 9, 9][i]!]),
    };
    for (const name of ['Veiligheid/Justitie', 'Sociale Zekerheid', 'Woningbouwcorporaties', 'Anders']) {
      expected[name] = QUARTER_HEADERS.map(() => [null, 0]);
    }
    const names: string[] = [];
    for (let r = 3; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const name = String(row.getCell(1).value);
      names.push(name);
      expected[name]!.forEach(([average, n], qi) => {
        const avg = row.getCell(2 + qi * 2);
        if (average === null) expect(avg.value, `${name} ${qi}`).toBeNull();
        else expect(avg.value as number, `${name} ${qi}`).toBeCloseTo(average, 12);
        expect(avg.numFmt).toMatch(/0\.00$/);
        expect(row.getCell(3 + qi * 2).value, `${name} n ${qi}`).toBe(n);
      });
    }
    expect(names).toEqual([...DEFAULT_SECTORS, 'Regio']);
    const regionChange = rowByLabel(sheet, 'Regio').getCell(2 + QUARTER_HEADERS.length * 2);
    expect(regionChange.value as number).toBe(spreadsheetPercent(REGION_CHANGE * 100));
    expect(regionChange.numFmt).toContain('%');
  });

  it('when the Schakelmodel sheet is read, then every criterion 2a to 5c is there with its text and measure', () => {
    const sheet = workbook.getWorksheet('Schakelmodel')!;
    const criteria = new Map<string, { gear: unknown; text: unknown; measure: unknown }>();
    const gears: Array<{ gear: unknown; name: unknown }> = [];
    sheet.eachRow((row, n) => {
      if (n <= 2) return;
      const key = row.getCell(3).value;
      if (typeof key === 'string') {
        criteria.set(key, {
          gear: row.getCell(1).value,
          text: row.getCell(4).value,
          measure: row.getCell(5).value,
        });
      } else {
        gears.push({ gear: row.getCell(1).value, name: row.getCell(2).value });
      }
    });
    expect([...criteria.keys()]).toEqual(ALL_KEYS);
    for (const g of SCHAKELMODEL_V2.gears) {
      for (const c of g.criteria) {
        expect(criteria.get(c.key)).toEqual({ gear: g.gear, text: c.text, measure: c.measure });
      }
    }
    expect(gears).toEqual(SCHAKELMODEL_V2.gears.map((g) => ({ gear: g.gear, name: g.name })));
    expect(criteria.get('2b')?.measure).toBe('norm stellen');
    expect(criteria.get('5a')?.measure).toBe('ELA');
  });
});

describe('the Analyse sheet in the style of the final report (dataset B, eight sectors)', () => {
  let close: () => Promise<void>;
  let sheet: ExcelJS.Worksheet;

  beforeAll(async () => {
    const t = await buildTestContext();
    close = t.close;
    await buildDataset(t.ctx, DATASET_B);
    const { buffer } = await exportToBuffer(t.ctx, REGION, '2015-Q4', '2016-Q4');
    sheet = (await loadWorkbook(buffer)).getWorksheet('Analyse')!;
  });
  afterAll(async () => {
    await close?.();
  });

  it('when the network grew during the period, then the averages are over different numbers of organisations', () => {
    expect(rowByLabel(sheet, 'Aantal aangesloten organisaties').getCell(2).value).toBe(22);
    const sectors = rowByLabel(sheet, 'Aantal sectoren');
    expect(sectors.getCell(2).value).toBe(8);
    expect(sectors.getCell(3).value).toBe(DEFAULT_SECTORS.join(', '));
    // Start: 10+11+4+9+8+7+4+3 = 56 over 19; end: 12+18+10+9+14+10+6+3 = 82 over 22.
    const start = rowByLabel(sheet, 'Gemiddelde versnelling Q4 2015 (start)');
    expect(start.getCell(2).value as number).toBeCloseTo(56 / 19, 12); // 2,95
    expect(start.getCell(3).value).toBe('n = 19');
    const end = rowByLabel(sheet, 'Gemiddelde versnelling Q4 2016 (eind)');
    expect(end.getCell(2).value as number).toBeCloseTo(82 / 22, 12); // 3,73
    expect(end.getCell(3).value).toBe('n = 22');
    // From the unrounded averages: 26,46%, not (3,73 − 2,95) / 2,95 = 26,44%.
    const change = rowByLabel(sheet, 'Procentuele vordering regio t.o.v. Q4 2015').getCell(2).value as number;
    expect(change).toBe(spreadsheetPercent(((82 / 22 - 56 / 19) / (56 / 19)) * 100));
    expect(Math.round(change * 10000) / 100).toBe(26.46);
  });

  it('when every sector has gears, then each has its percentage change and the tie for strongest is named with &', () => {
    const expected: Record<string, number> = {
      'Veiligheid/Justitie': (4 - 10 / 3) / (10 / 3), // +20,00%
      Zorg: (4.5 - 11 / 3) / (11 / 3), // +22,73%
      Onderwijs: (10 / 3 - 2) / 2, // +66,67%
      'Openbaar Vervoer': 0,
      'Openbaar Bestuur': (3.5 - 8 / 3) / (8 / 3), // +31,25%
      'Sociale Zekerheid': (10 / 3 - 7 / 3) / (7 / 3), // +42,86%
      Woningbouwcorporaties: 0.5,
      Anders: 0,
    };
    for (const [name, pct] of Object.entries(expected)) {
      const cell = rowByLabel(sheet, name).getCell(2);
      expect(typeof cell.value, name).toBe('number');
      expect(cell.value as number, name).toBe(spreadsheetPercent(pct * 100));
      // Signed also at zero: "+0,00%", as the app shows it.
      expect(cell.numFmt, name).toMatch(/\+0\.00%;-0\.00%;\+0\.00%$/);
    }
    expect(rowByLabel(sheet, 'Kwalitatief sterkste sector').getCell(2).value).toBe('Openbaar Vervoer & Zorg');
  });
});

describe('the prestatielijst export at the edges', () => {
  it('when the period is a single quarter, then there is one quarter column and the changes are empty', async () => {
    const t = await buildTestContext();
    try {
      await buildDataset(t.ctx, DATASET_A);
      const { buffer, result } = await exportToBuffer(t.ctx, REGION, '2016-Q3', '2016-Q3');
      expect(result).toEqual({ organisations: 9, quarters: 1 });
      const wb = await loadWorkbook(buffer);
      const list = wb.getWorksheet('Prestatielijst')!;
      const header = list.getRow(HEADER_ROW);
      expect([5, 6].map((c) => header.getCell(c).value)).toEqual(['Q3 2016', 'Verandering']);
      const linde = rowByLabel(list, 'Basisschool De Linde');
      expect(linde.getCell(5).value).toBe(3);
      expect(linde.getCell(6).value).toBeNull();
      // Delta left in Q2 2016 and is not listed.
      expect(() => rowByLabel(list, 'Hogeschool Delta')).toThrow();
      const analyse = wb.getWorksheet('Analyse')!;
      expect(rowByLabel(analyse, 'Gemiddelde versnelling Q3 2016 (start)').getCell(2).value).toBeCloseTo(
        29 / 9,
        12,
      );
      expect(rowByLabel(analyse, 'Procentuele vordering regio t.o.v. Q3 2016').getCell(2).value).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('when nobody has a gear in the period, then the workbook is still complete, with empty averages', async () => {
    const t = await buildTestContext();
    try {
      const { buffer, result } = await exportToBuffer(t.ctx, REGION, '2014-Q1', '2014-Q2');
      expect(result).toEqual({ organisations: 0, quarters: 2 });
      const wb = await loadWorkbook(buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(SHEETS);
      const list = wb.getWorksheet('Prestatielijst')!;
      expect(list.getRow(HEADER_ROW).getCell(1).value).toBe('Organisatie');
      const region = rowByLabel(list, 'Gemiddelde regio');
      expect(region.getCell(5).value).toBeNull();
      const analyse = wb.getWorksheet('Analyse')!;
      expect(rowByLabel(analyse, 'Aantal aangesloten organisaties').getCell(2).value).toBe(0);
      expect(rowByLabel(analyse, 'Aantal sectoren').getCell(2).value).toBe(0);
      expect(rowByLabel(analyse, 'Gemiddelde versnelling Q1 2014 (start)').getCell(2).value).toBeNull();
      expect(rowByLabel(analyse, 'Procentuele vordering regio t.o.v. Q1 2014').getCell(2).value).toBeNull();
      expect(rowByLabel(analyse, 'Kwalitatief sterkste sector').getCell(2).value).toBe('–');
    } finally {
      await t.close();
    }
  });

  it('when the region name holds an ampersand, then the page footer escapes it and the title keeps it', async () => {
    const t = await buildTestContext();
    try {
      const { buffer } = await exportToBuffer(t.ctx, 'Zuid & West', '2016-Q1', '2016-Q1');
      const list = (await loadWorkbook(buffer)).getWorksheet('Prestatielijst')!;
      expect(list.getCell('A1').value).toBe('Prestatielijst Zuid & West');
      // A single '&' starts a header/footer code ("& W" would be nonsense); a literal one is '&&'.
      expect(list.headerFooter.oddFooter).toContain('Prestatielijst Zuid && West, Q1 2016 – Q1 2016');
    } finally {
      await t.close();
    }
  });

  it('when the period runs backwards, then the export refuses it with reversed_period before writing', async () => {
    const t = await buildTestContext();
    try {
      await expect(exportToBuffer(t.ctx, REGION, '2016-Q4', '2015-Q4')).rejects.toMatchObject({
        code: 'reversed_period',
      });
    } finally {
      await t.close();
    }
  });
});
