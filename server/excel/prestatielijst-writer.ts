import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ClosedFigure } from '../contracts/closing.contract.ts';
import { closedFigureText } from '../domain/closed-text.ts';
import { formatDate, formatDateTime } from '../domain/date-format.ts';
import { describeChangeParts, describeLikeForLike } from '../domain/like-for-like.ts';
import { formatQuarter, type Quarter } from '../domain/quarter.ts';
import { joinNames, type Matrix, type Summary, weakest } from '../domain/report.ts';
import { spreadsheetPercent } from '../domain/rounding.ts';
import type { Schakelmodel } from '../domain/schakelmodel.ts';
import { ageInQuarters, type MembershipPeriod } from '../domain/timeline.ts';
import { writeActivities } from './activity-sheet.ts';
import { type OutcomeData, targetRows, writeIncidents, writeMeasures } from './outcome-sheets.ts';
import {
  AVERAGE_PREFIX,
  carriedNote,
  GEAR_FILLS,
  HEADER,
  membershipCells,
  SHEET,
} from './prestatielijst-format.ts';

/**
 * One line of the list: an organisation, or the stretch of the period in which an organisation
 * that changed sector belonged to this sector (its name then says when); its membership periods
 * and, per quarter, its gear and where that came from.
 */
export interface ListRow {
  name: string;
  /** Every membership period of the organisation, sorted (the same on each of its rows). */
  memberships: readonly MembershipPeriod[];
  /**
   * Per quarter of the period: the gear, and the quarter it was recorded in when carried forward.
   * Equal cells may be one object, shared between quarters and rows: read only.
   */
  cells: Array<{ gear: number; carriedFrom: Quarter | null } | null>;
  /** Gear at the end of the period minus the first gear in it; null without two gears. */
  change: number | null;
}

export interface PrestatielijstData {
  regionName: string;
  madeAt: Date;
  quarters: Quarter[];
  sectors: Array<{ name: string; rows: ListRow[] }>;
  /** Organisations listed (one that changed sector has a row per sector, but counts once). */
  listedOrganisations: number;
  summary: Summary;
  /** Names of the sectors with at least one member organisation in the last quarter. */
  sectorsInUse: string[];
  matrix: Matrix;
  model: Schakelmodel;
  /** Per quarter of the period, the region's closed figure (null for an open quarter). */
  closedRegion?: Array<ClosedFigure | null>;
  /** Incidents, measures and targets (issue 12) and activities (13); their sheets are left out without it. */
  outcomes?: OutcomeData;
}

// Dutch number formats: the [$-413] locale makes any spreadsheet show "3,18" and "+27,04%".
const NUM_2 = '[$-413]0.00';
// Zero is signed too ("+0,00%"), as formatPercent shows it in the app and the CLI.
const PERCENT = '[$-413]+0.00%;-0.00%;+0.00%';
const SIGNED = '[$-413]+0;-0;0';
const GREY = 'FF595959';
const HEADING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3864' } };
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FFBFBFBF' } };

function gearFill(gear: number): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${GEAR_FILLS[gear] ?? 'FFFFFF'}` } };
}

/**
 * The styles of the list's cells, each made once and shared by every cell that has it
 * (`cell.style = shared`, never changed afterwards): exceljs remembers a style object it has
 * seen and reuses its style id, where a fresh object per cell costs it a serialisation of the
 * font, fill and border for every cell. A shared style must only be given to cells of one value
 * type (exceljs keys the id on the object alone, and a number without a number format gets
 * `General` where a string or blank gets none), so each kind below has one value type.
 */
class ListStyles {
  private readonly recorded = new Map<number, Partial<ExcelJS.Style>>();
  private readonly carried = new Map<number, Partial<ExcelJS.Style>>();
  /** Name, sector and membership cells: text or blank, no style of their own. */
  readonly plain: Partial<ExcelJS.Style> = {};
  /** A quarter without a gear. */
  readonly blank: Partial<ExcelJS.Style> = {
    alignment: { horizontal: 'center' },
    border: { top: THIN, bottom: THIN, left: THIN, right: THIN },
  };
  /** The gear change of an organisation over the period. */
  readonly change: Partial<ExcelJS.Style> = { numFmt: SIGNED, alignment: { horizontal: 'center' } };
  /** A quarter of an average row. */
  readonly average: Partial<ExcelJS.Style> = {
    numFmt: NUM_2,
    font: { bold: true },
    alignment: { horizontal: 'center' },
  };
  /** The change of an average row. */
  readonly averageChange: Partial<ExcelJS.Style> = {
    numFmt: PERCENT,
    font: { bold: true },
    alignment: { horizontal: 'center' },
  };

  /** A gear recorded in its quarter, or carried forward into it (italic grey). */
  gear(gear: number, carried: boolean): Partial<ExcelJS.Style> {
    const styles = carried ? this.carried : this.recorded;
    let style = styles.get(gear);
    if (!style) {
      style = { ...this.blank, fill: gearFill(gear) };
      if (carried) style.font = { italic: true, color: { argb: GREY } };
      styles.set(gear, style);
    }
    return style;
  }
}

/** Gives a cell its value and a shared style (see ListStyles). */
function setCell(
  row: ExcelJS.Row,
  col: number,
  value: ExcelJS.CellValue,
  style: Partial<ExcelJS.Style>,
): void {
  const cell = row.getCell(col);
  cell.value = value;
  cell.style = style;
}

function columnLetter(index: number): string {
  let n = index;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const dateFormat = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Amsterdam',
});

/**
 * Writes the quarterly prestatielijst as a streamed workbook: rows are turned into XML as they
 * are made and let go, so what waits for the zip is XML (and the list's notes), never the rows.
 * Sheets: Prestatielijst, Analyse, Sectoren, Incidenten, Maatregelen, Activiteiten, Schakelmodel.
 */
export async function writePrestatielijst(raw: PrestatielijstData, stream: Writable): Promise<void> {
  // Every text of the workbook comes from `data` (or from our own constants), so making its
  // strings XML-safe once here covers every cell, note and footer, also for names stored before
  // the name rules refused such characters.
  const data = xmlSafeData(raw);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'VPT-schakelmodel';
  workbook.created = data.madeAt;
  writeList(workbook, data);
  writeAnalysis(workbook, data);
  writeSectors(workbook, data);
  if (data.outcomes) {
    writeIncidents(workbook, data.outcomes, data.quarters[0]!, data.quarters[data.quarters.length - 1]!);
    writeMeasures(workbook, data.outcomes);
    if (data.outcomes.activities) writeActivities(workbook, data.outcomes.activities);
  }
  writeModel(workbook, data.model);
  await workbook.commit();
}

/** Quarter columns per printed page width: more would print the list too small to read. */
const QUARTERS_PER_PAGE = { list: 12, sectors: 10 } as const;

/** The column width a spreadsheet gives a column the writer leaves at its default. */
const DEFAULT_WIDTH = 8.43;
/** Points per line of 11 pt text: the height of a default row. */
const LINE_HEIGHT = 15;

/** Pages wide for a sheet with a column (or pair) per quarter, `perPage` quarters to a page. */
function pagesWide(quarters: number, perPage: number): number {
  return Math.max(1, Math.ceil(quarters / perPage));
}

/** Landscape A4, `wide` pages wide and as many pages long as the rows need. */
function printSetup(wide = 1): Partial<ExcelJS.PageSetup> {
  return {
    orientation: 'landscape',
    paperSize: 9,
    fitToPage: true,
    fitToWidth: wide,
    fitToHeight: 0,
    // A block of rows is printed across all its quarters before the next block: an
    // organisation's line stays on consecutive pages.
    pageOrder: 'overThenDown',
  };
}

/**
 * Characters of text per line in a column this wide. A width counts the digit '0' of the
 * default font; ordinary text is about a tenth narrower, bold text about as wide.
 */
function charsPerLine(width: number, bold: boolean): number {
  return Math.max(1, Math.floor(width * (bold ? 0.95 : 1.05)) - 1);
}

/**
 * The lines a wrapped text takes in a column this wide, wrapped at spaces as a spreadsheet does
 * (a word longer than a line is broken). exceljs cannot fit row heights to their text while
 * streaming, so the writer sets them from this.
 */
export function wrappedLines(text: string, width: number, bold = false): number {
  const perLine = charsPerLine(width, bold);
  let lines = 0;
  for (const paragraph of text.split(/\r?\n/)) {
    lines++;
    let used = 0;
    for (const word of paragraph.split(/\s+/)) {
      if (!word) continue;
      if (used > 0 && used + 1 + word.length <= perLine) {
        used += 1 + word.length;
        continue;
      }
      if (used > 0) lines++;
      lines += Math.ceil(word.length / perLine) - 1;
      used = word.length % perLine || perLine;
    }
  }
  return Math.max(1, lines);
}

/** Makes a row tall enough for the wrapped texts of its cells; a row of one line keeps its default. */
function fitRowHeight(
  row: ExcelJS.Row,
  cells: ReadonlyArray<{ text: string; width: number }>,
  bold = false,
): void {
  const lines = Math.max(1, ...cells.map((c) => wrappedLines(c.text, c.width, bold)));
  if (lines > 1) row.height = lines * LINE_HEIGHT;
}

/**
 * The legend above the list, rows 4 and 5: each gear in its colour and the note on carried
 * gears, each merged over as many columns as its text needs so no text is cut off by the next.
 * They flow from column B over the list's width and on to row 5; only what fits nowhere within
 * the list's width reaches past it.
 */
function writeLegend(sheet: ExcelJS.Worksheet, model: Schakelmodel, widths: readonly number[]): void {
  const rows = [sheet.getRow(4), sheet.getRow(5)];
  const label = rows[0]!.getCell(1);
  label.value = 'Legenda versnelling:';
  label.font = { bold: true };
  const items: Array<{ text: string; style: Partial<ExcelJS.Style> }> = [
    ...model.gears.map((g) => ({ text: `${g.gear} ${g.name}`, style: { fill: gearFill(g.gear) } })),
    {
      text: 'cursief grijs = doorgeschoven (geen nieuwe quickscan)',
      style: { font: { italic: true, color: { argb: GREY } } },
    },
  ];
  const widthOf = (col: number) => widths[col - 1] ?? DEFAULT_WIDTH;
  /**
   * The last column of a range from `from` wide enough for `text` on one line: a width unit per
   * character and one for the cell's padding, generous where a wrapped text is measured closely.
   */
  const endFor = (from: number, text: string) => {
    let end = from;
    let room = widthOf(end);
    while (room < text.length + 1) room += widthOf(++end);
    return end;
  };
  let line = 0;
  let col = 2;
  for (const item of items) {
    let end = endFor(col, item.text);
    if (end > widths.length && line === 0 && col > 2) {
      line = 1;
      col = 2;
      end = endFor(col, item.text);
    }
    const row = rows[line]!;
    const cell = row.getCell(col);
    cell.value = item.text;
    cell.style = item.style;
    if (end > col) sheet.mergeCells(row.number, col, row.number, end);
    col = end + 1;
  }
  for (const row of rows) row.commit();
}

function writeList(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: PrestatielijstData): void {
  const { quarters } = data;
  const first = formatQuarter(quarters[0]!);
  const last = formatQuarter(quarters[quarters.length - 1]!);
  const quarterLabels = quarters.map(formatQuarter);
  const FIRST_GEAR_COL = 5;
  const changeCol = FIRST_GEAR_COL + quarters.length;
  const HEADER_ROW = 6;
  const nameWidth = Math.min(
    60,
    Math.max(
      28,
      ...data.sectors.flatMap((s) => [s.name.length + 12, ...s.rows.map((r) => r.name.length + 2)]),
    ),
  );
  const sectorWidth = Math.min(30, Math.max(12, ...data.sectors.map((s) => s.name.length + 2)));
  // A rejoiner's periods make the membership cells longer: `Q4 2015; Q1 2017`.
  const memberWidth = Math.min(
    40,
    Math.max(10, ...data.sectors.flatMap((s) => s.rows.map((r) => r.memberships.length * 9 + 2))),
  );

  const sheet = workbook.addWorksheet(SHEET.list, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW, topLeftCell: `B${HEADER_ROW + 1}` }],
    pageSetup: {
      ...printSetup(pagesWide(quarters.length, QUARTERS_PER_PAGE.list)),
      // The names and the header row repeat on every page, so each page reads on its own.
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      printTitlesColumn: 'A:A',
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    // A literal '&' in a footer is written '&&' (a single one starts a control code).
    headerFooter: {
      oddFooter: `&LPrestatielijst ${data.regionName.replaceAll('&', '&&')}, ${first} – ${last}&RPagina &P van &N`,
    },
  });
  const widths = [
    nameWidth,
    sectorWidth,
    memberWidth,
    memberWidth,
    // Not 9: exceljs takes a width of 9 for its default and leaves the column out.
    ...quarters.map(() => 10),
    12,
  ];
  sheet.columns = widths.map((width) => ({ width }));

  const title = sheet.getRow(1);
  title.getCell(1).value = `Prestatielijst ${data.regionName}`;
  title.getCell(1).font = { bold: true, size: 14 };
  title.commit();
  const period = sheet.getRow(2);
  period.getCell(1).value = `Periode: ${first} tot en met ${last}`;
  period.commit();
  const made = sheet.getRow(3);
  made.getCell(1).value = `Gemaakt op ${dateFormat.format(data.madeAt)}`;
  made.commit();
  writeLegend(sheet, data.model, widths);

  const header = sheet.getRow(HEADER_ROW);
  const labels = [
    HEADER.organisation,
    HEADER.sector,
    HEADER.memberFrom,
    HEADER.memberUntil,
    ...quarterLabels,
    HEADER.change,
  ];
  labels.forEach((label, i) => {
    const cell = header.getCell(i + 1);
    cell.value = label;
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = HEADER_FILL;
    cell.alignment = { horizontal: i >= 2 ? 'center' : 'left', vertical: 'middle', wrapText: true };
  });
  header.commit();

  const styles = new ListStyles();
  let rowNumber = HEADER_ROW;
  const orgRanges: Array<[number, number]> = [];
  for (const sector of data.sectors) {
    if (sector.rows.length === 0) continue;
    rowNumber++;
    const heading = sheet.getRow(rowNumber);
    heading.getCell(1).value = sector.name;
    for (let c = 1; c <= changeCol; c++) {
      heading.getCell(c).fill = HEADING_FILL;
      heading.getCell(c).font = { bold: true };
    }
    heading.commit();

    const firstRow = rowNumber + 1;
    for (const org of sector.rows) {
      rowNumber++;
      const row = sheet.getRow(rowNumber);
      setCell(row, 1, org.name, styles.plain);
      setCell(row, 2, sector.name, styles.plain);
      const [memberFrom, memberUntil] = membershipCells(org.memberships);
      setCell(row, 3, memberFrom, styles.plain);
      setCell(row, 4, memberUntil, styles.plain);
      for (let qi = 0; qi < org.cells.length; qi++) {
        const state = org.cells[qi];
        const cell = row.getCell(FIRST_GEAR_COL + qi);
        if (!state) {
          cell.style = styles.blank;
          continue;
        }
        cell.value = state.gear;
        cell.style = styles.gear(state.gear, Boolean(state.carriedFrom));
        if (state.carriedFrom && !originInRow(org.cells, quarters, qi)) {
          const quarter = quarters[qi]!;
          cell.note = carriedNote(state.carriedFrom, quarter, ageInQuarters(state.carriedFrom, quarter));
        }
      }
      const change = row.getCell(changeCol);
      change.value = org.change;
      change.style = styles.change;
      row.commit();
    }
    const lastRow = rowNumber;
    orgRanges.push([firstRow, lastRow]);

    rowNumber++;
    const matrixRow = data.matrix.sectors.find((m) => m.name === sector.name);
    writeAverageRow(
      sheet.getRow(rowNumber),
      styles,
      `${AVERAGE_PREFIX} ${sector.name}`,
      quarters,
      FIRST_GEAR_COL,
      [[firstRow, lastRow]],
      matrixRow?.cells ?? [],
      matrixRow?.changePercent ?? null,
      changeCol,
    );
  }
  rowNumber += 2;
  writeAverageRow(
    sheet.getRow(rowNumber),
    styles,
    `${AVERAGE_PREFIX} regio`,
    quarters,
    FIRST_GEAR_COL,
    orgRanges,
    data.matrix.region.cells,
    data.matrix.region.changePercent,
    changeCol,
  );

  sheet.autoFilter = {
    from: { row: HEADER_ROW, column: 1 },
    to: { row: Math.max(HEADER_ROW, rowNumber - 2), column: changeCol },
  };
  sheet.commit();
}

/**
 * Whether the row itself shows where the carried gear in column `qi` comes from: its quarter's
 * cell is in the row as a recorded gear, or the cell before it is carried from the same quarter
 * (a run of carried cells). Only a cell whose origin the row does not show gets a note: a region
 * with many carried gears would otherwise get tens of thousands of notes (memory while writing,
 * and a list too large to import again), and the import reads the run from the row as well.
 */
function originInRow(cells: ListRow['cells'], quarters: readonly Quarter[], qi: number): boolean {
  const from = cells[qi]!.carriedFrom!;
  if (qi > 0 && cells[qi - 1]?.carriedFrom === from) return true;
  const origin = quarters.indexOf(from);
  return origin >= 0 && origin < qi && cells[origin] !== null && cells[origin]?.carriedFrom === null;
}

/**
 * An average row: per quarter a live AVERAGE formula over the organisations above (carried gears
 * are in the cells, blanks are not counted: exactly the report's rule), with our own result cached.
 */
function writeAverageRow(
  row: ExcelJS.Row,
  styles: ListStyles,
  label: string,
  quarters: Quarter[],
  firstGearCol: number,
  ranges: Array<[number, number]>,
  cells: Array<{ average: number | null }>,
  changePercent: number | null,
  changeCol: number,
): void {
  row.getCell(1).value = label;
  row.getCell(1).font = { bold: true };
  quarters.forEach((_q, qi) => {
    const col = columnLetter(firstGearCol + qi);
    const cell = row.getCell(firstGearCol + qi);
    const average = cells[qi]?.average ?? null;
    const args = ranges.map(([a, b]) => `${col}${a}:${col}${b}`).join(',');
    cell.value = ranges.length ? { formula: `IFERROR(AVERAGE(${args}),"")`, result: average ?? '' } : null;
    cell.style = styles.average;
  });
  const change = row.getCell(changeCol);
  change.value = changePercent === null ? null : spreadsheetPercent(changePercent);
  change.style = styles.averageChange;
  row.commit();
}

function writeAnalysis(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: PrestatielijstData): void {
  const s = data.summary;
  const from = formatQuarter(s.from);
  const to = formatQuarter(s.to);
  const sheet = workbook.addWorksheet(SHEET.analysis, {
    pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [
    { width: 46 },
    { width: 14 },
    { width: 14 },
    { width: 14 },
    { width: 30 },
    { width: 30 },
    { width: 14 },
    { width: 10 },
  ];
  let r = 0;
  const add = (values: ExcelJS.CellValue[], style?: (row: ExcelJS.Row) => void) => {
    const row = sheet.getRow(++r);
    values.forEach((v, i) => {
      row.getCell(i + 1).value = v;
    });
    style?.(row);
    row.commit();
    return row;
  };
  const bold = (row: ExcelJS.Row) => {
    row.font = { bold: true };
  };
  add([`Kwantitatieve analyse ${data.regionName}, ${from} tot en met ${to}`], (row) => {
    row.getCell(1).font = { bold: true, size: 14 };
  });
  add([]);
  add(['Aantal aangesloten organisaties', s.organisationCount]);
  add(['Aantal sectoren', s.sectorCount, data.sectorsInUse.join(', ')]);
  const restatements = s.restatements ?? [];
  const closedNote = (q: Quarter, figure: Summary['overall']['from']) =>
    closedFigureText(
      figure.average,
      figure.closed,
      restatements.filter((x) => x.quarter === q && x.sectorId === null).at(-1)?.reason,
    );
  add(
    [
      `Gemiddelde versnelling ${from} (start)`,
      s.overall.from.average,
      `n = ${s.overall.from.n}`,
      closedNote(s.from, s.overall.from),
    ],
    (row) => {
      row.getCell(2).numFmt = NUM_2;
    },
  );
  add(
    [
      `Gemiddelde versnelling ${to} (eind)`,
      s.overall.to.average,
      `n = ${s.overall.to.n}`,
      closedNote(s.to, s.overall.to),
    ],
    (row) => {
      row.getCell(2).numFmt = NUM_2;
    },
  );
  add(
    [
      `Procentuele vordering regio t.o.v. ${from}`,
      s.overall.changePercent === null ? null : spreadsheetPercent(s.overall.changePercent),
    ],
    (row) => {
      row.getCell(2).numFmt = PERCENT;
    },
  );
  const lfl = s.overall.likeForLike;
  if (lfl) {
    add(
      [
        `Vergelijkbare vordering (organisaties in beide kwartalen)`,
        lfl.changePercent === null ? null : spreadsheetPercent(lfl.changePercent),
        `n = ${lfl.n}`,
        describeLikeForLike(lfl, s.from, s.to),
      ],
      (row) => {
        row.getCell(2).numFmt = PERCENT;
      },
    );
  }
  if (s.overall.changeParts !== undefined) {
    add([
      'Waar de vordering vandaan komt',
      null,
      null,
      describeChangeParts(s.overall.changeParts, s.from, s.to),
    ]);
  }
  add([]);
  add(
    [
      'Procentuele vordering per sector',
      'Vordering',
      `Gem. ${from}`,
      `Gem. ${to}`,
      `n ${from}`,
      `n ${to}`,
      'Vergelijkbare vordering',
      'n in beide',
    ],
    bold,
  );
  for (const sector of s.sectors) {
    const same = sector.likeForLike;
    add(
      [
        sector.name,
        sector.changePercent === null ? null : spreadsheetPercent(sector.changePercent),
        sector.from.average,
        sector.to.average,
        sector.from.n,
        sector.to.n,
        same?.changePercent == null ? null : spreadsheetPercent(same.changePercent),
        same?.n ?? null,
      ],
      (row) => {
        row.getCell(2).numFmt = PERCENT;
        row.getCell(3).numFmt = NUM_2;
        row.getCell(4).numFmt = NUM_2;
        row.getCell(7).numFmt = PERCENT;
      },
    );
  }
  add([]);
  add(['Kwalitatief sterkste sector', joinNames(s.strongest) || '–']);
  add([
    'Zwakste sector',
    joinNames(weakest(s.sectors.map((x) => ({ name: x.name, average: x.to.average })))) || '–',
  ]);
  add([]);
  for (const line of targetRows(data.outcomes?.targets ?? [])) add(line.values, line.style);
  if (restatements.length > 0) {
    add(['Herzieningen na vaststelling', 'Vastgesteld', 'Herzien', 'Kwartaal', 'Reden', 'Door, op'], bold);
    for (const x of restatements) {
      add(
        [
          x.scope === 'regio' ? 'Regio' : x.scope,
          x.closed,
          x.restated,
          formatQuarter(x.quarter),
          x.reason,
          `${x.by}, ${formatDateTime(x.at)}`,
        ],
        (row) => {
          row.getCell(2).numFmt = NUM_2;
          row.getCell(3).numFmt = NUM_2;
        },
      );
    }
    add([]);
  }
  add(
    [
      'Gemiddelden tellen doorgeschoven versnellingen mee; de vordering is (gem. eind − gem. start) / gem. start, berekend op onafgeronde gemiddelden.',
    ],
    (row) => {
      row.getCell(1).font = { italic: true, color: { argb: GREY } };
    },
  );
  sheet.commit();
}

function writeSectors(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: PrestatielijstData): void {
  const m = data.matrix;
  const sheet = workbook.addWorksheet(SHEET.sectors, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }],
    pageSetup: {
      ...printSetup(pagesWide(m.quarters.length, QUARTERS_PER_PAGE.sectors)),
      printTitlesRow: '2:2',
      printTitlesColumn: 'A:A',
    },
  });
  sheet.columns = [{ width: 26 }, ...m.quarters.flatMap(() => [{ width: 8 }, { width: 5 }]), { width: 12 }];
  const top = sheet.getRow(1);
  top.getCell(1).value =
    'Gemiddelde versnelling (gem.) en aantal organisaties met een versnelling (n) per sector en kwartaal';
  top.getCell(1).font = { bold: true };
  top.commit();
  const header = sheet.getRow(2);
  header.getCell(1).value = 'Sector';
  m.quarters.forEach((q, i) => {
    header.getCell(2 + i * 2).value = `${formatQuarter(q)} gem.`;
    header.getCell(3 + i * 2).value = 'n';
  });
  header.getCell(2 + m.quarters.length * 2).value = 'Verandering';
  header.font = { bold: true };
  // "Q4 2015 gem." is wider than its column: on two lines, not cut off by the n beside it.
  header.alignment = { wrapText: true, vertical: 'bottom' };
  header.height = 2 * LINE_HEIGHT;
  header.commit();
  let r = 2;
  const writeRow = (name: string, cells: typeof m.region.cells, change: number | null, isRegion: boolean) => {
    const row = sheet.getRow(++r);
    row.getCell(1).value = name;
    cells.forEach((c, i) => {
      row.getCell(2 + i * 2).value = c.average;
      row.getCell(2 + i * 2).numFmt = NUM_2;
      row.getCell(3 + i * 2).value = c.n;
    });
    const changeCell = row.getCell(2 + cells.length * 2);
    changeCell.value = change === null ? null : spreadsheetPercent(change);
    changeCell.numFmt = PERCENT;
    if (isRegion) row.font = { bold: true };
    row.commit();
  };
  for (const s of m.sectors) writeRow(s.name, s.cells, s.changePercent, false);
  writeRow('Regio', m.region.cells, m.region.changePercent, true);
  writeClosedRegion(sheet, ++r, data.closedRegion ?? []);
  sheet.commit();
}

/**
 * Under the region row: the region's closed figure of every closed quarter (what the board was
 * shown), and when and by whom each was closed. Nothing when no quarter of the period is closed.
 */
function writeClosedRegion(
  sheet: ExcelJS.Worksheet,
  at: number,
  closed: ReadonlyArray<ClosedFigure | null>,
): void {
  if (!closed.some((c) => c)) return;
  const row = sheet.getRow(at + 1);
  row.getCell(1).value = 'Regio, vastgesteld';
  row.getCell(1).font = { italic: true };
  closed.forEach((c, i) => {
    if (!c) return;
    row.getCell(2 + i * 2).value = c.average;
    row.getCell(2 + i * 2).numFmt = NUM_2;
    row.getCell(3 + i * 2).value = c.n;
  });
  row.commit();
  const when = sheet.getRow(at + 2);
  const dates = [
    ...new Set(closed.filter((c) => c).map((c) => `${formatDate(c!.closedAt)} door ${c!.closedBy}`)),
  ];
  when.getCell(1).value =
    `Vastgesteld op ${dates.join('; ')}. Staat een vastgesteld cijfer anders dan het huidige, dan is het later herzien (zie Analyse).`;
  when.getCell(1).font = { italic: true, color: { argb: GREY } };
  when.commit();
}

function writeModel(workbook: ExcelJS.stream.xlsx.WorkbookWriter, model: Schakelmodel): void {
  const sheet = workbook.addWorksheet(SHEET.model, {
    pageSetup: { ...printSetup(), printTitlesRow: '2:2' },
  });
  const widths = [12, 24, 10, 60, 18, 70];
  sheet.columns = widths.map((width) => ({ width }));
  // Every text wraps within its column, top-aligned, in a row as tall as its longest text: a
  // long text never runs over its neighbours or hides behind them.
  const wrap: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
  const textCell = (row: ExcelJS.Row, col: number, text: string) => {
    const cell = row.getCell(col);
    cell.value = text;
    cell.alignment = wrap;
    return { text, width: widths[col - 1]! };
  };
  const titleText = `${model.name}, versie ${model.version}: een organisatie zit in versnelling g als alle criteria van versnelling 2 tot en met g zijn voldaan`;
  const title = sheet.getRow(1);
  title.getCell(1).value = titleText;
  title.getCell(1).font = { bold: true };
  title.getCell(1).alignment = wrap;
  sheet.mergeCells(1, 1, 1, widths.length);
  fitRowHeight(title, [{ text: titleText, width: widths.reduce((a, b) => a + b, 0) }], true);
  title.commit();
  const header = sheet.getRow(2);
  ['Versnelling', 'Naam', 'Criterium', 'Omschrijving', 'VPT-maatregel', 'Wat te doen'].forEach((label, i) => {
    header.getCell(i + 1).value = label;
  });
  header.font = { bold: true };
  header.commit();
  let r = 2;
  for (const g of model.gears) {
    const gearRow = sheet.getRow(++r);
    gearRow.getCell(1).value = g.gear;
    gearRow.getCell(1).fill = gearFill(g.gear);
    gearRow.getCell(1).alignment = { vertical: 'top' };
    fitRowHeight(gearRow, [textCell(gearRow, 2, g.name), textCell(gearRow, 4, g.description)], true);
    gearRow.font = { bold: true };
    gearRow.commit();
    for (const c of g.criteria) {
      const row = sheet.getRow(++r);
      row.getCell(1).value = g.gear;
      row.getCell(1).alignment = { vertical: 'top' };
      fitRowHeight(row, [
        textCell(row, 3, c.key),
        textCell(row, 4, c.text),
        textCell(row, 5, c.measure),
        textCell(row, 6, c.guidance),
      ]);
      row.commit();
    }
  }
  sheet.commit();
}

// XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF];
// with the `u` flag a lone surrogate half is a code point of its own, outside these ranges.
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * A text as an XML 1.0 document may hold it: each illegal character (control characters, a lone
 * surrogate half, U+FFFE, U+FFFF) replaced by U+FFFD, so the reader sees that one was there.
 * A legal text comes back unchanged.
 */
export function xmlSafeText(text: string): string {
  XML_ILLEGAL.lastIndex = 0;
  return XML_ILLEGAL.test(text) ? text.replace(XML_ILLEGAL, '\uFFFD') : text;
}

/**
 * `value` with every string in it made XML-safe (arrays and plain objects walked, dates and
 * other objects kept). What holds nothing to replace is returned as it is, so shared objects
 * stay shared and a clean export copies nothing.
 */
export function xmlSafeData<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value === 'string') return xmlSafeText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  let result: unknown = value;
  if (Array.isArray(value)) {
    const items = value.map((item) => xmlSafeData(item, seen));
    if (items.some((item, i) => item !== value[i])) result = items;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const source = value as Record<string, unknown>;
      let copy: Record<string, unknown> | null = null;
      for (const key of Object.keys(source)) {
        const safe = xmlSafeData(source[key], seen);
        if (safe !== source[key]) {
          copy ??= { ...source };
          copy[key] = safe;
        }
      }
      if (copy) result = copy;
    }
  }
  seen.set(value, result);
  return result as T;
}
