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

  it('when no file is named, then it is a usage error naming the options (now with --new-sector)', async () => {
    const r = await cli(['import', 'prestatielijst']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'import prestatielijst BESTAND [--dry-run] [--new-sector NAAM]... [--reason TEKST] [--json]',
    );
  });
});

describe('cli: import prestatielijst with sector moves and new sectors', () => {
  const MOVES =
    'Organisatie;Sector;Q1 2016;Q2 2016;Q3 2016;Q4 2016\n' +
    'Ziekenhuis Rivierland;Zorgg;;;3;3\n' +
    'Woonstichting West;Woningbouwcoöperaties;;2;;\n' +
    'Netbeheerder West;Energie;;2;;\n';

  /** Ziekenhuis Rivierland in Zorg since Q4 2015, with a gear in Q1 2016. */
  async function rivierland() {
    const org = await cliJson([
      'org',
      'add',
      '--name',
      'Ziekenhuis Rivierland',
      '--sector',
      'Zorg',
      '--member-from',
      '2015-Q4',
    ]);
    await cliJson(['gear', 'set', '--org', String(org.id), '--quarter', '2016-Q1', '--gear', '2']);
  }

  it('when --new-sector confirms each look-alike name (repeated), then the --json dry run lists sectorMoves and newSectors and writes nothing', async () => {
    await rivierland();

    const report = await cliJson([
      'import',
      'prestatielijst',
      file('lijst.csv', MOVES),
      '--dry-run',
      '--new-sector',
      'Zorgg',
      '--new-sector',
      'Woningbouwcoöperaties',
    ]);

    expect(report).toMatchObject({
      dryRun: true,
      sectorMoves: [
        { organisation: 'Ziekenhuis Rivierland', from: 'Zorg', to: 'Zorgg', fromQuarter: '2016-Q3' },
      ],
      newSectors: ['Zorgg', 'Woningbouwcoöperaties', 'Energie'],
      organisations: {
        created: ['Woonstichting West', 'Netbeheerder West'],
        updated: ['Ziekenhuis Rivierland'],
        unchanged: 0,
      },
    });
    const sectors = await cliJson(['sector', 'list']);
    expect(sectors.map((s: { name: string }) => s.name)).not.toContain('Zorgg');
  });

  it('when the import runs, then the summary lists the moves and the new sectors above the counts', async () => {
    await rivierland();

    const r = await cli([
      'import',
      'prestatielijst',
      file('lijst.csv', MOVES),
      '--new-sector',
      'Zorgg',
      '--new-sector',
      'woningbouwcoöperaties',
    ]);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'prestatielijst ingelezen:',
      '  bestand: lijst.csv, 3 organisaties, Q1 2016 – Q4 2016',
      '  sectorwissels: 1',
      '    - Ziekenhuis Rivierland: Zorg → Zorgg vanaf Q3 2016',
      '  sectoren nieuw: 3 (Zorgg, Woningbouwcoöperaties, Energie)',
      '  organisaties nieuw: 2 (Woonstichting West, Netbeheerder West)',
      '  organisaties bijgewerkt: 1 (Ziekenhuis Rivierland)',
      '  organisaties ongewijzigd: 0',
      '  versnellingen nieuw: 4, gewijzigd: 0, ongewijzigd: 0',
      '',
    ]);
    const periods = await cliJson(['org', 'periods', '1']);
    expect(periods.sectors.map((s: { sector: string; from: string }) => [s.sector, s.from])).toEqual([
      ['Zorg', '2015-Q4'],
      ['Zorgg', '2016-Q3'],
    ]);
  });

  it('when a new sector looks like an existing one and is not confirmed, then every one is named with the existing sector and how to confirm it', async () => {
    await rivierland();

    const r = await cli(['import', 'prestatielijst', file('lijst.csv', MOVES), '--dry-run']);

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'fout: de lijst is niet ingelezen en er is niets opgeslagen: 2 fouten gevonden (is het toch een nieuwe sector, bevestig dat dan met --new-sector "Zorgg" --new-sector "Woningbouwcoöperaties")',
      "  - rij 2, kolom Sector: 'Zorgg' lijkt op de bestaande sector 'Zorg'; schrijf 'Zorg' als dat dezelfde sector is, of bevestig dat 'Zorgg' een nieuwe sector is",
      "  - rij 3, kolom Sector: 'Woningbouwcoöperaties' lijkt op de bestaande sector 'Woningbouwcorporaties'; schrijf 'Woningbouwcorporaties' als dat dezelfde sector is, of bevestig dat 'Woningbouwcoöperaties' een nieuwe sector is",
      '',
    ]);
  });
});
