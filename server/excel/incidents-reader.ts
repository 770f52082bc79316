import ExcelJS from 'exceljs';
import { MAX_EMPLOYEES, MAX_INCIDENT_COUNT } from '../contracts/incident.contract.ts';
import { INCIDENT_FIELD_NAMES, INCIDENT_FIELDS, type IncidentField } from '../domain/incidents.ts';
import { tidyName } from '../domain/names.ts';
import { isQuarter, type Quarter, quarterOfDate, readLooseQuarter } from '../domain/quarter.ts';
import { AppError } from '../errors.ts';
import { IMPORT_LIMITS, type ImportProblem, ProblemList } from './prestatielijst-reader.ts';
import { checkZip } from './zip-limits.ts';

/**
 * Reads a file of incident figures (.xlsx or .csv: one row per organisation and quarter) into
 * plain rows, without touching the database. As the prestatielijst reader does, it collects every
 * problem with its row (as the spreadsheet shows it) and its column (by its header text), so a
 * person can fix the whole file at once; only a file too large to read is refused outright.
 */

/** The header texts the reader recognises, as a person would write them. */
export const INCIDENTS_HEADER = {
  organisation: 'Organisatie',
  id: 'Id',
  quarter: 'Kwartaal',
  employees: 'Medewerkers',
} as const;

/** Other spellings of each figure's header, besides its name in INCIDENT_FIELD_NAMES. */
const FIGURE_ALIASES: Record<IncidentField, readonly string[]> = {
  verbal: ['verbaal', 'verbale agressie'],
  threat: ['bedreiging', 'bedreigingen', 'bedreiging intimidatie', 'intimidatie'],
  physical: ['fysiek', 'fysieke agressie'],
  other: ['overig', 'overige'],
  reports: ['aangiftes', 'aangifte', 'aangiften'],
  reactions48h: [
    'reacties 48 uur',
    'reacties binnen 48 uur',
    'reactie binnen 48 uur',
    'reacties naar de dader',
  ],
  damageRecovered: ['schade verhaald', 'verhaalde schade'],
};

const OTHER_ALIASES = {
  organisation: ['organisatie', 'organisatienaam', 'naam'],
  id: ['id', 'organisatie id', 'organisatieid'],
  quarter: ['kwartaal'],
  employees: [
    'medewerkers',
    'aantal medewerkers',
    'medewerkers met een publieke taak',
    'medewerkers publieke taak',
  ],
} as const;

type ColumnKind = keyof typeof OTHER_ALIASES | IncidentField;

/**
 * The key a header is matched on: case, accents, spaces and punctuation do not count, so
 * `Bedreiging/intimidatie`, `bedreiging - intimidatie` and `BEDREIGING INTIMIDATIE` are one.
 */
export function headerKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('nl')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const KIND_OF_KEY: ReadonlyMap<string, ColumnKind> = new Map<string, ColumnKind>([
  ...INCIDENT_FIELDS.flatMap((f) =>
    [INCIDENT_FIELD_NAMES[f], ...FIGURE_ALIASES[f]].map((a) => [headerKey(a), f] as const),
  ),
  ...(Object.keys(OTHER_ALIASES) as Array<keyof typeof OTHER_ALIASES>).flatMap((k) =>
    OTHER_ALIASES[k].map((a) => [headerKey(a), k] as const),
  ),
]);

/** A row of the file: one organisation in one quarter. */
export interface IncidentsImportRow {
  /** Row number as the spreadsheet program shows it (for CSV: the record number). */
  row: number;
  /** The name in the Organisatie column, tidied; null when the file has no such column or the cell is blank. */
  name: string | null;
  /** The organisation id in the Id column; null when there is none. */
  id: number | null;
  quarter: Quarter;
  /** Every figure: null is "not registered" (an empty cell). */
  figures: Record<IncidentField, number | null>;
  /** Employees with a public task in the quarter's year; null when the cell is blank or there is no column. */
  employees: number | null;
}

/** The header texts as the file writes them, to name columns in messages. */
export interface IncidentsColumns {
  organisation: string | null;
  id: string | null;
  quarter: string;
  employees: string | null;
  figures: Record<IncidentField, string>;
}

export interface ParsedIncidents {
  fileName: string;
  format: 'xlsx' | 'csv' | null;
  /** The worksheet read (xlsx only). */
  sheet: string | null;
  headerRow: number | null;
  /** Null when no usable header row was found. */
  columns: IncidentsColumns | null;
  /** The rows read without a problem, in file order. */
  rows: IncidentsImportRow[];
  /** At most MAX_LISTED_ERRORS, in file order. */
  errors: ImportProblem[];
  /** Every error found, also those not listed. */
  errorCount: number;
}

// ---------------------------------------------------------------------------------------------
// Cells

type Cell =
  | { type: 'blank' }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number }
  | { type: 'date'; value: Date }
  | { type: 'other'; text: string }
  | { type: 'formula-without-result' };

interface SourceRow {
  number: number;
  /** Indexed by column number (1-based); missing means blank. */
  cells: Array<Cell | undefined>;
}

const BLANK: Cell = { type: 'blank' };

function fromText(text: string): Cell {
  return text.trim() === '' ? BLANK : { type: 'text', text };
}

function fromValue(value: unknown): Cell {
  if (value === null || value === undefined) return BLANK;
  if (typeof value === 'number') return Number.isFinite(value) ? { type: 'number', value } : BLANK;
  if (typeof value === 'string') return fromText(value);
  if (typeof value === 'boolean') return { type: 'other', text: value ? 'WAAR' : 'ONWAAR' };
  if (value instanceof Date) return { type: 'date', value };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return fromText((v.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join(''));
    if (typeof v.error === 'string') return { type: 'other', text: v.error };
    if ('formula' in v || 'sharedFormula' in v)
      return v.result === undefined ? { type: 'formula-without-result' } : fromValue(v.result);
    if ('text' in v) return fromValue(v.text);
  }
  return fromText(String(value));
}

/** The text of a cell as a person would read it. */
function textOf(cell: Cell): string {
  switch (cell.type) {
    case 'blank':
      return '';
    case 'text':
    case 'other':
      return cell.text;
    case 'number':
      return String(cell.value).replace('.', ',');
    case 'date':
      return cell.value.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' });
    case 'formula-without-result':
      return 'formule';
  }
}

/** A cell's content for a message, quoted and cut short. */
function shown(cell: Cell): string {
  const text = textOf(cell);
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

// ---------------------------------------------------------------------------------------------
// Reading the file

const MEGABYTES = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;

function tooLarge(message: string, limit: number, size?: number): AppError {
  return new AppError('file_too_large', 413, message, size === undefined ? { limit } : { limit, size });
}

/** Refuses a file over the size limit before anything reads it (the CLI checks before loading it). */
export function assertIncidentsImportSize(bytes: number): void {
  if (bytes > IMPORT_LIMITS.fileBytes) {
    throw tooLarge(
      `het bestand is ${MEGABYTES(bytes)}; een bestand met incidentcijfers mag hoogstens ${IMPORT_LIMITS.fileBytes / (1024 * 1024)} MB zijn`,
      IMPORT_LIMITS.fileBytes,
      bytes,
    );
  }
}

function startsWith(buffer: Buffer, magic: readonly number[]): boolean {
  return buffer.length >= magic.length && magic.every((b, i) => buffer[i] === b);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06];
/** Compound File Binary: the old .xls, and also an .xlsx saved with a password. */
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function notAWorkbook(fileName: string): string {
  return `'${fileName}' kon niet worden gelezen als Excel-werkmap (.xlsx); sla het bestand in Excel of LibreOffice op als .xlsx of .csv en probeer het opnieuw`;
}

async function readXlsx(
  buffer: Buffer,
  fileName: string,
  problems: ProblemList,
): Promise<{ rows: SourceRow[]; sheet: string | null }> {
  // The sizes a zip states can lie: unpack it once, counting, before exceljs unpacks it whole.
  const zip = checkZip(buffer, IMPORT_LIMITS.unpackedBytes);
  if (zip.kind === 'too-large') {
    throw tooLarge(
      `'${fileName}' is uitgepakt te groot; een bestand met incidentcijfers mag uitgepakt hoogstens ${IMPORT_LIMITS.unpackedBytes / (1024 * 1024)} MB zijn`,
      IMPORT_LIMITS.unpackedBytes,
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    if (zip.kind === 'unreadable') throw new Error('unreadable zip');
    // exceljs accepts a Buffer at run time; its types ask for an ArrayBuffer-like.
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    problems.add(null, null, notAWorkbook(fileName));
    return { rows: [], sheet: null };
  }
  // The first sheet with a header row; else the first sheet (whose missing header is reported).
  const sheets = workbook.worksheets.map((ws) => ({ name: ws.name, rows: sheetRows(ws) }));
  const sheet = sheets.find((s) => findHeader(s.rows) !== null) ?? sheets[0];
  if (!sheet) {
    problems.add(null, null, notAWorkbook(fileName));
    return { rows: [], sheet: null };
  }
  return { rows: sheet.rows, sheet: sheet.name };
}

function sheetRows(sheet: ExcelJS.Worksheet): SourceRow[] {
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Array<Cell | undefined> = [];
    row.eachCell({ includeEmpty: false }, (c, column) => {
      // A merged range keeps its value in the top-left cell; the others only echo it.
      if (c.type === ExcelJS.ValueType.Merge) return;
      const cell = fromValue(c.value);
      if (cell.type !== 'blank') cells[column] = cell;
    });
    if (cells.length > 0) rows.push({ number, cells });
  });
  return rows;
}

/** 0x80–0x9F in Windows-1252, as Excel saves a CSV on a Dutch Windows (Latin-1 but for these). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/** Decodes a text file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (older Excel). */
function decodeText(buffer: Buffer): string {
  if (startsWith(buffer, [0xef, 0xbb, 0xbf])) return buffer.subarray(3).toString('utf8');
  if (startsWith(buffer, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(buffer.subarray(2));
  if (startsWith(buffer, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(buffer.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return buffer
      .toString('latin1')
      .replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
  }
}

/** A binary file, not text: a NUL, or many control characters or undecodable bytes at the start. */
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
  const endRecord = () => {
    record.push(field);
    field = '';
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
      record.push(field);
      field = '';
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

function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

/** The delimiter of the header line (the first naming Kwartaal, else the first line); `;` wins a tie. */
function detectDelimiter(lines: string[]): string {
  const header = lines.find((l) => /kwartaal/i.test(l)) ?? lines.find((l) => l.trim() !== '') ?? '';
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
  const { records, unclosedFrom } = splitCsv(text, hint ? hint[1]! : detectDelimiter(lines));
  if (unclosedFrom !== null) {
    problems.add(
      unclosedFrom + offset,
      null,
      'een aanhalingsteken (") wordt niet gesloten; controleer de cel die ermee begint',
    );
  }
  return records.map((fields, index) => {
    const cells: Array<Cell | undefined> = [];
    fields.forEach((f, c) => {
      const cell = fromText(f);
      if (cell.type !== 'blank') cells[c + 1] = cell;
    });
    return { number: index + 1 + offset, cells };
  });
}

// ---------------------------------------------------------------------------------------------
// The header row

interface Layout {
  headerRow: number;
  /** Column numbers. */
  at: Partial<Record<ColumnKind, number>>;
  /** Header texts as written. */
  names: Partial<Record<ColumnKind, string>>;
}

/** The header row: the first row with a Kwartaal column and an Organisatie or Id column. */
function findHeader(rows: SourceRow[]): SourceRow | null {
  return (
    rows.find((r) => {
      const kinds = r.cells.map((c) => (c?.type === 'text' ? KIND_OF_KEY.get(headerKey(c.text)) : undefined));
      return kinds.includes('quarter') && (kinds.includes('organisation') || kinds.includes('id'));
    }) ?? null
  );
}

const FIGURE_LIST = INCIDENT_FIELDS.map((f) => `'${INCIDENT_FIELD_NAMES[f]}'`).join(', ');

function readLayout(rows: SourceRow[], problems: ProblemList): Layout | null {
  const header = findHeader(rows);
  if (!header) {
    problems.add(
      null,
      null,
      `geen kopregel gevonden: het bestand moet een rij hebben met de kolommen '${INCIDENTS_HEADER.organisation}' (of '${INCIDENTS_HEADER.id}') en '${INCIDENTS_HEADER.quarter}', met daarnaast een kolom voor elk cijfer (${FIGURE_LIST}) en eventueel '${INCIDENTS_HEADER.employees}'`,
    );
    return null;
  }
  const layout: Layout = { headerRow: header.number, at: {}, names: {} };
  header.cells.forEach((cell, column) => {
    if (!cell) return;
    const written = tidyName(textOf(cell));
    const kind = cell.type === 'text' ? KIND_OF_KEY.get(headerKey(cell.text)) : undefined;
    if (kind === undefined) {
      problems.add(
        header.number,
        written,
        `kolom '${written}' is onbekend; laat alleen de kolommen ${INCIDENTS_HEADER.organisation}, ${INCIDENTS_HEADER.id}, ${INCIDENTS_HEADER.quarter}, ${INCIDENTS_HEADER.employees} en de cijfers (${FIGURE_LIST}) staan, of verwijder de kolom`,
      );
      return;
    }
    const earlier = layout.names[kind];
    if (earlier !== undefined) {
      problems.add(
        header.number,
        written,
        `'${written}' is dezelfde kolom als '${earlier}'; houd er één van`,
      );
      return;
    }
    layout.at[kind] = column;
    layout.names[kind] = written;
  });
  const missing = INCIDENT_FIELDS.filter((f) => layout.at[f] === undefined);
  if (missing.length > 0) {
    const names = missing.map((f) => `'${INCIDENT_FIELD_NAMES[f]}'`).join(', ');
    problems.add(
      header.number,
      null,
      `${missing.length === 1 ? `de kolom ${names} ontbreekt` : `de kolommen ${names} ontbreken`}; geef elk cijfer een kolom (een lege cel betekent: niet geregistreerd)`,
    );
  }
  return layout;
}

// ---------------------------------------------------------------------------------------------
// The rows

const NUMBER_TEXT = /^\s*\d+\s*$/;
const FORMULA_MESSAGE =
  'de formule heeft geen berekende uitkomst; open het bestand in Excel of LibreOffice, sla het op en probeer het opnieuw';

/** A whole number from a cell in [min, max]; null for a blank cell. */
function wholeNumber(
  cell: Cell,
  min: number,
  max: number,
  what: string,
): { value: number | null } | { error: string } {
  if (cell.type === 'blank') return { value: null };
  if (cell.type === 'formula-without-result') return { error: FORMULA_MESSAGE };
  const value =
    cell.type === 'number'
      ? cell.value
      : cell.type === 'text' && NUMBER_TEXT.test(cell.text)
        ? Number(cell.text)
        : NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return { value };
  return { error: `${shown(cell)} is ${what}` };
}

const COUNT_WHAT = `geen geheel getal van 0 tot en met ${MAX_INCIDENT_COUNT.toLocaleString('nl-NL')}; laat de cel leeg als het niet is geregistreerd`;
const EMPLOYEES_WHAT = `geen aantal medewerkers: geef een geheel getal van 1 tot en met ${MAX_EMPLOYEES.toLocaleString('nl-NL')}, of laat de cel leeg`;

/** `2016-4` and `2016/4`, besides what readLooseQuarter reads (`2016-Q4`, `Q4 2016`, `4e kwartaal 2016`). */
function readQuarterText(text: string): Quarter | null {
  const loose = readLooseQuarter(text);
  if (loose) return loose;
  const m = /^\s*(\d{4})\s*[-/]\s*([1-4])\s*$/.exec(text);
  const candidate = m ? `${m[1]}-Q${m[2]}` : '';
  return isQuarter(candidate) ? candidate : null;
}

function readQuarter(cell: Cell): { quarter: Quarter } | { error: string } {
  if (cell.type === 'blank') return { error: 'het kwartaal ontbreekt' };
  if (cell.type === 'date') return { quarter: quarterOfDate(cell.value) };
  if (cell.type === 'formula-without-result') return { error: FORMULA_MESSAGE };
  const quarter = cell.type === 'text' ? readQuarterText(cell.text) : null;
  if (quarter) return { quarter };
  return { error: `${shown(cell)} is geen kwartaal; schrijf het als Q4 2016 of 2016-Q4` };
}

function readId(cell: Cell): { id: number | null } | { error: string } {
  const read = wholeNumber(
    cell,
    1,
    Number.MAX_SAFE_INTEGER,
    'geen organisatie-id: een geheel getal groter dan 0',
  );
  return 'error' in read ? read : { id: read.value };
}

function readRows(rows: SourceRow[], layout: Layout, problems: ProblemList): IncidentsImportRow[] {
  const cellAt = (row: SourceRow, kind: ColumnKind): Cell => {
    const column = layout.at[kind];
    return column === undefined ? BLANK : (row.cells[column] ?? BLANK);
  };
  const known = Object.values(layout.at);
  const data = rows.filter(
    (r) => r.number > layout.headerRow && known.some((c) => (r.cells[c]?.type ?? 'blank') !== 'blank'),
  );
  if (data.length > IMPORT_LIMITS.dataRows) {
    throw tooLarge(
      `het bestand heeft ${data.length} rijen onder de kopregel; een import mag er hoogstens ${IMPORT_LIMITS.dataRows} hebben`,
      IMPORT_LIMITS.dataRows,
    );
  }
  const result: IncidentsImportRow[] = [];
  for (const row of data) {
    const before = problems.count;
    const nameCell = cellAt(row, 'organisation');
    const name = nameCell.type === 'blank' ? null : tidyName(textOf(nameCell));
    const id = readId(cellAt(row, 'id'));
    if ('error' in id) problems.add(row.number, layout.names.id!, id.error);
    else if (name === null && id.id === null) {
      problems.add(
        row.number,
        layout.names.organisation ?? layout.names.id!,
        `de organisatie ontbreekt; vul ${[layout.names.organisation, layout.names.id]
          .filter((n) => n !== undefined)
          .map((n) => `'${n}'`)
          .join(' of ')} in`,
      );
    }
    const quarter = readQuarter(cellAt(row, 'quarter'));
    if ('error' in quarter) problems.add(row.number, layout.names.quarter!, quarter.error);
    const figures = {} as Record<IncidentField, number | null>;
    for (const f of INCIDENT_FIELDS) {
      const read = wholeNumber(cellAt(row, f), 0, MAX_INCIDENT_COUNT, COUNT_WHAT);
      if ('error' in read) problems.add(row.number, layout.names[f] ?? INCIDENT_FIELD_NAMES[f], read.error);
      else figures[f] = read.value;
    }
    const employees = wholeNumber(cellAt(row, 'employees'), 1, MAX_EMPLOYEES, EMPLOYEES_WHAT);
    if ('error' in employees) problems.add(row.number, layout.names.employees!, employees.error);
    if (problems.count > before || 'error' in id || 'error' in quarter || 'error' in employees) continue;
    result.push({
      row: row.number,
      name,
      id: id.id,
      quarter: quarter.quarter,
      figures,
      employees: employees.value,
    });
  }
  if (data.length === 0 && problems.count === 0) {
    problems.add(null, null, 'het bestand bevat geen rijen onder de kopregel');
  }
  return result;
}

/** Reads an uploaded file of incident figures. Throws only for a file too large to read (413); all else is in `errors`. */
export async function readIncidentsFile(buffer: Buffer, fileName: string): Promise<ParsedIncidents> {
  assertIncidentsImportSize(buffer.length);
  const problems = new ProblemList();
  const parsed: ParsedIncidents = {
    fileName,
    format: null,
    sheet: null,
    headerRow: null,
    columns: null,
    rows: [],
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
      `'${fileName}' is een oud Excel-bestand (.xls) of met een wachtwoord beveiligd; sla het op als Excel-werkmap (.xlsx) zonder wachtwoord, of als .csv`,
    );
    return done();
  } else if (/\.(xlsx|xlsm|xls|ods)$/i.test(fileName.trim())) {
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
  const layout = readLayout(rows, problems);
  if (!layout) return done();
  parsed.headerRow = layout.headerRow;
  const { names } = layout;
  parsed.columns = {
    organisation: names.organisation ?? null,
    id: names.id ?? null,
    quarter: names.quarter!,
    employees: names.employees ?? null,
    figures: Object.fromEntries(
      INCIDENT_FIELDS.map((f) => [f, names[f] ?? INCIDENT_FIELD_NAMES[f]]),
    ) as Record<IncidentField, string>,
  };
  parsed.rows = readRows(rows, layout, problems);
  return done();
}
