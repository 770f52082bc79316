// Importing incident figures and employees from a file (issue 12, item 1): POST
// /api/import/incidents. All or nothing, as the prestatielijst import: every problem at once,
// in Dutch, with the row and the column; a dry run writes nothing; projectleider only.
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OrganisationIncidents } from '../../server/contracts/incident.contract.ts';
import type { IncidentsImportReport } from '../../server/contracts/incidents-import.contract.ts';
import { rowsOf, testAppPerTest } from '../helpers.ts';
import {
  call,
  createOrg,
  expectError,
  getJson,
  injectAs,
  type Organisation,
  problemsOf,
  setGear,
} from './fixtures.ts';

// The tests run on 15 November 2026: 2026-Q4 is the current quarter.

const HEADER = [
  'Organisatie',
  'Kwartaal',
  'Verbaal',
  'Bedreiging',
  'Fysiek',
  'Overig',
  'Aangiftes',
  'Reacties binnen 48 uur',
  'Schade verhaald',
  'Medewerkers',
];

const TABLES = ['incident_figures', 'organisation_employees', 'revisions'] as const;

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Incidenten');
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`);

let uploads = 0;

/** A multipart/form-data body by hand, as a browser sends a file input. */
function multipart(content: Buffer, filename: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vpt-incidents-${++uploads}-grens`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const t = testAppPerTest();
let noord: Organisation;
let zuid: Organisation;

beforeEach(async () => {
  noord = await createOrg(t.app, { name: 'Gemeente Noord', memberFrom: '2016-Q1' });
  zuid = await createOrg(t.app, { name: 'Gemeente Zuid', memberFrom: '2016-Q1' });
});

function upload(content: Buffer, filename: string, query = ''): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `/api/import/incidents${query}`,
    ...multipart(content, filename),
  });
}

const incidentsOf = (org: Organisation) =>
  getJson<OrganisationIncidents>(t.app, `/api/organisations/${org.id}/incidents`);

describe('POST /api/import/incidents', () => {
  it('when a good .xlsx is imported, then its figures replace each quarter, employees are kept per year, and unchanged quarters get no revision', async () => {
    // Arrange
    const putFigures = (org: Organisation, quarter: string, payload: object) =>
      call(t.app, { method: 'PUT', url: `/api/organisations/${org.id}/incidents/${quarter}`, payload }, 201);
    await putFigures(noord, '2016-Q2', { verbal: 9, other: 3 });
    await putFigures(zuid, '2016-Q1', { verbal: 1, threat: 0 });
    const file = await xlsx([
      ['Id', ...HEADER],
      [null, 'Gemeente Noord', '2016-Q1', 4, 2, 0, null, 1, null, null, 1200],
      [null, 'gemeente  noord', 'Q2 2016', 5, null, null, null, null, null, null, 1200],
      [zuid.id, null, '2016-Q1', 1, 0, null, null, null, null, null, null],
      [zuid.id, 'Gemeente Zuid', '2017-Q1', 2, null, null, null, null, null, null, 800],
    ]);
    const revisionsBefore = (await rowsOf(t.db, ['revisions'])).revisions!.length;

    // Act
    const res = await upload(file, 'cijfers.xlsx');

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      dryRun: false,
      file: { name: 'cijfers.xlsx', format: 'xlsx', sheet: 'Incidenten', rows: 4 },
      figures: { created: 2, updated: 1, unchanged: 1 },
      employees: { created: 2, updated: 0, unchanged: 0 },
      organisations: 2,
      quarters: { from: '2016-Q1', to: '2017-Q1' },
      errors: [],
    } satisfies IncidentsImportReport);
    const n = await incidentsOf(noord);
    expect(n.quarters.map((q) => [q.quarter, q.verbal, q.threat, q.physical, q.other, q.reports])).toEqual([
      ['2016-Q1', 4, 2, 0, null, 1],
      // The row replaces the quarter: `overig` was 3, the file leaves it empty, so not registered.
      ['2016-Q2', 5, null, null, null, null],
    ]);
    expect(n.employees.map((e) => [e.year, e.employees])).toEqual([[2016, 1200]]);
    expect((await incidentsOf(zuid)).employees.map((e) => [e.year, e.employees])).toEqual([[2017, 800]]);
    // Two created, one updated and two employee counts: five revisions, none for the unchanged quarter.
    expect((await rowsOf(t.db, ['revisions'])).revisions!.length).toBe(revisionsBefore + 5);
  });

  it('when a CSV is imported with dryRun=true, then the report says what would happen and nothing is written', async () => {
    // Arrange
    const file = csv([
      HEADER.join(';'),
      'Gemeente Noord;2016-Q1;4;;;;;;;1200',
      'Gemeente Zuid;Q2 2016;;;;;;;;',
    ]);
    const before = await rowsOf(t.db, TABLES);

    // Act
    const res = await upload(file, 'cijfers.csv', '?dryRun=true');

    // Assert
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: true,
      file: { name: 'cijfers.csv', format: 'csv', sheet: null, rows: 2 },
      figures: { created: 1, updated: 0, unchanged: 1 },
      employees: { created: 1, updated: 0, unchanged: 0 },
      organisations: 2,
    });
    expect(await rowsOf(t.db, TABLES)).toEqual(before);
  });

  it('when a file has an unknown organisation, a future quarter and a quarter before the membership, then nothing is written and all three are listed in Dutch with row and column', async () => {
    // Arrange
    const file = csv([
      HEADER.join(';'),
      'Gemeente Noord;2016-Q1;4;;;;;;;',
      'Gemeente Onbekend;2016-Q1;1;;;;;;;',
      'Gemeente Zuid;2027-Q1;1;;;;;;;',
      'Gemeente Noord;2015-Q4;1;;;;;;;',
    ]);
    const before = await rowsOf(t.db, TABLES);

    // Act
    const res = await upload(file, 'cijfers.csv');

    // Assert
    const body = expectError(res, 422, 'import_invalid');
    expect(body.error.message).toBe(
      'het bestand is niet ingelezen en er is niets opgeslagen: 3 fouten gevonden',
    );
    const problems = problemsOf(body);
    expect(problems.map((p) => [p.code, p.row, p.column])).toEqual([
      ['import_cell', 3, 'Organisatie'],
      ['import_cell', 4, 'Kwartaal'],
      ['import_cell', 5, 'Kwartaal'],
    ]);
    expect(problems[0]!.message).toBe(
      "rij 3, kolom Organisatie: 'Gemeente Onbekend' is geen bekende organisatie; schrijf de naam zoals hij in de applicatie staat, of voeg de organisatie eerst toe",
    );
    expect(problems[1]!.message).toMatch(/^rij 4, kolom Kwartaal: Q1 2027 ligt in de toekomst/);
    expect(problems[2]!.message).toMatch(/^rij 5, kolom Kwartaal: 'Gemeente Noord' was in Q4 2015 geen lid/);
    for (const p of problems) {
      expect(p).not.toHaveProperty('path');
      expect(p.message).not.toMatch(/\d{4}-Q\d/);
    }
    expect(await rowsOf(t.db, TABLES)).toEqual(before);
  });

  it('when an organisation has the same quarter twice and two counts of employees in one year, then both rows are refused', async () => {
    // Arrange
    const file = csv([
      ['Id', ...HEADER].join(';'),
      ';Gemeente Noord;2016-Q1;4;;;;;;;1200',
      `${noord.id};;Q1 2016;5;;;;;;;`,
      ';Gemeente Noord;2016-Q2;4;;;;;;;1300',
      `${zuid.id};Gemeente Noord;2016-Q3;4;;;;;;;`,
    ]);

    // Act
    const res = await upload(file, 'cijfers.csv');

    // Assert
    const problems = problemsOf(expectError(res, 422, 'import_invalid'));
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'Kwartaal'],
      [4, 'Medewerkers'],
      [5, 'Id'],
    ]);
    expect(problems[0]!.message).toContain("'Gemeente Noord' staat voor Q1 2016 al in rij 2");
    expect(problems[1]!.message).toContain('rij 2 geeft');
    expect(problems[2]!.message).toContain(`id ${zuid.id} is 'Gemeente Zuid', niet 'Gemeente Noord'`);
  });

  it('when a quarter is closed, then figures as stored are unchanged and a change is refused with its row', async () => {
    // Arrange
    await setGear(t.app, noord.id, '2016-Q1', 2);
    await call(
      t.app,
      { method: 'PUT', url: `/api/organisations/${noord.id}/incidents/2016-Q1`, payload: { verbal: 4 } },
      201,
    );
    await call(t.app, { method: 'POST', url: '/api/quarters/2016-Q1/close', payload: {} }, 200);
    const same = csv([HEADER.join(';'), 'Gemeente Noord;2016-Q1;4;;;;;;;']);
    const changed = csv([HEADER.join(';'), 'Gemeente Noord;2016-Q1;5;;;;;;;']);

    // Act
    const unchanged = await upload(same, 'cijfers.csv');
    const refused = await upload(changed, 'cijfers.csv');

    // Assert
    expect(unchanged.statusCode, unchanged.body).toBe(200);
    expect(unchanged.json().figures).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const problems = problemsOf(expectError(refused, 422, 'import_invalid'));
    expect(problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Kwartaal',
        message: expect.stringContaining('Q1 2016 is vastgesteld'),
      }),
    ]);
  });

  it('when a file cannot be read right, then it is refused as bad input (400) with the problems of the file', async () => {
    // Act
    const res = await upload(
      csv(['Organisatie;Kwartaal;Verbaal', 'Gemeente Noord;2016-Q1;1']),
      'cijfers.csv',
    );

    // Assert
    const problems = problemsOf(expectError(res, 400, 'import_invalid'));
    expect(problems).toEqual([expect.objectContaining({ row: 1, column: null })]);
    expect(problems[0]!.message).toContain('ontbreken');
  });

  it('when the bestuur uploads a file, then it is refused (403) and nothing is read', async () => {
    // Act
    const res = await injectAs(t, 'bestuur', {
      method: 'POST',
      url: '/api/import/incidents',
      ...multipart(csv([HEADER.join(';'), 'Gemeente Noord;2016-Q1;4;;;;;;;']), 'cijfers.csv'),
    });

    // Assert
    expectError(res, 403, 'forbidden');
  });

  it('when the figures are sent as JSON instead of a file, then the reply is 415 and says how to send them', async () => {
    // Act
    const res = await t.app.inject({ method: 'POST', url: '/api/import/incidents', payload: { verbal: 4 } });

    // Assert
    const body = expectError(res, 415, 'unsupported_media_type');
    expect(body.error.message).toContain('multipart/form-data');
  });
});
