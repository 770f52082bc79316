import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataset, DATASET_A, DATASET_M, loadWorkbook, type OrgPlan, SHEETS } from '../excel/datasets.ts';
import { buildTestContext } from '../helpers.ts';
import { cliSandbox } from './sandbox.ts';

const REGION = 'VPT-regio Clidorp';

const sandbox = cliSandbox('vpt-cli-export-', { REGION_NAME: REGION });
const { cli } = sandbox;

/** Fills the CLI's database with a dataset (A unless said) through the services. */
async function seed(dataset: OrgPlan[] = DATASET_A): Promise<void> {
  const { ctx, close } = await buildTestContext({ databasePath: sandbox.databasePath });
  try {
    await buildDataset(ctx, dataset);
  } finally {
    await close();
  }
}

/** Runs `export prestatielijst` for a period into `out`, with any further options. */
function exportList(from: string, to: string, out: string, ...options: string[]) {
  return cli(['export', 'prestatielijst', '--from', from, '--to', to, '--out', out, ...options]);
}

describe('cli: export prestatielijst', () => {
  it('when a period is exported, then the file is a workbook with the region from the config', async () => {
    await seed();
    const file = join(sandbox.dir, 'lijst.xlsx');

    const r = await exportList('2015-Q4', '2016-Q4', file);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(file);
    expect(r.stdout).toContain('Q4 2015');
    expect(r.stdout).toContain('10 organisaties');
    const workbook = await loadWorkbook(readFileSync(file));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(SHEETS);
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
    const file = join(sandbox.dir, 'lijst.xlsx');

    const r = await exportList('2016-Q1', '2016-Q4', file, '--json');

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
    const file = join(sandbox.dir, 'leeg.xlsx');

    const r = await exportList('2016-Q1', '2016-Q2', file, '--json');

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ organisations: 0, quarters: 2 });
    const workbook = await loadWorkbook(readFileSync(file));
    expect(workbook.worksheets).toHaveLength(7);
  });

  it('when the period runs backwards, then it exits 1 with a Dutch message and writes no file', async () => {
    const file = join(sandbox.dir, 'achteruit.xlsx');

    const r = await exportList('2016-Q4', '2015-Q4', file);

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('periode loopt achteruit');
    expect(existsSync(file)).toBe(false);
  });

  it('when a quarter is malformed or --out is missing, then it refuses without writing', async () => {
    const bad = await exportList('2016-Q5', '2016-Q4', join(sandbox.dir, 'x.xlsx'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/2016-Q5/);
    expect(existsSync(join(sandbox.dir, 'x.xlsx'))).toBe(false);

    const noOut = await cli(['export', 'prestatielijst', '--from', '2016-Q1', '--to', '2016-Q4']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
  });

  it('when the file cannot be written, then it exits 1 and says so', async () => {
    const file = join(sandbox.dir, 'bestaat-niet', 'lijst.xlsx');

    const r = await exportList('2016-Q1', '2016-Q4', file);

    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`kan '${file}' niet schrijven`);
  });

  it('when organisations moved sector and rejoined, then each counts once and the exported list reads back into the same report', async () => {
    await seed(DATASET_M);
    const file = join(sandbox.dir, 'lijst.xlsx');
    // Twelve rows, but eight organisations: a mover counts once.
    const exported = await exportList('2015-Q4', '2017-Q4', file, '--json');
    expect(JSON.parse(exported.stdout)).toMatchObject({ organisations: 8, quarters: 9 });
    const before = await cli(['report', '--from', '2015-Q4', '--to', '2017-Q4', '--json']);

    // Into the same database: nothing changes.
    const again = JSON.parse((await cli(['import', 'prestatielijst', file, '--json'])).stdout);
    expect(again).toMatchObject({ sectorMoves: [], newSectors: [], organisations: { unchanged: 8 } });
    expect((await cli(['report', '--from', '2015-Q4', '--to', '2017-Q4', '--json'])).stdout).toBe(
      before.stdout,
    );
    const workbook = await loadWorkbook(readFileSync(file));
    const names: unknown[] = [];
    workbook.getWorksheet('Prestatielijst')!.eachRow((row) => names.push(row.getCell(1).value));
    expect(names).toEqual(
      expect.arrayContaining(['GGZ Midden (tot en met Q1 2016)', 'GGZ Midden (Q2 2016 tot en met Q4 2016)']),
    );
  });
});
