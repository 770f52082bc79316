// Every page of the app, as each role sees it with the demo region loaded: an axe-core scan
// (WCAG 2.1 A/AA; no serious or critical violations), no console errors or CSP violations, and
// screenshots at 1366×768 and 390×844 in test-results/screenshots/. The setup page is checked
// in setup.test.ts (it needs a database without accounts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/db/schema.ts';
import { listOrganisations } from '../../server/services/organisations.service.ts';
import {
  addAccount,
  checkPage,
  currentQuarter,
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
/** An organisation in gear 2–4 now, so its page has next steps and a history. */
let orgId: number;
const sessions = new Map<Role | 'anoniem', Watch>();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const { items } = await listOrganisations(server.ctx, {});
  const org = items.find((o) => o.gear !== null && o.gear >= 2 && o.gear <= 4);
  if (!org) throw new Error('the demo region has no organisation in gear 2–4');
  orgId = org.id;
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  await addAccount(server, 'bestuur@regio.example.org', 'bestuur');
  await addAccount(server, 'org@lid.example.org', 'organisatie', orgId);
  for (const [role, email] of [
    ['projectleider', 'pl@regio.example.org'],
    ['bestuur', 'bestuur@regio.example.org'],
    ['organisatie', 'org@lid.example.org'],
  ] as const) {
    const watch = await openWatched(browser, server);
    await signIn(watch.page, email);
    sessions.set(role, watch);
  }
  sessions.set('anoniem', await openWatched(browser, server));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PageCase {
  name: string;
  as: Role | 'anoniem';
  path: () => string;
  /** Brings the page in the state to check (for example the quickscan form open). */
  prepare?: (watch: Watch) => Promise<void>;
  heading: RegExp;
}

const PAGES: PageCase[] = [
  { name: 'inloggen', as: 'anoniem', path: () => '/inloggen', heading: /^Inloggen$/ },
  { name: 'overzicht', as: 'projectleider', path: () => '/overzicht', heading: /^Overzicht$/ },
  { name: 'organisaties', as: 'projectleider', path: () => '/organisaties', heading: /^Organisaties$/ },
  {
    name: 'organisatie-toevoegen',
    as: 'projectleider',
    path: () => '/organisaties/nieuw',
    heading: /^Organisatie toevoegen$/,
  },
  { name: 'organisatie', as: 'projectleider', path: () => `/organisaties/${orgId}`, heading: /\S/ },
  {
    name: 'quickscan',
    as: 'projectleider',
    path: () => `/quickscan?organisatie=${orgId}&kwartaal=${currentQuarter()}`,
    heading: /^Quickscan afnemen$/,
    prepare: async ({ page }) => {
      // The form is open: the criteria and the live outcome are on the page.
      await page.getByRole('radiogroup').first().waitFor();
      await page.locator('.qs-gear-line', { hasText: 'Versnelling' }).waitFor();
    },
  },
  { name: 'quickscan-kiezen', as: 'projectleider', path: () => '/quickscan', heading: /^Quickscan afnemen$/ },
  { name: 'sectoren', as: 'projectleider', path: () => '/sectoren', heading: /^Sectoren$/ },
  {
    name: 'accounts',
    as: 'projectleider',
    // With an organisation chosen, so the share-link part is on the page too.
    path: () => `/accounts?organisatie=${orgId}`,
    heading: /^Accounts$/,
    prepare: async ({ page }) => {
      await page.getByRole('button', { name: 'Deellink maken' }).waitFor();
    },
  },
  { name: 'wijzigingen', as: 'projectleider', path: () => '/wijzigingen', heading: /^Wijzigingen$/ },
  { name: 'import-export', as: 'projectleider', path: () => '/import-export', heading: /^Import/ },
  { name: 'bestuur', as: 'bestuur', path: () => '/bestuur', heading: /^Kwartaalrapportage$/ },
  {
    name: 'bestuur-sectoren',
    as: 'bestuur',
    path: () => '/bestuur/sectoren',
    heading: /^Sectoren per kwartaal$/,
  },
  {
    name: 'mijn-versnelling',
    as: 'organisatie',
    path: () => '/mijn-versnelling',
    heading: /^Mijn versnelling: /,
  },
  { name: 'niet-gevonden', as: 'projectleider', path: () => '/bestaat-niet', heading: /bestaat niet/ },
];

describe('every page', () => {
  it.each(PAGES)('$name ($as): accessible, no console errors, screenshots', async (c) => {
    const watch = sessions.get(c.as)!;
    await open(watch.page, c.path());
    await expect(watch.page.locator('main h1').first().textContent()).resolves.toMatch(c.heading);
    await c.prepare?.(watch);
    await checkPage(watch.page, c.name);
    watch.expectClean();
  });
});

describe('the console watch itself', () => {
  it('catches a CSP violation, a console error and an uncaught error', async () => {
    const watch = await openWatched(browser, server);
    await open(watch.page, '/inloggen');
    await watch.page.evaluate(() => {
      // An inline style and an inline script: both refused by the CSP.
      const style = document.createElement('style');
      style.textContent = 'body { color: red; }';
      document.head.append(style);
      const script = document.createElement('script');
      script.textContent = 'window.name = "x";';
      document.head.append(script);
      console.error('een fout in de console');
      setTimeout(() => {
        throw new Error('een fout die niemand opvangt');
      });
    });
    await watch.page.waitForTimeout(200);
    const text = watch.problems.join('\n');
    expect(text).toMatch(/CSP-overtreding op \/inloggen: style-src-elem/);
    expect(text).toMatch(/CSP-overtreding op \/inloggen: script-src-elem/);
    expect(text).toContain('console.error op /inloggen: een fout in de console');
    expect(text).toContain('paginafout op /inloggen: een fout die niemand opvangt');
    await watch.context.close();
  });
});
