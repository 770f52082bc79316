// Layout in a real browser: one unbroken long name does not break the change history, a phone
// reaches the worklist's action and every gear of the distribution, a table wider than its box
// says so until it is scrolled to its end, the header folds its menu away on a phone, and a new
// region's first landing says what to do first instead of drawing empty charts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import {
  addAccount,
  checkPage,
  DESKTOP,
  launchBrowser,
  open,
  openWatched,
  PHONE,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

/** 100 characters without a space: the longest sector name the app takes. */
const LONG_NAME = `Sector${'Zorgenwelzijnsvoorzieningen'.repeat(4)}`.slice(0, 100);
const LONG_RENAMED = `Hernoemd${'Kinderopvangenjeugdhulpverlening'.repeat(4)}`.slice(0, 100);
const HINT = 'Veeg opzij voor meer kolommen →';

let demo: Server;
let empty: Server;
let browser: Browser;

beforeAll(async () => {
  [demo, empty, browser] = await Promise.all([
    startServer({ data: 'demo' }),
    startServer({ data: 'empty' }),
    launchBrowser(),
  ]);
  await addAccount(demo, 'pl@regio.example.org', 'projectleider');
  await addAccount(empty, 'pl@leeg.example.org', 'projectleider');
  await addAccount(empty, 'bestuur@leeg.example.org', 'bestuur');
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([demo?.close(), empty?.close()]);
});

/** The header's height in lines of its text (the brand's line height). */
async function headerLines(page: Page): Promise<number> {
  return page.evaluate(() => {
    const header = document.querySelector('header.top') as HTMLElement;
    const style = getComputedStyle(header);
    const inner =
      header.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
    const line = Number.parseFloat(
      getComputedStyle(document.querySelector('.brand') as HTMLElement).lineHeight,
    );
    return inner / line;
  });
}

describe('layout', () => {
  it('given a sector with a 100-character unbroken name that was renamed, when the change history is opened on a laptop and a phone, then the row stays low and its before/after column stays in view', async () => {
    const { page, expectClean } = await openWatched(browser, demo);
    await signIn(page, 'pl@regio.example.org');

    // The sector is added and renamed on the Sectoren page, with an organisation in it between.
    await open(page, '/sectoren');
    await page.getByLabel('Naam van de nieuwe sector').fill(LONG_NAME);
    await page.getByRole('button', { name: 'Sector toevoegen' }).click();
    await page.getByText(`Sector ${LONG_NAME} is toegevoegd.`).waitFor();
    const sectorId = Number(
      await page.locator('tr[data-sector]', { hasText: LONG_NAME }).getAttribute('data-sector'),
    );
    await createOrganisation(demo.ctx, { name: 'Stichting Lange Namen', sectorId });
    await open(page, '/sectoren');
    await page.getByRole('button', { name: `Hernoemen ${LONG_NAME}` }).click();
    await page.getByLabel(`Nieuwe naam voor ${LONG_NAME}`).fill(LONG_RENAMED);
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('tr[data-sector]', { hasText: LONG_RENAMED }).waitFor();
    await checkPage(page, 'layout-sectoren-lange-naam');

    await open(page, '/wijzigingen?soort=sector');
    const row = page.locator('table.changes tbody tr').first();
    await expect(row.textContent()).resolves.toContain(LONG_RENAMED);
    const change = row.locator('td.changes-change');
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const rowBox = await row.boundingBox();
      const changeBox = await change.boundingBox();
      if (!rowBox || !changeBox) throw new Error('the change row is not shown');
      // Two names of 100 characters wrap within their cells: a few lines, not one per letter.
      expect(rowBox.height, `row height at ${viewport.width}px`).toBeLessThan(viewport === PHONE ? 700 : 200);
      // The before/after column starts inside the screen and keeps room to be read.
      expect(changeBox.x, `before/after column at ${viewport.width}px`).toBeLessThan(viewport.width - 150);
      expect(changeBox.x + changeBox.width).toBeLessThanOrEqual(viewport.width);
      expect(changeBox.width).toBeGreaterThan(200);
    }
    await page.setViewportSize(DESKTOP);
    await checkPage(page, 'layout-wijzigingen-lange-naam');

    // The organisation list with the long sector in it.
    await open(page, `/organisaties?sector=${sectorId}`);
    await page
      .getByRole('cell', { name: 'Stichting Lange Namen' })
      .or(page.getByText('Stichting Lange Namen'))
      .first()
      .waitFor();
    await checkPage(page, 'layout-organisaties-lange-naam');
    expectClean();
  }, 180_000);

  it('given a phone, when the projectleider opens the overview, then every gear of the distribution is in view and the worklist action leads to the quickscan', async () => {
    const { page, expectClean } = await openWatched(browser, demo, PHONE);
    await signIn(page, 'pl@regio.example.org');
    expect(new URL(page.url()).pathname).toBe('/overzicht');

    // Gear 5's column header is on the screen, not past its right edge.
    const gear5 = page.getByRole('columnheader', { name: 'Versnelling 5' });
    await gear5.scrollIntoViewIfNeeded();
    const gear5Box = await gear5.boundingBox();
    expect(gear5Box, 'the header of gear 5 is shown').not.toBeNull();
    expect((gear5Box?.x ?? 0) + (gear5Box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    // The distribution fits: no hint to swipe.
    const distribution = page.locator('section', {
      has: page.getByRole('heading', { name: /^Verdeling over de versnellingen/ }),
    });
    await expect(distribution.getByText(HINT).isVisible()).resolves.toBe(false);
    await checkPage(page, 'layout-overzicht');
    await page.setViewportSize(PHONE);

    // The worklist's action is on the screen and leads to that member's quickscan.
    const action = page.getByRole('link', { name: /^Quickscan afnemen voor / }).first();
    const orgName = ((await action.textContent()) ?? '').replace('Quickscan afnemen voor ', '');
    await action.scrollIntoViewIfNeeded();
    const actionBox = await action.boundingBox();
    expect((actionBox?.x ?? PHONE.width) + (actionBox?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    await action.click();
    await page.waitForURL((url) => url.pathname === '/quickscan');
    await page
      .getByRole('heading', {
        level: 2,
        name: new RegExp(`^${orgName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} – `),
      })
      .waitFor();
    expectClean();
  }, 180_000);

  it('given a phone and a table wider than the screen, when it is scrolled to its end, then the hint to swipe is shown first and gone at the end', async () => {
    const { page, expectClean } = await openWatched(browser, demo, PHONE);
    await signIn(page, 'pl@regio.example.org');
    await open(page, '/bestuur/sectoren?van=2015-Q4');
    const region = page.getByRole('region', { name: 'Tabel sectoren per kwartaal' });
    const hint = page.getByText(HINT);
    await hint.waitFor();
    // The box scrolls by itself (and by keyboard: it takes the focus).
    await region.focus();
    await expect(region.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect(hint.isVisible()).resolves.toBe(true);
    await region.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await hint.waitFor({ state: 'hidden' });
    // Back to the start: more columns again.
    await region.evaluate((el) => el.scrollTo({ left: 0 }));
    await hint.waitFor();
    // On a laptop the same table fits, or says so.
    await page.setViewportSize(DESKTOP);
    const fits = await region.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    if (fits) await hint.waitFor({ state: 'hidden' });
    await checkPage(page, 'layout-bestuur-sectoren');
    expectClean();
  }, 180_000);

  it('given a phone, when the projectleider opens the menu, then the links show, one leads to its page and the menu folds away again', async () => {
    const { page, expectClean } = await openWatched(browser, demo, PHONE);
    await signIn(page, 'pl@regio.example.org');
    const menuButton = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });

    // Closed: the brand and the button on one line, no menu links.
    await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(nav.isVisible()).resolves.toBe(false);
    expect(await headerLines(page)).toBeLessThanOrEqual(2);

    // Opened by keyboard: the links and the account's links show; Escape folds it again.
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(nav.getByRole('link', { name: 'Sectoren', exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Uitloggen' }).isVisible()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(menuButton.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    // A link in the opened menu leads to its page, and the menu is closed there.
    await menuButton.click();
    await nav.getByRole('link', { name: 'Sectoren', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sectoren' }).waitFor();
    await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(nav.isVisible()).resolves.toBe(false);
    await menuButton.click();
    await checkPage(page, 'layout-menu-open');

    // On a laptop: no button, the whole menu in view on at most two lines, the header too.
    await expect(menuButton.isVisible()).resolves.toBe(false);
    await expect(nav.getByRole('link', { name: 'Import/Export' }).isVisible()).resolves.toBe(true);
    const navLines = await page.evaluate(
      () =>
        new Set(
          [...document.querySelectorAll('#nav li')].map((li) => Math.round(li.getBoundingClientRect().top)),
        ).size,
    );
    expect(navLines).toBeLessThanOrEqual(2);
    expect(await headerLines(page)).toBeLessThanOrEqual(2.5);
    expectClean();
  }, 180_000);

  it('given a region without organisations, when the projectleider lands on it, then the overview and the other lists say what to do first instead of showing empty figures', async () => {
    const { page, expectClean } = await openWatched(browser, empty);
    await signIn(page, 'pl@leeg.example.org');
    expect(new URL(page.url()).pathname).toBe('/overzicht');
    const main = page.locator('main');
    await page.getByRole('heading', { level: 2, name: 'Nog geen organisaties in de regio' }).waitFor();
    await expect(main.textContent()).resolves.not.toContain('Alle leden hebben');
    await expect(main.locator('canvas, table').count()).resolves.toBe(0);
    await expect(
      page.getByRole('link', { name: 'Voeg organisaties toe' }).getAttribute('href'),
    ).resolves.toBe('/organisaties/nieuw');
    await expect(
      page.getByRole('link', { name: 'Importeer de bestaande prestatielijst' }).getAttribute('href'),
    ).resolves.toBe('/import-export');
    await expect(main.textContent()).resolves.toMatch(/Laad de demoregio.*npm run cli -- demo/);
    await checkPage(page, 'layout-leeg-overzicht');
    await page.getByRole('link', { name: 'Voeg organisaties toe' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organisatie toevoegen' }).waitFor();

    // The other lists of an empty region say so, with a next step.
    await open(page, '/sectoren');
    await page.getByText('Er zijn nog geen organisaties in een sector.').waitFor();
    await checkPage(page, 'layout-leeg-sectoren');
    await open(page, '/netwerk');
    await page.getByText('Er zijn nog geen organisaties om te kiezen').waitFor();
    await page.getByText(/^Geen activiteiten gevonden\. Leg er een vast/).waitFor();
    await checkPage(page, 'layout-leeg-netwerk');
    expectClean();
  }, 180_000);

  it('given a region without organisations, when the board lands on it, then it says the projectleider has not added them yet', async () => {
    const board = await openWatched(browser, empty);
    await signIn(board.page, 'bestuur@leeg.example.org');
    expect(new URL(board.page.url()).pathname).toBe('/bestuur');
    await board.page.getByText(/De projectleider heeft nog geen organisaties toegevoegd/).waitFor();
    const boardMain = board.page.locator('main');
    await expect(boardMain.textContent()).resolves.not.toContain('Alle leden hebben');
    await expect(boardMain.locator('canvas, table').count()).resolves.toBe(0);
    await expect(boardMain.getByRole('link', { name: 'Voeg organisaties toe' }).count()).resolves.toBe(0);
    await checkPage(board.page, 'layout-leeg-bestuur');
    board.expectClean();
  }, 180_000);

  it('given a region whose first organisation has no quickscan yet, when the projectleider opens the overview, then it shows the way to the first quickscan instead of empty charts', async () => {
    const [sector] = await listSectors(empty.ctx);
    if (!sector) throw new Error('the empty region has no sectors');
    await createOrganisation(empty.ctx, { name: 'Stichting Eerste Lid', sectorId: sector.id });
    const { page, expectClean } = await openWatched(browser, empty);
    await signIn(page, 'pl@leeg.example.org');
    const main = page.locator('main');
    await page.getByText(/is nog geen versnelling vastgesteld/).waitFor();
    await expect(main.locator('canvas').count()).resolves.toBe(0);
    await expect(main.textContent()).resolves.not.toContain('Alle leden hebben');
    await page.getByRole('heading', { level: 2, name: /^Nog geen quickscan in .* \(1\)$/ }).waitFor();
    await page.getByRole('link', { name: 'Quickscan afnemen voor Stichting Eerste Lid' }).click();
    await page.waitForURL((url) => url.pathname === '/quickscan');
    expectClean();
  }, 180_000);
});
