// The board's journey in a real browser: the quarterly report for a pair of quarters (the final
// report's analysis, the sectors' change as sorted bars, each sector's line, the outcomes, the
// status of the figures), its Excel download and its A4 print; the sector × quarter table with the
// change first; and the Excel of a chosen period, which opens with exceljs.
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQuarter } from '../../server/services/closing.service.ts';
import { listOrganisations } from '../../server/services/organisations.service.ts';
import { formatQuarter } from '../../web/src/ui/format.ts';
import { shiftQuarter } from '../../web/src/ui/quarter-select.ts';
import {
  addAccount,
  checkPage,
  currentQuarter,
  DESKTOP,
  launchBrowser,
  open,
  openWatched,
  printToPdf,
  ready,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  await addAccount(server, 'bestuur@regio.example.org', 'bestuur');
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  // The quarters up to a year ago are closed, as a projectleider would have done.
  await closeQuarter(server.ctx, shiftQuarter(currentQuarter(), -4), { includeEarlier: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** "+27,04%" → 27.04; "−3,10%" → -3.1. */
function percent(text: string): number {
  const m = /([+−-]?)(\d+),(\d{2})%/.exec(text);
  if (!m) throw new Error(`no percentage in "${text}"`);
  return (m[1] === '−' || m[1] === '-' ? -1 : 1) * Number(`${m[2]}.${m[3]}`);
}

async function analysisValue(page: Page, label: RegExp): Promise<string> {
  const row = page.locator('table.analysis tr').filter({ has: page.getByRole('rowheader', { name: label }) });
  return (await row.locator('td').textContent()) ?? '';
}

describe('bestuur', () => {
  it('given a demo region with closed quarters, when the board signs in, then it lands on the quarterly report of this quarter against a year ago, reads it like the final report, downloads it and prints it on A4', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    const now = currentQuarter();
    const yearAgo = shiftQuarter(now, -4);
    await signIn(page, 'bestuur@regio.example.org');
    expect(new URL(page.url()).pathname).toBe('/bestuur');
    await expect(page.locator('main h1').textContent()).resolves.toBe('Kwartaalrapportage');
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await expect(menu.getByRole('link').allTextContents()).resolves.toEqual([
      'Kwartaalrapportage',
      'Sectoren per kwartaal',
      'Incidenten en doelen',
    ]);
    // No worklist of named organisations the board cannot act on.
    await expect(page.getByRole('heading', { name: /^Nog geen quickscan in / }).count()).resolves.toBe(0);

    // The Excel download is the first action, in view without scrolling on a laptop.
    const download = page.getByRole('link', {
      name: `Download de prestatielijst (Excel), ${formatQuarter(yearAgo)} – ${formatQuarter(now)}`,
    });
    const box = await download.boundingBox();
    expect(box && box.y + box.height).toBeLessThan(DESKTOP.height);

    // The status of the figures: the start is closed, the end still running.
    const status = page.getByRole('region', { name: 'Status van de cijfers' });
    await expect(status.textContent()).resolves.toMatch(
      new RegExp(`${formatQuarter(yearAgo)}: vastgesteld op .+ door e2e`),
    );
    await expect(status.textContent()).resolves.toContain(
      `${formatQuarter(now)}: loopt nog en is niet vastgesteld`,
    );

    // The quantitative analysis, as the final report had it.
    const members = await analysisValue(page, /^Aantal aangesloten organisaties$/);
    expect(members).toMatch(new RegExp(`^\\d+ in ${formatQuarter(now)}; \\d+ in ${formatQuarter(yearAgo)}`));
    await expect(analysisValue(page, /^Aantal sectoren$/)).resolves.toMatch(/^\d+$/);
    await expect(
      analysisValue(page, new RegExp(`^Gemiddelde versnelling ${formatQuarter(yearAgo)} \\(begin\\)$`)),
    ).resolves.toMatch(/^\d,\d{2} \(n = \d+/);
    const end = await analysisValue(
      page,
      new RegExp(`^Gemiddelde versnelling ${formatQuarter(now)} \\(eind\\)$`),
    );
    expect(end).toMatch(
      new RegExp(`^\\d,\\d{2} \\(n = \\d+.*\\), [+−]?\\d+,\\d{2}% t\\.o\\.v\\. ${formatQuarter(yearAgo)}$`),
    );
    await expect(analysisValue(page, /^Vergelijkbare verandering$/)).resolves.toMatch(
      /\(n = \d+\): gemiddeld van/,
    );
    await expect(analysisValue(page, /^Sterkste sector in /)).resolves.not.toBe('–');
    const weakest = await analysisValue(page, /^Zwakste sector in /);
    expect(weakest).not.toBe('–');

    // Each sector's change, sorted from the largest rise to the largest fall; the region last.
    const bars = page.locator('table.sector-bars');
    const changes = (await bars.locator('tbody tr td:nth-child(3)').allTextContents()).filter((t) =>
      t.includes('%'),
    );
    expect(changes.length).toBeGreaterThan(4);
    const values = changes.map(percent);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await expect(bars.locator('tfoot th').textContent()).resolves.toBe('Regio (alle sectoren)');
    expect(percent((await bars.locator('tfoot td').nth(1).textContent()) ?? '')).toBe(percent(end));

    // Each sector's line beside the region's: one small chart per sector, named and described.
    const multiples = page.locator('figure.multiple');
    expect(await multiples.count()).toBeGreaterThan(5);
    await expect(
      page.getByRole('img', { name: /^Regio \(alle sectoren\): van \d,\d{2} in / }).count(),
    ).resolves.toBe(1);

    // The outcomes: measures, incidents against the 0-meting, targets and the network's work.
    for (const heading of [
      `VPT-maatregelen in ${formatQuarter(now)}`,
      'Incidenten tegenover de 0-meting',
      'Doelen van de regio',
      'Het werk van het netwerk',
    ]) {
      await expect(page.getByRole('heading', { level: 2, name: heading }).isVisible(), heading).resolves.toBe(
        true,
      );
    }
    await checkPage(page, 'kwartaalrapportage');

    // The download: the prestatielijst of the same pair.
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe(`prestatielijst-${yearAgo}-${now}.xlsx`);

    // The A4 print: the report without the menu and the controls, the last quarter's label in it.
    const { pages } = await printToPdf(page, 'kwartaalrapportage');
    const printed = pages.join('\n').replace(/\s+/g, ' ');
    expect(pages[0]).toContain('Kwartaalrapportage');
    expect(pages[0]).toContain('Kwantitatieve analyse');
    expect(printed).toContain(`Zwakste sector in ${formatQuarter(now)}`);
    expect(printed).toContain(`Verandering per sector, ${formatQuarter(yearAgo)} → ${formatQuarter(now)}`);
    // Every sector's small chart ends at the last quarter, its label printed (not cut off).
    const lines = page.locator('figure.multiple');
    expect(printed.split(formatQuarter(now)).length - 1).toBeGreaterThan(await lines.count());
    expect(printed).not.toContain('Uitloggen');
    expect(printed).not.toContain('Download de prestatielijst');
    expect(printed).not.toContain('Afdrukken als');
    expect(pages.length).toBeLessThanOrEqual(6);

    expectClean();
  });

  it('given the board chooses another pair of quarters, when it compares them, then the analysis is that of the pair, and a reversed pair is refused in Dutch', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    await signIn(page, 'bestuur@regio.example.org');
    await page.getByLabel('Van', { exact: true }).selectOption('2015-Q4');
    await page.getByLabel('Tot en met').selectOption('2016-Q4');
    await page.getByRole('button', { name: 'Vergelijk' }).click();
    await page.waitForURL((url) => url.search === '?van=2015-Q4&tot=2016-Q4');
    await ready(page);
    await expect(analysisValue(page, /^Gemiddelde versnelling Q4 2016 \(eind\)$/)).resolves.toMatch(
      /t\.o\.v\. Q4 2015$/,
    );
    await expect(page.getByRole('region', { name: 'Status van de cijfers' }).textContent()).resolves.toMatch(
      /Q4 2015: vastgesteld op .*Q4 2016: vastgesteld op /s,
    );

    await open(page, '/bestuur?van=2016-Q4&tot=2015-Q4');
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Het eindkwartaal ligt vóór het beginkwartaal',
    );
    expectClean();
  });

  it('given the sector × quarter table, when the board opens it for a long period, then the change is the first figure beside each sector and every average is shaded with its number, and its Excel opens with every member', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    const now = currentQuarter();
    await signIn(page, 'bestuur@regio.example.org');
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await menu.getByRole('link', { name: 'Sectoren per kwartaal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sectoren per kwartaal' }).waitFor();
    await page.getByLabel('Van', { exact: true }).selectOption('2015-Q4');
    await page.getByLabel('Tot en met').selectOption(now);
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForURL((url) => url.search === `?van=2015-Q4&tot=${now}`);
    const period = `Q4 2015 – ${formatQuarter(now)}`;
    const table = page.locator('table.matrix');
    await expect(table.locator('caption').textContent()).resolves.toContain(period);
    const heads = await table.locator('thead th').allTextContents();
    expect(heads[1]).toBe(`Verandering Q4 2015 → ${formatQuarter(now)}`);
    // The region's change is the first cell of its row, in view without scrolling sideways.
    const regionChange = table.locator('tfoot td').first();
    expect(await regionChange.textContent()).toMatch(/^[+−-]?\d+,\d{2}%$/);
    const changeBox = await regionChange.boundingBox();
    expect(changeBox && changeBox.x + changeBox.width).toBeLessThan(DESKTOP.width);
    // Shaded cells keep their number.
    const shaded = table.locator('td.heat');
    expect(await shaded.count()).toBeGreaterThan(100);
    await expect(shaded.first().textContent()).resolves.toMatch(/^\d,\d{2}/);
    await checkPage(page, 'sectoren-per-kwartaal');

    // The download: a real .xlsx that exceljs opens, with the chosen period and every member.
    const download = page.getByRole('link', { name: `Download de prestatielijst ${period} (Excel)` });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe(`prestatielijst-2015-Q4-${now}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await file.path());
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
    const analysis = workbook.getWorksheet('Analyse')!;
    const labels: string[] = [];
    analysis.eachRow((row) => labels.push(String(row.getCell(1).value ?? '')));
    expect(labels).toContain('Zwakste sector');
    expectClean();
  });

  it('given a region without members yet, when the board and the projectleider open the report, then it says there is nothing to report yet and what to do, without empty charts', async () => {
    const empty = await startServer({ data: 'empty' });
    try {
      await addAccount(empty, 'bestuur@leeg.example.org', 'bestuur');
      await addAccount(empty, 'pl@leeg.example.org', 'projectleider');
      const context = await browser.newContext({ baseURL: empty.url });
      const page = await context.newPage();
      await signIn(page, 'bestuur@leeg.example.org');
      await page.getByRole('heading', { level: 2, name: 'Nog geen cijfers' }).waitFor();
      await expect(
        page.getByText('De projectleider heeft nog geen organisaties toegevoegd').isVisible(),
      ).resolves.toBe(true);
      await expect(page.locator('table.analysis, figure.multiple, table.sector-bars').count()).resolves.toBe(
        0,
      );
      await checkPage(page, 'kwartaalrapportage-leeg');
      await context.close();

      const plContext = await browser.newContext({ baseURL: empty.url });
      const pl = await plContext.newPage();
      await signIn(pl, 'pl@leeg.example.org');
      await open(pl, '/bestuur');
      await pl.getByRole('link', { name: 'Voeg de eerste organisatie toe' }).click();
      await pl.waitForURL((url) => url.pathname === '/organisaties/nieuw');
      await plContext.close();
    } finally {
      await empty.close();
    }
  });

  it('given the projectleider, when it opens the menu, then the quarterly report is there too, and a projectleider page still leads the board back to its report', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    await signIn(page, 'pl@regio.example.org');
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await menu.getByRole('link', { name: 'Kwartaalrapportage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kwartaalrapportage' }).waitFor();

    const board = await browser.newContext({ baseURL: server.url });
    const boardPage = await board.newPage();
    await signIn(boardPage, 'bestuur@regio.example.org');
    await open(boardPage, '/organisaties');
    expect(new URL(boardPage.url()).pathname).toBe('/bestuur');
    await board.close();
    expectClean();
  });
});
