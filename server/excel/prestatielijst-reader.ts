import ExcelJS from 'exceljs';
import { nameKey, tidyName } from '../domain/names.ts';
import { formatQuarter, type Quarter, quarterOfDate, readLooseQuarter } from '../domain/quarter.ts';
import type { Gear } from '../domain/schakelmodel.ts';
import { AppError, type ErrorDetails } from '../errors.ts';
import {
  AVERAGE_PREFIX,
  carriedFromNote,
  HEADER,
  isOpenEnd,
  membershipParts,
  readNamePeriod,
  SHEET,
} from './prestatielijst-format.ts';
import { checkZip } from './zip-limits.ts';

/**
 * Reads an existing prestatielijst (.xlsx or .csv) into plain rows, without touching the
 * database. Every problem is collected with its row and column, so a person can fix the whole
 * file at once; only a file too large to read at all is refused outright.
 */

/** What a file may hold before it is refused without being read. */
export const IMPORT_LIMITS = {
  /** Bytes of the uploaded file. */
  fileBytes: 5 * 1024 * 1024,
  /** Bytes of an .xlsx once unpacked: a small zip can unpack into more than exceljs can hold. */
  unpackedBytes: 30 * 1024 * 1024,
  /** Non-empty rows under the header row. */
  dataRows: 10_000,
  quarterColumns: 200,
} as const;

/** More errors than this are counted, not listed: nobody reads the thousandth. */
export const MAX_LISTED_ERRORS = 1000;

export interface ImportProblem {
  /**
   * `import_file` for the file as a whole, `import_cell` for a row (and its column when known),
   * `similar_sector` for a new sector name that looks like an existing sector.
   */
  code: 'import_file' | 'import_cell' | 'similar_sector';
  /** Row number as the spreadsheet program shows it (for CSV: the record number); null for the file as a whole. */
  row: number | null;
  /** The column as named in the header (`Q2 2016`, `Sector`) or its letter; null for a whole row or file. */
  column: string | null;
  /** The whole message in Dutch, position included: "rij 14, kolom Q2 2016: '6' is geen versnelling van 1 tot 5". */
  message: string;
}

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

/** Collects problems in file order, listing at most MAX_LISTED_ERRORS. */
export class ProblemList {
  readonly items: ImportProblem[];
  count: number;

  constructor(listed: readonly ImportProblem[] = [], count = listed.length) {
    this.items = listed.slice(0, MAX_LISTED_ERRORS);
    this.count = count;
  }

  add(row: number | null, column: string | null, text: string, code?: 'similar_sector'): void {
    this.count++;
    if (this.items.length >= MAX_LISTED_ERRORS) return;
    const where = [row === null ? null : `rij ${row}`, column === null ? null : `kolom ${column}`]
      .filter((x) => x !== null)
      .join(', ');
    this.items.push({
      code: code ?? (row === null ? 'import_file' : 'import_cell'),
      row,
      column,
      message: where ? `${where}: ${text}` : text,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Cells, whatever the file format

type Cell =
  | { type: 'blank' }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number }
  | { type: 'date'; value: Date }
  | { type: 'boolean'; value: boolean }
  /** An error value such as #REF! or #DIV/0!. */
  | { type: 'error'; text: string }
  | { type: 'formula-without-result' };

interface SourceCell {
  cell: Cell;
  /** Italic, or a note saying the gear was carried forward: how the export marks such cells. */
  carried: boolean;
  /** The quarter a carried-forward note names. */
  carriedFrom: Quarter | null;
}

interface SourceRow {
  number: number;
  /** Indexed by column number (1-based); missing means blank. */
  cells: Array<SourceCell | undefined>;
}

const BLANK: Cell = { type: 'blank' };

function cellAt(row: SourceRow, column: number | null): Cell {
  return column === null ? BLANK : (row.cells[column]?.cell ?? BLANK);
}

function isBlank(cell: Cell): boolean {
  return cell.type === 'blank';
}

/** The text of a cell as a person would read it, or null when blank. */
function textOf(cell: Cell): string | null {
  switch (cell.type) {
    case 'blank':
      return null;
    case 'text':
      return cell.text;
    case 'number':
      return String(cell.value).replace('.', ',');
    case 'date':
      return cell.value.toISOString().slice(0, 10);
    case 'boolean':
      return cell.value ? 'WAAR' : 'ONWAAR';
    case 'error':
      return cell.text;
    case 'formula-without-result':
      return 'formule';
  }
}

/** A cell's content for a message, quoted and cut short. */
function shown(cell: Cell): string {
  const text = textOf(cell) ?? '';
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
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

function fromText(text: string): Cell {
  return text.trim() === '' ? BLANK : { type: 'text', text };
}

function fromValue(value: unknown): Cell {
  if (value === null || value === undefined) return BLANK;
  if (typeof value === 'number') return Number.isFinite(value) ? { type: 'number', value } : BLANK;
  if (typeof value === 'string') return fromText(value);
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (value instanceof Date) return { type: 'date', value };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return fromText((v.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join(''));
    if (typeof v.error === 'string') return { type: 'error', text: v.error };
    if ('formula' in v || 'sharedFormula' in v)
      return v.result === undefined ? { type: 'formula-without-result' } : fromValue(v.result);
    if ('text' in v) return fromValue(v.text);
  }
  return fromText(String(value));
}

// ---------------------------------------------------------------------------------------------
// Reading the file

function tooLarge(message: string, details?: ErrorDetails): AppError {
  return new AppError('file_too_large', 413, message, details);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}

/** Refuses a file over the size limit before anything reads it (the CLI checks before loading it). */
export function assertImportSize(bytes: number): void {
  if (bytes > IMPORT_LIMITS.fileBytes) {
    throw tooLarge(
      `het bestand is ${megabytes(bytes)}; een prestatielijst mag hoogstens ${IMPORT_LIMITS.fileBytes / (1024 * 1024)} MB zijn`,
      { limit: IMPORT_LIMITS.fileBytes, size: bytes },
    );
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** Compound File Binary: the old .xls, and also an .xlsx saved with a password. */
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function extensionOf(fileName: string): string {
  const m = /\.([^./\\]+)$/.exec(fileName.trim());
  return m ? m[1]!.toLowerCase() : '';
}

function notAWorkbook(fileName: string): string {
  return `'${fileName}' kon niet worden gelezen als Excel-werkmap (.xlsx); sla de lijst in Excel of LibreOffice op als .xlsx of .csv en probeer het opnieuw`;
}

function noteText(note: unknown): string {
  if (typeof note === 'string') return note;
  const texts = (note as { texts?: Array<{ text?: string }> } | undefined)?.texts;
  return Array.isArray(texts) ? texts.map((t) => t.text ?? '').join('') : '';
}

async function readXlsx(
  buffer: Buffer,
  fileName: string,
  problems: ProblemList,
): Promise<{ rows: SourceRow[]; sheet: string | null }> {
  // The sizes a zip states can lie: unpack it once, counting, before exceljs unpacks it whole.
  const zip = checkZip(buffer, IMPORT_LIMITS.unpackedBytes);
  if (zip.kind === 'unreadable') {
    problems.add(null, null, notAWorkbook(fileName));
    return { rows: [], sheet: null };
  }
  if (zip.kind === 'too-large') {
    throw tooLarge(
      `'${fileName}' is uitgepakt ${zip.statedBytes === null ? `meer dan ${IMPORT_LIMITS.unpackedBytes / (1024 * 1024)} MB` : Number.isFinite(zip.statedBytes) ? megabytes(zip.statedBytes) : 'te groot'}; een prestatielijst mag uitgepakt hoogstens ${IMPORT_LIMITS.unpackedBytes / (1024 * 1024)} MB zijn. Splits de lijst of verwijder overbodige werkbladen`,
      { limit: IMPORT_LIMITS.unpackedBytes },
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs accepts a Buffer at run time; its types ask for an ArrayBuffer-like.
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    problems.add(null, null, notAWorkbook(fileName));
    return { rows: [], sheet: null };
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find((s) => nameKey(s.name) === nameKey(SHEET.list)) ?? sheets[0];
  if (!sheet) {
    // Every real workbook has a sheet: this is some other zip (a .docx, an .ods).
    problems.add(null, null, notAWorkbook(fileName));
    return { rows: [], sheet: null };
  }
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Array<SourceCell | undefined> = [];
    row.eachCell({ includeEmpty: false }, (c, column) => {
      // A merged range keeps its value in the top-left cell; the others only echo it.
      if (c.type === ExcelJS.ValueType.Merge) return;
      const cell = fromValue(c.value);
      if (isBlank(cell)) return;
      const note = noteText(c.note);
      const carried = c.font?.italic === true || /doorgeschoven/i.test(note);
      cells[column] = { cell, carried, carriedFrom: carried ? carriedFromNote(note) : null };
    });
    if (cells.length > 0) rows.push({ number, cells });
  });
  return { rows, sheet: sheet.name };
}

function startsWith(buffer: Buffer, magic: Buffer): boolean {
  return buffer.length >= magic.length && buffer.subarray(0, magic.length).equals(magic);
}

/** Decodes a text file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (older Excel). */
function decodeText(buffer: Buffer): string {
  if (startsWith(buffer, Buffer.from([0xef, 0xbb, 0xbf]))) return buffer.subarray(3).toString('utf8');
  if (startsWith(buffer, Buffer.from([0xff, 0xfe])))
    return new TextDecoder('utf-16le').decode(buffer.subarray(2));
  if (startsWith(buffer, Buffer.from([0xfe, 0xff])))
    return new TextDecoder('utf-16be').decode(buffer.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return decodeWindows1252(buffer);
  }
}

/**
 * 0x80–0x9F in Windows-1252 (WHATWG's table): € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ.
 * Node's TextDecoder without full ICU reads these bytes as Latin-1 control characters, so a
 * name such as "’s-Hertogenbosch" would be refused as invisible control characters.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/** Windows-1252, as Excel saves a CSV on a Dutch Windows: Latin-1 but for 0x80–0x9F. */
function decodeWindows1252(buffer: Buffer): string {
  const text = buffer.toString('latin1');
  return text.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

/**
 * A binary file, not text: a NUL, or control characters (other than tab and line ends) or
 * undecodable bytes in more than 1% of the start. A stray control character in a name is
 * left to the name checks.
 */
function looksBinary(text: string): boolean {
  const start = text.slice(0, 64 * 1024);
  if (start.includes('\u0000')) return true;
  const odd = start.match(/(?![\t\n\r])[\p{Cc}\ufffd]/gu)?.length ?? 0;
  return odd > Math.max(8, start.length / 100);
}

/** Splits CSV text into records (RFC 4180: quoted fields with "" inside, any line ending). */
function splitCsv(text: string, delimiter: string): { records: string[][]; unclosedFrom: number | null } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let quoteStartedIn = 0;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      // A quote opens a quoted field only at its start (spaces before it are dropped).
      field = '';
      quoted = true;
      quoteStartedIn = records.length + 1;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (field !== '' || record.length > 0) endRecord();
  return { records, unclosedFrom: quoted ? quoteStartedIn : null };
}

/** Counts a character outside quotes in one line. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

/** The delimiter of the header line (the first line naming Organisatie and Sector); `;` wins a tie. */
function detectDelimiter(lines: string[]): string {
  const header =
    lines.find((l) => /organisatie/i.test(l) && /sector/i.test(l)) ??
    lines.find((l) => l.trim() !== '') ??
    '';
  let best = ';';
  let bestCount = countOutsideQuotes(header, ';');
  for (const candidate of [',', '\t']) {
    const count = countOutsideQuotes(header, candidate);
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function readCsv(buffer: Buffer, fileName: string, problems: ProblemList): SourceRow[] {
  let text = decodeText(buffer);
  if (looksBinary(text)) {
    problems.add(
      null,
      null,
      `'${fileName}' is geen spreadsheet: lees een Excel-werkmap (.xlsx) of een CSV-bestand (.csv) in`,
    );
    return [];
  }
  let lines = text.split(/\r\n|\r|\n/);
  // Excel's own hint on the first line, `sep=;`, names the delimiter.
  const hint = /^sep=(.)\s*$/i.exec(lines[0] ?? '');
  let offset = 0;
  if (hint) {
    text = text.slice(lines[0]!.length).replace(/^\r?\n|^\r/, '');
    lines = lines.slice(1);
    offset = 1;
  }
  const delimiter = hint ? hint[1]! : detectDelimiter(lines);
  const { records, unclosedFrom } = splitCsv(text, delimiter);
  if (unclosedFrom !== null) {
    problems.add(
      unclosedFrom + offset,
      null,
      'een aanhalingsteken (") wordt niet gesloten; controleer de cel die ermee begint',
    );
  }
  return records.map((fields, index) => {
    const cells: Array<SourceCell | undefined> = [];
    fields.forEach((f, c) => {
      const cell = fromText(f);
      if (!isBlank(cell)) cells[c + 1] = { cell, carried: false, carriedFrom: null };
    });
    return { number: index + 1 + offset, cells };
  });
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
  if (data.length > IMPORT_LIMITS.dataRows) {
    throw tooLarge(
      `de lijst heeft ${data.length} rijen onder de kopregel; een import mag er hoogstens ${IMPORT_LIMITS.dataRows} hebben`,
      { limit: IMPORT_LIMITS.dataRows },
    );
  }
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
        gears.push({
          quarter: g.quarter,
          gear: parsed.gear,
          carried: g.source.carried,
          carriedFrom: g.source.carriedFrom,
        });
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
  assertImportSize(buffer.length);
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
  if (buffer.length === 0) {
    problems.add(null, null, `'${fileName}' is leeg`);
    return done();
  }
  let rows: SourceRow[];
  if (startsWith(buffer, ZIP_MAGIC) || startsWith(buffer, EMPTY_ZIP_MAGIC)) {
    parsed.format = 'xlsx';
    const read = await readXlsx(buffer, fileName, problems);
    rows = read.rows;
    parsed.sheet = read.sheet;
    if (problems.count > 0) return done();
  } else if (startsWith(buffer, CFB_MAGIC)) {
    problems.add(
      null,
      null,
      `'${fileName}' is een oud Excel-bestand (.xls) of met een wachtwoord beveiligd; sla de lijst op als Excel-werkmap (.xlsx) zonder wachtwoord, of als .csv`,
    );
    return done();
  } else if (['xlsx', 'xlsm', 'xls', 'ods'].includes(extensionOf(fileName))) {
    problems.add(null, null, notAWorkbook(fileName));
    return done();
  } else {
    parsed.format = 'csv';
    rows = readCsv(buffer, fileName, problems);
    if (rows.length === 0 && problems.count > 0) return done();
  }
  if (rows.every((r) => r.cells.every((c) => c === undefined))) {
    problems.add(null, null, `'${fileName}' is leeg`);
    return done();
  }
  const layout = findLayout(rows, problems);
  if (!layout) return done();
  parsed.headerRow = layout.headerRow;
  parsed.quarters = layout.quarters.map((q) => q.quarter).sort();
  parsed.rows = readRows(rows, layout, problems, parsed.skipped);
  return done();
}
