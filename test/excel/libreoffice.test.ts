import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../server/domain/report.ts';
import { reportMatrix } from '../../server/services/reports.service.ts';
import { buildTestContext, tempDir } from '../helpers.ts';
import { buildDataset, DATASET_A, DATASET_B, DATASET_M, exportToBuffer, PERIOD_M } from './datasets.ts';

/**
 * Opens exported workbooks in a real spreadsheet program: Debian's LibreOffice converts every
 * sheet to CSV with the values as displayed (Dutch locale from the [$-413] formats), and with
 * formulas recalculated on load.
 */

const run = promisify(execFile);

function hasSoffice(): boolean {
  const r = spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

const SOFFICE = hasSoffice();
const IN_CI = Boolean(process.env.CI) && !['0', 'false'].includes(String(process.env.CI).toLowerCase());
const INSTALL_HINT =
  'LibreOffice (soffice) is not installed; install it with `sudo apt-get install -y --no-install-recommends libreoffice-calc-nogui`';

if (!SOFFICE && !IN_CI) {
  console.warn(`Skipping the LibreOffice tests: ${INSTALL_HINT}. CI installs it (.ci/run) and runs them.`);
}

// Separator ';', text in '"', UTF-8 (76), first line 1, formatted values as shown, every sheet (-1).
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1';

/** LibreOffice's default is to trust the cached results of an .xlsx; this profile always recalculates. */
const ALWAYS_RECALCULATE = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** Converts the files with a fresh profile of its own (parallel runs must not share one). */
async function convertToCsv(dir: string, files: string[]): Promise<string> {
  const profile = join(dir, 'lo-profile');
  mkdirSync(join(profile, 'user'), { recursive: true });
  writeFileSync(join(profile, 'user', 'registrymodifications.xcu'), ALWAYS_RECALCULATE);
  const out = join(dir, 'csv');
  mkdirSync(out, { recursive: true });
  await run(
    'soffice',
    [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--headless',
      '--norestore',
      '--convert-to',
      CSV_FILTER,
      '--outdir',
      out,
      ...files,
    ],
    { timeout: 60_000 },
  );
  return out;
}

/** A small CSV reader for LibreOffice's output: ';' separated, '"' quoted with '""' escapes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readSheet(dir: string, base: string, sheet: string): string[][] {
  return parseCsv(readFileSync(join(dir, `${base}-${sheet}.csv`), 'utf8'));
}

/** The row whose first cell is `label`, as displayed, without its trailing empty cells. */
function line(rows: string[][], label: string): string[] {
  const row = rows.find((r) => r[0] === label);
  if (!row) throw new Error(`no row '${label}' in:\n${rows.map((r) => r.join(';')).join('\n')}`);
  const cells = [...row];
  while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

/** The average row of the Prestatielijst as displayed: the label, then the quarters and the change. */
function averageRow(rows: string[][], label: string): string[] {
  const row = line(rows, label);
  return [row[0]!, ...row.slice(4)];
}

describe('the exported workbook in LibreOffice', () => {
  if (!SOFFICE && IN_CI) {
    it('when the tests run in CI, then LibreOffice is installed', () => {
      expect.fail(
        `${INSTALL_HINT}. CI must install it (see .ci/run) so the export is checked in a real spreadsheet program.`,
      );
    });
  }

  let dir: string;
  let remove: () => void;
  let csv: string;
  /** The report's sector table for dataset M, to hold LibreOffice's own averages against. */
  let matrixM: Matrix;

  beforeAll(async () => {
    if (!SOFFICE) return;
    ({ dir, remove } = tempDir('vpt-lo-'));
    const files: string[] = [];
    for (const [name, dataset, from, to] of [
      ['a', DATASET_A, '2015-Q4', '2016-Q4'],
      ['b', DATASET_B, '2015-Q4', '2016-Q4'],
      ['m', DATASET_M, PERIOD_M.from, PERIOD_M.to],
    ] as const) {
      const t = await buildTestContext();
      try {
        await buildDataset(t.ctx, dataset);
        if (name === 'm') matrixM = await reportMatrix(t.ctx, from, to);
        const { buffer } = await exportToBuffer(t.ctx, 'VPT-regio Testland', from, to);
        const file = join(dir, `${name}.xlsx`);
        writeFileSync(file, buffer);
        files.push(file);
      } finally {
        await t.close();
      }
    }
    // The same workbook as b with every cached formula result set to 0: whatever LibreOffice
    // shows for the averages then is its own calculation.
    const zeroed = new ExcelJS.Workbook();
    await zeroed.xlsx.readFile(join(dir, 'b.xlsx'));
    zeroed.getWorksheet('Prestatielijst')!.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.formula) cell.value = { formula: cell.formula, result: 0 };
      });
    });
    await zeroed.xlsx.writeFile(join(dir, 'b-zeroed.xlsx'));
    files.push(join(dir, 'b-zeroed.xlsx'));
    csv = await convertToCsv(dir, files);
  }, 120_000);

  afterAll(() => remove?.());

  it.skipIf(!SOFFICE)('when converted, then every sheet comes out', () => {
    for (const base of ['a', 'b', 'b-zeroed', 'm']) {
      for (const sheet of [
        'Prestatielijst',
        'Analyse',
        'Sectoren',
        'Incidenten',
        'Maatregelen',
        'Activiteiten',
        'Schakelmodel',
      ]) {
        expect(readSheet(csv, base, sheet).length, `${base}-${sheet}`).toBeGreaterThan(1);
      }
    }
  });

  it.skipIf(!SOFFICE)(
    'when the report-style dataset is opened, then the Analyse sheet shows the figures with a decimal comma and signed percentages',
    () => {
      const rows = readSheet(csv, 'b', 'Analyse');
      expect(line(rows, 'Aantal aangesloten organisaties')).toEqual([
        'Aantal aangesloten organisaties',
        '22',
      ]);
      expect(line(rows, 'Aantal sectoren')).toEqual([
        'Aantal sectoren',
        '8',
        'Veiligheid/Justitie, Zorg, Onderwijs, Openbaar Vervoer, Openbaar Bestuur, Sociale Zekerheid, Woningbouwcorporaties, Anders',
      ]);
      // 56 / 19 = 2,947…; 82 / 22 = 3,727…; (3,727… − 2,947…) / 2,947… = 26,46%.
      expect(line(rows, 'Gemiddelde versnelling Q4 2015 (start)')).toEqual([
        'Gemiddelde versnelling Q4 2015 (start)',
        '2,95',
        'n = 19',
      ]);
      expect(line(rows, 'Gemiddelde versnelling Q4 2016 (eind)')).toEqual([
        'Gemiddelde versnelling Q4 2016 (eind)',
        '3,73',
        'n = 22',
      ]);
      expect(line(rows, 'Procentuele vordering regio t.o.v. Q4 2015')).toEqual([
        'Procentuele vordering regio t.o.v. Q4 2015',
        '+26,46%',
      ]);
      // name, change, average start, average end, n start, n end
      const sectors = [
        ['Veiligheid/Justitie', '+20,00%', '3,33', '4,00', '3', '3'],
        ['Zorg', '+22,73%', '3,67', '4,50', '3', '4'],
        ['Onderwijs', '+66,67%', '2,00', '3,33', '2', '3'],
        ['Openbaar Vervoer', '+0,00%', '4,50', '4,50', '2', '2'],
        ['Openbaar Bestuur', '+31,25%', '2,67', '3,50', '3', '4'],
        ['Sociale Zekerheid', '+42,86%', '2,33', '3,33', '3', '3'],
        ['Woningbouwcorporaties', '+50,00%', '2,00', '3,00', '2', '2'],
        ['Anders', '+0,00%', '3,00', '3,00', '1', '1'],
      ];
      // The first six columns; the like-for-like columns follow.
      for (const expected of sectors) expect(line(rows, expected[0]!).slice(0, 6)).toEqual(expected);
      expect(line(rows, 'Kwalitatief sterkste sector')).toEqual([
        'Kwalitatief sterkste sector',
        'Openbaar Vervoer & Zorg',
      ]);
    },
  );

  it.skipIf(!SOFFICE)(
    'when the report-style dataset is opened, then the average rows recalculated by LibreOffice show the same figures',
    () => {
      // Newcomers join in Q3 2016 without a gear: the averages stay at the start until Q4 2016.
      const expected = [
        ['Gemiddelde Veiligheid/Justitie', '3,33', '3,33', '3,33', '3,33', '4,00', '+20,00%'],
        ['Gemiddelde Zorg', '3,67', '3,67', '3,67', '3,67', '4,50', '+22,73%'],
        ['Gemiddelde Onderwijs', '2,00', '2,00', '2,00', '2,00', '3,33', '+66,67%'],
        ['Gemiddelde Openbaar Vervoer', '4,50', '4,50', '4,50', '4,50', '4,50', '+0,00%'],
        ['Gemiddelde Openbaar Bestuur', '2,67', '2,67', '2,67', '2,67', '3,50', '+31,25%'],
        ['Gemiddelde Sociale Zekerheid', '2,33', '2,33', '2,33', '2,33', '3,33', '+42,86%'],
        ['Gemiddelde Woningbouwcorporaties', '2,00', '2,00', '2,00', '2,00', '3,00', '+50,00%'],
        ['Gemiddelde Anders', '3,00', '3,00', '3,00', '3,00', '3,00', '+0,00%'],
        ['Gemiddelde regio', '2,95', '2,95', '2,95', '2,95', '3,73', '+26,46%'],
      ];
      for (const base of ['b', 'b-zeroed']) {
        const rows = readSheet(csv, base, 'Prestatielijst');
        for (const row of expected) expect(averageRow(rows, row[0]!), base).toEqual(row);
      }
    },
  );

  it.skipIf(!SOFFICE)(
    'when the hand-made dataset is opened, then carried-forward gears count in the averages and blanks do not',
    () => {
      const analyse = readSheet(csv, 'a', 'Analyse');
      // 22 / 8 = 2,75; 34 / 9 = 3,78; 37 / 99 = 37,37%.
      expect(line(analyse, 'Gemiddelde versnelling Q4 2015 (start)')[1]).toBe('2,75');
      expect(line(analyse, 'Gemiddelde versnelling Q4 2016 (eind)')[1]).toBe('3,78');
      expect(line(analyse, 'Procentuele vordering regio t.o.v. Q4 2015')[1]).toBe('+37,37%');
      expect(line(analyse, 'Zorg').slice(0, 6)).toEqual(['Zorg', '+33,33%', '3,00', '4,00', '2', '3']);
      expect(line(analyse, 'Openbaar Vervoer').slice(0, 6)).toEqual([
        'Openbaar Vervoer',
        '+14,29%',
        '3,50',
        '4,00',
        '2',
        '2',
      ]);
      expect(line(analyse, 'Veiligheid/Justitie').slice(0, 6)).toEqual([
        'Veiligheid/Justitie',
        '',
        '',
        '',
        '0',
        '0',
      ]);

      const list = readSheet(csv, 'a', 'Prestatielijst');
      expect(averageRow(list, 'Gemiddelde Zorg')).toEqual([
        'Gemiddelde Zorg',
        '3,00',
        '3,00',
        '3,33',
        '3,67',
        '4,00',
        '+33,33%',
      ]);
      expect(averageRow(list, 'Gemiddelde Onderwijs')).toEqual([
        'Gemiddelde Onderwijs',
        '2,00',
        '2,00',
        '2,33',
        '2,50',
        '3,50',
        '+75,00%',
      ]);
      expect(averageRow(list, 'Gemiddelde regio')).toEqual([
        'Gemiddelde regio',
        '2,75',
        '2,67',
        '2,90',
        '3,22',
        '3,78',
        '+37,37%',
      ]);
      // Gears are plain whole numbers; the change is signed; a blank stays blank.
      expect(line(list, 'Thuiszorg West')).toEqual([
        'Thuiszorg West',
        'Zorg',
        'Q2 2016',
        '',
        '',
        '',
        '2',
        '3',
        '3',
        '+1',
      ]);
      expect(line(list, 'Hogeschool Delta')).toEqual([
        'Hogeschool Delta',
        'Onderwijs',
        'Q4 2015',
        'Q2 2016',
        '2',
        '2',
        '3',
      ]);
    },
  );

  it.skipIf(!SOFFICE)(
    'when a list with moves, leavers and rejoiners is opened, then every average LibreOffice calculates is the report’s figure',
    () => {
      const rows = readSheet(csv, 'm', 'Prestatielijst');
      const shown = (average: number | null) =>
        average === null ? '' : average.toFixed(2).replace('.', ',');
      const lines = [
        ...matrixM.sectors
          .filter((s) => s.cells.some((c) => c.n > 0))
          .map((s) => [`Gemiddelde ${s.name}`, s.cells] as const),
        ['Gemiddelde regio', matrixM.region.cells] as const,
      ];
      expect(lines).toHaveLength(7);
      for (const [label, cells] of lines) {
        const row = line(rows, label);
        // `line` drops the blank cells at the end of a row.
        expect(
          cells.map((_c, i) => row[4 + i] ?? ''),
          label,
        ).toEqual(cells.map((c) => shown(c.average)));
      }
    },
  );
});
