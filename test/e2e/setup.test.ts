// The first run in a real browser: an empty database, the one-time setup link from the server
// console, the first projectleider account, and the app's (empty) pages that follow.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  launchBrowser,
  openWatched,
  PASSWORD,
  ready,
  type Server,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'empty' }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** setup.html is a plain page (not the app): it is ready when its check of /api/auth/setup is done. */
async function openSetup(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

async function fillSetup(page: Page, email: string, password: string, again = password): Promise<void> {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord (minstens 12 tekens)').fill(password);
  await page.getByLabel('Wachtwoord nogmaals').fill(again);
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
}

describe('first run', () => {
  it('makes the first projectleider account through the setup link', async () => {
    const token = server.app.setupToken.value;
    expect(token).toBeTruthy();
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    const message = page.locator('#message');

    // Without the token from the console the page explains where to find it.
    await openSetup(page, '/setup');
    // The page's plain script answers after its own fetch: wait for the text, do not race it.
    await expect
      .poll(() => message.textContent(), { timeout: 15_000 })
      .toContain('alleen via de installatielink');
    await expect(page.locator('#setup-form').isVisible()).resolves.toBe(false);

    // A wrong token is refused (the one 404 this journey expects).
    await openSetup(page, '/setup?token=verkeerd-token-uit-een-oude-console');
    allowFailedRequest(404, '/api/auth/setup');
    await fillSetup(page, 'projectleider@regio.example.org', PASSWORD);
    await expect
      .poll(() => message.textContent(), { timeout: 15_000 })
      .toBe('deze installatielink is ongeldig of al gebruikt');

    // The real link: the page and its form are checked like every other page.
    await openSetup(page, `/setup?token=${token}`);
    await checkPage(page, 'setup');
    await fillSetup(page, 'projectleider@regio.example.org', PASSWORD, `${PASSWORD}!`);
    await expect
      .poll(() => message.textContent(), { timeout: 15_000 })
      .toBe('De twee wachtwoorden zijn niet gelijk.');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('password2');
    await fillSetup(page, 'projectleider@regio.example.org', PASSWORD);
    await message.getByRole('link', { name: 'Verder naar de toepassing' }).waitFor();
    await expect(message.textContent()).resolves.toContain(
      'Het account projectleider@regio.example.org is aangemaakt en u bent ingelogd als projectleider.',
    );
    await checkPage(page, 'setup-klaar');

    // Onward into the app, signed in, on an empty region.
    await message.getByRole('link', { name: 'Verder naar de toepassing' }).click();
    await page.waitForURL((url) => url.pathname === '/overzicht');
    await ready(page);
    await expect(page.getByText('projectleider@regio.example.org').isVisible()).resolves.toBe(true);
    await checkPage(page, 'overzicht-leeg');
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Organisaties' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Organisaties' }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkPage(page, 'organisaties-leeg');

    // The link is used up: opening it again says the setup is done.
    await openSetup(page, `/setup?token=${token}`);
    await expect(message.textContent()).resolves.toContain('De installatie is al gedaan');
    expect(server.app.setupToken.value).toBeNull();

    expectClean();
  });
});
