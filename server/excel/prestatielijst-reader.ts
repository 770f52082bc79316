import { nameKey, tidyName } from '../domain/names.ts';
import { formatQuarter, type Quarter, quarterOfDate, readLooseQuarter } from '../domain/quarter.ts';
import type { Gear } from '../domain/schakelmodel.ts';
import {
  AVERAGE_PREFIX,
  carriedFromNote,
  HEADER,
  isOpenEnd,
  membershipParts,
  readNamePeriod,
  SHEET,
} from './prestatielijst-format.ts';
import {
  assertDataRows,
  assertFileSize,
  type Cell,
  cellAt,
  fromText,
  type ImportProblem,
  isBlank,
  ProblemList,
  readSheetSource,
  SHEET_LIMITS,
  type SheetKind,
  type SheetReading,
  type SourceCell,
  type SourceRow,
  shown,
  textOf,
  tooLarge,
} from './sheet-source.ts';

/**
 * Reads an existing prestatielijst (.xlsx or .csv) into plain rows, without touching the
 * database. Every problem is collected with its row and column, so a person can fix the whole
 * file at once; only a file too large to read at all is refused outright.
 */

// Shared by every import (sheet-source.ts); re-exported because the import services take them from here.
export { type ImportProblem, MAX_LISTED_ERRORS, ProblemList } from './sheet-source.ts';

/** What a prestatielijst may hold before it is refused without being read: a spreadsheet's limits, and quarter columns. */
export const IMPORT_LIMITS = {
  ...SHEET_LIMITS,
  quarterColumns: 200,
} as const;

/** A prestatielijst as the upload and its messages name it. */
export const PRESTATIELIJST_FILE: SheetKind = {
  limits: IMPORT_LIMITS,
  words: { a: 'een prestatielijst', the: 'de lijst' },
};

const READING: SheetReading = {
  // The export's workbook has more sheets; the list is the one named so, else the first.
  prefersSheet: (sheet) => nameKey(sheet.name) === nameKey(SHEET.list),
  isHeaderLine: (line) => /organisatie/i.test(line) && /sector/i.test(line),
  unpackedTooLarge: (fileName, size) =>
    `'${fileName}' is uitgepakt ${size}; een prestatielijst mag uitgepakt hoogstens ${IMPORT_LIMITS.unpackedBytes / (1024 * 1024)} MB zijn. Splits de lijst of verwijder overbodige werkbladen`,
};

export interface ImportGear {
  quarter: Quarter;
  gear: Gear;
  /** The cell is marked as carried forward (as the export marks it), not as a quickscan in that quarter. */
  carried: boolean;
  /** The quarter the gear was recorded in, when the cell's note names it ("Doorgeschoven uit Q1 2016, …"). */
  carriedFrom: Quarter | null;
}

/**
 * A membership period as the `Lid sinds` / `Lid tot` cells give it. `from` is null when `Lid
 * sinds` is blank (one period only); `until` is `'open'` for a period still running as the list
 * says it (several periods with the last without an end, or a dash), null when `Lid tot` is
 * blank for a single period (the list does not say).
 */
export interface ImportPeriod {
  from: Quarter | null;
  until: Quarter | 'open' | null;
}

/** The period after a name: the quarters of the list a row covers (null: from the start, to the end). */
export interface ImportStretch {
  from: Quarter | null;
  until: Quarter | null;
  /** As written between the brackets: "vanaf Q3 2016". */
  label: string;
}

export interface ImportRow {
  row: number;
  /** The organisation's name, without the period after it. */
  name: string;
  /**
   * For an organisation that changed sector, listed once per sector with a period after its name
   * ("Ziekenhuis X (vanaf Q3 2016)"): the quarters this row covers. Null for a plain row.
   */
  stretch: ImportStretch | null;
  sector: string;
  /** From the `Lid sinds` / `Lid tot` cells, sorted as written; empty when both are blank or missing. */
  memberships: ImportPeriod[];
  /** Sorted by quarter. */
  gears: ImportGear[];
}

/** A row under the header that is not an organisation and was passed over, with why. */
export interface SkippedRow {
  row: number;
  /** The text in the Organisatie column. */
  name: string;
  /** `average`: an average row as the export writes it; `heading`: a name alone on its row (a sector heading). */
  reason: 'average' | 'heading';
  /** In Dutch, row included: "rij 9: 'Gemiddelde Zorg' is een gemiddelde zoals de export het schrijft, …; overgeslagen". */
  message: string;
}

export interface ParsedPrestatielijst {
  fileName: string;
  format: 'xlsx' | 'csv' | null;
  /** The worksheet read (xlsx only). */
  sheet: string | null;
  headerRow: number | null;
  /** The quarter columns, sorted. */
  quarters: Quarter[];
  rows: ImportRow[];
  /** Rows under the header that were passed over on purpose, in file order. */
  skipped: SkippedRow[];
  /** At most MAX_LISTED_ERRORS, in file order. */
  errors: ImportProblem[];
  /** Every error found, also those not listed. */
  errorCount: number;
}

/** Column letters as spreadsheet programs show them: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * Whether a gear cell is marked as carried forward, as the export marks it: italic, or a note
 * saying so (which also names the quarter the gear was recorded in).
 */
function carriedMark(source: SourceCell): { carried: boolean; carriedFrom: Quarter | null } {
  const carried = source.italic || /doorgeschoven/i.test(source.note);
  return { carried, carriedFrom: carried ? carriedFromNote(source.note) : null };
}

/** Refuses a file over the size limit before anything reads it (the CLI checks before loading it). */
export function assertImportSize(bytes: number): void {
  assertFileSize(bytes, PRESTATIELIJST_FILE);
}

// ---------------------------------------------------------------------------------------------
// From rows to the list

/** Header texts that try to be a quarter but are not one (`Q5 2016`, `2016-Q0`, `K4 2015`, `5e kwartaal`). */
function looksLikeQuarter(text: string): boolean {
  const t = text.trim().toLowerCase();
  return (
    /^[qk]\s*\d+\b/.test(t) ||
    /^\d{2,4}\s*[-/ ]?\s*[qk]\s*\d*$/.test(t) ||
    // `kwartaal` with a number: `5e kwartaal 2016`, `kwartaal 3`; not a column such as `Laatste kwartaal`.
    /\d.*kwartaal|kwartaal.*\d/.test(t)
  );
}

function parseGearCell(cell: Cell): { gear: Gear } | { error: string } | null {
  let value: number | null = null;
  if (cell.type === 'blank') return null;
  if (cell.type === 'number') value = cell.value;
  else if (cell.type === 'text' && /^\s*\d+\s*$/.test(cell.text)) value = Number(cell.text);
  else if (cell.type === 'formula-without-result') {
    return {
      error:
        'de formule heeft geen berekende uitkomst; open de lijst in Excel of LibreOffice, sla hem op en probeer het opnieuw',
    };
  }
  if (value !== null && Number.isInteger(value) && value >= 1 && value <= 5) return { gear: value as Gear };
  return { error: `${shown(cell)} is geen versnelling van 1 tot 5` };
}

function parseQuarterCell(cell: Cell): { quarter: Quarter } | { error: string } | null {
  if (cell.type === 'blank') return null;
  if (cell.type === 'date') return { quarter: quarterOfDate(cell.value) };
  const quarter = cell.type === 'text' ? readLooseQuarter(cell.text) : null;
  if (quarter) return { quarter };
  return { error: `${shown(cell)} is geen kwartaal; schrijf het als Q4 2015, 2015-Q4 of 4e kwartaal 2015` };
}

interface Layout {
  headerRow: number;
  organisation: number;
  sector: number;
  memberFrom: number | null;
  memberUntil: number | null;
  /** Quarter columns in file order. */
  quarters: Array<{ column: number; quarter: Quarter }>;
}

function headerKey(cell: Cell): string | null {
  return cell.type === 'text' ? nameKey(cell.text) : null;
}

function findLayout(rows: SourceRow[], problems: ProblemList): Layout | null {
  const organisationKey = nameKey(HEADER.organisation);
  const sectorKey = nameKey(HEADER.sector);
  let withoutSector: SourceRow | null = null;
  for (const row of rows) {
    const keys = row.cells.map((c) => (c ? headerKey(c.cell) : null));
    const organisation = keys.indexOf(organisationKey);
    const sector = keys.indexOf(sectorKey);
    if (organisation < 0) continue;
    if (sector < 0) {
      withoutSector ??= row;
      continue;
    }
    return readHeader(row, keys, organisation, sector, problems);
  }
  if (withoutSector) {
    problems.add(
      withoutSector.number,
      HEADER.sector,
      `kolom '${HEADER.sector}' ontbreekt: de kopregel heeft '${HEADER.organisation}' maar geen '${HEADER.sector}'; voeg een kolom ${HEADER.sector} toe met de sector van elke organisatie`,
    );
  } else {
    problems.add(
      null,
      null,
      `geen kopregel gevonden: de lijst moet een rij hebben met de kolommen '${HEADER.organisation}' en '${HEADER.sector}', met daarnaast een kolom per kwartaal (zoals Q4 2015)`,
    );
  }
  return null;
}

function readHeader(
  row: SourceRow,
  keys: Array<string | null>,
  organisation: number,
  sector: number,
  problems: ProblemList,
): Layout {
  const layout: Layout = {
    headerRow: row.number,
    organisation,
    sector,
    memberFrom: null,
    memberUntil: null,
    quarters: [],
  };
  const seen = new Map<Quarter, number>();
  row.cells.forEach((source, column) => {
    if (!source || column === organisation || column === sector) return;
    const key = keys[column];
    const letter = columnLetter(column);
    if (key === nameKey(HEADER.memberFrom)) {
      layout.memberFrom ??= column;
      return;
    }
    if (key === nameKey(HEADER.memberUntil)) {
      layout.memberUntil ??= column;
      return;
    }
    const { cell } = source;
    if (cell.type === 'date') {
      problems.add(
        row.number,
        letter,
        `${shown(cell)} is een datum; schrijf het kwartaal als tekst, zoals Q4 2015, 2015-Q4 of 4e kwartaal 2015`,
      );
      return;
    }
    if (cell.type !== 'text') return;
    const quarter = readLooseQuarter(cell.text);
    if (!quarter) {
      if (looksLikeQuarter(cell.text)) {
        problems.add(
          row.number,
          letter,
          `${shown(cell)} is geen kwartaal; schrijf kwartalen als Q4 2015, 2015-Q4 of 4e kwartaal 2015 (kwartaal 1 tot 4)`,
        );
      }
      return;
    }
    const earlier = seen.get(quarter);
    if (earlier !== undefined) {
      problems.add(
        row.number,
        letter,
        `${formatQuarter(quarter)} staat twee keer in de kopregel (kolom ${columnLetter(earlier)} en kolom ${letter}); houd één kolom per kwartaal`,
      );
      return;
    }
    seen.set(quarter, column);
    layout.quarters.push({ column, quarter });
  });
  if (layout.quarters.length > IMPORT_LIMITS.quarterColumns) {
    throw tooLarge(
      `de lijst heeft ${layout.quarters.length} kwartaalkolommen; een import mag er hoogstens ${IMPORT_LIMITS.quarterColumns} hebben`,
      { limit: IMPORT_LIMITS.quarterColumns },
    );
  }
  return layout;
}

/**
 * The membership periods of a row's `Lid sinds` and `Lid tot` cells. One period as a list has
 * always written it (a blank cell: the list does not say); several pair up by position, the last
 * without an end (or with a dash) still running. Null when the cells cannot be read.
 */
function readMemberships(
  row: number,
  fromCell: Cell,
  untilCell: Cell,
  problems: ProblemList,
): ImportPeriod[] | null {
  const froms = membershipQuarters(row, HEADER.memberFrom, fromCell, problems);
  const untils = membershipQuarters(row, HEADER.memberUntil, untilCell, problems);
  if (froms === null || untils === null) return null;
  const starts = froms.filter((q): q is Quarter => q !== 'open');
  if (starts.length === 0) {
    if (untils.length === 0 || (untils.length === 1 && untils[0] === 'open')) return [];
    if (untils.length === 1) return [{ from: null, until: untils[0]! }];
    problems.add(
      row,
      HEADER.memberFrom,
      `'${HEADER.memberUntil}' noemt ${untils.length} periodes maar '${HEADER.memberFrom}' is leeg; zet in '${HEADER.memberFrom}' het begin van elke periode, in dezelfde volgorde`,
    );
    return null;
  }
  if (starts.length === 1 && untils.length === 0) return [{ from: starts[0]!, until: null }];
  const ends = untils.length === starts.length - 1 ? [...untils, 'open' as const] : untils;
  if (ends.length !== starts.length) {
    problems.add(
      row,
      HEADER.memberUntil,
      `'${HEADER.memberFrom}' noemt ${starts.length} ${starts.length === 1 ? 'periode' : 'periodes'} en '${HEADER.memberUntil}' ${untils.length}; ` +
        `zet in beide cellen de periodes in dezelfde volgorde, gescheiden door ';' (zoals 'Q4 2015; Q1 2017' en 'Q2 2016; –')`,
    );
    return null;
  }
  if (ends.slice(0, -1).includes('open')) {
    problems.add(
      row,
      HEADER.memberUntil,
      `alleen de laatste periode kan nog lopen; zet in '${HEADER.memberUntil}' het laatste kwartaal van elke eerdere periode`,
    );
    return null;
  }
  return starts.map((from, i) => ({ from, until: ends[i]! }));
}

/**
 * The quarters in one membership cell, in order: `'open'` for a part of `Lid tot` that says the
 * period still runs. Null (and a problem) when a part is no quarter.
 */
function membershipQuarters(
  row: number,
  column: string,
  cell: Cell,
  problems: ProblemList,
): Array<Quarter | 'open'> | null {
  if (cell.type === 'blank') return [];
  if (cell.type !== 'text') {
    const parsed = parseQuarterCell(cell);
    if (parsed && 'error' in parsed) {
      problems.add(row, column, parsed.error);
      return null;
    }
    return parsed ? [parsed.quarter] : [];
  }
  const parts = membershipParts(cell.text);
  const result: Array<Quarter | 'open'> = [];
  for (const part of parts) {
    // In Lid sinds an empty part is a stray separator; in Lid tot a period that still runs.
    if (part === '' && column === HEADER.memberFrom) continue;
    if (column === HEADER.memberUntil && isOpenEnd(part)) {
      result.push('open');
      continue;
    }
    const quarter = readLooseQuarter(part);
    if (!quarter) {
      const whole = parts.length === 1 ? cell : fromText(part);
      problems.add(
        row,
        column,
        `${shown(whole)} is geen kwartaal; schrijf het als Q4 2015, 2015-Q4 of 4e kwartaal 2015` +
          (parts.length > 1 ? ', en meer periodes gescheiden door ;' : ''),
      );
      return null;
    }
    result.push(quarter);
  }
  return result;
}

/** The rows read so far under one organisation's name, to check its further rows against. */
interface NameSeen {
  row: number;
  /** As written, with the period after it if any. */
  written: string;
  stretch: ImportStretch | null;
  memberships: string;
}

const startOf = (s: ImportStretch) => s.from ?? '0000-Q1';
const endOf = (s: ImportStretch) => s.until ?? '9999-Q4';

/**
 * Checks a row against the earlier rows of the same organisation: it appears once, or (when it
 * changed sector) once per stretch in a sector, with a period after each name, not overlapping,
 * and with the same membership periods. Returns false (with a problem) when the row is refused.
 */
function checkSameName(
  row: number,
  name: string,
  written: string,
  stretch: ImportStretch | null,
  memberships: ImportPeriod[],
  earlier: NameSeen[],
  problems: ProblemList,
): boolean {
  const membershipKey = memberships.length ? JSON.stringify(memberships) : '';
  for (const seen of earlier) {
    if (!stretch || !seen.stretch) {
      const same = nameKey(seen.written) === nameKey(written);
      problems.add(
        row,
        HEADER.organisation,
        same
          ? `'${written}' staat al in rij ${seen.row}; elke organisatie mag maar één keer in de lijst staan`
          : `'${written}' is dezelfde organisatie als '${seen.written}' in rij ${seen.row}; een organisatie die van sector wisselde staat per sector in de lijst met een periode achter elke naam, zoals '${name} (vanaf Q3 2016)'`,
      );
      return false;
    }
    if (startOf(stretch) <= endOf(seen.stretch) && startOf(seen.stretch) <= endOf(stretch)) {
      problems.add(
        row,
        HEADER.organisation,
        `'(${stretch.label})' overlapt met '(${seen.stretch.label})' in rij ${seen.row}; een organisatie hoort in elk kwartaal bij één sector`,
      );
      return false;
    }
    if (membershipKey && seen.memberships && membershipKey !== seen.memberships) {
      problems.add(
        row,
        HEADER.memberFrom,
        `'${HEADER.memberFrom}' en '${HEADER.memberUntil}' verschillen van die in rij ${seen.row} ('${seen.written}'); geef elke rij van dezelfde organisatie dezelfde lidmaatschapsperiodes, of laat ze leeg`,
      );
      return false;
    }
  }
  return true;
}

/** A quarter cell as an average row of the export holds it: blank, or a number from 1 to 5. */
function isAverageCell(cell: Cell): boolean {
  if (cell.type === 'blank' || cell.type === 'formula-without-result') return true;
  const value =
    cell.type === 'number'
      ? cell.value
      : cell.type === 'text' && /^\s*\d+(?:[.,]\d+)?\s*$/.test(cell.text)
        ? Number(cell.text.replace(',', '.'))
        : null;
  return value !== null && value >= 1 && value <= 5;
}

/**
 * The names of the average rows the export writes: `Gemiddelde <sector>` under each sector's
 * organisations and `Gemiddelde regio` at the end, by name key.
 */
function averageNames(data: SourceRow[], layout: Layout): Set<string> {
  const names = new Set([nameKey(`${AVERAGE_PREFIX} regio`)]);
  const others = [
    layout.sector,
    layout.memberFrom,
    layout.memberUntil,
    ...layout.quarters.map((q) => q.column),
  ];
  for (const row of data) {
    // A sector as the rows name it, or as a heading names it (a name alone on its row).
    const heading = others.every((c) => isBlank(cellAt(row, c)));
    const sector = textOf(cellAt(row, heading ? layout.organisation : layout.sector));
    if (sector !== null) names.add(nameKey(`${AVERAGE_PREFIX} ${sector}`));
  }
  return names;
}

/**
 * An average row as the export writes it, and nothing else: named `Gemiddelde <a sector of the
 * list>` or `Gemiddelde regio`, no sector and no membership, and in the quarter columns only
 * averages (1 to 5) or blanks. An organisation whose name starts with "Gemiddelde" has a sector.
 */
function isAverageRow(row: SourceRow, layout: Layout, names: Set<string>): boolean {
  const name = textOf(cellAt(row, layout.organisation));
  return (
    name !== null &&
    names.has(nameKey(name)) &&
    [layout.sector, layout.memberFrom, layout.memberUntil].every((c) => isBlank(cellAt(row, c))) &&
    layout.quarters.every((q) => isAverageCell(cellAt(row, q.column)))
  );
}

function readRows(
  rows: SourceRow[],
  layout: Layout,
  problems: ProblemList,
  skipped: SkippedRow[],
): ImportRow[] {
  const relevant = [layout.organisation, layout.sector, layout.memberFrom, layout.memberUntil].concat(
    layout.quarters.map((q) => q.column),
  );
  const data = rows.filter(
    (r) => r.number > layout.headerRow && relevant.some((c) => !isBlank(cellAt(r, c))),
  );
  assertDataRows(data.length, PRESTATIELIJST_FILE);
  const result: ImportRow[] = [];
  const seenNames = new Map<string, NameSeen[]>();
  const averages = averageNames(data, layout);
  for (const row of data) {
    const name = textOf(cellAt(row, layout.organisation));
    if (isAverageRow(row, layout, averages)) {
      const written = tidyName(name ?? '');
      skipped.push({
        row: row.number,
        name: written,
        reason: 'average',
        message: `rij ${row.number}: '${written}' is een gemiddelde zoals de export het schrijft, geen organisatie; overgeslagen`,
      });
      continue;
    }
    const sector = textOf(cellAt(row, layout.sector));
    const memberCells = [layout.memberFrom, layout.memberUntil].map((c) => cellAt(row, c));
    const gearCells = layout.quarters.map((q) => ({ ...q, source: row.cells[q.column] }));
    const anyGear = gearCells.some((g) => g.source !== undefined);
    const anyMember = memberCells.some((c) => !isBlank(c));
    if (name === null) {
      problems.add(row.number, HEADER.organisation, 'de naam van de organisatie ontbreekt');
      continue;
    }
    if (sector === null) {
      // A sector heading: a name alone on its row.
      if (!anyGear && !anyMember) {
        const written = tidyName(name);
        skipped.push({
          row: row.number,
          name: written,
          reason: 'heading',
          message: `rij ${row.number}: '${written}' staat alleen op de rij, zonder sector of versnellingen (een sectorkop); overgeslagen`,
        });
        continue;
      }
      problems.add(row.number, HEADER.sector, `de sector van '${tidyName(name)}' ontbreekt`);
    }
    const written = tidyName(name);
    const period = readNamePeriod(written);
    if (period && 'error' in period) problems.add(row.number, HEADER.organisation, period.error);
    const stretch: ImportStretch | null =
      period && !('error' in period) ? { from: period.from, until: period.until, label: period.label } : null;
    const baseName = period ? tidyName(period.name) : written;

    const memberships = readMemberships(row.number, memberCells[0]!, memberCells[1]!, problems);
    const gears: ImportGear[] = [];
    for (const g of gearCells) {
      if (!g.source) continue;
      const parsed = parseGearCell(g.source.cell);
      const column = formatQuarter(g.quarter);
      if (parsed && 'error' in parsed) {
        problems.add(row.number, column, parsed.error);
      } else if (parsed && stretch && (g.quarter < startOf(stretch) || g.quarter > endOf(stretch))) {
        problems.add(
          row.number,
          column,
          `${column} valt buiten '(${stretch.label})' achter de naam; zet deze versnelling in de rij van '${baseName}' voor de sector van ${column}, of maak de cel leeg`,
        );
      } else if (parsed) {
        gears.push({ quarter: g.quarter, gear: parsed.gear, ...carriedMark(g.source) });
      }
    }
    if (sector === null || memberships === null || (period && 'error' in period)) continue;

    const key = nameKey(baseName);
    const earlier = seenNames.get(key) ?? [];
    if (!checkSameName(row.number, baseName, written, stretch, memberships, earlier, problems)) continue;
    earlier.push({
      row: row.number,
      written,
      stretch,
      memberships: memberships.length ? JSON.stringify(memberships) : '',
    });
    seenNames.set(key, earlier);

    gears.sort((a, b) => (a.quarter < b.quarter ? -1 : 1));
    result.push({ row: row.number, name: baseName, stretch, sector: tidyName(sector), memberships, gears });
  }
  if (result.length === 0 && problems.count === 0) {
    problems.add(null, null, 'de lijst bevat geen organisaties onder de kopregel');
  }
  return result;
}

/** Reads an uploaded prestatielijst. Throws only for a file too large to read (413); all else is in `errors`. */
export async function readPrestatielijst(buffer: Buffer, fileName: string): Promise<ParsedPrestatielijst> {
  const problems = new ProblemList();
  const parsed: ParsedPrestatielijst = {
    fileName,
    format: null,
    sheet: null,
    headerRow: null,
    quarters: [],
    rows: [],
    skipped: [],
    errors: problems.items,
    errorCount: 0,
  };
  const done = () => ({ ...parsed, errorCount: problems.count });
  const source = await readSheetSource(buffer, fileName, problems, PRESTATIELIJST_FILE, READING);
  parsed.format = source.format;
  parsed.sheet = source.sheet;
  if (!source.rows) return done();
  const rows = source.rows;
  const layout = findLayout(rows, problems);
  if (!layout) return done();
  parsed.headerRow = layout.headerRow;
  parsed.quarters = layout.quarters.map((q) => q.quarter).sort();
  parsed.rows = readRows(rows, layout, problems, parsed.skipped);
  return done();
}
