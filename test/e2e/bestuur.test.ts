// The board's journey in a real browser: the read-only dashboard, the sector × quarter table and
// the Excel download of a chosen period, which opens with exceljs.
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrganisations } from '../../server/services/organisations.service.ts';
import { formatQuarter } from '../../web/src/ui/format.ts';
import {
  addAccount,
  currentQuarter,
  launchBrowser,
  open,
  openWatched,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  await addAccount(server, 'bestuur@regio.example.org', 'bestuur');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('bestuur', () => {
  it('sees the dashboard read-only, chooses a period and downloads the Excel file', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    const now = currentQuarter();
    await signIn(page, 'bestuur@regio.example.org');
    expect(new URL(page.url()).pathname).toBe('/bestuur');
    await expect(page.locator('main h1').textContent()).resolves.toBe('Dashboard van de regio');
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await expect(menu.getByRole('link').allTextContents()).resolves.toEqual([
      'Dashboard',
      'Sectoren per kwartaal',
      'Incidenten en doelen',
    ]);
    // Read-only: the worklist shows, but without "Quickscan afnemen" links.
    await expect(page.getByRole('heading', { name: /^Nog geen quickscan in / }).isVisible()).resolves.toBe(
      true,
    );
    await expect(page.getByRole('link', { name: /^Quickscan afnemen/ }).count()).resolves.toBe(0);
    // Dutch figures: "3,18" and "+27,04%"; how many of the gears are older than a year, if any.
    await expect(page.locator('.kpi').first().textContent()).resolves.toMatch(
      /^Q[1-4] \d{4}: \d,\d{2} \(n = \d+(, waarvan \d+ ouder dan een jaar)?\), [+−-]?\d+,\d{2}% t\.o\.v\. Q[1-4] \d{4}$/,
    );
    // A projectleider page leads back to the dashboard.
    await open(page, '/organisaties');
    expect(new URL(page.url()).pathname).toBe('/bestuur');

    // The sector × quarter table for a chosen period.
    await menu.getByRole('link', { name: 'Sectoren per kwartaal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sectoren per kwartaal' }).waitFor();
    await page.getByLabel('Van').selectOption('2015-Q4');
    await page.getByLabel('Tot en met').selectOption(now);
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForURL((url) => url.search === `?van=2015-Q4&tot=${now}`);
    const period = `Q4 2015 – ${formatQuarter(now)}`;
    const download = page.getByRole('link', { name: `Download de prestatielijst ${period} (Excel)` });
    await download.waitFor();
    const table = page.locator('table.matrix');
    await expect(table.locator('caption').textContent()).resolves.toContain(period);
    const regionChange = await table.locator('tfoot td').last().textContent();
    expect(regionChange).toMatch(/^[+−-]?\d+,\d{2}%$/);

    // The download: a real .xlsx that exceljs opens, with the chosen period and every member.
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe(`prestatielijst-2015-Q4-${now}.xlsx`);
    const path = await file.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Prestatielijst',
      'Analyse',
      'Sectoren',
      'Incidenten',
      'Maatregelen',
      'Activiteiten',
      'Schakelmodel',
    ]);
    const list = workbook.getWorksheet('Prestatielijst')!;
    expect(String(list.getCell('A1').value)).toMatch(/^Prestatielijst /);
    expect(String(list.getCell('A2').value)).toContain('Q4 2015');
    const names = new Set<string>();
    list.eachRow((row) => names.add(String(row.getCell(1).value ?? '')));
    const { items } = await listOrganisations(server.ctx, { includeArchived: true });
    expect(items.length).toBeGreaterThan(50);
    // An organisation that moved sector has a row per sector, its name followed by the period.
    for (const org of items) {
      expect(
        [...names].some((n) => n === org.name || n.startsWith(`${org.name} (`)),
        org.name,
      ).toBe(true);
    }

    expectClean();
  });
});
