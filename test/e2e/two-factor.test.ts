// Two-factor sign-in in a real browser: a bestuur account sets it up on Mijn account with an
// authenticator app (here: otpauth on the real clock), keeps its recovery codes, and signs in with
// password and code.
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAccount,
  checkPage,
  expectFieldError,
  launchBrowser,
  open,
  openWatched,
  PASSWORD,
  ready,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

const EMAIL = 'bestuurder@regio.example.org';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'empty' }), launchBrowser()]);
  await addAccount(server, EMAIL, 'bestuur');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What the authenticator app shows now, and from when a new code (a new 30-second step) is due. */
function app(secret: string) {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return {
    code: () => totp.generate({ timestamp: Date.now() }),
    /** Waits for the next code: a code is accepted once, so a second sign-in needs a new one. */
    nextCode: async () => {
      const wait = 30_000 - (Date.now() % 30_000) + 250;
      await new Promise((resolve) => setTimeout(resolve, wait));
      return totp.generate({ timestamp: Date.now() });
    },
  };
}

async function passwordStep(page: Page): Promise<void> {
  await open(page, '/inloggen');
  await page.getByLabel('E-mailadres').fill(EMAIL);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

describe('two-factor sign-in', () => {
  it('is set up on Mijn account and then asks for a code after the password', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);

    // Signed in with the password only, the header leads to Mijn account.
    await signIn(page, EMAIL);
    await page.locator('#account').getByRole('link', { name: 'Mijn account' }).click();
    await page.waitForURL((url) => url.pathname === '/account');
    await ready(page);
    await expect(page.getByText('Twee-staps-inloggen staat uit.').isVisible()).resolves.toBe(true);
    await checkPage(page, 'account-2fa-uit');

    // Set it up: the key to type over, a code from the app.
    await page.getByRole('button', { name: 'Twee-staps-inloggen instellen' }).click();
    const secretText = page.locator('.totp-secret');
    await secretText.waitFor();
    const secret = ((await secretText.textContent()) ?? '').replaceAll(' ', '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByRole('link', { name: 'deze koppeling' }).getAttribute('href')).resolves.toMatch(
      /^otpauth:\/\/totp\//,
    );
    await checkPage(page, 'account-2fa-instellen');
    const code = page.getByLabel('Code uit uw authenticator-app');
    // Nothing filled in: the message is next to the field and in the summary, the field has the focus.
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expectFieldError(page, code, /zes cijfers/);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('zes cijfers');
    const authenticator = app(secret);
    await code.fill(authenticator.code());
    await page.getByRole('button', { name: 'Bevestigen' }).click();

    // The recovery codes are shown once.
    const codes = page.getByRole('list', { name: 'Herstelcodes' }).getByRole('listitem');
    await codes.first().waitFor();
    await expect(codes.count()).resolves.toBe(10);
    await checkPage(page, 'account-2fa-herstelcodes');
    await page.getByRole('button', { name: 'Ik heb de herstelcodes bewaard' }).click();
    await page.getByText(/Twee-staps-inloggen staat aan sinds/).waitFor();
    await expect(page.getByText('U heeft nog 10 herstelcodes.').isVisible()).resolves.toBe(true);

    // Sign out and in again: after the password comes the code step.
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL((url) => url.pathname === '/inloggen');
    await passwordStep(page);
    await page.getByRole('heading', { level: 1, name: 'Inloggen: tweede stap' }).waitFor();
    const codeField = page.getByLabel('Code uit uw authenticator-app');
    await expect(codeField.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await expect(codeField.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(page.getByRole('button', { name: 'gebruik een herstelcode' }).isVisible()).resolves.toBe(
      true,
    );
    await checkPage(page, 'inloggen-code');
    // The link switches the field to a recovery code, and back.
    await page.getByRole('button', { name: 'gebruik een herstelcode' }).click();
    await expect(page.getByLabel('Herstelcode').getAttribute('autocomplete')).resolves.toBe('off');
    await page.getByRole('button', { name: 'gebruik de code uit de app' }).click();

    // A wrong code is refused next to the field; no session.
    const right = await authenticator.nextCode();
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    allowFailedRequest(401, '/api/auth/login/code');
    await codeField.fill(wrong);
    // The refusal is drawn when the reply is in: wait for it, not for a fixed time.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login/code')),
      page.getByRole('button', { name: 'Inloggen' }).click(),
    ]);
    await page.locator('.error-summary').waitFor();
    await expectFieldError(page, codeField, /code klopt niet/);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('De code klopt niet');

    // The right code signs in.
    await codeField.fill(right);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL((url) => url.pathname === '/bestuur');
    await ready(page);
    await expect(page.locator('#account').getByText(EMAIL).isVisible()).resolves.toBe(true);

    expectClean();
  });
});
