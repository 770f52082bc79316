// Reading a file of incident figures (issue 12, item 1): one row per organisation and quarter,
// headers matched loosely and in any order, an empty cell "not registered" (not 0), and every
// problem named by the row as the spreadsheet shows it and the column by its header text.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readIncidentsFile } from '../../server/excel/incidents-reader.ts';

const HEADER = [
  'Organisatie',
  'Kwartaal',
  'Verbale agressie',
  'Bedreiging/intimidatie',
  'Fysieke agressie',
  'Overig',
  'Aangiftes',
  'Reacties naar de dader binnen 48 uur',
  'Schade verhaald',
  'Medewerkers',
];

const csv = (lines: string[], separator = ';') =>
  Buffer.from(lines.map((l) => l.replaceAll(';', separator)).join('\r\n'));

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Incidenten');
  rows.forEach((row, i) => {
    ws.getRow(i + 1).values = row as ExcelJS.CellValue[];
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const messages = (parsed: { errors: Array<{ message: string }> }) => parsed.errors.map((e) => e.message);

describe('readIncidentsFile: headers', () => {
  it.each([
    ['the names as the app writes them', HEADER],
    [
      'the short forms',
      [
        'organisatie',
        'kwartaal',
        'Verbaal',
        'Bedreiging',
        'Fysiek',
        'Overig',
        'Aangiftes',
        'Reacties 48 uur',
        'Schade verhaald',
      ],
    ],
    [
      'other case, spacing and punctuation, in another order',
      [
        '  SCHADE-VERHAALD ',
        'Reacties binnen 48 uur',
        'KWARTAAL',
        'fysieke  agressie',
        'bedreiging - intimidatie',
        'Verbale agressie:',
        'ORGANISATIE',
        'overig',
        'aangiftes.',
      ],
    ],
  ])('when the header has %s, then every column is found', async (_, header) => {
    // Arrange
    const figures: Record<string, number> = {
      verbaal: 1,
      verbale: 1,
      bedreiging: 2,
      fysie: 3,
      overig: 4,
      aangiftes: 5,
      reacties: 6,
      schade: 7,
    };
    const row = header.map((h) => {
      const key = h.toLowerCase().trim();
      if (key.startsWith('organisatie')) return 'Gemeente Noord';
      if (key.startsWith('kwartaal')) return '2016-Q4';
      const hit = Object.keys(figures).find((k) => key.startsWith(k));
      return hit === undefined ? '' : String(figures[hit]);
    });

    // Act
    const parsed = await readIncidentsFile(csv([header.join(';'), row.join(';')]), 'cijfers.csv');

    // Assert
    expect(messages(parsed)).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        row: 2,
        name: 'Gemeente Noord',
        id: null,
        quarter: '2016-Q4',
        figures: {
          verbal: 1,
          threat: 2,
          physical: 3,
          other: 4,
          reports: 5,
          reactions48h: 6,
          damageRecovered: 7,
        },
        employees: null,
      },
    ]);
  });

  it('when the header has an unknown column and lacks two figures, then each is a problem on the header row naming them', async () => {
    // Arrange
    const header = [
      'Organisatie',
      'Kwartaal',
      'Verbaal',
      'Bedreiging',
      'Fysiek',
      'Overig',
      'Aangiftes',
      'Opmerking',
    ];

    // Act
    const parsed = await readIncidentsFile(
      csv([header.join(';'), 'Gemeente Noord;2016-Q4;1']),
      'cijfers.csv',
    );

    // Assert
    expect(parsed.errors).toEqual([
      expect.objectContaining({
        code: 'import_cell',
        row: 1,
        column: 'Opmerking',
        message: expect.stringMatching(/^rij 1, kolom Opmerking: kolom 'Opmerking' is onbekend/),
      }),
      expect.objectContaining({
        row: 1,
        column: null,
        message: expect.stringContaining(
          "de kolommen 'reacties naar de dader binnen 48 uur', 'schade verhaald' ontbreken",
        ),
      }),
    ]);
  });

  it('when no row names Kwartaal and Organisatie or Id, then the file has one problem that says what the header needs', async () => {
    // Act
    const parsed = await readIncidentsFile(
      csv(['Naam;Periode;Verbaal', 'Gemeente Noord;2016-Q4;1']),
      'x.csv',
    );

    // Assert
    expect(parsed.errors).toEqual([
      expect.objectContaining({ code: 'import_file', row: null, column: null }),
    ]);
    expect(parsed.errors[0]!.message).toMatch(
      /^geen kopregel gevonden: .*'Organisatie' \(of 'Id'\) en 'Kwartaal'/,
    );
  });
});

describe('readIncidentsFile: quarters and values', () => {
  const line = (quarter: string, verbal = '1', employees = '') =>
    csv([HEADER.join(';'), `Gemeente Noord;${quarter};${verbal};;;;;;;${employees}`]);

  it.each([
    ['2016-Q4', '2016-Q4'],
    ['Q4 2016', '2016-Q4'],
    ['2016 Q4', '2016-Q4'],
    ['q4-2016', '2016-Q4'],
    ['2016-4', '2016-Q4'],
    ['2016/1', '2016-Q1'],
    ['4e kwartaal 2016', '2016-Q4'],
  ])('when the quarter is written %s, then it reads as %s', async (written, quarter) => {
    // Act
    const parsed = await readIncidentsFile(line(written), 'x.csv');

    // Assert
    expect(messages(parsed)).toEqual([]);
    expect(parsed.rows[0]!.quarter).toBe(quarter);
  });

  it.each([
    ['', null],
    ['0', 0],
    [' 12 ', 12],
  ])("when a figure's cell is '%s', then it reads as %s (empty: not registered)", async (cell, value) => {
    // Act
    const parsed = await readIncidentsFile(line('2016-Q4', cell), 'x.csv');

    // Assert
    expect(messages(parsed)).toEqual([]);
    expect(parsed.rows[0]!.figures.verbal).toBe(value);
    expect(parsed.rows[0]!.figures.threat).toBeNull();
  });

  it.each([
    [
      'Q5 2016',
      '1',
      '',
      "rij 2, kolom Kwartaal: 'Q5 2016' is geen kwartaal; schrijf het als Q4 2016 of 2016-Q4",
    ],
    ['', '1', '', 'rij 2, kolom Kwartaal: het kwartaal ontbreekt'],
    [
      '2016-Q4',
      '-1',
      '',
      "rij 2, kolom Verbale agressie: '-1' is geen geheel getal van 0 tot en met 1.000.000",
    ],
    ['2016-Q4', '2,5', '', "rij 2, kolom Verbale agressie: '2,5' is geen geheel getal"],
    ['2016-Q4', 'veel', '', "rij 2, kolom Verbale agressie: 'veel' is geen geheel getal"],
    ['2016-Q4', '1', '0', "rij 2, kolom Medewerkers: '0' is geen aantal medewerkers"],
  ])(
    'when the quarter is %j, verbal %j and employees %j, then the problem names row and column',
    async (quarter, verbal, employees, message) => {
      // Act
      const parsed = await readIncidentsFile(line(quarter, verbal, employees), 'x.csv');

      // Assert
      expect(messages(parsed)).toEqual([expect.stringContaining(message)]);
      expect(parsed.rows).toEqual([]);
    },
  );
});

describe('readIncidentsFile: files', () => {
  it('when an .xlsx has a title above the header, numbers and an Id column, then rows are numbered as the sheet shows them', async () => {
    // Arrange
    const file = await xlsx([
      ['Incidentcijfers 2016'],
      [],
      ['Id', ...HEADER],
      [7, 'Gemeente Noord', 'Q1 2016', 3, 0, null, null, null, null, null, 1200],
      [8, null, '2016-Q2', { formula: '1+1', result: 2 }, null, null, null, null, null, null, null],
    ]);

    // Act
    const parsed = await readIncidentsFile(file, 'cijfers.xlsx');

    // Assert
    expect(messages(parsed)).toEqual([]);
    expect(parsed).toMatchObject({ format: 'xlsx', sheet: 'Incidenten', headerRow: 3 });
    expect(parsed.rows.map((r) => [r.row, r.id, r.name, r.quarter, r.figures.verbal, r.employees])).toEqual([
      [4, 7, 'Gemeente Noord', '2016-Q1', 3, 1200],
      [5, 8, null, '2016-Q2', 2, null],
    ]);
  });

  it('when a CSV uses commas and starts with a BOM, then it reads the same as with semicolons', async () => {
    // Arrange
    const text = `\ufeff${HEADER.join(',')}\r\n"Gemeente Noord, Oost",Q2 2016,4,,,,,,,\r\n`;

    // Act
    const parsed = await readIncidentsFile(Buffer.from(text), 'cijfers.csv');

    // Assert
    expect(messages(parsed)).toEqual([]);
    expect(parsed.rows.map((r) => [r.name, r.quarter, r.figures.verbal])).toEqual([
      ['Gemeente Noord, Oost', '2016-Q2', 4],
    ]);
  });

  it('when a row names no organisation and another has a bad Id, then both are listed at once', async () => {
    // Arrange
    const file = csv([['Id', ...HEADER].join(';'), ';;2016-Q1;1', 'zeven;Gemeente Noord;2016-Q1;1']);

    // Act
    const parsed = await readIncidentsFile(file, 'cijfers.csv');

    // Assert
    expect(messages(parsed)).toEqual([
      "rij 2, kolom Organisatie: de organisatie ontbreekt; vul 'Organisatie' of 'Id' in",
      "rij 3, kolom Id: 'zeven' is geen organisatie-id: een geheel getal groter dan 0",
    ]);
  });

  it('when the file is not a spreadsheet, then it is one problem for the whole file', async () => {
    // Act
    const parsed = await readIncidentsFile(Buffer.from([0, 1, 2, 3, 0, 0, 0]), 'foto.csv');

    // Assert
    expect(parsed.errors).toEqual([expect.objectContaining({ code: 'import_file', row: null })]);
  });
});
