// The CLI of issue 12, item 1: `incidents import BESTAND [--dry-run] [--json]` reads incident
// figures and employees from an .xlsx or .csv, all or nothing, as the upload does.
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './sandbox.ts';

const { cli, cliJson, file } = cliSandbox('vpt-cli-incidents-import-');

const HEADER =
  'Organisatie;Kwartaal;Verbaal;Bedreiging;Fysiek;Overig;Aangiftes;Reacties 48 uur;Schade verhaald;Medewerkers';

async function addOrg(name: string): Promise<number> {
  const org = await cliJson([
    'org',
    'add',
    '--name',
    name,
    '--sector',
    'Openbaar Bestuur',
    '--member-from',
    '2016-Q1',
  ]);
  return org.id as number;
}

describe('cli: incidents import', () => {
  it('when a CSV is imported with --json and then again, then the report is printed and the second time every quarter is unchanged', async () => {
    // Arrange
    await addOrg('Gemeente Dijkwaard');
    const path = file(
      'cijfers.csv',
      `${HEADER}\nGemeente Dijkwaard;2016-Q1;4;2;;;1;;;1200\nGemeente Dijkwaard;Q2 2016;5;;;;;;;1200\n`,
    );

    // Act
    const first = await cliJson(['incidents', 'import', path]);
    const second = await cliJson(['incidents', 'import', path]);

    // Assert
    expect(first).toEqual({
      dryRun: false,
      file: { name: 'cijfers.csv', format: 'csv', sheet: null, rows: 2 },
      figures: { created: 2, updated: 0, unchanged: 0 },
      employees: { created: 1, updated: 0, unchanged: 0 },
      organisations: 1,
      quarters: { from: '2016-Q1', to: '2016-Q2' },
      errors: [],
    });
    expect(second.figures).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(second.employees).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('when a file is imported with --dry-run, then a Dutch summary says what would happen and that nothing was written', async () => {
    // Arrange
    await addOrg('Gemeente Dijkwaard');
    const path = file('cijfers.csv', `${HEADER}\nGemeente Dijkwaard;2016-Q1;4;;;;;;;\n`);

    // Act
    const dry = await cli(['incidents', 'import', path, '--dry-run']);
    const real = await cliJson(['incidents', 'import', path]);

    // Assert
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      'incidentcijfers gecontroleerd uit cijfers.csv: 1 kwartalen nieuw, 0 gewijzigd, 0 ongewijzigd',
    );
    expect(dry.stdout).toContain('er is niets opgeslagen');
    expect(real.figures.created).toBe(1);
  });

  it('when a file has problems, then nothing is written and every problem is printed with its row and column', async () => {
    // Arrange
    await addOrg('Gemeente Dijkwaard');
    const path = file(
      'cijfers.csv',
      `${HEADER}\nGemeente Onbekend;2016-Q1;4;;;;;;;\nGemeente Dijkwaard;2016-Q1;veel;;;;;;;\n`,
    );

    // Act
    const refused = await cli(['incidents', 'import', path]);
    const afterwards = await cliJson([
      'incidents',
      'import',
      file('goed.csv', `${HEADER}\nGemeente Dijkwaard;2016-Q1;4;;;;;;;\n`),
    ]);

    // Assert
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'fout: het bestand is niet ingelezen en er is niets opgeslagen: 2 fouten gevonden',
    );
    expect(refused.stderr).toContain(
      "rij 2, kolom Organisatie: 'Gemeente Onbekend' is geen bekende organisatie",
    );
    expect(refused.stderr).toContain("rij 3, kolom Verbaal: 'veel' is geen geheel getal");
    // The good row of the refused file was not written either: now it is new.
    expect(afterwards.figures).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });
});
