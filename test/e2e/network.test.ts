// Issue 13 end to end in a real browser: the projectleider logs a house visit and agrees two
// actions; the organisation opens its page, sees the actions, and marks one "klaar"; an invited
// person sets a password through the link and is signed in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrganisations, type OrganisationListItem } from '../../server/services/organisations.service.ts';
import { addLink } from '../../server/services/resources.service.ts';
import { statusAt } from '../../server/services/status.service.ts';
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
let own: OrganisationListItem;
/** The organisation's first next step, with a resource of the apothekerskast. */
let step: { key: string; text: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const { items } = await listOrganisations(server.ctx, {});
  own = items.find((o) => o.gear !== null && o.gear >= 2 && o.gear <= 4)!;
  const status = await statusAt(server.ctx, own.id);
  step = status.nextSteps[0]!;
  await addLink(server.ctx, {
    criterion: step.key,
    measure: undefined,
    title: 'Modelprotocol agressie en geweld',
    description: 'Het protocol van de regio om mee te beginnen',
    url: 'https://www.example.nl/modelprotocol',
  });
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  await addAccount(server, 'contact@lid.example.org', 'organisatie', own.id);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the network', () => {
  it('the projectleider logs a house visit and agrees two actions; the organisation sees them and marks one klaar', async () => {
    // The projectleider: a house visit on the Netwerk page, from the organisation's page.
    const leader = await openWatched(browser, server);
    await signIn(leader.page, 'pl@regio.example.org');
    await open(leader.page, `/organisaties/${own.id}`);
    const contact = leader.page.locator('section.contact-history');
    await contact.waitFor();
    await contact.getByRole('link', { name: 'Activiteit vastleggen' }).click();
    await ready(leader.page);
    const form = leader.page.locator('form', {
      has: leader.page.getByRole('heading', { name: 'Activiteit vastleggen' }),
    });
    await expect(
      form
        .getByLabel('Organisaties')
        .evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.text)),
    ).resolves.toEqual([own.name]);
    await form.getByLabel('Soort').selectOption('huisbezoek');
    await form.getByLabel('Omschrijving').fill('Kennismaking met de directie');
    await form.getByLabel('melden').check();
    await form.getByRole('button', { name: 'Activiteit vastleggen' }).click();
    await leader.page.getByText('De activiteit "Kennismaking met de directie"').waitFor();
    await leader.page
      .getByRole('table', { name: /activiteit/ })
      .getByRole('row', { name: /Kennismaking met de directie/ })
      .waitFor();
    await checkPage(leader.page, 'netwerk');

    // Two actions on the organisation's page; the contact history says when the last visit was.
    await open(leader.page, `/organisaties/${own.id}`);
    await expect(leader.page.locator('section.contact-history .kpi').textContent()).resolves.toMatch(
      /^Laatste huisbezoek: vandaag \(/,
    );
    const plan = leader.page.locator('section.action-plan');
    await plan.waitFor();
    for (const [criterion, title] of [
      ['2b', 'Protocol in het MT bespreken'],
      ['3a', 'Centrale registratie inrichten'],
    ] as const) {
      await plan.getByLabel('Criterium').selectOption(criterion);
      await plan.getByLabel('Wat', { exact: true }).fill(title);
      await plan.getByLabel('Wie (bij de organisatie)').fill('Petra Jansen');
      await plan.getByLabel('Termijn').fill('2027-Q2');
      await plan.getByRole('button', { name: 'Actie afspreken' }).click();
      await plan.getByText(`De actie "${title}" is afgesproken.`).waitFor();
    }
    leader.expectClean();
    await leader.context.close();

    // The organisation: its plan on Mijn versnelling; it marks one action klaar with a note.
    const org = await openWatched(browser, server);
    await signIn(org.page, 'contact@lid.example.org');
    // The kast's resource under the next step it belongs to.
    const steps = org.page.locator('ol.steps > li', { hasText: step.text });
    await expect(
      steps.getByRole('link', { name: /Modelprotocol agressie en geweld/ }).getAttribute('href'),
    ).resolves.toBe('https://www.example.nl/modelprotocol');
    const ours = org.page.locator('section.action-plan');
    await ours.getByRole('heading', { name: 'Ons actieplan' }).waitFor();
    for (const title of ['Protocol in het MT bespreken', 'Centrale registratie inrichten']) {
      await ours.getByRole('row', { name: new RegExp(title) }).waitFor();
    }
    await ours.getByLabel('Status van "Protocol in het MT bespreken"').selectOption('klaar');
    const row = ours.getByRole('row', { name: /Protocol in het MT bespreken/ });
    await row.getByLabel('Notitie').fill('Besproken in het MT van 12 november');
    await row.getByRole('button', { name: 'Opslaan' }).click();
    await ours.getByText('De actie "Protocol in het MT bespreken" is bijgewerkt.').waitFor();
    await expect(ours.getByLabel('Status van "Protocol in het MT bespreken"').inputValue()).resolves.toBe(
      'klaar',
    );
    // Only status and note: no way to agree or remove actions.
    await expect(ours.getByRole('button', { name: 'Actie afspreken' }).count()).resolves.toBe(0);
    await expect(ours.getByRole('button', { name: /^Verwijderen/ }).count()).resolves.toBe(0);
    await checkPage(org.page, 'mijn-versnelling-actieplan');
    org.expectClean();
    await org.context.close();
  });

  it('an invited person sets a password through the link and is signed in', async () => {
    // The projectleider invites on the Accounts page; without SMTP the link is shown to copy.
    const leader = await openWatched(browser, server);
    await signIn(leader.page, 'pl@regio.example.org');
    await open(leader.page, '/accounts');
    const invite = leader.page
      .locator('section', { has: leader.page.getByRole('heading', { name: 'Uitnodigen', exact: true }) })
      .locator('form')
      .first();
    await invite.getByLabel('E-mailadres').fill('nieuw.bestuurslid@regio.example.org');
    await invite.getByLabel('Rol').selectOption('bestuur');
    await invite.getByRole('button', { name: 'Uitnodigen' }).click();
    const linkField = leader.page.getByLabel('Uitnodigingslink voor nieuw.bestuurslid@regio.example.org');
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/uitnodiging#[A-Za-z0-9_-]{20,}$`));
    leader.expectClean();
    await leader.context.close();

    // The invited person, in a browser of their own.
    const invited = await openWatched(browser, server);
    await invited.page.goto(link!);
    await ready(invited.page);
    await expect(invited.page.locator('main').textContent()).resolves.toContain(
      'nieuw.bestuurslid@regio.example.org',
    );
    const fields = invited.page.locator('input[type="password"]');
    await fields.nth(0).fill(PASSWORD);
    await fields.nth(1).fill(PASSWORD);
    await invited.page.getByRole('button', { name: /wachtwoord/i }).click();
    await invited.page.waitForURL((url) => url.pathname === '/bestuur');
    await ready(invited.page);
    invited.expectClean();
  });
});
