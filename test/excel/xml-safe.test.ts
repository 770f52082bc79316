import type ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameKey } from '../../server/domain/names.ts';
import { xmlSafeData, xmlSafeText } from '../../server/excel/prestatielijst-writer.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { buildTestContext } from '../helpers.ts';
import { buildDataset, DATASET_A, exportToBuffer, loadWorkbook, SHEETS } from './datasets.ts';

/** The characters XML 1.0 allows, code point by code point. */
function isXmlLegal(text: string): boolean {
  return Array.from(text).every((point) => {
    const cp = point.codePointAt(0)!;
    return (
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff)
    );
  });
}

const anyPiece = fc.oneof(
  fc.constantFrom(
    'a',
    ' ',
    'é',
    '😀',
    '\uFFFE',
    '\uFFFF',
    '\uD800',
    '\uDFFF',
    '\u0000',
    '\u000B',
    '\t',
    '\n',
    '\r',
    '\uFFFD',
    '\u202E',
  ),
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((cu) => String.fromCharCode(cu)),
);
const anyText = fc.array(anyPiece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('xmlSafeText', () => {
  it.each([
    ['U+FFFF', 'Zorg\uFFFF', 'Zorg\uFFFD'],
    ['U+FFFE', '\uFFFEZorg', '\uFFFDZorg'],
    ['a lone high surrogate', 'Zorg\uD83D', 'Zorg\uFFFD'],
    ['a lone low surrogate', '\uDE00Zorg', '\uFFFDZorg'],
    ['NUL and a vertical tab', 'a\u0000b\u000Bc', 'a\uFFFDb\uFFFDc'],
    ['a pair of surrogates (an emoji)', 'Zorg 😀', 'Zorg 😀'],
    ['tab, line feed and carriage return', 'a\tb\nc\rd', 'a\tb\nc\rd'],
    ['U+FDD0, a noncharacter that XML allows', 'a\uFDD0', 'a\uFDD0'],
  ])('when a text holds %s, then only XML-illegal characters become U+FFFD', (_label, text, expected) => {
    expect(xmlSafeText(text)).toBe(expected);
  });

  it('when any text is made XML-safe, then the result is XML-legal and as long in code units', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const safe = xmlSafeText(text);
        expect(isXmlLegal(safe)).toBe(true);
        // Each illegal character is one code unit (a lone half or a BMP character), replaced by one.
        expect(safe.length).toBe(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a text is already XML-legal, then it comes back unchanged', () => {
    fc.assert(
      fc.property(anyText.filter(isXmlLegal), (text) => {
        expect(xmlSafeText(text)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('when data holds nothing to replace, then xmlSafeData returns the same objects', () => {
    const shared = { gear: 2, carriedFrom: null };
    const data = { name: 'Zorg', rows: [{ cells: [shared, shared] }], at: new Date(0) };
    expect(xmlSafeData(data)).toBe(data);
  });

  it('when data holds an illegal character deep inside, then only the path to it is copied and dates stay dates', () => {
    const shared = { gear: 2, carriedFrom: null };
    const untouched = { name: 'Goed', cells: [shared] };
    const data = {
      madeAt: new Date(0),
      sectors: [{ name: 'Zorg', rows: [untouched, { name: 'Fout\uFFFF', cells: [shared] }] }],
    };
    const safe = xmlSafeData(data);
    expect(safe.sectors[0]!.rows[1]!.name).toBe('Fout\uFFFD');
    expect(safe.sectors[0]!.rows[0]).toBe(untouched);
    expect(safe.sectors[0]!.rows[1]!.cells[0]).toBe(shared);
    expect(safe.madeAt).toBe(data.madeAt);
    expect(data.sectors[0]!.rows[1]!.name).toBe('Fout\uFFFF');
  });
});

const OLD_NAMES = ['Oude Naam \uFFFF', '\uFFFEOude Stichting', 'Losse helft \uD83D eind', 'Nul\u0000teken'];
const OLD_SECTOR = 'Sector \uFFFF oud';

function textsOf(sheet: ExcelJS.Worksheet): string[] {
  const texts: string[] = [];
  sheet.eachRow((row) => {
    row.eachCell((cell) => {
      if (typeof cell.value === 'string') texts.push(cell.value);
    });
  });
  return texts;
}

describe('a prestatielijst with names stored before the name rules', () => {
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    ({ ctx, close } = await buildTestContext());
    const plans = [
      ...DATASET_A,
      ...OLD_NAMES.map((_, i) => ({
        name: `Tijdelijk ${i}`,
        sector: 'Zorg',
        memberFrom: '2015-Q4' as const,
        gears: { '2016-Q1': 3 } as const,
      })),
    ];
    const ids = await buildDataset(ctx, plans);
    // Old data: written straight into the database, as the app accepted it before the rules.
    for (const [i, name] of OLD_NAMES.entries()) {
      await ctx.db
        .updateTable('organisations')
        .set({ name, name_key: nameKey(name) })
        .where('id', '=', ids.get(`Tijdelijk ${i}`)!)
        .execute();
    }
    await ctx.db
      .updateTable('sectors')
      .set({ name: OLD_SECTOR, name_key: nameKey(OLD_SECTOR) })
      .where('name', '=', 'Onderwijs')
      .execute();
    const { buffer } = await exportToBuffer(ctx, 'VPT-regio \uFFFE Test', '2015-Q4', '2016-Q4');
    workbook = await loadWorkbook(buffer);
  });

  afterAll(() => close());

  it('when it is exported, then exceljs reads every sheet back', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(SHEETS);
  });

  it('when it is exported, then every organisation has its row, the illegal characters shown as U+FFFD', () => {
    const texts = textsOf(workbook.getWorksheet('Prestatielijst')!);
    for (const plan of DATASET_A) expect(texts).toContain(plan.name);
    expect(texts).toEqual(expect.arrayContaining(['Oude Naam \uFFFD', '\uFFFDOude Stichting']));
    // SQLite stores a lone surrogate as invalid UTF-8, which comes back as replacement characters.
    expect(texts.some((t) => /^Losse helft \uFFFD+ eind$/u.test(t))).toBe(true);
    // NUL: exceljs dropped C0 controls itself before; now it is shown as a replacement too.
    expect(texts.some((t) => t.startsWith('Nul') && t.endsWith('teken'))).toBe(true);
    expect(texts).toContain('Sector \uFFFD oud');
    expect(texts.filter((t) => t.startsWith('Gemiddelde ')).length).toBe(5);
  });

  it('when it is exported, then no cell of any sheet holds an XML-illegal character', () => {
    for (const sheet of workbook.worksheets) {
      for (const text of textsOf(sheet)) expect(isXmlLegal(text), JSON.stringify(text)).toBe(true);
    }
  });
});
