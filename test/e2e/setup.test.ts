// The first run in a real browser: an empty database, the one-time setup link from the server
// console, the first projectleider account, and the app's (empty) pages that follow. The setup
// form says every problem at once, at its field and in a summary whose links lead to the fields.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  launchBrowser,
  openWatched,
  PASSWORD,
  ready,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;
let token: string;

const EMAIL = 'projectleider@regio.example.org';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'empty' }), launchBrowser()]);
  token = server.app.setupToken.value!;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** setup.html is a plain page (not the app): it is ready when its check of /api/auth/setup is done. */
async function openSetup(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await page.locator('#checking').waitFor({ state: 'hidden' });
}

function controls(page: Page) {
  return {
    email: page.getByLabel('E-mailadres', { exact: true }),
    password: page.getByLabel('Wachtwoord', { exact: true }),
    password2: page.getByLabel('Wachtwoord nogmaals', { exact: true }),
    submit: page.getByRole('button', { name: 'Account aanmaken' }),
  };
}

async function fillSetup(page: Page, email: string, password: string, again = password): Promise<void> {
  const c = controls(page);
  await c.email.fill(email);
  await c.password.fill(password);
  await c.password2.fill(again);
  await c.submit.click();
}

/** The control is marked wrong, and the message right after it (which describes it) says `message`. */
async function expectProblemAt(control: Locator, message: RegExp): Promise<void> {
  await expect(control.getAttribute('aria-invalid')).resolves.toBe('true');
  // The error is among what describes the control (after its hint, if it has one).
  const described = await control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => (document.getElementById(id)?.textContent ?? '').trim()),
  );
  expect(
    described.some((text) => message.test(text)),
    described.join(' | '),
  ).toBe(true);
  const next = await control.evaluate((el) => el.nextElementSibling?.textContent ?? '');
  expect(next).toMatch(message);
}

async function expectNoProblemAt(control: Locator): Promise<void> {
  await expect(control.getAttribute('aria-invalid')).resolves.toBeNull();
  const next = await control.evaluate((el) => el.nextElementSibling?.className ?? '');
  expect(next).not.toContain('field-error');
}

function summary(page: Page): Locator {
  return page.locator('#error-summary');
}

async function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.activeElement?.id);
}

describe('first run', () => {
  it('given no token or a wrong one, when the setup page is opened or sent, then it says why nothing is made', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    const message = page.locator('#message');

    // Without the token from the console the page explains where to find it, and shows no form.
    await openSetup(page, '/setup');
    await expect(message.textContent()).resolves.toContain('alleen via de installatielink');
    await expect(page.locator('#setup-form').isVisible()).resolves.toBe(false);
    await expect(page.getByText('Er is nog geen account').isVisible()).resolves.toBe(false);

    // A wrong token is refused (the one 404 this journey expects), said in the summary.
    await openSetup(page, '/setup?token=verkeerd-token-uit-een-oude-console');
    allowFailedRequest(404, '/api/auth/setup');
    await fillSetup(page, EMAIL, PASSWORD);
    await summary(page).waitFor();
    await expect(summary(page).textContent()).resolves.toContain(
      'Deze installatielink is ongeldig of al gebruikt.',
    );
    expectClean();
  });

  it('given the real link, when the empty form is sent, then every problem shows at once at its field and the summary links lead there', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    await openSetup(page, `/setup?token=${token}`);
    await expect(page.getByText('Er is nog geen account').isVisible()).resolves.toBe(true);
    await checkPage(page, 'setup');
    const c = controls(page);

    await c.submit.click();

    // All three at once, each right after its field, in plain Dutch.
    await summary(page).waitFor();
    await expectProblemAt(c.email, /^Vul uw e-mailadres in\.$/);
    await expectProblemAt(c.password, /^Kies een wachtwoord\.$/);
    await expectProblemAt(c.password2, /^Vul het wachtwoord nogmaals in\.$/);
    // The summary takes the focus and lists them as links, in the order of the form.
    await expect(focusedId(page)).resolves.toBe('error-summary');
    await expect(summary(page).getByRole('heading').textContent()).resolves.toBe('Er zijn 3 problemen');
    const links = summary(page).getByRole('link');
    await expect(links.allTextContents()).resolves.toEqual([
      'Vul uw e-mailadres in.',
      'Kies een wachtwoord.',
      'Vul het wachtwoord nogmaals in.',
    ]);
    await checkPage(page, 'setup-fouten');

    // Each link moves the focus to its field.
    await links.nth(1).click();
    await expect(focusedId(page)).resolves.toBe('password');
    await links.nth(2).click();
    await expect(focusedId(page)).resolves.toBe('password2');
    await links.nth(0).click();
    await expect(focusedId(page)).resolves.toBe('email');

    // Putting a field right takes its error and its line in the summary away.
    await c.email.fill(EMAIL);
    await expectNoProblemAt(c.email);
    await expect(links.count()).resolves.toBe(2);
    await expect(summary(page).getByRole('heading').textContent()).resolves.toBe('Er zijn 2 problemen');

    // Nothing was made.
    await expect(server.app.setupToken.value).toBe(token);
    expectClean();
  });

  it('given the real link, when the e-mail address, the password and its repeat are wrong, then each is told at its own field', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    await openSetup(page, `/setup?token=${token}`);
    const c = controls(page);

    // A wrong e-mail address and a short password, with a repeat that differs.
    await fillSetup(page, 'projectleider-at-regio', 'kort', 'anders');
    await summary(page).waitFor();
    await expectProblemAt(c.email, /^Vul een geldig e-mailadres in, zoals naam@voorbeeld\.nl\.$/);
    await expectProblemAt(c.password, /^Het wachtwoord is te kort: gebruik minstens 12 tekens\.$/);
    await expectProblemAt(c.password2, /^De twee wachtwoorden zijn niet gelijk\./);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/body\.|email:|password:|string|<=/);

    // Only the repeat differs: told at the repeat, nowhere else.
    await fillSetup(page, EMAIL, PASSWORD, `${PASSWORD}!`);
    await expectNoProblemAt(c.email);
    await expectNoProblemAt(c.password);
    await expectProblemAt(c.password2, /^De twee wachtwoorden zijn niet gelijk\./);
    await expect(summary(page).getByRole('link').allTextContents()).resolves.toHaveLength(1);

    // A password the server refuses (a common one) is told at the password field as well.
    allowFailedRequest(400, '/api/auth/setup');
    await fillSetup(page, EMAIL, 'wachtwoord12');
    await expect
      .poll(() => c.password.evaluate((el) => el.nextElementSibling?.textContent ?? ''), { timeout: 15_000 })
      .toContain('veelgebruikte wachtwoorden');
    await expectProblemAt(c.password, /^Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden/);
    await expect(summary(page).getByRole('link').allTextContents()).resolves.toEqual([
      'Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden; kies een ander.',
    ]);
    expect(server.app.setupToken.value).toBe(token);
    expectClean();
  });

  it('given the real link, when the form is right, then the account is made, the page says so and the app and sign-in work', async () => {
    const { page, context, expectClean } = await openWatched(browser, server);
    const message = page.locator('#message');
    await openSetup(page, `/setup?token=${token}`);

    await fillSetup(page, EMAIL, PASSWORD);

    // The form and its "no account yet" make way for the result.
    await message.getByRole('link', { name: 'Verder naar de toepassing' }).waitFor();
    await expect(message.textContent()).resolves.toContain(
      `Het account ${EMAIL} is aangemaakt en u bent ingelogd als projectleider.`,
    );
    await expect(page.getByText('Er is nog geen account').isVisible()).resolves.toBe(false);
    await expect(page.locator('#setup-form').isVisible()).resolves.toBe(false);
    await expect(summary(page).isVisible()).resolves.toBe(false);
    await expect(focusedId(page)).resolves.toBe('message');
    await checkPage(page, 'setup-klaar');

    // Onward into the app, signed in, on an empty region.
    await message.getByRole('link', { name: 'Verder naar de toepassing' }).click();
    await page.waitForURL((url) => url.pathname === '/overzicht');
    await ready(page);
    await expect(page.getByText(EMAIL).isVisible()).resolves.toBe(true);
    await checkPage(page, 'overzicht-leeg');
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Organisaties' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Organisaties' }).waitFor();
    await page.waitForLoadState('networkidle');
    await checkPage(page, 'organisaties-leeg');
    expectClean();
    await context.close();
  });

  it('given the account was made, when it signs in or the setup link is opened again, then sign-in works and the page points to it', async () => {
    // The new account signs in on the login page, in a browser of its own.
    const other = await openWatched(browser, server);
    await signIn(other.page, EMAIL);
    await expect(other.page.getByText(EMAIL).isVisible()).resolves.toBe(true);

    // The link is used up: opening it again says the setup is done and leads to the login page.
    const again = other.page.locator('#message');
    await openSetup(other.page, `/setup?token=${token}`);
    await expect(again.textContent()).resolves.toContain('De installatie is al gedaan');
    await expect(other.page.getByText('Er is nog geen account').isVisible()).resolves.toBe(false);
    await expect(other.page.locator('#setup-form').isVisible()).resolves.toBe(false);
    await again.getByRole('link', { name: 'Naar inloggen' }).click();
    await other.page.waitForURL((url) => url.pathname !== '/setup');
    expect(server.app.setupToken.value).toBeNull();
    other.expectClean();
    await other.context.close();
  });
});
