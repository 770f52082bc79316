import { MAX_EMPLOYEES, MAX_INCIDENT_COUNT } from '../contracts/incident.contract.ts';
import { INCIDENT_FIELD_NAMES, INCIDENT_FIELDS, type IncidentField } from '../domain/incidents.ts';
import { tidyName } from '../domain/names.ts';
import { isQuarter, type Quarter, quarterOfDate, readLooseQuarter } from '../domain/quarter.ts';
import {
  assertDataRows,
  assertFileSize,
  type Cell,
  cellAt,
  type ImportProblem,
  ProblemList,
  readSheetSource,
  SHEET_LIMITS,
  type SheetKind,
  type SheetReading,
  type SourceRow,
  shown as shownIn,
  textOf as textIn,
} from './sheet-source.ts';

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
// The file

/** A file of incident figures: the limits every spreadsheet import has, and the words its messages name it by. */
export const INCIDENTS_FILE: SheetKind = {
  limits: SHEET_LIMITS,
  words: { a: 'een bestand met incidentcijfers', the: 'het bestand' },
};

const READING: SheetReading = {
  // The first sheet with a header row; else the first sheet (whose missing header is reported).
  prefersSheet: (sheet) => findHeader(sheet.rows()) !== null,
  isHeaderLine: (line) => /kwartaal/i.test(line),
  unpackedTooLarge: (fileName) =>
    `'${fileName}' is uitgepakt te groot; een bestand met incidentcijfers mag uitgepakt hoogstens ${SHEET_LIMITS.unpackedBytes / (1024 * 1024)} MB zijn`,
};

/** Refuses a file over the size limit before anything reads it (the CLI checks before loading it). */
export function assertIncidentsImportSize(bytes: number): void {
  assertFileSize(bytes, INCIDENTS_FILE);
}

// Dates read as a Dutch spreadsheet shows them, and a blank cell as empty text.
const textOf = (cell: Cell): string => textIn(cell, 'dutch') ?? '';
const shown = (cell: Cell): string => shownIn(cell, 'dutch');

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
      const kinds = r.cells.map((c) =>
        c?.cell.type === 'text' ? KIND_OF_KEY.get(headerKey(c.cell.text)) : undefined,
      );
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
  header.cells.forEach((source, column) => {
    if (!source) return;
    const { cell } = source;
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
  const cellOf = (row: SourceRow, kind: ColumnKind): Cell => cellAt(row, layout.at[kind]);
  const known = Object.values(layout.at);
  const data = rows.filter(
    (r) => r.number > layout.headerRow && known.some((c) => cellAt(r, c).type !== 'blank'),
  );
  assertDataRows(data.length, INCIDENTS_FILE);
  const result: IncidentsImportRow[] = [];
  for (const row of data) {
    const before = problems.count;
    const nameCell = cellOf(row, 'organisation');
    const name = nameCell.type === 'blank' ? null : tidyName(textOf(nameCell));
    const id = readId(cellOf(row, 'id'));
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
    const quarter = readQuarter(cellOf(row, 'quarter'));
    if ('error' in quarter) problems.add(row.number, layout.names.quarter!, quarter.error);
    const figures = {} as Record<IncidentField, number | null>;
    for (const f of INCIDENT_FIELDS) {
      const read = wholeNumber(cellOf(row, f), 0, MAX_INCIDENT_COUNT, COUNT_WHAT);
      if ('error' in read) problems.add(row.number, layout.names[f] ?? INCIDENT_FIELD_NAMES[f], read.error);
      else figures[f] = read.value;
    }
    const employees = wholeNumber(cellOf(row, 'employees'), 1, MAX_EMPLOYEES, EMPLOYEES_WHAT);
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
  const source = await readSheetSource(buffer, fileName, problems, INCIDENTS_FILE, READING);
  parsed.format = source.format;
  parsed.sheet = source.sheet;
  if (!source.rows) return done();
  const rows = source.rows;
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
