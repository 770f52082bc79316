import ExcelJS from 'exceljs';
import { AppError, type ErrorDetails } from '../errors.ts';
import { checkZip } from './zip-limits.ts';

/**
 * What every spreadsheet import shares: an uploaded .xlsx or .csv read into rows of cells, with
 * the problems of the file itself in Dutch, and the size limits checked before anything large is
 * held in memory. The readers (prestatielijst, incident figures) give the limits and the words that
 * name their kind of file, and take it from the rows on: headers and cells mean different things
 * to each.
 */

// ---------------------------------------------------------------------------------------------
// Problems

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
// The kind of file

/** What a file may hold before it is refused without being read. */
export interface SheetLimits {
  /** Bytes of the uploaded file. */
  readonly fileBytes: number;
  /** Bytes of an .xlsx once unpacked: a small zip can unpack into more than exceljs can hold. */
  readonly unpackedBytes: number;
  /** Non-empty rows under the header row. */
  readonly dataRows: number;
}

/** The limits every spreadsheet import has unless it needs its own. */
export const SHEET_LIMITS = {
  fileBytes: 5 * 1024 * 1024,
  unpackedBytes: 30 * 1024 * 1024,
  dataRows: 10_000,
} as const satisfies SheetLimits;

/** One kind of spreadsheet an import reads: its limits and the Dutch words its messages name it by. */
export interface SheetKind {
  limits: SheetLimits;
  words: {
    /** The kind, as a limit names it: "een prestatielijst mag hoogstens 5 MB zijn". */
    a: string;
    /** The file, as advice names it: "sla de lijst op als .xlsx". */
    the: string;
  };
}

// ---------------------------------------------------------------------------------------------
// Cells, whatever the file format

export type Cell =
  | { type: 'blank' }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number }
  | { type: 'date'; value: Date }
  | { type: 'boolean'; value: boolean }
  /** An error value such as #REF! or #DIV/0!. */
  | { type: 'error'; text: string }
  | { type: 'formula-without-result' };

export interface SourceCell {
  cell: Cell;
  /** Italic in the workbook (never in a CSV): the prestatielijst export marks carried-forward gears so. */
  italic: boolean;
  /** The cell's note as plain text; empty when there is none. */
  note: string;
}

export interface SourceRow {
  number: number;
  /** Indexed by column number (1-based); missing means blank. */
  cells: Array<SourceCell | undefined>;
}

export const BLANK: Cell = { type: 'blank' };

export function cellAt(row: SourceRow, column: number | null | undefined): Cell {
  return column === null || column === undefined ? BLANK : (row.cells[column]?.cell ?? BLANK);
}

export function isBlank(cell: Cell): boolean {
  return cell.type === 'blank';
}

/**
 * How a date cell reads in a message: `iso` (2015-11-01), or `dutch` as a Dutch spreadsheet
 * program shows it (1-11-2015). The readers differ here, so each says which it writes.
 */
export type DateStyle = 'iso' | 'dutch';

/** The text of a cell as a person would read it, or null when blank. */
export function textOf(cell: Cell, dates: DateStyle = 'iso'): string | null {
  switch (cell.type) {
    case 'blank':
      return null;
    case 'text':
      return cell.text;
    case 'number':
      return String(cell.value).replace('.', ',');
    case 'date':
      return dates === 'iso'
        ? cell.value.toISOString().slice(0, 10)
        : cell.value.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' });
    case 'boolean':
      return cell.value ? 'WAAR' : 'ONWAAR';
    case 'error':
      return cell.text;
    case 'formula-without-result':
      return 'formule';
  }
}

/** A cell's content for a message, quoted and cut short; a date as a person reads it (1-11-2015). */
export function shown(cell: Cell, dates: DateStyle = 'dutch'): string {
  const text = textOf(cell, dates) ?? '';
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

export function fromText(text: string): Cell {
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
// Sizes

export function tooLarge(message: string, details?: ErrorDetails): AppError {
  return new AppError('file_too_large', 413, message, details);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}

/** Refuses a file over the size limit before anything reads it (the CLI checks before loading it). */
export function assertFileSize(bytes: number, kind: SheetKind): void {
  const limit = kind.limits.fileBytes;
  if (bytes > limit) {
    throw tooLarge(
      `het bestand is ${megabytes(bytes)}; ${kind.words.a} mag hoogstens ${limit / (1024 * 1024)} MB zijn`,
      { limit, size: bytes },
    );
  }
}

/** Refuses more data rows than an import takes (counted by the reader: which rows count is its own). */
export function assertDataRows(count: number, kind: SheetKind): void {
  const limit = kind.limits.dataRows;
  if (count > limit) {
    throw tooLarge(
      `${kind.words.the} heeft ${count} rijen onder de kopregel; een import mag er hoogstens ${limit} hebben`,
      { limit },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the file

/** A worksheet of a workbook, its rows read when first asked for. */
export interface WorkbookSheet {
  name: string;
  rows(): SourceRow[];
}

/** How one reader reads: what differs beyond its limits and words. */
export interface SheetReading {
  /** Whether to read this worksheet: the first it accepts is read, else the workbook's first. */
  prefersSheet(sheet: WorkbookSheet): boolean;
  /** Whether a CSV line is the header line, whose delimiter the file is read with. */
  isHeaderLine(line: string): boolean;
  /** The message for an .xlsx that unpacks past the limit; `size` says how far past, as far as known. */
  unpackedTooLarge(fileName: string, size: string): string;
}

export interface SheetSource {
  format: 'xlsx' | 'csv' | null;
  /** The worksheet read (xlsx only). */
  sheet: string | null;
  /** Null when there is nothing to read further; `problems` says why. */
  rows: SourceRow[] | null;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** Compound File Binary: the old .xls, and also an .xlsx saved with a password. */
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function startsWith(buffer: Buffer, magic: Buffer): boolean {
  return buffer.length >= magic.length && buffer.subarray(0, magic.length).equals(magic);
}

function extensionOf(fileName: string): string {
  const m = /\.([^./\\]+)$/.exec(fileName.trim());
  return m ? m[1]!.toLowerCase() : '';
}

function notAWorkbook(fileName: string, kind: SheetKind): string {
  return `'${fileName}' kon niet worden gelezen als Excel-werkmap (.xlsx); sla ${kind.words.the} in Excel of LibreOffice op als .xlsx of .csv en probeer het opnieuw`;
}

/**
 * Reads an uploaded .xlsx or .csv into rows. The file is told by its first bytes, not its name
 * (a name can say .csv over a workbook); the name only tells a workbook that is not one.
 * Throws only for a file too large to read (413); every other problem goes into `problems`.
 */
export async function readSheetSource(
  buffer: Buffer,
  fileName: string,
  problems: ProblemList,
  kind: SheetKind,
  reading: SheetReading,
): Promise<SheetSource> {
  assertFileSize(buffer.length, kind);
  const source: SheetSource = { format: null, sheet: null, rows: null };
  if (buffer.length === 0) {
    problems.add(null, null, `'${fileName}' is leeg`);
    return source;
  }
  let rows: SourceRow[];
  if (startsWith(buffer, ZIP_MAGIC) || startsWith(buffer, EMPTY_ZIP_MAGIC)) {
    source.format = 'xlsx';
    const read = await readXlsx(buffer, fileName, problems, kind, reading);
    source.sheet = read.sheet;
    if (problems.count > 0) return source;
    rows = read.rows;
  } else if (startsWith(buffer, CFB_MAGIC)) {
    problems.add(
      null,
      null,
      `'${fileName}' is een oud Excel-bestand (.xls) of met een wachtwoord beveiligd; sla ${kind.words.the} op als Excel-werkmap (.xlsx) zonder wachtwoord, of als .csv`,
    );
    return source;
  } else if (['xlsx', 'xlsm', 'xls', 'ods'].includes(extensionOf(fileName))) {
    problems.add(null, null, notAWorkbook(fileName, kind));
    return source;
  } else {
    source.format = 'csv';
    rows = readCsv(buffer, fileName, problems, reading);
    if (rows.length === 0 && problems.count > 0) return source;
  }
  if (rows.every((r) => r.cells.every((c) => c === undefined))) {
    problems.add(null, null, `'${fileName}' is leeg`);
    return source;
  }
  source.rows = rows;
  return source;
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
  kind: SheetKind,
  reading: SheetReading,
): Promise<{ rows: SourceRow[]; sheet: string | null }> {
  // The sizes a zip states can lie: unpack it once, counting, before exceljs unpacks it whole.
  const limit = kind.limits.unpackedBytes;
  const zip = checkZip(buffer, limit);
  if (zip.kind === 'unreadable') {
    problems.add(null, null, notAWorkbook(fileName, kind));
    return { rows: [], sheet: null };
  }
  if (zip.kind === 'too-large') {
    const size =
      zip.statedBytes === null
        ? `meer dan ${limit / (1024 * 1024)} MB`
        : Number.isFinite(zip.statedBytes)
          ? megabytes(zip.statedBytes)
          : 'te groot';
    throw tooLarge(reading.unpackedTooLarge(fileName, size), { limit });
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs accepts a Buffer at run time; its types ask for an ArrayBuffer-like.
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    problems.add(null, null, notAWorkbook(fileName, kind));
    return { rows: [], sheet: null };
  }
  const sheets = workbook.worksheets.map((ws): WorkbookSheet => {
    let rows: SourceRow[] | undefined;
    return { name: ws.name, rows: () => (rows ??= sheetRows(ws)) };
  });
  const sheet = sheets.find((s) => reading.prefersSheet(s)) ?? sheets[0];
  if (!sheet) {
    // Every real workbook has a sheet: this is some other zip (a .docx, an .ods).
    problems.add(null, null, notAWorkbook(fileName, kind));
    return { rows: [], sheet: null };
  }
  return { rows: sheet.rows(), sheet: sheet.name };
}

function sheetRows(sheet: ExcelJS.Worksheet): SourceRow[] {
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Array<SourceCell | undefined> = [];
    row.eachCell({ includeEmpty: false }, (c, column) => {
      // A merged range keeps its value in the top-left cell; the others only echo it.
      if (c.type === ExcelJS.ValueType.Merge) return;
      const cell = fromValue(c.value);
      if (isBlank(cell)) return;
      cells[column] = { cell, italic: c.font?.italic === true, note: noteText(c.note) };
    });
    if (cells.length > 0) rows.push({ number, cells });
  });
  return rows;
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
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
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

/**
 * The delimiter of the header line (the first the reader takes for its header, else the first
 * line with anything on it); `;` wins a tie, as Excel writes CSV in a Dutch locale.
 */
function detectDelimiter(lines: string[], isHeaderLine: (line: string) => boolean): string {
  const header = lines.find(isHeaderLine) ?? lines.find((l) => l.trim() !== '') ?? '';
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

function readCsv(
  buffer: Buffer,
  fileName: string,
  problems: ProblemList,
  reading: SheetReading,
): SourceRow[] {
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
  const delimiter = hint ? hint[1]! : detectDelimiter(lines, (line) => reading.isHeaderLine(line));
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
      if (!isBlank(cell)) cells[c + 1] = { cell, italic: false, note: '' };
    });
    return { number: index + 1 + offset, cells };
  });
}
