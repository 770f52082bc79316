import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SCHAKELMODEL_V2 } from '../../server/domain/models/schakelmodel-v2.ts';
import { wrappedLines } from '../../server/excel/prestatielijst-writer.ts';
import { buildTestContext, tempDir } from '../helpers.ts';
import { buildDataset, DATASET_A, exportToBuffer, loadWorkbook } from './datasets.ts';

/**
 * The workbook as a user opening or printing it judges it: no text cut off or running over its
 * neighbours, and a long period printed over several pages at a readable size.
 */

const REGION = 'VPT-regio Testland';
/** Q4 2015 to Q4 2016. */
const SHORT = { from: '2015-Q4', to: '2016-Q4' } as const;
/** Q4 2015 to Q4 2026: 45 quarters. */
const LONG = { from: '2015-Q4', to: '2026-Q4' } as const;
const DEFAULT_WIDTH = 8.43;
const DEFAULT_HEIGHT = 15;

function columnNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}

/** The merged range holding `cell` as its top-left cell, as first and last column; the cell alone when unmerged. */
function mergedColumns(sheet: ExcelJS.Worksheet, cell: ExcelJS.Cell): [number, number] {
  const merges: string[] = sheet.model.merges ?? [];
  for (const range of merges) {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
    if (m && `${m[1]}${m[2]}` === cell.address) return [columnNumber(m[1]!), columnNumber(m[3]!)];
  }
  return [Number(cell.col), Number(cell.col)];
}

function widthOf(sheet: ExcelJS.Worksheet, first: number, last: number): number {
  let width = 0;
  for (let c = first; c <= last; c++) width += sheet.getColumn(c).width ?? DEFAULT_WIDTH;
  return width;
}

/** The legend's cells (rows 4 and 5, from column B) with a text. */
function legendCells(list: ExcelJS.Worksheet): ExcelJS.Cell[] {
  const cells: ExcelJS.Cell[] = [];
  for (const r of [4, 5]) {
    list.getRow(r).eachCell((cell) => {
      // A merged range echoes its value in every cell: only its top-left cell counts.
      const master = cell.master.address === cell.address;
      if (Number(cell.col) > 1 && master && typeof cell.value === 'string') cells.push(cell);
    });
  }
  return cells;
}

function hasSoffice(): boolean {
  return spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
}

/** The pages of a PDF that LibreOffice wrote (its page objects are not compressed). */
function pdfPages(file: string): number {
  return readFileSync(file, 'latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
}

describe('the layout of the exported workbook', () => {
  let close: () => Promise<void>;
  let short: ExcelJS.Workbook;
  let long: ExcelJS.Workbook;
  let buffers: { short: Buffer; long: Buffer };

  beforeAll(async () => {
    const t = await buildTestContext();
    close = t.close;
    await buildDataset(t.ctx, DATASET_A);
    const a = await exportToBuffer(t.ctx, REGION, SHORT.from, SHORT.to);
    const b = await exportToBuffer(t.ctx, REGION, LONG.from, LONG.to);
    expect(a.result.quarters).toBe(5);
    expect(b.result.quarters).toBe(45);
    buffers = { short: a.buffer, long: b.buffer };
    short = await loadWorkbook(a.buffer);
    long = await loadWorkbook(b.buffer);
  });
  afterAll(async () => {
    await close?.();
  });

  it.each([
    ['5', () => short],
    ['45', () => long],
  ])(
    'when the list of %s quarters is opened, then every legend text has a merged range wide enough for it on one line',
    (_n, book) => {
      const list = book().getWorksheet('Prestatielijst')!;
      expect(list.getCell('A4').value).toBe('Legenda versnelling:');
      const cells = legendCells(list);
      const texts = cells.map((c) => c.value);
      expect(texts).toEqual([
        ...SCHAKELMODEL_V2.gears.map((g) => `${g.gear} ${g.name}`),
        'cursief grijs = doorgeschoven (geen nieuwe quickscan)',
      ]);
      for (const cell of cells) {
        const [first, last] = mergedColumns(list, cell);
        const text = String(cell.value);
        // One width unit per character and one for the padding: room to spare in any font.
        expect(widthOf(list, first, last), `${cell.address} '${text}'`).toBeGreaterThanOrEqual(
          text.length + 1,
        );
        // Nothing written in the range but the legend text itself, so nothing covers it.
        for (let c = first + 1; c <= last; c++)
          expect(list.getRow(Number(cell.row)).getCell(c).isMerged).toBe(true);
      }
    },
  );

  it('when the list of 5 quarters is opened, then the legend stays within the columns of the list', () => {
    const list = short.getWorksheet('Prestatielijst')!;
    const changeCol = 4 + 5 + 1;
    expect(list.getRow(6).getCell(changeCol).value).toBe('Verandering');
    for (const cell of legendCells(list)) expect(mergedColumns(list, cell)[1]).toBeLessThanOrEqual(changeCol);
  });

  it('when the Schakelmodel sheet is opened, then every text wraps in its column, top-aligned, in a row tall enough for it', () => {
    const sheet = short.getWorksheet('Schakelmodel')!;
    let criteria = 0;
    let tall = 0;
    sheet.eachRow((row) => {
      if (row.number <= 2) return;
      const isGear = row.getCell(3).value === null;
      const textColumns = isGear ? [2, 4] : [3, 4, 5, 6];
      let lines = 1;
      for (const col of textColumns) {
        const cell = row.getCell(col);
        const text = cell.value === null ? '' : String(cell.value);
        expect(cell.alignment, `${cell.address}`).toMatchObject({ wrapText: true, vertical: 'top' });
        // Whatever a font makes of it, a text needs at least a line per 1.2 width units per character.
        const width = sheet.getColumn(col).width!;
        lines = Math.max(lines, Math.ceil(text.length / (width * 1.2)));
      }
      if (!isGear) criteria++;
      if (lines > 1) {
        tall++;
        expect(row.height, `row ${row.number}`).toBeGreaterThanOrEqual(lines * DEFAULT_HEIGHT);
      }
    });
    expect(criteria).toBe(SCHAKELMODEL_V2.gears.flatMap((g) => g.criteria).length);
    // The guidance texts are long: most rows are taller than one line.
    expect(tall).toBeGreaterThan(criteria / 2);
  });

  it('when the Schakelmodel sheet is opened, then its long title is merged over the table and wraps', () => {
    const sheet = short.getWorksheet('Schakelmodel')!;
    expect(sheet.model.merges).toContain('A1:F1');
    expect(sheet.getCell('A1').alignment).toMatchObject({ wrapText: true });
  });

  it('when a text is measured for wrapping, then lines break at spaces and an overlong word is broken', () => {
    expect(wrappedLines('kort', 20)).toBe(1);
    expect(wrappedLines('', 20)).toBe(1);
    // 20 wide holds 20 characters a line: three words of 9 take two lines.
    expect(wrappedLines('aaaaaaaaa bbbbbbbbb ccccccccc', 20)).toBe(2);
    expect(wrappedLines('regel een\nregel twee', 60)).toBe(2);
    expect(wrappedLines('x'.repeat(50), 20)).toBe(3);
  });

  it('when a list of 5 quarters is printed, then it is landscape A4 and one page wide, with the names and header row on every page', () => {
    const list = short.getWorksheet('Prestatielijst')!;
    expect(list.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '6:6',
      printTitlesColumn: 'A:A',
    });
    expect(short.getWorksheet('Sectoren')!.pageSetup).toMatchObject({ fitToWidth: 1, fitToHeight: 0 });
  });

  it('when a list of 45 quarters is printed, then it spreads over several pages wide instead of shrinking to one, with the names and header row on every page', () => {
    const list = long.getWorksheet('Prestatielijst')!;
    expect(list.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToHeight: 0,
      printTitlesRow: '6:6',
      printTitlesColumn: 'A:A',
    });
    // At most 12 quarter columns per page width.
    expect(list.pageSetup.fitToWidth).toBe(4);
    const sectors = long.getWorksheet('Sectoren')!;
    expect(sectors.pageSetup).toMatchObject({
      fitToHeight: 0,
      printTitlesRow: '2:2',
      printTitlesColumn: 'A:A',
    });
    expect(sectors.pageSetup.fitToWidth).toBe(5);
  });

  it.skipIf(!hasSoffice())(
    'when LibreOffice prints both lists to PDF, then the 45-quarter list takes more pages than the 5-quarter one',
    async () => {
      const { dir, remove } = tempDir('layout-pdf-');
      onTestFinished(remove);
      const profile = join(dir, 'lo-profile');
      mkdirSync(join(profile, 'user'), { recursive: true });
      writeFileSync(join(dir, 'short.xlsx'), buffers.short);
      writeFileSync(join(dir, 'long.xlsx'), buffers.long);
      await promisify(execFile)(
        'soffice',
        [
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--headless',
          '--norestore',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          join(dir, 'short.xlsx'),
          join(dir, 'long.xlsx'),
        ],
        { timeout: 120_000 },
      );
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['short.pdf', 'long.pdf']));
      const shortPages = pdfPages(join(dir, 'short.pdf'));
      const longPages = pdfPages(join(dir, 'long.pdf'));
      expect(shortPages).toBeGreaterThan(0);
      // The list goes from 1 to 4 pages wide and Sectoren from 1 to 5: at least 7 pages more.
      expect(longPages, `${shortPages} and ${longPages} pages`).toBeGreaterThanOrEqual(shortPages + 7);
    },
    150_000,
  );
});
