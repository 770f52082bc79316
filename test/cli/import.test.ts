import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './sandbox.ts';

const sandbox = cliSandbox('vpt-cli-import-');
const { cli, cliJson, file } = sandbox;

const LIST =
  'Prestatielijst VPT-regio;;;\n' +
  'Organisatie;Sector;Q4 2015;Q1 2016\n' +
  'Zorg;;;\n' +
  'Ziekenhuis Noord;Zorg;3;4\n' +
  'Netbeheerder West;Energie;;2\n' +
  'Gemiddelde regio;;3;3\n';

describe('cli: import prestatielijst', () => {
  it('when a CSV list is imported with --json, then the report is printed and the organisations exist', async () => {
    // Act
    const report = await cliJson(['import', 'prestatielijst', file('lijst.csv', LIST)]);

    // Assert
    expect(report).toMatchObject({
      dryRun: false,
      file: { name: 'lijst.csv', format: 'csv', organisations: 2 },
      quarters: { from: '2015-Q4', to: '2016-Q1' },
      sectors: { created: ['Energie'] },
      organisations: { created: ['Ziekenhuis Noord', 'Netbeheerder West'], updated: [], unchanged: 0 },
      gears: { created: 3, changed: 0, unchanged: 0 },
      errors: [],
    });
    const list = await cliJson(['org', 'list', '--quarter', '2016-Q1']);
    expect(list.items.map((o: { name: string; gear: number }) => [o.name, o.gear])).toEqual([
      ['Netbeheerder West', 2],
      ['Ziekenhuis Noord', 4],
    ]);
  });

  it('when an .xlsx list is imported twice, then the second time reports every gear unchanged, in Dutch', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Prestatielijst');
    ws.addRow(['Organisatie', 'Sector', '4e kwartaal 2015', '1e kwartaal 2016']);
    ws.addRow(['Gemeente Noord', 'Openbaar Bestuur', 2, { formula: 'C2+1', result: 3 }]);
    const path = file('lijst.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));

    const first = await cli(['import', 'prestatielijst', path]);
    const second = await cli(['import', 'prestatielijst', path]);

    expect(first.code).toBe(0);
    expect(first.stdout).toContain('prestatielijst ingelezen:');
    expect(first.stdout).toContain('organisaties nieuw: 1 (Gemeente Noord)');
    expect(first.stdout).toContain('versnellingen nieuw: 2, gewijzigd: 0, ongewijzigd: 0');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('organisaties ongewijzigd: 1');
    expect(second.stdout).toContain('versnellingen nieuw: 0, gewijzigd: 0, ongewijzigd: 2');
    expect(second.stdout).toContain(
      'bestand: lijst.xlsx, werkblad Prestatielijst, 1 organisaties, Q4 2015 – Q1 2016',
    );
  });

  it('when --dry-run is given, then it says what would happen and writes nothing', async () => {
    const dry = await cli(['import', 'prestatielijst', file('lijst.csv', LIST), '--dry-run']);

    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^proefimport \(--dry-run\): er is niets opgeslagen/);
    expect(dry.stdout).toContain('sectoren nieuw: 1 (Energie)');
    expect(dry.stdout).toContain('versnellingen nieuw: 3');
    expect((await cliJson(['org', 'list'])).items).toEqual([]);
    const sectors = await cliJson(['sector', 'list']);
    expect(sectors.map((s: { name: string }) => s.name)).not.toContain('Energie');
  });

  it('when the list has errors, then every one is printed on stderr, the exit code is 1 and nothing is written', async () => {
    const bad = 'Organisatie;Sector;Q1 2016;Q5 2016\nGemeente A;Zorg;6;\nGemeente B;Zorg;2,5;\n';

    const r = await cli(['import', 'prestatielijst', file('fout.csv', bad)]);

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'fout: de lijst is niet ingelezen en er is niets opgeslagen: 3 fouten gevonden',
      expect.stringMatching(/^ {2}- rij 1, kolom D: 'Q5 2016' is geen kwartaal/),
      "  - rij 2, kolom Q1 2016: '6' is geen versnelling van 1 tot 5",
      "  - rij 3, kolom Q1 2016: '2,5' is geen versnelling van 1 tot 5",
      '',
    ]);
    expect((await cliJson(['org', 'list'])).items).toEqual([]);
  });

  it('when the list has one error, then the message itself names it', async () => {
    const r = await cli([
      'import',
      'prestatielijst',
      file('fout.csv', 'Organisatie;Q1 2016\nGemeente A;3\n'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^fout: de lijst is niet ingelezen en er is niets opgeslagen: rij 1, kolom Sector: kolom 'Sector' ontbreekt/,
    );
  });

  it('when the file does not exist or is not a spreadsheet, then the error says so', async () => {
    const missing = await cli(['import', 'prestatielijst', join(sandbox.dir, 'bestaat-niet.xlsx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^fout: kan '.*bestaat-niet\.xlsx' niet lezen/);

    const garbage = await cli([
      'import',
      'prestatielijst',
      file('kapot.xlsx', Buffer.from([1, 2, 3, 250, 251])),
    ]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/'kapot\.xlsx' kon niet worden gelezen als Excel-werkmap/);
  });

  it('when the file is over 5 MB, then it is refused before it is read', async () => {
    const r = await cli([
      'import',
      'prestatielijst',
      file('groot.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41)),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fout: het bestand is 5,0 MB; een prestatielijst mag hoogstens 5 MB zijn/);
  });

  it('when no file is named, then it is a usage error', async () => {
    const r = await cli(['import', 'prestatielijst']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('import prestatielijst BESTAND [--dry-run] [--json]');
  });
});
