import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  columnLetter,
  IMPORT_LIMITS,
  MAX_LISTED_ERRORS,
  readPrestatielijst,
} from '../../server/excel/prestatielijst-reader.ts';
import { expectAppError } from '../support.ts';

type Row = unknown[];

/** A real workbook, built with exceljs as a spreadsheet program would save it. */
async function workbook(
  sheets: Record<string, Row[]>,
  decorate?: (wb: ExcelJS.Workbook) => void,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((row, i) => {
      ws.getRow(i + 1).values = row as ExcelJS.CellValue[];
    });
  }
  decorate?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A plain zip archive (deflated entries), to build damaged or oversized workbooks by hand. */
function zip(entries: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const packed = deflateRawSync(data);
    const fields = (signature: number, size: number) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = fields(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = fields(0x02014b50, 46);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const list = (rows: Row[], decorate?: (wb: ExcelJS.Workbook) => void) =>
  workbook({ Prestatielijst: rows }, decorate);

const messages = (parsed: { errors: Array<{ message: string }> }) => parsed.errors.map((e) => e.message);

async function expectTooLarge(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  expect((await expectAppError(() => promise, 'file_too_large', 413)).message).toMatch(pattern);
}

describe('reading an .xlsx prestatielijst', () => {
  it('when the list has title rows, odd spacing and case, loose quarter headers, headings and averages, then only the organisations are read', async () => {
    // Arrange: a list as a region keeps it by hand.
    const buffer = await list([
      ['Prestatielijst VPT-regio Noord'],
      ['Periode: Q4 2015 – Q2 2016'],
      [],
      [
        '  ORGANISATIE ',
        'sector',
        ' Lid Sinds',
        'lid tot',
        '4e kwartaal 2015',
        '2016-Q1',
        'q2 2016',
        'Verandering',
        'Opmerking',
      ],
      ['Zorg'],
      [
        '  Ziekenhuis   Noord ',
        ' Zorg ',
        'Q3 2015',
        null,
        3,
        ' 4 ',
        { formula: '2+2', result: 4 },
        1,
        'bezocht',
      ],
      ['Thuiszorg Zuid', 'zorg', null, '2016-Q1', '2', null, null, null, null],
      ['Gemiddelde Zorg', null, null, null, 2.5, 4, 4, null],
      ['Openbaar Vervoer'],
      ['Vervoerder Oost', 'Openbaar Vervoer', null, null, null, null, 5, null],
      [],
      ['Gemiddelde regio', null, null, null, 2.5, 4, 4.5],
    ]);

    // Act
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');

    // Assert
    expect(parsed.errors).toEqual([]);
    expect(parsed).toMatchObject({ format: 'xlsx', sheet: 'Prestatielijst', headerRow: 4 });
    expect(parsed.quarters).toEqual(['2015-Q4', '2016-Q1', '2016-Q2']);
    expect(parsed.rows).toEqual([
      {
        row: 6,
        name: 'Ziekenhuis Noord',
        stretch: null,
        sector: 'Zorg',
        memberships: [{ from: '2015-Q3', until: null }],
        gears: [
          { quarter: '2015-Q4', gear: 3, carried: false, carriedFrom: null },
          { quarter: '2016-Q1', gear: 4, carried: false, carriedFrom: null },
          { quarter: '2016-Q2', gear: 4, carried: false, carriedFrom: null },
        ],
      },
      {
        row: 7,
        name: 'Thuiszorg Zuid',
        stretch: null,
        sector: 'zorg',
        memberships: [{ from: null, until: '2016-Q1' }],
        gears: [{ quarter: '2015-Q4', gear: 2, carried: false, carriedFrom: null }],
      },
      {
        row: 10,
        name: 'Vervoerder Oost',
        stretch: null,
        sector: 'Openbaar Vervoer',
        memberships: [],
        gears: [{ quarter: '2016-Q2', gear: 5, carried: false, carriedFrom: null }],
      },
    ]);
  });

  it('when the workbook has a sheet named Prestatielijst, then that sheet is read, not the first one', async () => {
    const buffer = await workbook({
      Toelichting: [
        ['Organisatie', 'Sector', 'Q1 2016'],
        ['Verkeerd blad', 'Zorg', 1],
      ],
      ' prestatielijst ': [
        ['Organisatie', 'Sector', 'Q1 2016'],
        ['Goed blad', 'Zorg', 2],
      ],
    });
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.sheet).toBe(' prestatielijst ');
    expect(parsed.rows.map((r) => r.name)).toEqual(['Goed blad']);
  });

  it('when no sheet is named Prestatielijst, then the first sheet is read', async () => {
    const buffer = await workbook({
      Blad1: [
        ['Organisatie', 'Sector', 'Q1 2016'],
        ['Eerste blad', 'Zorg', 1],
      ],
      Blad2: [
        ['Organisatie', 'Sector', 'Q1 2016'],
        ['Tweede blad', 'Zorg', 2],
      ],
    });
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.sheet).toBe('Blad1');
    expect(parsed.rows.map((r) => r.name)).toEqual(['Eerste blad']);
  });

  it('when a sector heading is merged across the row, then it is still a heading and not an organisation', async () => {
    const buffer = await list(
      [
        ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016'],
        ['Onderwijs', null, null, null],
        ['School West', 'Onderwijs', 2, 3],
      ],
      (wb) => wb.getWorksheet('Prestatielijst')!.mergeCells('A2:D2'),
    );
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.name)).toEqual(['School West']);
  });

  it('when gear cells hold a shared formula, text or a number, then each result counts as the gear', async () => {
    const buffer = await list(
      [
        ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016', 'Q3 2016'],
        ['Gemeente A', 'Openbaar Bestuur', 1, { formula: 'C2+1', result: 2 }, '3'],
        ['Gemeente B', 'Openbaar Bestuur', 2, null, '\u00a05\u00a0'],
      ],
      (wb) => {
        const ws = wb.getWorksheet('Prestatielijst')!;
        ws.getCell('D3').value = { sharedFormula: 'D2', result: 3 } as ExcelJS.CellValue;
      },
    );
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.gears.map((g) => g.gear))).toEqual([
      [1, 2, 3],
      [2, 3, 5],
    ]);
  });

  it('when a gear cell is italic or carries a carried-forward note (as the export writes it), then it is marked as carried', async () => {
    const buffer = await list(
      [
        ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016', 'Q3 2016'],
        ['Gemeente A', 'Openbaar Bestuur', 3, 3, 3],
      ],
      (wb) => {
        const ws = wb.getWorksheet('Prestatielijst')!;
        ws.getCell('D2').font = { italic: true, color: { argb: 'FF808080' } };
        ws.getCell('E2').note = 'Doorgeschoven uit Q1 2016: geen nieuwe quickscan in Q3 2016';
      },
    );
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.rows[0]!.gears.map((g) => g.carried)).toEqual([false, true, true]);
  });
});

describe('errors in the cells', () => {
  it('when gears are 6, 2.5, 0, text or a formula without a result, then every one is listed with its row and column', async () => {
    const buffer = await list([
      ['Titel'],
      ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016'],
      ['Gemeente A', 'Openbaar Bestuur', 6, 2.5],
      ['Gemeente B', 'Openbaar Bestuur', 0, 'x'],
      ['Gemeente C', 'Openbaar Bestuur', { formula: 'NU()' }, true],
      ['Gemeente D', 'Openbaar Bestuur', 4, 5],
    ]);

    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');

    expect(messages(parsed)).toEqual([
      "rij 3, kolom Q1 2016: '6' is geen versnelling van 1 tot 5",
      "rij 3, kolom Q2 2016: '2,5' is geen versnelling van 1 tot 5",
      "rij 4, kolom Q1 2016: '0' is geen versnelling van 1 tot 5",
      "rij 4, kolom Q2 2016: 'x' is geen versnelling van 1 tot 5",
      expect.stringMatching(/^rij 5, kolom Q1 2016: de formule heeft geen berekende uitkomst/),
      "rij 5, kolom Q2 2016: 'WAAR' is geen versnelling van 1 tot 5",
    ]);
    expect(parsed.errors[0]).toMatchObject({ code: 'import_cell', row: 3, column: 'Q1 2016' });
    expect(parsed.errorCount).toBe(6);
    // The good row is still read, so the database checks can run on it too.
    expect(parsed.rows.find((r) => r.name === 'Gemeente D')?.gears).toHaveLength(2);
  });

  it('when a header looks like a quarter but is none, then it is an error; other headers are ignored', async () => {
    const buffer = await list([
      [
        'Organisatie',
        'Sector',
        'Q5 2016',
        '2016-Q0',
        'K4 2015',
        'Q4 15',
        '5e kwartaal 2016',
        'Q1 2016',
        'Laatste kwartaal',
        'Contactpersoon',
      ],
      ['Gemeente A', 'Openbaar Bestuur', 1, 1, 1, 1, 1, 2, 'Q1 2016', 'Jan'],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'C'],
      [1, 'D'],
      [1, 'E'],
      [1, 'F'],
      [1, 'G'],
    ]);
    expect(messages(parsed)[0]).toMatch(
      /^rij 1, kolom C: 'Q5 2016' is geen kwartaal; schrijf kwartalen als Q4 2015/,
    );
    expect(parsed.quarters).toEqual(['2016-Q1']);
  });

  it('when two columns are the same quarter written differently, then that is an error naming both columns', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Q4 2015', '2015-Q4'],
      ['Gemeente A', 'Openbaar Bestuur', 1, 2],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(messages(parsed)).toEqual([
      'rij 1, kolom D: Q4 2015 staat twee keer in de kopregel (kolom C en kolom D); houd één kolom per kwartaal',
    ]);
  });

  it('when an organisation appears twice (other case and spacing), then the second row is an error naming the first', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Q1 2016'],
      ['Gemeente Noord', 'Openbaar Bestuur', 1],
      ['Iets anders', 'Zorg', 2],
      ['  GEMEENTE  noord', 'Openbaar Bestuur', 3],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(messages(parsed)).toEqual([
      "rij 4, kolom Organisatie: 'GEMEENTE noord' staat al in rij 2; elke organisatie mag maar één keer in de lijst staan",
    ]);
  });

  it('when the Sector column is missing, then the error says so', async () => {
    const buffer = await list([
      ['Organisatie', 'Q1 2016'],
      ['Gemeente A', 3],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ code: 'import_cell', row: 1, column: 'Sector' });
    expect(parsed.errors[0]!.message).toMatch(/^rij 1, kolom Sector: kolom 'Sector' ontbreekt/);
    expect(parsed.rows).toEqual([]);
  });

  it('when no row has Organisatie and Sector, then there is no header row', async () => {
    const buffer = await list([
      ['Naam', 'Branche', 'Q1 2016'],
      ['Gemeente A', 'Openbaar Bestuur', 3],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(messages(parsed)).toEqual([expect.stringMatching(/^geen kopregel gevonden/)]);
  });

  it('when a row has gears but no name or no sector, or membership that is no quarter, then each is an error', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Lid sinds', 'Q1 2016'],
      [null, 'Zorg', null, 3],
      ['Zonder sector', null, null, 2],
      ['Rare datum', 'Zorg', 'ooit', 2],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(messages(parsed)).toEqual([
      'rij 2, kolom Organisatie: de naam van de organisatie ontbreekt',
      "rij 3, kolom Sector: de sector van 'Zonder sector' ontbreekt",
      "rij 4, kolom Lid sinds: 'ooit' is geen kwartaal; schrijf het als Q4 2015, 2015-Q4 of 4e kwartaal 2015",
    ]);
  });

  it('when a membership cell holds a date, then its quarter is taken', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Lid sinds', 'Q1 2016'],
      ['Gemeente A', 'Zorg', new Date(Date.UTC(2015, 10, 1)), 3],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.rows[0]!.memberships).toEqual([{ from: '2015-Q4', until: null }]);
  });

  it('when a gear cell holds a date, then the message shows the date as a person reads it, not as 2015-11-01', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Q1 2016'],
      ['Gemeente A', 'Zorg', new Date(Date.UTC(2015, 10, 1))],
    ]);
    const text = messages(await readPrestatielijst(buffer, 'lijst.xlsx')).join('\n');
    expect(text).toContain("'1-11-2015' is geen versnelling van 1 tot 5");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('when there are more errors than can be listed, then they are counted and the first ones listed', async () => {
    const rows: Row[] = [['Organisatie', 'Sector', 'Q1 2016']];
    for (let i = 0; i < MAX_LISTED_ERRORS + 5; i++) rows.push([`Organisatie ${i}`, 'Zorg', 9]);
    const parsed = await readPrestatielijst(await list(rows), 'lijst.xlsx');
    expect(parsed.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(parsed.errorCount).toBe(MAX_LISTED_ERRORS + 5);
  });
});

describe('files that are no prestatielijst', () => {
  it('when the file is empty, then the error says so', async () => {
    const parsed = await readPrestatielijst(Buffer.alloc(0), 'lijst.xlsx');
    expect(messages(parsed)).toEqual(["'lijst.xlsx' is leeg"]);
    // A problem of the file as a whole, not of a cell.
    expect(parsed.errors[0]).toMatchObject({ code: 'import_file', row: null, column: null });
  });

  it('when the workbook has only an empty sheet, or the CSV only blank lines, then the error says it is empty', async () => {
    const xlsx = await readPrestatielijst(await workbook({ Prestatielijst: [] }), 'leeg.xlsx');
    expect(messages(xlsx)).toEqual(["'leeg.xlsx' is leeg"]);
    const csv = await readPrestatielijst(Buffer.from('\r\n ; ;\r\n\r\n'), 'leeg.csv');
    expect(messages(csv)).toEqual(["'leeg.csv' is leeg"]);
  });

  it('when the list has a header but no organisations, then the error says so', async () => {
    const parsed = await readPrestatielijst(Buffer.from('Organisatie;Sector;Q1 2016\n'), 'lijst.csv');
    expect(messages(parsed)).toEqual(['de lijst bevat geen organisaties onder de kopregel']);
  });

  it('when random bytes are named .xlsx, then the error says it cannot be read as a workbook', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const parsed = await readPrestatielijst(garbage, 'lijst.xlsx');
    expect(parsed.rows).toEqual([]);
    expect(messages(parsed)).toEqual([
      "'lijst.xlsx' kon niet worden gelezen als Excel-werkmap (.xlsx); sla de lijst in Excel of LibreOffice op als .xlsx of .csv en probeer het opnieuw",
    ]);
  });

  it('when a file starts like a zip but is damaged, then the same clear error follows, not a crash', async () => {
    const good = await list([
      ['Organisatie', 'Sector'],
      ['A', 'Zorg'],
    ]);
    const damaged = Buffer.concat([good.subarray(0, 200), Buffer.alloc(300, 0x41)]);
    const parsed = await readPrestatielijst(damaged, 'lijst.xlsx');
    expect(messages(parsed)[0]).toMatch(/kon niet worden gelezen als Excel-werkmap/);
  });

  it('when the file is a zip but no workbook (an empty zip, another document), then the same clear error follows', async () => {
    for (const other of [zip({}), zip({ 'word/document.xml': Buffer.from('<w:document/>') })]) {
      const parsed = await readPrestatielijst(other, 'lijst.xlsx');
      expect(messages(parsed)).toEqual([
        expect.stringMatching(/^'lijst\.xlsx' kon niet worden gelezen als Excel-werkmap/),
      ]);
    }
  });

  it('when the file is an old .xls (or password protected), then the error says to save it as .xlsx', async () => {
    const cfb = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    const parsed = await readPrestatielijst(cfb, 'lijst.xls');
    expect(messages(parsed)[0]).toMatch(/oud Excel-bestand \(\.xls\) of met een wachtwoord beveiligd/);
  });

  it('when a binary file is named .csv, then the error says it is no spreadsheet', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const parsed = await readPrestatielijst(png, 'lijst.csv');
    expect(messages(parsed)[0]).toMatch(/^'lijst\.csv' is geen spreadsheet/);
  });
});

describe('files too large to read', () => {
  it('when the file is over 5 MB, then it is refused before reading with a clear message', async () => {
    await expectTooLarge(
      readPrestatielijst(Buffer.alloc(IMPORT_LIMITS.fileBytes + 1, 0x41), 'groot.csv'),
      /^het bestand is 5,0 MB; een prestatielijst mag hoogstens 5 MB zijn/,
    );
  });

  it('when the list has more than 10,000 rows, then it is refused with a clear message', async () => {
    const lines = ['Organisatie;Sector;Q1 2016'];
    for (let i = 0; i <= IMPORT_LIMITS.dataRows; i++) lines.push(`Organisatie ${i};Zorg;3`);
    await expectTooLarge(
      readPrestatielijst(Buffer.from(lines.join('\n')), 'lang.csv'),
      /^de lijst heeft 10001 rijen onder de kopregel; een import mag er hoogstens 10000 hebben/,
    );
  });

  it('when the list has more than 200 quarter columns, then it is refused with a clear message', async () => {
    const quarters = Array.from({ length: 201 }, (_, i) => `${1995 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);
    const csv = `Organisatie;Sector;${quarters.join(';')}\nGemeente A;Zorg;3\n`;
    await expectTooLarge(
      readPrestatielijst(Buffer.from(csv), 'breed.csv'),
      /^de lijst heeft 201 kwartaalkolommen; een import mag er hoogstens 200 hebben/,
    );
  });

  it('when a small .xlsx unpacks into more than the limit, then it is refused without loading it', async () => {
    // A zip bomb in miniature: 31 MB of spaces in one entry compress to a few kilobytes.
    const buffer = zip({
      '[Content_Types].xml': Buffer.from('<Types/>'),
      'xl/worksheets/sheet1.xml': Buffer.alloc(31 * 1024 * 1024, 0x20),
    });
    expect(buffer.length).toBeLessThan(100 * 1024);
    await expectTooLarge(
      readPrestatielijst(buffer, 'bom.xlsx'),
      /^'bom\.xlsx' is uitgepakt 31,0 MB; een prestatielijst mag uitgepakt hoogstens 30 MB zijn/,
    );
  });
});

describe('reading a .csv prestatielijst', () => {
  it('when the CSV uses semicolons, a BOM, CRLF and title rows, then it reads like the workbook', async () => {
    const csv =
      '\uFEFFPrestatielijst VPT-regio;;\r\n;;\r\nOrganisatie;Sector;Lid sinds;Q4 2015;4e kwartaal 2016;Verandering\r\n' +
      'Zorg;;;;;\r\nZiekenhuis Noord;Zorg;Q3 2015;3; 4 ;1\r\nGemiddelde Zorg;;;3,00;4,00;\r\n';
    const parsed = await readPrestatielijst(Buffer.from(csv, 'utf8'), 'lijst.csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed).toMatchObject({ format: 'csv', headerRow: 3, quarters: ['2015-Q4', '2016-Q4'] });
    expect(parsed.rows).toEqual([
      {
        row: 5,
        name: 'Ziekenhuis Noord',
        stretch: null,
        sector: 'Zorg',
        memberships: [{ from: '2015-Q3', until: null }],
        gears: [
          { quarter: '2015-Q4', gear: 3, carried: false, carriedFrom: null },
          { quarter: '2016-Q4', gear: 4, carried: false, carriedFrom: null },
        ],
      },
    ]);
  });

  it('when the CSV uses commas and quoted fields with commas, quotes and line breaks, then the fields stay whole', async () => {
    const csv =
      'Organisatie,Sector,Q1 2016\n' +
      '"Stichting ""Veilig"", afdeling Oost","Zorg, GGZ",2\n' +
      '"Woonstichting\nDe Linde",Woningbouwcorporaties,"3"\n';
    const parsed = await readPrestatielijst(Buffer.from(csv), 'lijst.csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.row, r.name, r.sector, r.gears[0]?.gear])).toEqual([
      [2, 'Stichting "Veilig", afdeling Oost', 'Zorg, GGZ', 2],
      [3, 'Woonstichting De Linde', 'Woningbouwcorporaties', 3],
    ]);
  });

  it('when the CSV was saved by an older Excel in Windows-1252, then accented names are read right', async () => {
    const csv = Buffer.from('Organisatie;Sector;Q1 2016\nCafé Zuid;Anders;2\n', 'latin1');
    const parsed = await readPrestatielijst(csv, 'lijst.csv');
    expect(parsed.rows[0]!.name).toBe('Café Zuid');
  });

  it('when the CSV starts with Excel’s sep= line, then that delimiter is used', async () => {
    const csv = 'sep=,\nOrganisatie,Sector,Q1 2016\nGemeente A;B,Openbaar Bestuur,4\n';
    const parsed = await readPrestatielijst(Buffer.from(csv), 'lijst.csv');
    expect(parsed.rows.map((r) => [r.row, r.name])).toEqual([[3, 'Gemeente A;B']]);
  });

  it('when a quote is never closed, then that is an error with the row it starts in', async () => {
    const csv = 'Organisatie;Sector;Q1 2016\nGemeente A;Zorg;2\n"Gemeente B;Zorg;3\n';
    const parsed = await readPrestatielijst(Buffer.from(csv), 'lijst.csv');
    expect(parsed.errors[0]).toMatchObject({ row: 3 });
    expect(parsed.errors[0]!.message).toMatch(/aanhalingsteken/);
  });
});

describe('organisations through time: moves and membership periods', () => {
  it('when a name ends in a period of quarters, then the row is that organisation in that stretch; other brackets stay in the name', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016', 'Q3 2016', 'Q4 2016'],
      ['Ziekenhuis X (tot en met Q2 2016)', 'Zorg', 3, 3, null, null],
      ['Ziekenhuis X (Q3 2016 tot en met Q3 2016)', 'Sociale Zekerheid', null, null, 4, null],
      ['Ziekenhuis X (vanaf Q4 2016)', 'Zorg', null, null, null, 4],
      ['Stichting Y (Utrecht)', 'Anders', 2, null, null, null],
      ['Gemeente Z ( t/m 2016-Q1 )', 'Openbaar Bestuur', 1, null, null, null],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.name, r.sector, r.stretch])).toEqual([
      ['Ziekenhuis X', 'Zorg', { from: null, until: '2016-Q2', label: 'tot en met Q2 2016' }],
      [
        'Ziekenhuis X',
        'Sociale Zekerheid',
        { from: '2016-Q3', until: '2016-Q3', label: 'Q3 2016 tot en met Q3 2016' },
      ],
      ['Ziekenhuis X', 'Zorg', { from: '2016-Q4', until: null, label: 'vanaf Q4 2016' }],
      ['Stichting Y (Utrecht)', 'Anders', null],
      ['Gemeente Z', 'Openbaar Bestuur', { from: null, until: '2016-Q1', label: 't/m 2016-Q1' }],
    ]);
  });

  it('when the rows of one organisation overlap, mix a plain row with stretches, have a gear outside their stretch or an unclear period, then each is an error', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Lid sinds', 'Q1 2016', 'Q2 2016', 'Q3 2016'],
      ['Ziekenhuis X (tot en met Q2 2016)', 'Zorg', null, 3, 3, null],
      ['Ziekenhuis X (vanaf Q2 2016)', 'Anders', null, null, null, 3],
      ['Gemeente Y', 'Openbaar Bestuur', null, 2, null, null],
      ['Gemeente Y (vanaf Q3 2016)', 'Zorg', null, null, null, 2],
      ['Thuiszorg Z (vanaf Q2 2016)', 'Zorg', null, 1, 1, null],
      ['Thuiszorg W (tot Q2 2016)', 'Zorg', null, 1, null, null],
      ['Thuiszorg V (Q3 2016 tot en met Q1 2016)', 'Zorg', null, 1, null, null],
      ['Kliniek U (tot en met Q1 2016)', 'Zorg', 'Q1 2015', 1, null, null],
      ['Kliniek U (vanaf Q2 2016)', 'Anders', 'Q1 2016', null, 1, null],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(messages(parsed)).toEqual([
      "rij 3, kolom Organisatie: '(vanaf Q2 2016)' overlapt met '(tot en met Q2 2016)' in rij 2; een organisatie hoort in elk kwartaal bij één sector",
      "rij 5, kolom Organisatie: 'Gemeente Y (vanaf Q3 2016)' is dezelfde organisatie als 'Gemeente Y' in rij 4; een organisatie die van sector wisselde staat per sector in de lijst met een periode achter elke naam, zoals 'Gemeente Y (vanaf Q3 2016)'",
      "rij 6, kolom Q1 2016: Q1 2016 valt buiten '(vanaf Q2 2016)' achter de naam; zet deze versnelling in de rij van 'Thuiszorg Z' voor de sector van Q1 2016, of maak de cel leeg",
      "rij 7, kolom Organisatie: '(tot Q2 2016)' achter de naam is niet eenduidig: schrijf 'tot en met Q2 2016' als Q2 2016 erbij hoort, of 'vanaf' met het kwartaal waarin de organisatie naar deze sector ging",
      "rij 8, kolom Organisatie: '(Q3 2016 tot en met Q1 2016)' achter de naam loopt achteruit: Q1 2016 ligt vóór Q3 2016",
      "rij 10, kolom Lid sinds: 'Lid sinds' en 'Lid tot' verschillen van die in rij 9 ('Kliniek U (tot en met Q1 2016)'); geef elke rij van dezelfde organisatie dezelfde lidmaatschapsperiodes, of laat ze leeg",
    ]);
  });

  it('when Lid sinds and Lid tot list several periods, then they pair up in order and the last may still run', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Lid sinds', 'Lid tot', 'Q1 2016'],
      ['Gemeente A', 'Zorg', 'Q4 2015; Q1 2017', 'Q2 2016; –', 1],
      ['Gemeente B', 'Zorg', '2014-Q1, 2016-Q1', 'Q4 2014; ', 1],
      ['Gemeente C', 'Zorg', 'Q1 2014; Q1 2016', 'Q4 2014; Q2 2016', 1],
      ['Gemeente D', 'Zorg', 'Q1 2016', '–', 1],
      ['Gemeente E', 'Zorg', 'Q1 2016', null, 1],
      ['Gemeente F', 'Zorg', null, null, 1],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.memberships)).toEqual([
      [
        { from: '2015-Q4', until: '2016-Q2' },
        { from: '2017-Q1', until: 'open' },
      ],
      [
        { from: '2014-Q1', until: '2014-Q4' },
        { from: '2016-Q1', until: 'open' },
      ],
      [
        { from: '2014-Q1', until: '2014-Q4' },
        { from: '2016-Q1', until: '2016-Q2' },
      ],
      // One period as lists have always had it: a dash says it runs, a blank says nothing.
      [{ from: '2016-Q1', until: 'open' }],
      [{ from: '2016-Q1', until: null }],
      [],
    ]);
  });

  it('when the periods in Lid sinds and Lid tot do not pair up, then the error says how to write them', async () => {
    const buffer = await list([
      ['Organisatie', 'Sector', 'Lid sinds', 'Lid tot', 'Q1 2016'],
      ['Gemeente A', 'Zorg', 'Q4 2015; Q1 2017', null, 1],
      ['Gemeente B', 'Zorg', 'Q4 2015', 'Q2 2016; Q4 2016', 1],
      ['Gemeente C', 'Zorg', 'Q4 2015; Q1 2017', '–; Q4 2017', 1],
      ['Gemeente D', 'Zorg', 'Q4 2015; ooit', 'Q1 2016; –', 1],
    ]);
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(messages(parsed)).toEqual([
      "rij 2, kolom Lid tot: 'Lid sinds' noemt 2 periodes en 'Lid tot' 0; zet in beide cellen de periodes in dezelfde volgorde, gescheiden door ';' (zoals 'Q4 2015; Q1 2017' en 'Q2 2016; –')",
      "rij 3, kolom Lid tot: 'Lid sinds' noemt 1 periode en 'Lid tot' 2; zet in beide cellen de periodes in dezelfde volgorde, gescheiden door ';' (zoals 'Q4 2015; Q1 2017' en 'Q2 2016; –')",
      "rij 4, kolom Lid tot: alleen de laatste periode kan nog lopen; zet in 'Lid tot' het laatste kwartaal van elke eerdere periode",
      "rij 5, kolom Lid sinds: 'ooit' is geen kwartaal; schrijf het als Q4 2015, 2015-Q4 of 4e kwartaal 2015, en meer periodes gescheiden door ;",
    ]);
  });

  it('when a carried-forward note names the quarter the gear came from, then that quarter is read', async () => {
    const buffer = await list(
      [
        ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016'],
        ['Gemeente A', 'Openbaar Bestuur', 3, 3],
      ],
      (wb) => {
        const ws = wb.getWorksheet('Prestatielijst')!;
        ws.getCell('C2').note =
          'Doorgeschoven uit Q3 2015, 2 kwartalen geleden: geen nieuwe quickscan in Q1 2016';
        ws.getCell('D2').font = { italic: true };
      },
    );
    const parsed = await readPrestatielijst(buffer, 'lijst.xlsx');
    expect(parsed.rows[0]!.gears).toEqual([
      { quarter: '2016-Q1', gear: 3, carried: true, carriedFrom: '2015-Q3' },
      { quarter: '2016-Q2', gear: 3, carried: true, carriedFrom: null },
    ]);
  });
});

describe('column letters', () => {
  it('when columns go past Z, then the letters continue as in a spreadsheet', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
