// Signing in when something is off, in a real browser, with the real sign-in limits: wrong
// guesses slow an account down and the page says how long to wait, after which the right password
// gets in; a disabled account is told so instead of "wrong password"; a session that ended says
// so and leads back to the same page after signing in again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUsers, updateUser } from '../../server/services/users.service.ts';
import {
  addAccount,
  checkPage,
  launchBrowser,
  open,
  openWatched,
  PASSWORD,
  ready,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    // The real rule, with a smaller number of free guesses: after two wrong ones, wait 2 s, then 4 s …
    startServer({ data: 'demo', config: { loginLimitPerAccount: 2, loginLimitPerIp: 300 } }),
    launchBrowser(),
  ]);
  await addAccount(server, 'gast@regio.example.org', 'bestuur');
  await addAccount(server, 'oud@regio.example.org', 'bestuur');
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  const users = await listUsers(server.ctx);
  const old = users.find((u) => u.email === 'oud@regio.example.org')!;
  await updateUser(server.ctx, old.id, { disabled: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function tryPassword(page: import('playwright-core').Page, email: string, password: string) {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

describe('signing in', () => {
  it('given wrong guesses for one account, when the owner then types the right password, then the page asks to wait a few seconds, in Dutch, and after the wait the right password gets in', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    allowFailedRequest(401, '/api/auth/login');
    allowFailedRequest(401, '/api/auth/login');
    allowFailedRequest(429, '/api/auth/login');
    await open(page, '/inloggen');
    for (let i = 0; i < 2; i++) {
      await tryPassword(page, 'gast@regio.example.org', `fout-wachtwoord-${i}`);
      await page
        .getByText(/klopt niet/i)
        .first()
        .waitFor();
    }
    // The third attempt comes too soon: even the right password waits.
    await tryPassword(page, 'gast@regio.example.org', PASSWORD);
    const wait = page.getByText(
      /te veel foute inlogpogingen voor dit account; wacht \d+ seconden? en probeer het dan opnieuw/i,
    );
    await wait.first().waitFor();
    await checkPage(page, 'inloggen-wachten');
    expect(new URL(page.url()).pathname).toBe('/inloggen');
    // Another account from the same address is not held up.
    const other = await browser.newContext({ baseURL: server.url });
    const otherPage = await other.newPage();
    await signIn(otherPage, 'pl@regio.example.org');
    await other.close();

    await page.waitForTimeout(2_500);
    await tryPassword(page, 'gast@regio.example.org', PASSWORD);
    await page.waitForURL((url) => url.pathname !== '/inloggen');
    await ready(page);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Kwartaalrapportage');
    expectClean();
  });

  it('given a disabled account, when its owner signs in with the right password, then the page says the account is disabled and whom to ask, not that the password is wrong', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    allowFailedRequest(403, '/api/auth/login');
    await open(page, '/inloggen');
    await tryPassword(page, 'oud@regio.example.org', PASSWORD);
    const message = page.getByRole('alert');
    await message.first().waitFor();
    const text = (await message.first().textContent()) ?? '';
    expect(text).toMatch(/uitgeschakeld/i);
    expect(text).not.toMatch(/klopt niet/i);
    await checkPage(page, 'inloggen-uitgeschakeld');
    expectClean();
  });

  it('given a session that ended while the page was open, when the person goes on, then the page says the session ended with a link that signs in and comes back to the same page', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    // The organisations page asks for its list and the sectors at once: both are refused.
    allowFailedRequest(401, '/api/');
    allowFailedRequest(401, '/api/');
    await signIn(page, 'pl@regio.example.org');
    await open(page, '/bestuur/sectoren?van=2020-Q1&tot=2021-Q1');
    await server.app.db.deleteFrom('sessions').execute();
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Organisaties' })
      .click();
    const ended = page.getByText('Uw sessie is verlopen of beëindigd.');
    await ended.first().waitFor();
    await checkPage(page, 'sessie-beeindigd');
    await page.getByRole('link', { name: 'Opnieuw inloggen' }).click();
    await page.waitForURL((url) => url.pathname === '/inloggen');
    await page.getByLabel('E-mailadres').fill('pl@regio.example.org');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL((url) => url.pathname === '/organisaties');
    await ready(page);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Organisaties');
    expectClean();
  });
});
