// Forms that forgive: the quickscan's error summary follows the answers as they are given, a save
// after the session ended or was replaced (signing in again in another tab) asks to sign in again
// in a dialog and then saves without losing a single answer, and on a phone the docked outcome
// never covers the question being answered.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
import {
  addAccount,
  checkPage,
  currentQuarter,
  launchBrowser,
  open,
  openWatched,
  PASSWORD,
  PHONE,
  ready,
  type Server,
  signIn,
  startServer,
  type Watch,
} from './harness.ts';

const PL = 'pl@regio.example.org';
const OTHER_PL = 'pl2@regio.example.org';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  await addAccount(server, PL, 'projectleider');
  await addAccount(server, OTHER_PL, 'projectleider');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens the quickscan of the n-th organisation on the overview's worklist (one without a quickscan
 * this quarter); returns its id.
 */
async function openQuickscan(page: Page, n: number): Promise<number> {
  await open(page, '/overzicht');
  await page
    .getByRole('link', { name: /^Quickscan afnemen voor / })
    .nth(n)
    .click();
  await page.locator('.qs-form').waitFor();
  return Number(new URL(page.url()).searchParams.get('organisatie'));
}

async function answer(page: Page, key: string, choice: 'Ja' | 'Deels' | 'Nee' | 'N.v.t.') {
  await page.locator(`#qs-c-${key}`).getByRole('radio', { name: choice, exact: true }).check();
}

async function checked(page: Page, key: string): Promise<string | null> {
  return page
    .locator(`#qs-c-${key} input[type=radio]:checked`)
    .evaluateAll((radios) => (radios[0] as HTMLInputElement | undefined)?.value ?? null);
}

/** The save of the quickscan, as the page sends it (a new one: POST). */
const SAVE_PATH = '/quickscans';

/** The quickscan of this quarter as stored, read by the API in a browser of its own (signed in apart). */
async function saved(orgId: number): Promise<Quickscan | undefined> {
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const login = await context.request.post('/api/auth/login', { data: { email: PL, password: PASSWORD } });
    expect(login.status()).toBe(200);
    const res = await context.request.get(`/api/organisations/${orgId}/quickscans`);
    const list = (await res.json()) as Quickscan[];
    return list.find((q) => q.quarter === currentQuarter());
  } finally {
    await context.close();
  }
}

/** Types a few answers and notes, the work that must survive. */
async function typeWork(page: Page): Promise<void> {
  for (const key of ['2a', '2b', '2c', '2d']) await answer(page, key, 'Ja');
  await answer(page, '3a', 'Deels');
  // Gear 3 is the first gap: its criteria are all answered, those above it may stay open.
  for (const key of ['3b', '3c', '3d', '3e']) await answer(page, key, 'Ja');
  await page.getByLabel('Toelichting bij 3a').fill('Beleid ligt er, de uitvoering loopt nog.');
  await page.getByLabel('Opmerking').fill('Gesprek met de teamleider en de preventiemedewerker.');
}

async function expectWorkOnPage(page: Page): Promise<void> {
  await expect(checked(page, '2d')).resolves.toBe('ja');
  await expect(checked(page, '3a')).resolves.toBe('deels');
  await expect(page.getByLabel('Toelichting bij 3a').inputValue()).resolves.toBe(
    'Beleid ligt er, de uitvoering loopt nog.',
  );
  await expect(page.getByLabel('Opmerking').inputValue()).resolves.toBe(
    'Gesprek met de teamleider en de preventiemedewerker.',
  );
}

/** Signs in again as the same person from another tab of the same browser: the session is replaced. */
async function signInElsewhere(watch: Watch, email = PL): Promise<void> {
  const res = await watch.context.request.post('/api/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status()).toBe(200);
}

/** Signs out from another tab of the same browser: the session has ended. */
async function signOutElsewhere(watch: Watch): Promise<void> {
  const now = await watch.context.request.get('/api/auth/session');
  const { session } = (await now.json()) as { session: { csrfToken: string } };
  const res = await watch.context.request.post('/api/auth/logout', {
    headers: { 'x-csrf-token': session.csrfToken },
  });
  expect(res.status()).toBe(204);
}

describe('forgiving forms', () => {
  it('given a partly answered quickscan, when saving and then answering, then the summary follows the answers without saving', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, PL);
    await openQuickscan(page, 0);
    // The date hint is a Dutch date, not 2026-10-01.
    await expect(
      page
        .locator('.qs-about')
        .getByText(/^Op of na /)
        .textContent(),
    ).resolves.toMatch(/^Op of na \d{1,2} (januari|april|juli|oktober) \d{4}, niet in de toekomst\.$/);
    await answer(page, '2a', 'Ja');
    const writes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') writes.push(`${r.method()} ${r.url()}`);
    });

    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    const summary = page.locator('.qs-messages .error-summary');
    await summary.getByText('Nog niet opgeslagen: 3 criteria zijn niet goed ingevuld.').waitFor();
    await expect(summary.getByRole('listitem').textContent()).resolves.toBe(
      'Nog niet beantwoord (3): 2b, 2c, 2d',
    );
    expect(writes).toEqual([]);
    await checkPage(page, 'quickscan-samenvatting');

    // Answering 2b: its line, its mark and the count go at once, without a save.
    await answer(page, '2b', 'Nee');
    await summary.getByText('Nog niet opgeslagen: 2 criteria zijn niet goed ingevuld.').waitFor();
    await expect(summary.getByRole('listitem').textContent()).resolves.toBe(
      'Nog niet beantwoord (2): 2c, 2d',
    );
    await expect(page.locator('#qs-c-2b fieldset').getAttribute('aria-invalid')).resolves.toBeNull();
    await expect(page.locator('#qs-c-2b .field-error').isVisible()).resolves.toBe(false);
    await expect(page.locator('#qs-c-2c fieldset').getAttribute('aria-invalid')).resolves.toBe('true');

    // The last two: the summary goes altogether.
    await answer(page, '2c', 'Ja');
    await summary.getByText('Nog niet opgeslagen: één criterium is niet goed ingevuld.').waitFor();
    await answer(page, '2d', 'Ja');
    await expect(summary.count()).resolves.toBe(0);
    await expect(page.locator('.qs-criterion.qs-invalid').count()).resolves.toBe(0);
    expect(writes).toEqual([]);
    watch.expectClean();
    await watch.context.close();
  });

  it('given typed answers, when the session was replaced by signing in in another tab, then saving asks to sign in in a dialog and saves without losing anything', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, PL);
    const orgId = await openQuickscan(page, 1);
    await typeWork(page);

    await signInElsewhere(watch);
    watch.allowFailedRequest(403, SAVE_PATH);
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Opnieuw inloggen om op te slaan' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain(
      'Uw sessie is verlopen of vervangen doordat u ergens anders opnieuw bent ingelogd. Wat u heeft ingevuld is bewaard. Log opnieuw in om op te slaan.',
    );
    await expect(dialog.getByLabel('E-mailadres').inputValue()).resolves.toBe(PL);
    await expect(
      dialog.getByLabel('Wachtwoord').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await expectWorkOnPage(page);
    await checkPage(page, 'quickscan-opnieuw-inloggen');

    // Nothing filled in: the field says so, the dialog stays.
    await dialog.getByRole('button', { name: 'Inloggen en opslaan' }).click();
    await dialog.getByText('Vul uw wachtwoord in.').waitFor();
    await dialog.getByLabel('Wachtwoord').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Inloggen en opslaan' }).click();

    // The same save went through: the page goes on as if nothing happened.
    const ok = page.getByRole('status').filter({ hasText: 'Quickscan opgeslagen' });
    await ok.waitFor();
    await expect(dialog.count()).resolves.toBe(0);
    await expect(page.locator('.session-ended').count()).resolves.toBe(0);
    const stored = await saved(orgId);
    expect(stored?.answers?.['3a']).toEqual({
      answer: 'deels',
      note: 'Beleid ligt er, de uitvoering loopt nog.',
    });
    expect(stored?.remark).toBe('Gesprek met de teamleider en de preventiemedewerker.');
    watch.expectClean();
    await watch.context.close();
  });

  it('given typed answers and an ended session, when the dialog is cancelled, then the form keeps everything, and when another account signs in in the dialog, nothing is saved for it', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, PL);
    const orgId = await openQuickscan(page, 2);
    await typeWork(page);

    await signOutElsewhere(watch);
    watch.allowFailedRequest(401, SAVE_PATH);
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Opnieuw inloggen om op te slaan' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Annuleren' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    await page
      .locator('.qs-messages')
      .getByRole('alert')
      .filter({ hasText: /^Niet opgeslagen: Uw sessie is verlopen of beëindigd/ })
      .waitFor();
    await expectWorkOnPage(page);
    expect(await saved(orgId)).toBeUndefined();

    // Another account signs in in the dialog: nothing is saved for it, and the page says why.
    watch.allowFailedRequest(401, SAVE_PATH);
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    await dialog.waitFor();
    await expect(dialog.getByLabel('E-mailadres').inputValue()).resolves.toBe(PL);
    await dialog.getByLabel('E-mailadres').fill(OTHER_PL);
    await dialog.getByLabel('Wachtwoord').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Inloggen en opslaan' }).click();
    await dialog.getByText(`U bent nu ingelogd als ${OTHER_PL}, niet als ${PL}`).waitFor();
    // Closing the message loads the page afresh for the account now signed in: the first
    // account's work is never saved under the other name.
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Sluiten' }).click()]);
    await ready(page);
    await expect(page.locator('header').textContent()).resolves.toContain(OTHER_PL);
    expect(await saved(orgId)).toBeUndefined();
    watch.expectClean();
    await watch.context.close();
  });

  it('given a phone, when answering a question near the bottom with the summary shown, then the docked outcome does not cover it', async () => {
    const watch = await openWatched(browser, server, PHONE);
    const { page } = watch;
    await signIn(page, PL);
    await openQuickscan(page, 3);
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    const summary = page.locator('.qs-messages .error-summary');
    await summary.waitFor();
    const dock = page.locator('.qs-summary');
    await expect(dock.evaluate((el) => getComputedStyle(el).position)).resolves.toBe('sticky');

    // The person scrolled on: 2c lies at the bottom of the screen, under the dock.
    await page.locator('#qs-c-2c .qs-options').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    // By keyboard (or a tap on its visible part): the answer gets the focus and is given.
    const ja = page.locator('#qs-c-2c').getByRole('radio', { name: 'Ja', exact: true });
    await ja.focus();
    await page.keyboard.press('Space');
    await expect(ja.isChecked()).resolves.toBe(true);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const options = await page.locator('#qs-c-2c .qs-options').boundingBox();
    const docked = await dock.boundingBox();
    expect(options && docked).toBeTruthy();
    expect(options!.y + options!.height).toBeLessThanOrEqual(docked!.y);
    expect(options!.y).toBeGreaterThanOrEqual(0);

    // With everything answered the summary goes, and the dock is a compact bar again.
    for (const key of ['2a', '2b', '2d']) await answer(page, key, 'Ja');
    await expect(summary.count()).resolves.toBe(0);
    expect((await dock.boundingBox())!.height).toBeLessThan(PHONE.height / 4);
    watch.expectClean();
    await watch.context.close();
  });
});
