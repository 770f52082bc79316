import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../server/contracts/import.contract.ts';
import { buildTestApp, type TestApp, testAppPerTest } from '../helpers.ts';
import { createOrg, getJson, type Organisation, type Quickscan, setGear } from '../http/fixtures.ts';

// Issue 11, item 5: the import reads back what the export wrote, and a list saved by Excel on
// Windows (Windows-1252) reads as it was typed.

const t = testAppPerTest();

/** A multipart/form-data body by hand, as a browser sends a file input. */
function upload(app: TestApp, content: Buffer, filename: string): Promise<LightMyRequestResponse> {
  const boundary = '----vpt-leest-wat-het-schreef';
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return app.app.inject({
    method: 'POST',
    url: '/api/import/prestatielijst',
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function imported(app: TestApp, content: Buffer, filename: string): Promise<ImportReport> {
  const res = await upload(app, content, filename);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ImportReport;
}

async function gearsByName(app: TestApp): Promise<Record<string, Array<[string, number]>>> {
  const list = await getJson<{ items: Organisation[] }>(app.app, '/api/organisations?includeArchived=true');
  const result: Record<string, Array<[string, number]>> = {};
  for (const o of list.items) {
    const scans = await getJson<Quickscan[]>(app.app, `/api/organisations/${o.id}/quickscans`);
    result[`${o.name} | ${o.sector}`] = scans.map((s) => [s.quarter, s.gear]);
  }
  return result;
}

/** Windows-1252 as Excel writes a CSV on a Dutch Windows: one byte per character. */
function windows1252(text: string): Buffer {
  const high = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  return Buffer.from(
    Array.from(text, (ch) => {
      const code = ch.codePointAt(0)!;
      const index = high.indexOf(ch);
      if (index >= 0 && code > 0xff) return 0x80 + index;
      if (code <= 0xff && (code < 0x80 || code > 0x9f)) return code;
      throw new Error(`'${ch}' is not in Windows-1252`);
    }),
  );
}

describe('importing what the export wrote', () => {
  it('when an organisation is called "Gemiddelde Zorggroep Noord", then it survives export and import, and only the export’s own average rows are skipped and listed', async () => {
    // Arrange: a region with an organisation whose name starts like an average row.
    const noord = await createOrg(t.app, {
      name: 'Gemiddelde Zorggroep Noord',
      sector: 'Zorg',
      memberFrom: '2016-Q1',
    });
    const west = await createOrg(t.app, {
      name: 'Gemeente West',
      sector: 'Openbaar Bestuur',
      memberFrom: '2016-Q1',
    });
    await setGear(t.app, noord.id, '2016-Q1', 2);
    await setGear(t.app, noord.id, '2016-Q2', 4);
    await setGear(t.app, west.id, '2016-Q1', 3);
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/reports/prestatielijst.xlsx?from=2016-Q1&to=2016-Q2',
    });
    expect(exported.statusCode, exported.body).toBe(200);
    const fresh = await buildTestApp();
    try {
      // Act
      const report = await imported(fresh, exported.rawPayload, 'prestatielijst.xlsx');

      // Assert: both organisations, with the same gears; the averages and headings listed as skipped.
      expect(report.organisations.created.sort()).toEqual(['Gemeente West', 'Gemiddelde Zorggroep Noord']);
      expect(await gearsByName(fresh)).toEqual(await gearsByName(t));
      const skipped = report.skippedRows.map((s) => [s.reason, s.name]);
      expect(skipped).toEqual([
        ['heading', 'Zorg'],
        ['average', 'Gemiddelde Zorg'],
        ['heading', 'Openbaar Bestuur'],
        ['average', 'Gemiddelde Openbaar Bestuur'],
        ['average', 'Gemiddelde regio'],
      ]);
      for (const s of report.skippedRows) {
        expect(s.message).toMatch(new RegExp(`^rij ${s.row}: '${s.name}' .*; overgeslagen$`));
      }
    } finally {
      await fresh.close();
    }
  });

  it('when a hand-kept CSV has rows starting with "Gemiddelde", then only those shaped like the export’s averages are skipped', async () => {
    // Arrange: a real organisation with a sector, an average of a sector of the list, the region's
    // average, and a row named like an average of a sector the list does not have (not skipped).
    const csv =
      'Organisatie;Sector;Q1 2016;Q2 2016\r\n' +
      'Gemiddelde Zorggroep Noord;Zorg;3;4\r\n' +
      'Ziekenhuis Zuid;Zorg;2;\r\n' +
      'Gemiddelde Zorg;;2,50;4,00\r\n' +
      'Gemiddelde regio;;2,5;4\r\n';

    // Act
    const report = await imported(t, Buffer.from(csv), 'lijst.csv');

    // Assert
    expect(report.organisations.created).toEqual(['Gemiddelde Zorggroep Noord', 'Ziekenhuis Zuid']);
    expect(report.skippedRows).toEqual([
      {
        row: 4,
        name: 'Gemiddelde Zorg',
        reason: 'average',
        message:
          "rij 4: 'Gemiddelde Zorg' is een gemiddelde zoals de export het schrijft, geen organisatie; overgeslagen",
      },
      {
        row: 5,
        name: 'Gemiddelde regio',
        reason: 'average',
        message:
          "rij 5: 'Gemiddelde regio' is een gemiddelde zoals de export het schrijft, geen organisatie; overgeslagen",
      },
    ]);
  });

  it('when a row named like an average has no sector but is not an average of the list, then it is refused, not dropped', async () => {
    const csv = 'Organisatie;Sector;Q1 2016\r\nZiekenhuis Zuid;Zorg;2\r\nGemiddelde Zorggroep Noord;;3\r\n';

    const res = await upload(t, Buffer.from(csv), 'lijst.csv');

    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain("rij 3, kolom Sector: de sector van 'Gemiddelde Zorggroep Noord' ontbreekt");
  });
});

describe('importing a CSV saved by Excel on Windows', () => {
  it('when the CSV is Windows-1252 with € “ ” ’ – in names, then the names import as typed', async () => {
    // Arrange: the bytes Excel writes for "CSV (puntkomma gescheiden)" on a Dutch Windows.
    const names = ['Gemeente ’s-Hertogenbosch', 'Stichting ’t Anker', 'Café “De Hoek” – € 5 per maand'];
    const csv = `Organisatie;Sector;Q1 2016\r\n${names.map((n, i) => `${n};Zorg;${i + 1}`).join('\r\n')}\r\n`;
    const bytes = windows1252(csv);
    expect(bytes.includes(0x92)).toBe(true); // ’ is one byte, 0x92: not UTF-8

    // Act
    const report = await imported(t, bytes, 'lijst.csv');

    // Assert
    expect(report.organisations.created).toEqual(names);
    expect(Object.keys(await gearsByName(t))).toEqual(
      expect.arrayContaining(names.map((n) => `${n} | Zorg`)),
    );
  });

  it('when the same names come as UTF-8, then they read the same', async () => {
    const csv =
      'Organisatie;Sector;Q1 2016\r\nGemeente ’s-Hertogenbosch;Zorg;2\r\nStichting ’t Anker;Zorg;3\r\n';

    const report = await imported(t, Buffer.from(csv, 'utf8'), 'lijst.csv');

    expect(report.organisations.created).toEqual(['Gemeente ’s-Hertogenbosch', 'Stichting ’t Anker']);
  });
});
