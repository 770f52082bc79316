// The organisation's view in a real browser: with its own account (its gear and next steps, and
// no way into another organisation), and through a share link that stops working when revoked.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEAR_PALETTE } from '../../server/domain/gear-palette.ts';
import { listOrganisations, type OrganisationListItem } from '../../server/services/organisations.service.ts';
import { statusAt } from '../../server/services/status.service.ts';
import {
  addAccount,
  checkPage,
  currentQuarter,
  launchBrowser,
  open,
  openWatched,
  ready,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;
/** The organisation with the account (gear 2–4, so there are next steps) and another one. */
let own: OrganisationListItem;
let other: OrganisationListItem;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const { items } = await listOrganisations(server.ctx, {});
  const inProgress = items.filter((o) => o.gear !== null && o.gear >= 2 && o.gear <= 4);
  own = inProgress[0]!;
  other = inProgress[1]!;
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  await addAccount(server, 'contact@lid.example.org', 'organisatie', own.id);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Checks the organisation page shows `org`'s current gear and next steps, as the service computes them. */
async function expectOwnPage(page: Page, org: OrganisationListItem): Promise<void> {
  const status = await statusAt(server.ctx, org.id, currentQuarter());
  expect(status.gear).toBe(org.gear);
  await expect(page.locator('main h1').textContent()).resolves.toBe(`Mijn versnelling: ${org.name}`);
  await expect(page.locator('.kpi').textContent()).resolves.toMatch(
    new RegExp(`^Versnelling ${status.gear}: ${status.gearName}`),
  );
  // The gearbox highlights the current gear, with the number as text.
  const current = page.locator('.gearbox li[aria-current="step"]');
  await expect(current.count()).resolves.toBe(1);
  await expect(current.locator('.gear-number').textContent()).resolves.toBe(String(status.gear));
  await expect(current.textContent()).resolves.toContain('huidige versnelling');
  // …in the gear's colour from the palette the workbook uses too.
  const fill = GEAR_PALETTE[status.gear as keyof typeof GEAR_PALETTE];
  const rgb = `rgb(${[0, 2, 4].map((i) => Number.parseInt(fill.slice(i, i + 2), 16)).join(', ')})`;
  await expect(current.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(rgb);
  await expect(
    page
      .getByText(
        `Op weg naar versnelling ${status.gear! + 1}: ${status.progress.met} van ${status.progress.total} criteria voldaan`,
      )
      .isVisible(),
  ).resolves.toBe(true);
  // Volgende stappen: the unmet criteria of the next gear, with their guidance.
  const steps = page.locator('section', {
    has: page.getByRole('heading', { name: `Volgende stappen naar versnelling ${status.gear! + 1}` }),
  });
  const items = steps.locator('ol.steps > li');
  await expect(items.count()).resolves.toBe(status.nextSteps.length);
  expect(status.nextSteps.length).toBeGreaterThan(0);
  const first = status.nextSteps[0]!;
  await expect(items.first().locator('strong').textContent()).resolves.toBe(first.text);
  await expect(items.first().textContent()).resolves.toContain(first.guidance);
  // What is in place, and the history with its table alternative.
  await expect(page.getByRole('heading', { name: 'Wat er al staat' }).isVisible()).resolves.toBe(true);
  await expect(page.locator('main canvas').count()).resolves.toBeGreaterThan(0);
}

describe('organisatie', () => {
  it('sees its own gear and next steps and cannot reach another organisation', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    await signIn(page, 'contact@lid.example.org');
    expect(new URL(page.url()).pathname).toBe('/mijn-versnelling');
    await expectOwnPage(page, own);
    // The menu offers only the own page.
    await expect(
      page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link').allTextContents(),
    ).resolves.toEqual(['Mijn versnelling']);

    // Another organisation's page, or any projectleider page, leads back to the own page.
    for (const path of [
      `/organisaties/${other.id}`,
      '/organisaties',
      '/quickscan',
      '/accounts',
      '/bestuur',
    ]) {
      await open(page, path);
      expect(new URL(page.url()).pathname, path).toBe('/mijn-versnelling');
      await expect(page.locator('main h1').textContent()).resolves.toBe(`Mijn versnelling: ${own.name}`);
    }

    // The API, with this browser's session cookie: another organisation does not exist for it.
    const ownStatus = await page.request.get(`/api/organisations/${own.id}/status`);
    expect(ownStatus.status()).toBe(200);
    for (const path of [
      `/api/organisations/${other.id}`,
      `/api/organisations/${other.id}/status`,
      `/api/organisations/${other.id}/history`,
      `/api/organisations/${other.id}/quickscans`,
    ]) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(404);
      expect((await res.json()).error.code, path).toBe('organisation_not_found');
    }
    // The list holds only the own organisation.
    const list = await page.request.get('/api/organisations');
    expect(list.status()).toBe(200);
    expect((await list.json()).items.map((o: { id: number }) => o.id)).toEqual([own.id]);

    // The print view: the navigation and the print button are left out on paper.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'Afdrukken (A4)' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });

    expectClean();
  });

  it('records its own incident figures and employees, is told next to the field what is wrong, and the projectleider sees them', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    await signIn(page, 'contact@lid.example.org');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Incidentcijfers' }) });
    await section.waitFor();
    const quarter = currentQuarter();
    const [year, n] = quarter.split('-Q');
    await section.getByLabel('Kwartaal', { exact: true }).selectOption(quarter);
    await section.getByLabel('Verbale agressie').fill('5');
    await section.getByLabel('Fysieke agressie').fill('0');
    await section.getByRole('button', { name: 'Cijfers opslaan' }).click();
    await section.getByText(`De cijfers van Q${n} ${year} zijn opgeslagen.`).waitFor();
    // Left empty is "not registered", which is not 0.
    const row = section.getByRole('row', { name: new RegExp(`Q${n} ${year}`) });
    await expect(row.textContent()).resolves.toContain('niet geregistreerd');

    // A figure that is not a count: the message stands next to the field and in a summary; nothing changes.
    allowFailedRequest(400, `/api/organisations/${own.id}/incidents/`);
    await section.getByLabel('Bedreiging of intimidatie').fill('veel');
    await section.getByLabel('Verbale agressie').fill('6');
    await section.getByRole('button', { name: 'Cijfers opslaan' }).click();
    await section.getByRole('alert').filter({ hasText: 'Nog niet opgeslagen:' }).waitFor();
    await expect(section.getByRole('alert').textContent()).resolves.toContain(
      'Bedreiging of intimidatie: geef een geheel getal van 0 tot en met 1.000.000',
    );
    const threat = section.getByLabel('Bedreiging of intimidatie');
    await expect(threat.getAttribute('aria-invalid')).resolves.toBe('true');
    const saved = await (await page.request.get(`/api/organisations/${own.id}/incidents/${quarter}`)).json();
    expect(saved).toMatchObject({ verbal: 5, threat: null, physical: 0, incidents: 5, version: 1 });

    // The employees of this year.
    await section.getByLabel('Jaar', { exact: true }).fill(year!);
    await section.getByLabel('Medewerkers met een publieke taak').fill('80');
    await section.getByRole('button', { name: 'Aantal opslaan' }).click();
    await section.getByText(`Het aantal medewerkers in ${year} is opgeslagen.`).waitFor();
    await section.getByText(`80 in ${year}`).waitFor();
    await checkPage(page, 'mijn-versnelling-incidentcijfers');
    expectClean();

    // The projectleider sees the same figures on the organisation's page.
    const leader = await openWatched(browser, server);
    await signIn(leader.page, 'pl@regio.example.org');
    await open(leader.page, `/organisaties/${own.id}`);
    const leaderSection = leader.page.locator('section', {
      has: leader.page.getByRole('heading', { name: 'Incidentcijfers' }),
    });
    await leaderSection.waitFor();
    await expect(
      leaderSection.getByRole('row', { name: new RegExp(`Q${n} ${year}`) }).textContent(),
    ).resolves.toContain('5');
    leader.expectClean();
    await leader.context.close();
  });

  it('opens through a share link, read-only, until the link is revoked', async () => {
    // The projectleider makes a link on the Accounts page.
    const leader = await openWatched(browser, server);
    await signIn(leader.page, 'pl@regio.example.org');
    await open(leader.page, `/accounts?organisatie=${own.id}`);
    await leader.page.getByLabel('Omschrijving (optioneel)').fill('Voor de directie');
    await leader.page.getByRole('button', { name: 'Deellink maken' }).click();
    const linkField = leader.page.getByLabel(`Deellink voor ${own.name} (Voor de directie)`);
    await linkField.waitFor();
    const url = await linkField.inputValue();
    expect(url).toMatch(new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{20,}$`));

    // Someone without an account opens it in a browser of their own.
    const visitor = await openWatched(browser, server);
    await visitor.page.goto(url);
    await ready(visitor.page);
    expect(new URL(visitor.page.url()).pathname).toBe('/mijn-versnelling');
    await expectOwnPage(visitor.page, own);
    await expect(visitor.page.getByText('Via deellink (alleen lezen)').isVisible()).resolves.toBe(true);
    // Read-only: writing is refused, also with the page's own CSRF token.
    const session = await (await visitor.page.request.get('/api/auth/session')).json();
    const write = await visitor.page.request.post(`/api/organisations/${own.id}/quickscans`, {
      headers: { 'x-csrf-token': session.session.csrfToken },
      data: { quarter: currentQuarter(), answers: {} },
    });
    expect(write.status()).toBe(403);

    // The projectleider revokes it.
    leader.page.once('dialog', (dialog) => void dialog.accept());
    await leader.page.getByRole('button', { name: 'Intrekken deellink Voor de directie' }).click();
    await leader.page
      .getByRole('status')
      .filter({ hasText: "De deellink 'Voor de directie' is ingetrokken." })
      .waitFor();
    // The list is drawn again after the message: wait for the row's new state.
    await leader.page
      .getByRole('row', { name: /Voor de directie/ })
      .getByText(/^Ingetrokken op /)
      .waitFor();

    // The open page loses access at once: a reload signs the visitor out and says why, without
    // a login form (a share link has no password).
    await visitor.page.reload();
    await ready(visitor.page);
    expect(new URL(visitor.page.url()).pathname).toBe('/inloggen');
    await expect(visitor.page.getByText('Via deellink').count()).resolves.toBe(0);
    await expect(visitor.page.locator('main h1').textContent()).resolves.toBe(
      'Deze deellink is ingetrokken of verlopen',
    );
    await expect(visitor.page.getByLabel('Wachtwoord').count()).resolves.toBe(0);
    expect((await visitor.page.request.get(`/api/organisations/${own.id}/status`)).status()).toBe(401);

    // Opening the link again says it no longer works (the one 404 this journey expects).
    visitor.allowFailedRequest(404, '/s/');
    await visitor.page.goto(url);
    await ready(visitor.page);
    await expect(visitor.page.locator('main h1').textContent()).resolves.toBe(
      'Deze deellink is ingetrokken of verlopen',
    );
    expect(new URL(visitor.page.url()).pathname).toMatch(/^\/s\//);
    await checkPage(visitor.page, 'deellink-ingetrokken');

    leader.expectClean();
    visitor.expectClean();
    await visitor.context.close();
    await leader.context.close();
  });
});
