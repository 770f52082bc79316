import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/cli/run.ts';
import { testConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { loadModelRegistry } from '../../server/services/model-registry.ts';
import { buildDataset, DATASET_A, loadWorkbook } from '../excel/datasets.ts';
import { TEST_NOW, tempDir } from '../helpers.ts';

const REGION = 'VPT-regio Clidorp';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir('vpt-cli-export-'));
});
afterEach(() => remove());

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      readStdin: async () => '',
      env: { DATABASE_PATH: join(dir, 'cli.sqlite'), REGION_NAME: REGION },
    },
    () => TEST_NOW,
  );
  return { code, stdout, stderr };
}

/** Fills the CLI's database with dataset A through the services. */
async function seed(): Promise<void> {
  const db = openDatabase(join(dir, 'cli.sqlite'));
  try {
    await migrateToLatest(db);
    const models = await loadModelRegistry(db, testConfig().model, TEST_NOW);
    await buildDataset({ db, models, now: () => TEST_NOW, actor: 'test' }, DATASET_A);
  } finally {
    await db.destroy();
  }
}

describe('cli: export prestatielijst', () => {
  it('when a period is exported, then the file is a workbook with the region from the config', async () => {
    await seed();
    const file = join(dir, 'lijst.xlsx');

    const r = await cli(['export', 'prestatielijst', '--from', '2015-Q4', '--to', '2016-Q4', '--out', file]);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(file);
    expect(r.stdout).toContain('Q4 2015');
    expect(r.stdout).toContain('10 organisaties');
    const workbook = await loadWorkbook(readFileSync(file));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Prestatielijst',
      'Analyse',
      'Sectoren',
      'Schakelmodel',
    ]);
    const list = workbook.getWorksheet('Prestatielijst')!;
    expect(list.getCell('A1').value).toBe(`Prestatielijst ${REGION}`);
    expect(list.getRow(6).getCell(5).value).toBe('Q4 2015');
    expect(list.getRow(6).getCell(9).value).toBe('Q4 2016');
    // The region average in Q4 2016: 34 over 9 organisations.
    let regionEnd: unknown;
    workbook.getWorksheet('Analyse')!.eachRow((row) => {
      if (row.getCell(1).value === 'Gemiddelde versnelling Q4 2016 (eind)') regionEnd = row.getCell(2).value;
    });
    expect(regionEnd).toBeCloseTo(34 / 9, 12);
  });

  it('when --json is given, then it prints the file, the period, and the numbers of organisations and quarters', async () => {
    await seed();
    const file = join(dir, 'lijst.xlsx');

    const r = await cli([
      'export',
      'prestatielijst',
      '--from',
      '2016-Q1',
      '--to',
      '2016-Q4',
      '--out',
      file,
      '--json',
    ]);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file,
      from: '2016-Q1',
      to: '2016-Q4',
      organisations: 10,
      quarters: 4,
    });
    expect(existsSync(file)).toBe(true);
  });

  it('when the database is empty, then the export still writes a workbook', async () => {
    const file = join(dir, 'leeg.xlsx');

    const r = await cli([
      'export',
      'prestatielijst',
      '--from',
      '2016-Q1',
      '--to',
      '2016-Q2',
      '--out',
      file,
      '--json',
    ]);

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ organisations: 0, quarters: 2 });
    const workbook = await loadWorkbook(readFileSync(file));
    expect(workbook.worksheets).toHaveLength(4);
  });

  it('when the period runs backwards, then it exits 1 with a Dutch message and writes no file', async () => {
    const file = join(dir, 'achteruit.xlsx');

    const r = await cli(['export', 'prestatielijst', '--from', '2016-Q4', '--to', '2015-Q4', '--out', file]);

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('periode loopt achteruit');
    expect(existsSync(file)).toBe(false);
  });

  it('when a quarter is malformed or --out is missing, then it refuses without writing', async () => {
    const bad = await cli([
      'export',
      'prestatielijst',
      '--from',
      '2016-Q5',
      '--to',
      '2016-Q4',
      '--out',
      join(dir, 'x.xlsx'),
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/2016-Q5/);
    expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);

    const noOut = await cli(['export', 'prestatielijst', '--from', '2016-Q1', '--to', '2016-Q4']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
  });

  it('when the file cannot be written, then it exits 1 and says so', async () => {
    const file = join(dir, 'bestaat-niet', 'lijst.xlsx');

    const r = await cli(['export', 'prestatielijst', '--from', '2016-Q1', '--to', '2016-Q4', '--out', file]);

    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`kan '${file}' niet schrijven`);
  });
});
