// The apothekerskast's document check (issue 13, item 3): the type is read from the bytes, never
// from the name; only entry names and a stored `mimetype` are read, nothing is inflated.
import { describe, expect, it } from 'vitest';
import { checkDocument, fileNameProblem } from '../../server/files/document.ts';
import { CONTENT_TYPES, sniffDocument, zipEntryNames } from '../../server/files/sniff.ts';
import {
  EXE_BYTES,
  minimalDocx,
  minimalOdt,
  minimalPdf,
  minimalPptx,
  PNG_BYTES,
  realXlsx,
  zip,
} from './documents.ts';

const CT = '[Content_Types].xml';

describe('sniffDocument', () => {
  const cases: Array<[string, () => Buffer | Promise<Buffer>, string | null]> = [
    ['a pdf', () => minimalPdf(), 'pdf'],
    ['a Word document', () => minimalDocx(), 'docx'],
    ['an Excel workbook written by exceljs', () => realXlsx(), 'xlsx'],
    ['a PowerPoint presentation', () => minimalPptx(), 'pptx'],
    ['an OpenDocument text', () => minimalOdt(), 'odt'],
    ['a PNG image', () => PNG_BYTES, null],
    ['a Windows program', () => EXE_BYTES, null],
    ['plain text', () => Buffer.from('%PD not quite a pdf'), null],
    ['nothing', () => Buffer.alloc(0), null],
    ['a zip without content types', () => zip([{ name: 'word/document.xml', data: '<w/>' }]), null],
    [
      'a zip with content types but no main part',
      () =>
        zip([
          { name: CT, data: '<Types/>' },
          { name: 'docProps/app.xml', data: '<x/>' },
        ]),
      null,
    ],
    [
      'a zip that claims to be Word and Excel at once',
      () =>
        zip([
          { name: CT, data: '<Types/>' },
          { name: 'word/document.xml', data: '<w/>' },
          { name: 'xl/workbook.xml', data: '<x/>' },
        ]),
      null,
    ],
    ['an OpenDocument spreadsheet', () => minimalOdt('application/vnd.oasis.opendocument.spreadsheet'), null],
    ['an odt whose mimetype is compressed', () => minimalOdt(undefined, { deflateMimetype: true }), null],
    [
      'an odt whose mimetype is not the first entry',
      () =>
        zip([
          { name: 'content.xml', data: '<x/>' },
          { name: 'mimetype', data: CONTENT_TYPES.odt },
        ]),
      null,
    ],
    ['a zip cut off before its directory', () => minimalDocx().subarray(0, 200), null],
  ];

  for (const [what, bytes, expected] of cases) {
    it(`when the bytes are ${what}, then the type is ${expected ?? 'none'}`, async () => {
      expect(sniffDocument(await bytes())).toBe(expected);
    });
  }

  it('when a zip is read, then the entry names come from its central directory', () => {
    expect(zipEntryNames(minimalDocx())).toEqual([CT, '_rels/.rels', 'word/document.xml']);
    expect(zipEntryNames(PNG_BYTES)).toBeNull();
  });
});

describe('fileNameProblem', () => {
  const refused = [
    '../x.pdf',
    'a/b.pdf',
    'a\\b.pdf',
    '..\\..\\windows\\x.pdf',
    '/etc/passwd.pdf',
    'x\u0000.pdf',
    'x\u0007y.pdf',
    'regel\u0085.pdf',
    'rapport\u202Efdp.exe',
    '.verborgen.pdf',
    '',
    '   ',
    ' voor.pdf',
    `${'a'.repeat(200)}.pdf`,
  ];
  for (const name of refused) {
    it(`when the name is ${JSON.stringify(name)}, then it is refused with a Dutch reason`, () => {
      expect(fileNameProblem(name)).toMatch(/bestand/);
    });
  }

  const accepted = [
    'protocol.pdf',
    'Handreiking VPT (versie 2).docx',
    'Eénduidige afspraken.pptx',
    'O\'Brien; "x".odt',
  ];
  for (const name of accepted) {
    it(`when the name is ${JSON.stringify(name)}, then it is accepted`, () => {
      expect(fileNameProblem(name)).toBeNull();
    });
  }
});

describe('checkDocument', () => {
  it('when the name and the content agree, then the type and its content type come back', () => {
    expect(checkDocument('Protocol.PDF', minimalPdf())).toEqual({
      ok: true,
      type: 'pdf',
      contentType: 'application/pdf',
      name: 'Protocol.PDF',
    });
  });

  it('when a pdf is named .docx, then it is refused because the extension does not match', () => {
    const check = checkDocument('protocol.docx', minimalPdf());
    expect(check).toMatchObject({ ok: false, problems: [{ code: 'file_type_mismatch' }] });
  });

  it('when the name has a path and the content is an image, then both problems are given', () => {
    const check = checkDocument('../foto.pdf', PNG_BYTES);
    expect(check.ok).toBe(false);
    expect(check.ok ? [] : check.problems.map((p) => p.code)).toEqual([
      'invalid_file_name',
      'invalid_file_type',
    ]);
  });

  it('when the document is larger than 10 MB, then it is refused as too large without reading it', () => {
    const big = Buffer.concat([minimalPdf(), Buffer.alloc(10 * 1024 * 1024)]);
    const check = checkDocument('groot.pdf', big);
    expect(check).toMatchObject({ ok: false, problems: [{ code: 'file_too_large' }] });
  });
});
