import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAverage, formatPercent } from '../../server/domain/format.ts';
import { percentChange } from '../../server/domain/report.ts';
import { spreadsheetPercent } from '../../server/domain/rounding.ts';

/**
 * The one rounding rule against a real spreadsheet program: a few hundred generated values go into
 * one workbook with the export's number formats, LibreOffice shows them (CSV of the values as
 * displayed), and every one must read as formatAverage / formatPercent show it. Availability and
 * the CI rule are those of test/excel/libreoffice.test.ts.
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
  console.warn(
    `Skipping the LibreOffice rounding test: ${INSTALL_HINT}. CI installs it (.ci/run) and runs it.`,
  );
}

// Separator ';', text in '"', UTF-8 (76), first line 1, formatted values as shown, every sheet (-1).
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1';

// The export's number formats (server/excel/prestatielijst-writer.ts: NUM_2 and PERCENT); the
// first test holds them against the writer's source so that they cannot drift apart.
const NUM_2 = '[$-413]0.00';
const PERCENT = '[$-413]+0.00%;-0.00%;+0.00%';

const SEED = 20161231;

/** Values as `fc.sample` draws them with the fixed seed: the same workbook on every run. */
function sample<T>(arbitrary: fc.Arbitrary<T>, count: number, offset: number): T[] {
  return fc.sample(arbitrary, { seed: SEED + offset, numRuns: count });
}

/** Ties at two decimals, k/1000 with k an odd multiple of 5, up to ±`max`. */
const ties = (max: number) => fc.integer({ min: -max * 100, max: max * 100 }).map((j) => (10 * j + 5) / 1000);

/** The cases the rule is known for, each a decimal that binary floating point stores below its half. */
const KNOWN = [3.175, 1.005, 2.675, 8.675, 1.115, 0.285, -21.875, 21.875, -31.875, 0.125, -0.125, 0.995];
const EDGES = [
  0, -0, 1e-7, -1e-7, 0.005, -0.005, 0.0049999, -0.0049999, -0.004, 123456789012.345, 12345678.125,
];

/** What the export writes with NUM_2: averages of whole gears, and anything else a cell may hold. */
const AVERAGES: number[] = [
  ...KNOWN,
  ...EDGES,
  ...sample(ties(100), 120, 1),
  ...sample(ties(1e6), 60, 2),
  ...sample(
    fc.integer({ min: 1, max: 120 }).chain((n) => fc.integer({ min: n, max: 5 * n }).map((sum) => sum / n)),
    120,
    3,
  ),
  ...sample(fc.double({ min: -1e6, max: 1e6, noNaN: true }), 120, 4),
  ...sample(fc.double({ min: -1, max: 1, noNaN: true }), 40, 5),
];

/** Percentage changes: those of averages of whole gears (full of binary noise), and the rest. */
const gearAverage = fc
  .integer({ min: 1, max: 80 })
  .chain((n) => fc.integer({ min: n, max: 5 * n }).map((sum) => sum / n));
const CHANGES: number[] = [
  ...KNOWN,
  ...EDGES,
  percentChange(4, 63 / 40)!,
  percentChange(3.2, 3.9)!,
  ...sample(ties(100), 100, 6),
  ...sample(ties(1e5), 40, 7),
  ...sample(
    fc.tuple(gearAverage, gearAverage).map(([a, b]) => percentChange(a, b)!),
    150,
    8,
  ),
  ...sample(fc.double({ min: -1e5, max: 1e5, noNaN: true }), 120, 9),
];

/** LibreOffice's profile of its own (parallel runs must not share one). */
async function convertToCsv(dir: string, file: string): Promise<string> {
  const profile = join(dir, 'lo-profile');
  mkdirSync(join(profile, 'user'), { recursive: true });
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
      file,
    ],
    { timeout: 60_000 },
  );
  return out;
}

/** The first column of a one-column CSV, one value per line (numbers need no quoting). */
function firstColumn(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.split(';')[0]!.replace(/^"|"$/g, ''));
}

/**
 * A shown number in one spelling: the last '.' or ',' is the decimal separator (every figure has
 * two decimals), the others group thousands; a '−' is a '-'. Sign and '%' stay as they are.
 */
function canonical(text: string): string {
  const t = text.trim().replace(/\u2212/g, '-');
  const decimal = Math.max(t.lastIndexOf('.'), t.lastIndexOf(','));
  if (decimal < 0) return t;
  return `${t.slice(0, decimal).replace(/[.,\s]/g, '')}.${t.slice(decimal + 1)}`;
}

function mismatches(values: number[], shown: string[], ours: (v: number) => string): string[] {
  return values.flatMap((value, i) => {
    const expected = canonical(ours(value));
    const actual = canonical(shown[i] ?? '');
    return actual === expected ? [] : [`${value}: LibreOffice ${shown[i]}, ours ${ours(value)}`];
  });
}

describe('rounding in LibreOffice', () => {
  it('when the export formats numbers, then it uses the formats this test renders', () => {
    const writer = readFileSync(
      new URL('../../server/excel/prestatielijst-writer.ts', import.meta.url),
      'utf8',
    );
    expect(writer).toContain(`const NUM_2 = '${NUM_2}';`);
    expect(writer).toContain(`const PERCENT = '${PERCENT}';`);
  });

  it('when the values are generated, then every kind the rule is about is among them', () => {
    const isTie = (v: number) => {
      const k = Math.round(v * 1000);
      return Math.abs(k - v * 1000) < 1e-3 && Math.abs(k) % 10 === 5;
    };
    expect(AVERAGES.length + CHANGES.length).toBeGreaterThan(900);
    for (const values of [AVERAGES, CHANGES]) {
      expect(values.filter(isTie).length).toBeGreaterThan(100);
      expect(values.filter((v) => v < 0).length).toBeGreaterThan(100);
      expect(values.filter((v) => Math.abs(v) > 1000).length).toBeGreaterThan(30);
    }
    // Changes of gear averages that binary floating point puts just below a tie (−60.62499999999999).
    const noisyTies = CHANGES.filter((v) => {
      const decimal = Number(v.toPrecision(15));
      return decimal !== v && isTie(decimal);
    });
    expect(noisyTies.length).toBeGreaterThan(0);
  });

  if (!SOFFICE && IN_CI) {
    it('when the tests run in CI, then LibreOffice is installed', () => {
      expect.fail(`${INSTALL_HINT}. CI must install it (see .ci/run) so the rounding is checked against it.`);
    });
  }

  let dir: string;
  let csv: string;

  beforeAll(async () => {
    if (!SOFFICE) return;
    dir = mkdtempSync(join(tmpdir(), 'vpt-rounding-'));
    const workbook = new ExcelJS.Workbook();
    const write = (name: string, values: number[], numFmt: string) => {
      const sheet = workbook.addWorksheet(name);
      values.forEach((value, i) => {
        const cell = sheet.getCell(i + 1, 1);
        cell.value = value;
        cell.numFmt = numFmt;
      });
    };
    write('Gemiddelden', AVERAGES, NUM_2);
    write(
      'Vorderingen',
      CHANGES.map((v) => spreadsheetPercent(v)),
      PERCENT,
    );
    const file = join(dir, 'rounding.xlsx');
    await workbook.xlsx.writeFile(file);
    csv = await convertToCsv(dir, file);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!SOFFICE)(
    'when averages are shown with the export’s format, then they read as formatAverage',
    () => {
      const shown = firstColumn(join(csv, 'rounding-Gemiddelden.csv'));
      expect(mismatches(AVERAGES, shown, formatAverage)).toEqual([]);
    },
  );

  it.skipIf(!SOFFICE)(
    'when changes are stored as spreadsheetPercent gives them and shown with the export’s format, then they read as formatPercent',
    () => {
      const shown = firstColumn(join(csv, 'rounding-Vorderingen.csv'));
      expect(mismatches(CHANGES, shown, formatPercent)).toEqual([]);
    },
  );
});
