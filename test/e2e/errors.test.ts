// Refused input in a real browser: the server's problems (by code and path) land next to the
// field they are about, marked aria-invalid and described by the message, and the focus goes there.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrganisations } from '../../server/services/organisations.service.ts';
import {
  addAccount,
  expectAccessible,
  expectFieldError,
  launchBrowser,
  open,
  openWatched,
  type Server,
  signIn,
  startServer,
  type Watch,
} from './harness.ts';

let server: Server;
let browser: Browser;
let watch: Watch;
let existing: { id: number; name: string; memberFrom: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const { items } = await listOrganisations(server.ctx, {});
  const org = items.find((o) => o.memberFrom > '2010-Q1');
  if (!org) throw new Error('the demo region has no organisation that joined after 2010-Q1');
  existing = org;
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  watch = await openWatched(browser, server);
  await signIn(watch.page, 'pl@regio.example.org');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('errors next to their fields', () => {
  it('an organisation whose name exists: the message stands at Naam', async () => {
    const { page } = watch;
    await open(page, '/organisaties/nieuw');
    await page.getByLabel('Naam', { exact: true }).fill(existing.name);
    await page.getByLabel('Sector').selectOption({ index: 1 });
    watch.allowFailedRequest(409, '/api/organisations');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    const name = page.getByLabel('Naam', { exact: true });
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await expectFieldError(page, name, /bestaat al|al een organisatie/i);
    // Above the form a summary links to the field; the line goes once the name is changed.
    const summary = page.locator('form .error-summary');
    const line = summary.getByRole('link', { name: /^Naam: .*(bestaat al|al een organisatie)/i });
    await page.getByLabel('Sector').focus();
    await line.click();
    await expect(name.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expectAccessible(page, 'organisatie toevoegen met een fout');
    await name.fill(`${existing.name} Noord`);
    await expect(summary.count()).resolves.toBe(0);
    watch.expectClean();
  });

  it('an empty name, no sector and a wrong e-mail address: all three at once, each at its field and linked from the summary', async () => {
    const { page } = watch;
    await open(page, '/organisaties/nieuw');
    await page.getByLabel('E-mailadres').fill('geen-adres');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    const summary = page.locator('form .error-summary');
    await summary.waitFor();
    await expect(summary.getByRole('link').allTextContents()).resolves.toEqual([
      'Naam: Vul de naam van de organisatie in.',
      'Sector: Kies de sector van de organisatie.',
      'E-mailadres: Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
    ]);
    await expectFieldError(page, page.getByLabel('Naam', { exact: true }), /vul de naam/i);
    await expect(page.getByLabel('Sector').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('E-mailadres').getAttribute('aria-invalid')).resolves.toBe('true');
    await summary.getByRole('link', { name: /^E-mailadres:/ }).click();
    await expect(
      page.getByLabel('E-mailadres').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await expectAccessible(page, 'organisatie toevoegen met drie fouten');
    watch.expectClean();
  });

  it('a membership that ends before it starts: the message stands at Lid tot en met', async () => {
    const { page } = watch;
    await open(page, `/organisaties/${existing.id}`);
    const until = page.locator('#org-memberUntil');
    await until.selectOption('2010-Q1');
    // Checked before anything else is looked up: 400 invalid_membership, about memberUntil.
    watch.allowFailedRequest(400, `/api/organisations/${existing.id}`);
    await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    await page.locator('#org-memberUntil[aria-invalid="true"]').waitFor();
    await expectFieldError(page, until, /lid tot/i);
    await expect(
      page
        .locator('form .error-summary')
        .getByRole('link', { name: /^Lid tot en met \(laatste periode\): /i })
        .count(),
    ).resolves.toBe(1);
    watch.expectClean();
  });

  it('a sector whose name exists: the message stands at the name', async () => {
    const { page } = watch;
    await open(page, '/sectoren');
    await page.getByLabel('Naam van de nieuwe sector').fill('zorg');
    watch.allowFailedRequest(409, '/api/sectors');
    await page.getByRole('button', { name: 'Sector toevoegen' }).click();
    const name = page.getByLabel('Naam van de nieuwe sector');
    await page.locator('#sector-new[aria-invalid="true"]').waitFor();
    await expectFieldError(page, name, /bestaat al|al een sector/i);
    watch.expectClean();
  });

  it('an account whose email exists, and a short password: each at its own field', async () => {
    const { page } = watch;
    await open(page, '/accounts');
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Account toevoegen' }) });
    const email = form.getByLabel('E-mailadres');
    const password = form.getByLabel('Wachtwoord');
    await email.fill('pl@regio.example.org');
    await form.getByLabel('Rol').selectOption('bestuur');
    await password.fill('te kort');
    await form.getByRole('button', { name: 'Account toevoegen' }).click();
    await expectFieldError(page, password, /minstens 12 tekens/);
    await password.fill('een lang genoeg wachtwoord');
    watch.allowFailedRequest(409, '/api/users');
    await form.getByRole('button', { name: 'Account toevoegen' }).click();
    await form.locator('input[type="email"][aria-invalid="true"]').waitFor();
    await expectFieldError(page, email, /\S/);
    await expect(password.getAttribute('aria-invalid')).resolves.toBeNull();
    watch.expectClean();
  });
});
