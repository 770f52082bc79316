import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../server/contracts/import.contract.ts';
import type { ImportProblem } from '../../server/excel/prestatielijst-reader.ts';
import { buildDataset, DATASET_M, PERIOD_M } from '../excel/datasets.ts';
import { buildTestApp, operatorContext, rowCounts, type TestApp, testAppPerTest } from '../helpers.ts';
import { answersForGear } from '../support.ts';
import {
  call,
  createOrg,
  expectError,
  getJson,
  type Organisation,
  type Quickscan,
  type Revision,
  recordQuickscan,
  setGear,
} from './fixtures.ts';

// The tests run on 15 November 2026: 2026-Q4 is the current quarter.

type Row = unknown[];

/** A real .xlsx built with exceljs; `decorate` styles cells the way a person or the export would. */
async function xlsx(rows: Row[], decorate?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Prestatielijst');
  rows.forEach((row, i) => {
    ws.getRow(i + 1).values = row as ExcelJS.CellValue[];
  });
  decorate?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let uploads = 0;

/** A multipart/form-data body by hand, as a browser sends a file input. */
function multipart(
  content: Buffer,
  filename: string,
  field = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vpt-import-${++uploads}-grens`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function upload(
  t: TestApp,
  content: Buffer,
  filename = 'lijst.xlsx',
  query = '',
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `/api/import/prestatielijst${query}`,
    ...multipart(content, filename),
  });
}

async function imported(
  t: TestApp,
  content: Buffer,
  filename = 'lijst.xlsx',
  query = '',
): Promise<ImportReport> {
  const res = await upload(t, content, filename, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ImportReport;
}

/** The refusal of an import: status, code and the listed problems. */
async function refused(t: TestApp, content: Buffer, status: 400 | 422, filename = 'lijst.xlsx') {
  const body = expectError(await upload(t, content, filename), status, 'import_invalid');
  const details = body.error.details as { problems: ImportProblem[]; problemCount: number };
  expect(details.problemCount).toBe(details.problems.length);
  return { message: body.error.message, problems: details.problems };
}

async function organisationNamed(t: TestApp, name: string): Promise<Organisation> {
  const list = await getJson<{ items: Organisation[] }>(t.app, '/api/organisations?includeArchived=true');
  const org = list.items.find((o) => o.name === name);
  if (!org) throw new Error(`no organisation '${name}'`);
  return org;
}

async function gearsOf(t: TestApp, name: string): Promise<Array<[string, number, string]>> {
  const org = await organisationNamed(t, name);
  const list = await getJson<Quickscan[]>(t.app, `/api/organisations/${org.id}/quickscans`);
  return list.map((q) => [q.quarter, q.gear, q.source]);
}

/** The list a region keeps by hand: title rows, headings, averages, odd spacing, a formula. */
const REGION_LIST: Row[] = [
  ['Prestatielijst VPT-regio Noord'],
  ['Periode: Q4 2015 t/m Q2 2016'],
  [],
  [
    ' organisatie',
    'SECTOR ',
    'Lid sinds',
    'Lid tot',
    '4e kwartaal 2015',
    '2016-Q1',
    'Q2 2016',
    'Verandering',
  ],
  ['Zorg'],
  ['Ziekenhuis Noord', ' zorg', null, null, 3, null, 4, 1],
  ['Thuiszorg Zuid', 'Zorg', 'Q3 2015', '2016-Q1', '2', ' 2 ', null, 0],
  ['Gemiddelde Zorg', null, null, null, 2.5, 2, 4, null],
  ['Energie'],
  ['Netbeheerder West', 'Energie', null, null, null, null, { formula: '2+3', result: 5 }, null],
  ['Gemiddelde Energie', null, null, null, null, null, 5, null],
  [],
  ['Gemiddelde regio', null, null, null, 2.5, 2, 4.5, null],
];

const t = testAppPerTest();

describe('importing a prestatielijst into an empty database', () => {
  it('when a hand-kept list is imported, then its sectors, organisations, memberships and gears are there (and the report names the new sector, no moves)', async () => {
    // Act
    const report = await imported(t, await xlsx(REGION_LIST));

    // Assert: the report
    expect(report).toEqual({
      dryRun: false,
      file: { name: 'lijst.xlsx', format: 'xlsx', sheet: 'Prestatielijst', organisations: 3 },
      quarters: { from: '2015-Q4', to: '2016-Q2' },
      sectors: { created: ['Energie'] },
      organisations: {
        created: ['Ziekenhuis Noord', 'Thuiszorg Zuid', 'Netbeheerder West'],
        updated: [],
        unchanged: 0,
      },
      gears: { created: 5, changed: 0, unchanged: 0 },
      sectorMoves: [],
      newSectors: ['Energie'],
      // Every row passed over is listed, with why.
      skippedRows: [
        expect.objectContaining({ row: 5, name: 'Zorg', reason: 'heading' }),
        expect.objectContaining({ row: 8, name: 'Gemiddelde Zorg', reason: 'average' }),
        expect.objectContaining({ row: 9, name: 'Energie', reason: 'heading' }),
        expect.objectContaining({ row: 11, name: 'Gemiddelde Energie', reason: 'average' }),
        expect.objectContaining({ row: 13, name: 'Gemiddelde regio', reason: 'average' }),
      ],
      errors: [],
    });
    // …and what is in the database: existing sector matched by name, membership from the file or
    // from the first gear, a blank cell recorded as nothing (the gear carries forward).
    const noord = await organisationNamed(t, 'Ziekenhuis Noord');
    expect(noord).toMatchObject({ sector: 'Zorg', memberFrom: '2015-Q4', memberUntil: null });
    expect(await organisationNamed(t, 'Thuiszorg Zuid')).toMatchObject({
      sector: 'Zorg',
      memberFrom: '2015-Q3',
      memberUntil: '2016-Q1',
    });
    expect(await organisationNamed(t, 'Netbeheerder West')).toMatchObject({
      sector: 'Energie',
      memberFrom: '2016-Q2',
    });
    expect(await gearsOf(t, 'Ziekenhuis Noord')).toEqual([
      ['2015-Q4', 3, 'import'],
      ['2016-Q2', 4, 'import'],
    ]);
    expect(await gearsOf(t, 'Thuiszorg Zuid')).toEqual([
      ['2015-Q4', 2, 'import'],
      ['2016-Q1', 2, 'import'],
    ]);
    expect(await gearsOf(t, 'Netbeheerder West')).toEqual([['2016-Q2', 5, 'import']]);
    const status = await getJson<{ gear: number | null }>(
      t.app,
      `/api/organisations/${noord.id}/status?quarter=2016-Q1`,
    );
    expect(status.gear).toBe(3);
  });

  it('when the same list comes as a semicolon CSV, then the result is the same', async () => {
    const csv =
      '\uFEFFPrestatielijst VPT-regio Noord;;;;;;\r\n' +
      'Organisatie;Sector;Lid sinds;Lid tot;Q4 2015;Q1 2016;Q2 2016\r\n' +
      'Zorg;;;;;;\r\n' +
      'Ziekenhuis Noord;Zorg;;;3;;4\r\n' +
      'Thuiszorg Zuid;Zorg;2015-Q3;2016-Q1;2;2;\r\n' +
      'Netbeheerder West;Energie;;;;;5\r\n' +
      'Gemiddelde regio;;;;2,5;2;4,5\r\n';
    const report = await imported(t, Buffer.from(csv), 'lijst.csv');
    expect(report.file.format).toBe('csv');
    expect(report.organisations.created).toHaveLength(3);
    expect(report.gears).toEqual({ created: 5, changed: 0, unchanged: 0 });
    expect(await gearsOf(t, 'Thuiszorg Zuid')).toEqual([
      ['2015-Q4', 2, 'import'],
      ['2016-Q1', 2, 'import'],
    ]);
  });

  it('when the same file is imported twice, then the second import changes nothing', async () => {
    // Arrange
    const file = await xlsx(REGION_LIST);
    await imported(t, file);
    const before = await rowCounts(t);

    // Act
    const second = await imported(t, file);

    // Assert: not one new row anywhere, not one new revision.
    expect(second.sectors.created).toEqual([]);
    expect(second.organisations).toEqual({ created: [], updated: [], unchanged: 3 });
    expect(second.gears).toEqual({ created: 0, changed: 0, unchanged: 5 });
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when an import is a dry run, then it reports exactly what the import would do and writes nothing', async () => {
    // Arrange
    const file = await xlsx(REGION_LIST);
    const before = await rowCounts(t);

    // Act
    const dry = await imported(t, file, 'lijst.xlsx', '?dryRun=true');

    // Assert
    expect(dry.dryRun).toBe(true);
    expect(await rowCounts(t)).toEqual(before);
    const real = await imported(t, file);
    expect(real).toEqual({ ...dry, dryRun: false });
  });
});

describe('all or nothing', () => {
  it('when one cell among many good rows is bad, then nothing is written and the error names its row and column', async () => {
    // Arrange: a good list, one bad gear, and an existing organisation the import would update.
    await createOrg(t.app, { name: 'Ziekenhuis Noord', sector: 'Onderwijs', memberFrom: '2016-Q1' });
    const rows = REGION_LIST.map((r) => [...r]);
    rows[9]![6] = 6;
    const before = await rowCounts(t);

    // Act
    const { message, problems } = await refused(t, await xlsx(rows), 400);

    // Assert
    expect(problems).toEqual([
      {
        code: 'import_cell',
        row: 10,
        column: 'Q2 2016',
        message: "rij 10, kolom Q2 2016: '6' is geen versnelling van 1 tot 5",
      },
    ]);
    expect(message).toBe(
      "de lijst is niet ingelezen en er is niets opgeslagen: rij 10, kolom Q2 2016: '6' is geen versnelling van 1 tot 5",
    );
    expect(await rowCounts(t)).toEqual(before);
    expect(await organisationNamed(t, 'Ziekenhuis Noord')).toMatchObject({
      sector: 'Onderwijs',
      memberFrom: '2016-Q1',
    });
  });

  it('when a file has many errors of several kinds, then every one is listed, in row order', async () => {
    const file = await xlsx([
      ['Organisatie', 'Sector', 'Q4 2015', 'Q5 2016', '2026-Q4', '2027-Q1'],
      ['Gemeente A', 'Openbaar Bestuur', 6, null, null, null],
      ['Gemeente B', 'Openbaar Bestuur', 2.5, null, 3, null],
      ['gemeente a', 'Openbaar Bestuur', 2, null, null, null],
      ['Gemeente C', 'Openbaar Bestuur', 3, null, 3, 4],
    ]);
    const before = await rowCounts(t);

    const { message, problems } = await refused(t, file, 400);

    expect(message).toBe('de lijst is niet ingelezen en er is niets opgeslagen: 5 fouten gevonden');
    expect(problems.map((e) => e.message)).toEqual([
      expect.stringMatching(/^rij 1, kolom D: 'Q5 2016' is geen kwartaal/),
      "rij 2, kolom Q4 2015: '6' is geen versnelling van 1 tot 5",
      "rij 3, kolom Q4 2015: '2,5' is geen versnelling van 1 tot 5",
      expect.stringMatching(/^rij 4, kolom Organisatie: 'gemeente a' staat al in rij 2/),
      // The database rules ran too, on the rows that could be read.
      'rij 5, kolom Q1 2027: Q1 2027 ligt in de toekomst; een versnelling kan tot en met Q4 2026 worden ingelezen',
    ]);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the rules refuse a readable file, then it is 422 and every refused cell is listed', async () => {
    await createOrg(t.app, { name: 'Gemeente Oud', memberFrom: '2016-Q1' });
    const file = await xlsx([
      ['Organisatie', 'Sector', 'Lid sinds', 'Lid tot', 'Q4 2015', 'Q1 2016', 'Q4 2026', 'Q1 2027'],
      ['Gemeente Nieuw', 'Zorg', 'Q1 2016', null, 3, 3, null, null],
      ['Gemeente Later', 'Zorg', '2016-Q2', '2016-Q1', null, null, null, null],
      ['Gemeente Oud', 'Openbaar Bestuur', null, null, null, 2, 3, 4],
      ['Gemeente Weg', 'Zorg', null, 'Q4 2015', 2, 2, null, null],
    ]);
    const before = await rowCounts(t);

    const { problems } = await refused(t, file, 422);

    expect(problems).toEqual([
      {
        code: 'import_cell',
        row: 2,
        column: 'Q4 2015',
        message:
          "rij 2, kolom Q4 2015: Q4 2015 ligt vóór 'Lid sinds' (Q1 2016); pas Lid sinds aan of maak de cel leeg",
      },
      {
        code: 'import_cell',
        row: 3,
        column: 'Lid tot',
        message: "rij 3, kolom Lid tot: 'lid tot' (Q1 2016) ligt vóór 'lid sinds' (Q2 2016)",
      },
      {
        code: 'import_cell',
        row: 4,
        column: 'Q1 2027',
        message:
          'rij 4, kolom Q1 2027: Q1 2027 ligt in de toekomst; een versnelling kan tot en met Q4 2026 worden ingelezen',
      },
      {
        code: 'import_cell',
        row: 5,
        column: 'Q1 2016',
        message:
          "rij 5, kolom Q1 2016: Q1 2016 ligt na 'Lid tot' (Q4 2015); pas Lid tot aan of maak de cel leeg",
      },
    ]);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when a service refuses a row (a name with control characters), then that is a row error, not a crash', async () => {
    const file = Buffer.from(
      `Organisatie;Sector;Q1 2016\nGemeente\u0007Stil;Zorg;2\nGoed;${'S'.repeat(101)};3\n`,
    );
    const { problems } = await refused(t, file, 422, 'lijst.csv');
    expect(problems).toEqual([
      {
        code: 'import_cell',
        row: 2,
        column: 'Organisatie',
        message: 'rij 2, kolom Organisatie: de naam bevat onzichtbare stuurtekens; typ hem opnieuw',
      },
      {
        code: 'import_cell',
        row: 3,
        column: 'Sector',
        message: 'rij 3, kolom Sector: de naam van de sector is langer dan 100 tekens',
      },
    ]);
  });
});

describe('importing over what is already recorded', () => {
  it('when an archived organisation would need a wider membership, then the row error says why the membership changes', async () => {
    const org = await createOrg(t.app, { name: 'Gemeente Weg', memberFrom: '2016-Q1' });
    await call(t.app, { method: 'POST', url: `/api/organisations/${org.id}/archive`, payload: {} }, 200);

    const { problems } = await refused(
      t,
      Buffer.from('Organisatie;Sector;Q4 2015\nGemeente Weg;Openbaar Bestuur;2\n'),
      422,
      'lijst.csv',
    );

    expect(problems).toEqual([
      {
        code: 'import_cell',
        row: 2,
        column: null,
        message:
          "rij 2: om de versnellingen in de lijst te dekken moet het lidmaatschap van 'Gemeente Weg' Q4 2015 tot en met Q4 2026 worden, " +
          "maar: organisatie 'Gemeente Weg' is gearchiveerd; zet haar eerst terug voordat u het lidmaatschap wijzigt",
      },
    ]);
  });

  it('when the file has another gear than a recorded one, then it is changed and the old gear stays in the history', async () => {
    // Arrange
    const org = await createOrg(t.app, { name: 'Gemeente Noord', memberFrom: '2016-Q1' });
    await setGear(t.app, org.id, '2016-Q1', 2);
    await setGear(t.app, org.id, '2016-Q2', 3);

    // Act
    const report = await imported(
      t,
      Buffer.from('Organisatie;Sector;Q1 2016;Q2 2016\nGemeente Noord;Openbaar Bestuur;4;3\n'),
      'lijst.csv',
    );

    // Assert
    expect(report.organisations).toEqual({ created: [], updated: [], unchanged: 1 });
    expect(report.gears).toEqual({ created: 0, changed: 1, unchanged: 1 });
    expect(await gearsOf(t, 'Gemeente Noord')).toEqual([
      ['2016-Q1', 4, 'import'],
      ['2016-Q2', 3, 'manual'],
    ]);
    const history = await getJson<Revision[]>(
      t.app,
      `/api/organisations/${org.id}/quickscans/2016-Q1/revisions`,
    );
    expect(history.map((r) => [r.action, (r.before as { gear: number } | null)?.gear ?? null])).toEqual([
      ['update', 2],
      ['create', null],
    ]);
  });

  it('when a quarter has a quickscan with answers, then another gear in the file is an error and the same gear is unchanged', async () => {
    const org = await createOrg(t.app, { name: 'Gemeente Noord', memberFrom: '2016-Q1' });
    await recordQuickscan(t.app, org.id, '2016-Q2', answersForGear(3));
    const header = 'Organisatie;Sector;Q2 2016\n';

    const { problems } = await refused(
      t,
      Buffer.from(`${header}Gemeente Noord;Openbaar Bestuur;4\n`),
      422,
      'l.csv',
    );
    expect(problems).toEqual([
      {
        code: 'import_cell',
        row: 2,
        column: 'Q2 2016',
        message: expect.stringMatching(
          /^rij 2, kolom Q2 2016: 'Gemeente Noord' heeft in Q2 2016 een quickscan met antwoorden die versnelling 3 geeft; de lijst zegt 4/,
        ),
      },
    ]);

    const same = await imported(t, Buffer.from(`${header}Gemeente Noord;Openbaar Bestuur;3\n`), 'l.csv');
    expect(same.gears).toEqual({ created: 0, changed: 0, unchanged: 1 });
    expect(await gearsOf(t, 'Gemeente Noord')).toEqual([['2016-Q2', 3, 'quickscan']]);
  });

  it('when the file has gears before an organisation joined, or another sector, then the organisation is updated to match', async () => {
    await createOrg(t.app, { name: 'Gemeente Noord', sector: 'Zorg', memberFrom: '2016-Q3' });
    await createOrg(t.app, { name: 'Gemeente Zuid', memberFrom: '2016-Q1', memberUntil: '2016-Q2' });

    const report = await imported(
      t,
      Buffer.from(
        'Organisatie;Sector;Q1 2016;Q3 2016\n' +
          'GEMEENTE NOORD ;Openbaar Bestuur;2;\n' +
          'Gemeente Zuid;Openbaar Bestuur;;3\n',
      ),
      'lijst.csv',
    );

    expect(report.organisations).toEqual({
      created: [],
      updated: ['Gemeente Noord', 'Gemeente Zuid'],
      unchanged: 0,
    });
    expect(await organisationNamed(t, 'Gemeente Noord')).toMatchObject({
      sector: 'Openbaar Bestuur',
      memberFrom: '2016-Q1',
      memberUntil: null,
    });
    expect(await organisationNamed(t, 'Gemeente Zuid')).toMatchObject({
      memberFrom: '2016-Q1',
      memberUntil: '2016-Q3',
    });
  });

  it('when a cell only shows the gear carried forward (italic, as the export marks it), then no entry is added for it', async () => {
    // Arrange: a gear recorded in Q1; the list shows it carried into Q2 (italic) and confirmed in Q3 (plain).
    const org = await createOrg(t.app, { name: 'Gemeente Noord', memberFrom: '2016-Q1' });
    await setGear(t.app, org.id, '2016-Q1', 3);
    const file = await xlsx(
      [
        ['Organisatie', 'Sector', 'Q1 2016', 'Q2 2016', 'Q3 2016'],
        ['Gemeente Noord', 'Openbaar Bestuur', 3, 3, 3],
      ],
      (ws) => {
        ws.getCell('D2').font = { italic: true };
      },
    );

    // Act
    const report = await imported(t, file);

    // Assert: Q3 is a quickscan that confirmed the gear; Q2 only showed it.
    expect(report.gears).toEqual({ created: 1, changed: 0, unchanged: 2 });
    expect(await gearsOf(t, 'Gemeente Noord')).toEqual([
      ['2016-Q1', 3, 'manual'],
      ['2016-Q3', 3, 'import'],
    ]);
  });
});

describe('files that cannot be imported', () => {
  it('when the file is no spreadsheet, then it is 400 with a clear message and nothing is written', async () => {
    const before = await rowCounts(t);
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31 + 7) % 256));
    const { problems } = await refused(t, garbage, 400, 'lijst.xlsx');
    expect(problems).toEqual([
      {
        code: 'import_file',
        row: null,
        column: null,
        message:
          "'lijst.xlsx' kon niet worden gelezen als Excel-werkmap (.xlsx); sla de lijst in Excel of LibreOffice op als .xlsx of .csv en probeer het opnieuw",
      },
    ]);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the file is empty or has no Sector column, then it is 400 saying so', async () => {
    expect((await refused(t, Buffer.alloc(0), 400)).problems[0]!.message).toBe("'lijst.xlsx' is leeg");
    const noSector = await xlsx([
      ['Organisatie', 'Q1 2016'],
      ['Gemeente A', 2],
    ]);
    expect((await refused(t, noSector, 400)).problems[0]!.message).toMatch(/kolom 'Sector' ontbreekt/);
  });

  it('when the file is over 5 MB, then it is 413 with a clear message', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x41);
    const body = expectError(await upload(t, big, 'groot.csv'), 413, 'file_too_large');
    expect(body.error.message).toBe('het bestand is te groot: een prestatielijst mag hoogstens 5 MB zijn');
  });

  it('when the list has more than 10,000 rows, then it is 413 with a clear message', async () => {
    const lines = ['Organisatie;Sector;Q1 2016'];
    for (let i = 0; i < 10_001; i++) lines.push(`Organisatie ${i};Zorg;3`);
    const body = expectError(
      await upload(t, Buffer.from(lines.join('\n')), 'lang.csv'),
      413,
      'file_too_large',
    );
    expect(body.error.message).toMatch(/^de lijst heeft 10001 rijen onder de kopregel/);
  });

  it('when the request is not multipart, then it is 415 saying how to send the file', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/import/prestatielijst',
      payload: { file: 'lijst.xlsx' },
    });
    expect(expectError(json, 415, 'unsupported_media_type').error.message).toMatch(/multipart\/form-data/);
    const raw = await t.app.inject({
      method: 'POST',
      url: '/api/import/prestatielijst',
      payload: await xlsx([['Organisatie', 'Sector']]),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expectError(raw, 415, 'unsupported_media_type');
  });

  it('when the multipart body has no file or the file in another field, then it is 400 naming the field', async () => {
    const other = multipart(Buffer.from('Organisatie;Sector\n'), 'lijst.csv', 'bestand');
    const res = await t.app.inject({ method: 'POST', url: '/api/import/prestatielijst', ...other });
    expect(expectError(res, 400, 'file_missing').error.message).toMatch(/'file'/);
    const boundary = 'leeg';
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/import/prestatielijst',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="opmerking"\r\n\r\nhallo\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expectError(empty, 400, 'file_missing');
  });
});

describe('who may import', () => {
  it('when the bestuur or nobody tries to import, then it is 403 or 401 and nothing is written', async () => {
    const bestuur = await buildTestApp({ as: 'bestuur' });
    try {
      const file = await xlsx(REGION_LIST);
      const res = await bestuur.app.inject({
        method: 'POST',
        url: '/api/import/prestatielijst',
        ...multipart(file, 'lijst.xlsx'),
      });
      expectError(res, 403, 'forbidden');
      const anonymous = await bestuur.anonymous({
        method: 'POST',
        url: '/api/import/prestatielijst',
        ...multipart(file, 'lijst.xlsx'),
      });
      expectError(anonymous, 401, 'unauthenticated');
      const orgs = await call<{ items: unknown[] }>(
        bestuur.app,
        { method: 'GET', url: '/api/organisations' },
        200,
      );
      expect(orgs.items).toEqual([]);
    } finally {
      await bestuur.close();
    }
  });
});

describe('round trip', () => {
  /** Gear and recorded quarter of every organisation in every quarter of the period, by name. */
  async function gearsPerQuarter(app: TestApp['app'], quarters: string[]) {
    const result: Record<string, Record<string, number | null>> = {};
    for (const q of quarters) {
      const list = await getJson<{ items: Array<{ name: string; gear: number | null }> }>(
        app,
        `/api/organisations?includeArchived=true&quarter=${q}`,
      );
      for (const o of list.items) {
        result[o.name] ??= {};
        result[o.name]![q] = o.gear;
      }
    }
    return result;
  }

  async function organisations(app: TestApp['app']) {
    const list = await getJson<{ items: Organisation[] }>(app, '/api/organisations?includeArchived=true');
    return list.items
      .map((o) => ({ name: o.name, sector: o.sector, memberFrom: o.memberFrom, memberUntil: o.memberUntil }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  it('when an exported prestatielijst is imported into an empty database, then organisations, memberships, gears and the report are the same (a gear carried into the period is recorded in the quarter its note names)', async () => {
    // Arrange: a region with a gear from before the period, a quickscan with answers, a gear
    // confirmed again in a later quarter, a membership that ended, an organisation without gears.
    await call(t.app, { method: 'POST', url: '/api/sectors', payload: { name: 'Energie' } }, 201);
    const noord = await createOrg(t.app, { name: 'Ziekenhuis Noord', sector: 'Zorg', memberFrom: '2015-Q3' });
    await setGear(t.app, noord.id, '2015-Q3', 2);
    await recordQuickscan(t.app, noord.id, '2016-Q1', answersForGear(3));
    await setGear(t.app, noord.id, '2016-Q3', 3);
    const zuid = await createOrg(t.app, {
      name: 'Thuiszorg Zuid',
      sector: 'Zorg',
      memberFrom: '2015-Q4',
      memberUntil: '2016-Q2',
    });
    await setGear(t.app, zuid.id, '2015-Q4', 1);
    await setGear(t.app, zuid.id, '2016-Q2', 2);
    await createOrg(t.app, { name: 'Netbeheerder West', sector: 'Energie', memberFrom: '2016-Q2' });
    const oost = await createOrg(t.app, { name: 'Gemeente Oost', memberFrom: '2016-Q1' });
    await setGear(t.app, oost.id, '2016-Q1', 4);
    await setGear(t.app, oost.id, '2016-Q4', 5);
    const period = 'from=2015-Q4&to=2016-Q4';
    const quarters = ['2015-Q4', '2016-Q1', '2016-Q2', '2016-Q3', '2016-Q4'];
    const exported = await t.app.inject({ method: 'GET', url: `/api/reports/prestatielijst.xlsx?${period}` });
    expect(exported.statusCode, exported.body).toBe(200);
    const fresh = await buildTestApp();
    try {
      // Act
      const report = await imported(fresh, exported.rawPayload, 'prestatielijst.xlsx');

      // Assert
      expect(report.sectors.created).toEqual(['Energie']);
      expect(report.organisations.created).toHaveLength(4);
      expect(await organisations(fresh.app)).toEqual(await organisations(t.app));
      expect(await gearsPerQuarter(fresh.app, quarters)).toEqual(await gearsPerQuarter(t.app, quarters));
      for (const view of ['summary', 'matrix']) {
        const url = `/api/reports/${view}?${period}`;
        expect(await getJson(fresh.app, url), view).toEqual(await getJson(t.app, url));
      }
      // Carried-forward cells add nothing; the gear carried into the period is recorded in the
      // quarter its note names ("Doorgeschoven uit Q3 2015, …"), so it is as old as it was.
      expect((await gearsOf(fresh, 'Ziekenhuis Noord')).map(([q, g]) => [q, g])).toEqual([
        ['2015-Q3', 2],
        ['2016-Q1', 3],
        ['2016-Q3', 3],
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('when an exported prestatielijst is imported into the database it came from, then nothing changes', async () => {
    const noord = await createOrg(t.app, { name: 'Ziekenhuis Noord', sector: 'Zorg', memberFrom: '2015-Q3' });
    await setGear(t.app, noord.id, '2015-Q3', 2);
    await recordQuickscan(t.app, noord.id, '2016-Q1', answersForGear(3));
    const oost = await createOrg(t.app, { name: 'Gemeente Oost', memberFrom: '2016-Q1' });
    await setGear(t.app, oost.id, '2016-Q2', 4);
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/reports/prestatielijst.xlsx?from=2015-Q4&to=2016-Q4',
    });
    const before = await rowCounts(t);

    const report = await imported(t, exported.rawPayload);

    expect(report.organisations).toEqual({ created: [], updated: [], unchanged: 2 });
    expect(report.gears.created + report.gears.changed).toBe(0);
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('sector moves and new sectors, and sector names that look alike', () => {
  /** Ziekenhuis Rivierland in Zorg since Q4 2015 with a gear in Q1 2016. */
  async function rivierland() {
    const org = await createOrg(t.app, {
      name: 'Ziekenhuis Rivierland',
      sector: 'Zorg',
      memberFrom: '2015-Q4',
    });
    await setGear(t.app, org.id, '2016-Q1', 2);
    return org;
  }

  const MOVE_LIST =
    'Organisatie;Sector;Q1 2016;Q2 2016;Q3 2016;Q4 2016\n' +
    'Ziekenhuis Rivierland;Zorgg;;;3;3\n' +
    'Netbeheerder West;Energie;;2;;\n';

  it('when a new sector name is within two letters of an existing one, then the import is refused naming the existing sector, and nothing is written', async () => {
    await rivierland();
    const before = await rowCounts(t);

    const body = expectError(await upload(t, Buffer.from(MOVE_LIST), 'lijst.csv'), 422, 'import_invalid');

    expect(body.error.details).toEqual({
      problems: [
        {
          code: 'similar_sector',
          row: 2,
          column: 'Sector',
          message:
            "rij 2, kolom Sector: 'Zorgg' lijkt op de bestaande sector 'Zorg'; schrijf 'Zorg' als dat dezelfde sector is, of bevestig dat 'Zorgg' een nieuwe sector is",
        },
      ],
      problemCount: 1,
      similarSectors: [{ name: 'Zorgg', existing: 'Zorg' }],
    });
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when the look-alike name is confirmed with newSector, then the dry run lists the move and the new sectors above the counts and writes nothing', async () => {
    await rivierland();
    const before = await rowCounts(t);

    const dry = await imported(t, Buffer.from(MOVE_LIST), 'lijst.csv', '?dryRun=true&newSector=Zorgg');

    expect(dry.sectorMoves).toEqual([
      { organisation: 'Ziekenhuis Rivierland', from: 'Zorg', to: 'Zorgg', fromQuarter: '2016-Q3' },
    ]);
    expect(dry.newSectors).toEqual(['Zorgg', 'Energie']);
    expect(dry.organisations).toEqual({
      created: ['Netbeheerder West'],
      updated: ['Ziekenhuis Rivierland'],
      unchanged: 0,
    });
    expect(await rowCounts(t)).toEqual(before);

    // The import itself does what the dry run said: the move from the first gear in the list on,
    // the quarters before keep their sector.
    const real = await imported(t, Buffer.from(MOVE_LIST), 'lijst.csv', '?newSector=Zorgg');
    expect(real).toEqual({ ...dry, dryRun: false });
    const org = await organisationNamed(t, 'Ziekenhuis Rivierland');
    expect(org.sectorHistory.map((s) => [s.sector, s.from])).toEqual([
      ['Zorg', '2015-Q4'],
      ['Zorgg', '2016-Q3'],
    ]);
    const inQ2 = await getJson<{ sector: string }>(
      t.app,
      `/api/organisations/${org.id}/status?quarter=2016-Q2`,
    );
    expect(inQ2.sector).toBe('Zorg');
    // Importing it again changes nothing and lists no move.
    const again = await imported(t, Buffer.from(MOVE_LIST), 'lijst.csv');
    expect(again.sectorMoves).toEqual([]);
    expect(again.newSectors).toEqual([]);
    expect(again.organisations).toEqual({ created: [], updated: [], unchanged: 2 });
  });

  it('when a new sector name equals an existing one but for diacritics, then every row with it is a problem and the name is listed once', async () => {
    const file = Buffer.from(
      'Organisatie;Sector;Q1 2016\n' +
        'Woonstichting A;Woningbouwcoöperaties;2\n' +
        'Woonstichting B;Woningbouwcorporaties;3\n' +
        'Woonstichting C;woningbouwcoöperaties;3\n' +
        'Haven Noord;Havens;3\n',
    );

    const body = expectError(await upload(t, file, 'lijst.csv'), 422, 'import_invalid');

    const details = body.error.details as { problems: ImportProblem[]; similarSectors: unknown };
    expect(details.problems.map((p) => [p.code, p.row, p.column])).toEqual([
      ['similar_sector', 2, 'Sector'],
      ['similar_sector', 4, 'Sector'],
    ]);
    expect(details.problems[0]!.message).toMatch(
      /^rij 2, kolom Sector: 'Woningbouwcoöperaties' lijkt op de bestaande sector 'Woningbouwcorporaties'/,
    );
    expect(details.similarSectors).toEqual([
      { name: 'Woningbouwcoöperaties', existing: 'Woningbouwcorporaties' },
    ]);
  });

  it('when several look-alike names are each confirmed (newSector repeated), then they are created; a short name is never taken for a typo', async () => {
    const file = Buffer.from(
      'Organisatie;Sector;Q1 2016\n' +
        'Woonstichting A;Woningbouwcoöperaties;2\n' +
        'Ziekenhuis B;Zorgg;3\n' +
        'Kliniek C;Zog;3\n' +
        'Kliniek D; ZORG ;3\n',
    );

    const report = await imported(
      t,
      file,
      'lijst.csv',
      `?newSector=${encodeURIComponent('Woningbouwcoöperaties')}&newSector=zorgg`,
    );

    expect(report.newSectors).toEqual(['Woningbouwcoöperaties', 'Zorgg', 'Zog']);
    expect((await organisationNamed(t, 'Kliniek D')).sector).toBe('Zorg');
  });

  it('when the OpenAPI document is read, then the import names newSector, sectorMoves and newSectors', async () => {
    const doc = (await t.anonymous({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, { post?: { parameters?: Array<{ name: string; in: string }> } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const op = doc.paths['/api/import/prestatielijst']?.post;
    expect(op?.parameters?.filter((p) => p.in === 'query').map((p) => p.name)).toEqual([
      'dryRun',
      'newSector',
      'reason',
    ]);
    expect(Object.keys(doc.components.schemas.ImportReport?.properties ?? {})).toEqual(
      expect.arrayContaining(['sectorMoves', 'newSectors']),
    );
  });
});

describe('membership periods and sectors from a list, within its quarters only', () => {
  it('when a list says an organisation left and rejoined, then it gets those periods in the list’s quarters and keeps its own outside them', async () => {
    // Arrange: a member since 2014 with gears before and after the list's quarters.
    const org = await createOrg(t.app, { name: 'Gemeente Oost', memberFrom: '2014-Q1' });
    await setGear(t.app, org.id, '2014-Q2', 2);
    await setGear(t.app, org.id, '2019-Q1', 4);
    const file = Buffer.from(
      'Organisatie;Sector;Lid sinds;Lid tot;Q4 2015;Q1 2016;Q2 2016;Q3 2016;Q4 2016;Q1 2017\n' +
        'Gemeente Oost;Openbaar Bestuur;"Q1 2012; Q1 2017";"Q2 2016; –";;;;;;3\n',
    );

    // Act
    const report = await imported(t, file, 'lijst.csv');

    // Assert: the gap is there, the start in 2014 (not the list's 2012) and the later gear stay.
    expect(report.organisations.updated).toEqual(['Gemeente Oost']);
    expect((await organisationNamed(t, 'Gemeente Oost')).memberships).toEqual([
      { from: '2014-Q1', until: '2016-Q2' },
      { from: '2017-Q1', until: null },
    ]);
    expect((await gearsOf(t, 'Gemeente Oost')).map(([q, g]) => [q, g])).toEqual([
      ['2014-Q2', 2],
      ['2017-Q1', 3],
      ['2019-Q1', 4],
    ]);
    // The same list again changes nothing.
    const before = await rowCounts(t);
    expect((await imported(t, file, 'lijst.csv')).organisations.unchanged).toBe(1);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('when a list says a member left while the database has a gear after that in the list’s quarters, then it is refused naming that gear', async () => {
    const org = await createOrg(t.app, { name: 'Gemeente Oost', memberFrom: '2015-Q4' });
    await setGear(t.app, org.id, '2016-Q3', 3);

    const { problems } = await refused(
      t,
      Buffer.from(
        'Organisatie;Sector;Lid sinds;Lid tot;Q4 2015;Q4 2016\nGemeente Oost;Openbaar Bestuur;Q4 2015;Q2 2016;2;\n',
      ),
      422,
      'lijst.csv',
    );

    expect(problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Lid tot',
        message: expect.stringMatching(/^rij 2, kolom Lid tot: .*Q3 2016/),
      }),
    ]);
  });

  it('when a list has a row per sector for an organisation that stayed in one, then it moves where the rows say', async () => {
    await createOrg(t.app, { name: 'Kliniek X', sector: 'Zorg', memberFrom: '2015-Q4' });

    const report = await imported(
      t,
      Buffer.from(
        'Organisatie;Sector;Lid sinds;Q4 2015;Q1 2016;Q2 2016;Q3 2016\n' +
          'Zorg;;;;;;\n' +
          'Kliniek X (tot en met Q1 2016);Zorg;Q4 2015;2;2;;\n' +
          'Anders;;;;;;\n' +
          'Kliniek X (vanaf Q2 2016);Anders;Q4 2015;;;3;3\n',
      ),
      'lijst.csv',
    );

    expect(report.sectorMoves).toEqual([
      { organisation: 'Kliniek X', from: 'Zorg', to: 'Anders', fromQuarter: '2016-Q2' },
    ]);
    expect(report.organisations).toEqual({ created: [], updated: ['Kliniek X'], unchanged: 0 });
    // A CSV marks nothing as carried forward: every cell is a gear of its quarter.
    expect(report.gears).toEqual({ created: 4, changed: 0, unchanged: 0 });
    expect((await organisationNamed(t, 'Kliniek X')).sectorHistory.map((s) => [s.sector, s.from])).toEqual([
      ['Zorg', '2015-Q4'],
      ['Anders', '2016-Q2'],
    ]);
  });

  it('when an old list puts an organisation in another sector, then it moves from its first gear in the list until a move the database has after the list', async () => {
    const org = await createOrg(t.app, { name: 'Kliniek Noord', sector: 'Zorg', memberFrom: '2015-Q4' });
    const anders = (await getJson<Array<{ id: number; name: string }>>(t.app, '/api/sectors')).find(
      (s) => s.name === 'Anders',
    )!;
    await call(
      t.app,
      {
        method: 'POST',
        url: `/api/organisations/${org.id}/move`,
        payload: { sectorId: anders.id, from: '2019-Q1' },
      },
      200,
    );

    const report = await imported(
      t,
      Buffer.from('Organisatie;Sector;Q1 2016;Q2 2016;Q3 2016\nKliniek Noord;Onderwijs;;2;\n'),
      'lijst.csv',
    );

    expect(report.sectorMoves).toEqual([
      { organisation: 'Kliniek Noord', from: 'Zorg', to: 'Onderwijs', fromQuarter: '2016-Q2' },
      { organisation: 'Kliniek Noord', from: 'Onderwijs', to: 'Anders', fromQuarter: '2019-Q1' },
    ]);
    expect(
      (await organisationNamed(t, 'Kliniek Noord')).sectorHistory.map((s) => [s.sector, s.from]),
    ).toEqual([
      ['Zorg', '2015-Q4'],
      ['Onderwijs', '2016-Q2'],
      ['Anders', '2019-Q1'],
    ]);
  });
});

describe('round trip of a region through time', () => {
  const PERIOD = `from=${PERIOD_M.from}&to=${PERIOD_M.to}`;
  const QUARTERS = [
    '2015-Q4',
    '2016-Q1',
    '2016-Q2',
    '2016-Q3',
    '2016-Q4',
    '2017-Q1',
    '2017-Q2',
    '2017-Q3',
    '2017-Q4',
  ];

  /** Per organisation and quarter: member or not, its sector then, its gear and how old that is. */
  async function perQuarter(app: TestApp['app']) {
    const result: Record<string, Record<string, unknown>> = {};
    for (const q of QUARTERS) {
      const list = await getJson<{
        items: Array<{
          name: string;
          member: boolean;
          sector: string;
          gear: number | null;
          ageQuarters: number | null;
        }>;
      }>(app, `/api/organisations?includeArchived=true&quarter=${q}`);
      for (const o of list.items) {
        result[o.name] ??= {};
        result[o.name]![q] = o.member ? [o.sector, o.gear, o.ageQuarters] : null;
      }
    }
    return result;
  }

  async function timelines(app: TestApp['app']) {
    const list = await getJson<{ items: Organisation[] }>(app, '/api/organisations?includeArchived=true');
    return Object.fromEntries(
      list.items.map((o) => [
        o.name,
        { memberships: o.memberships, sectors: o.sectorHistory.map((s) => [s.sector, s.from]) },
      ]),
    );
  }

  async function gearEntries(app: TestApp['app']) {
    const list = await getJson<{ items: Organisation[] }>(app, '/api/organisations?includeArchived=true');
    const result: Record<string, unknown> = {};
    for (const o of list.items) {
      const scans = await getJson<Quickscan[]>(app, `/api/organisations/${o.id}/quickscans`);
      result[o.name] = scans.map((s) => [s.quarter, s.gear]);
    }
    return result;
  }

  it('when a list with moves, leavers and rejoiners is exported and imported into an empty database, then every report, quarter and period is the same', async () => {
    // Arrange
    await buildDataset(operatorContext(t.app), DATASET_M);
    const exported = await t.app.inject({ method: 'GET', url: `/api/reports/prestatielijst.xlsx?${PERIOD}` });
    expect(exported.statusCode, exported.body).toBe(200);
    const fresh = await buildTestApp();
    try {
      // Act
      const report = await imported(fresh, exported.rawPayload, 'prestatielijst.xlsx');

      // Assert: the moves the list holds, and the new sector.
      expect(report.newSectors).toEqual(['Energie']);
      expect(report.organisations.created).toHaveLength(8);
      expect(report.sectorMoves).toEqual([
        { organisation: 'GGZ Midden', from: 'Zorg', to: 'Sociale Zekerheid', fromQuarter: '2016-Q2' },
        { organisation: 'GGZ Midden', from: 'Sociale Zekerheid', to: 'Zorg', fromQuarter: '2017-Q1' },
        {
          organisation: 'Ziekenhuis Rivierland',
          from: 'Zorg',
          to: 'Sociale Zekerheid',
          fromQuarter: '2016-Q3',
        },
        {
          organisation: 'Woonstichting Delta',
          from: 'Woningbouwcorporaties',
          to: 'Anders',
          fromQuarter: '2017-Q1',
        },
      ]);
      // The same report and sector table for every quarter, stale gears included.
      // (The list holds gears, not answers: which model versions the quickscans had is not in it.)
      const figures = async (app: typeof t.app, url: string) => {
        const { modelVersions: _, ...rest } = await getJson<Record<string, unknown>>(app, url);
        return rest;
      };
      for (const view of ['summary', 'matrix', 'distribution']) {
        const url = `/api/reports/${view}?${PERIOD}`;
        expect(await figures(fresh.app, url), view).toEqual(await figures(t.app, url));
      }
      for (const q of QUARTERS) {
        const url = `/api/reports/summary?from=${q}&to=${q}`;
        expect(await figures(fresh.app, url), q).toEqual(await figures(t.app, url));
      }
      // Every organisation: member or not, its sector, gear and the gear's age in every quarter.
      expect(await perQuarter(fresh.app)).toEqual(await perQuarter(t.app));
      // The same periods (also one before the list) and gears (one carried into the list
      // recorded where its note says); the same sector histories, but where a move fell in a
      // gap of the membership: the list shows no sector there, so the move is where it rejoined.
      const original = await timelines(t.app);
      original['Woonstichting Delta']!.sectors = [
        ['Woningbouwcorporaties', '2015-Q4'],
        ['Anders', '2017-Q1'],
      ];
      expect(await timelines(fresh.app)).toEqual(original);
      const gears = await gearEntries(t.app);
      // Before the list, and not shown in it: Stichting Oud's gear of its first period.
      gears['Stichting Oud'] = [['2016-Q2', 3]];
      expect(await gearEntries(fresh.app)).toEqual(gears);

      // Importing the same list again changes nothing, there or where it came from.
      for (const app of [fresh, t]) {
        const before = await rowCounts(app);
        const again = await imported(app, exported.rawPayload, 'prestatielijst.xlsx');
        expect(again.organisations).toEqual({ created: [], updated: [], unchanged: 8 });
        expect(again.gears.created + again.gears.changed).toBe(0);
        expect(again.sectorMoves).toEqual([]);
        expect(await rowCounts(app)).toEqual(before);
      }
    } finally {
      await fresh.close();
    }
  });
});
