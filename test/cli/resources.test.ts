// The CLI of issue 13, item 3: `resource add --criterion KEY --title T (--url URL | --file PATH)
// [--json]`, `resource list [--criterion KEY] [--json]` and `resource remove ID`, with the same
// checks as the API (the document's type by content, the criterion from the active model).
import { describe, expect, it } from 'vitest';
import { minimalDocx, minimalPdf, PNG_BYTES } from '../files/documents.ts';
import { cliSandbox } from './sandbox.ts';

const { cli, cliJson, file } = cliSandbox('vpt-cli-resources-');

describe('cli: resource', () => {
  it('when a link and a document are added, then the list shows both and filters by criterion', async () => {
    // Arrange
    const path = file('Handreiking.docx', minimalDocx());

    // Act
    const link = await cliJson([
      'resource',
      'add',
      '--criterion',
      '2a',
      '--title',
      'Modelprotocol',
      '--url',
      'https://www.example.nl/modelprotocol',
    ]);
    const doc = await cliJson([
      'resource',
      'add',
      '--criterion',
      '3b',
      '--measure',
      'training',
      '--title',
      'Handreiking',
      '--file',
      path,
    ]);
    const all = await cliJson(['resource', 'list']);
    const of2a = await cliJson(['resource', 'list', '--criterion', '2a']);
    const human = await cli(['resource', 'list']);

    // Assert
    expect(link).toMatchObject({
      criterion: '2a',
      kind: 'link',
      url: 'https://www.example.nl/modelprotocol',
    });
    expect(doc).toMatchObject({
      criterion: '3b',
      measure: 'training',
      kind: 'file',
      file: { name: 'Handreiking.docx', type: 'docx', size: minimalDocx().length },
    });
    expect(all.map((r: { id: number }) => r.id).sort()).toEqual([link.id, doc.id].sort());
    expect(of2a.map((r: { id: number }) => r.id)).toEqual([link.id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Handreiking.docx (docx,');
  });

  it('when a document is not what its name says, then it is refused in Dutch and nothing is added', async () => {
    const path = file('foto.pdf', PNG_BYTES);
    const r = await cli(['resource', 'add', '--criterion', '2a', '--title', 'Foto', '--file', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fout: de inhoud van het bestand is geen pdf/);
    expect(await cliJson(['resource', 'list'])).toEqual([]);
  });

  it('when the criterion is not in the model or the address is not a web address, then it says so', async () => {
    const r = await cli([
      'resource',
      'add',
      '--criterion',
      '9z',
      '--title',
      'X',
      '--url',
      'javascript:alert(1)',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/criterion: kies een criterium van het schakelmodel/);
    expect(r.stderr).toMatch(/url: geef een volledig webadres/);
  });

  it('when neither --url nor --file is given, then it is a usage error', async () => {
    const r = await cli(['resource', 'add', '--criterion', '2a', '--title', 'X']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--url .*--file/);
  });

  it('when a resource is removed, then it is gone from the list and removing it again says it does not exist', async () => {
    const pdf = file('protocol.pdf', minimalPdf());
    const added = await cliJson([
      'resource',
      'add',
      '--measure',
      'melden',
      '--title',
      'Meldformulier',
      '--file',
      pdf,
    ]);

    const removed = await cli(['resource', 'remove', String(added.id)]);
    const again = await cli(['resource', 'remove', String(added.id)]);

    expect(removed).toMatchObject({
      code: 0,
      stdout: `hulpmiddel ${added.id} uit de apothekerskast gehaald\n`,
    });
    expect(await cliJson(['resource', 'list'])).toEqual([]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/bestaat niet/);
  });
});
