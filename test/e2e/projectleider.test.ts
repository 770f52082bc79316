// The projectleider's main journey in a real browser, and the same work done by keyboard alone.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQuarter } from '../../web/src/ui/format.ts';
import {
  addAccount,
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

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  await addAccount(server, 'pl2@regio.example.org', 'projectleider');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What the overview says about the current quarter. */
async function readOverview(page: Page) {
  const q = formatQuarter(currentQuarter());
  const worklistHeading = await page
    .getByRole('heading', { name: new RegExp(`^Nog geen quickscan in ${q} \\(\\d+\\)$`) })
    .textContent();
  const distribution = page.locator('section', {
    has: page.getByRole('heading', { name: /^Verdeling over de versnellingen/ }),
  });
  const caption = (await distribution.locator('caption').textContent()) ?? '';
  const counts = (await distribution.locator('tbody td').allTextContents()).map(Number);
  const worklist = page.locator('section', {
    has: page.getByRole('heading', { name: /^Nog geen quickscan/ }),
  });
  return {
    waiting: Number(/\((\d+)\)$/.exec(worklistHeading ?? '')?.[1]),
    members: Number(/\((\d+) leden/.exec(caption)?.[1]),
    withoutGear: Number(/(\d+) nog zonder versnelling/.exec(caption)?.[1]),
    counts,
    worklistNames: await worklist.locator('tbody tr td:first-child').allTextContents(),
  };
}

function menu(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name, exact: true });
}

async function answer(page: Page, key: string, choice: 'Ja' | 'Deels' | 'Nee' | 'N.v.t.') {
  await page.locator(`#qs-c-${key}`).getByRole('radio', { name: choice, exact: true }).check();
}

describe('projectleider', () => {
  it('signs in, adds an organisation, records a quickscan and sees its gear and the overview change', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    const name = 'Stichting Testhuis Oeverwaard';
    const q = formatQuarter(currentQuarter());

    // Signing in lands on the overview.
    await signIn(page, 'pl@regio.example.org');
    expect(new URL(page.url()).pathname).toBe('/overzicht');
    const before = await readOverview(page);
    expect(before.members).toBeGreaterThan(50);

    // Adding an organisation; the back button returns to the list.
    await menu(page, 'Organisaties').click();
    await page.getByRole('heading', { level: 1, name: 'Organisaties' }).waitFor();
    await page.getByRole('link', { name: 'Organisatie toevoegen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organisatie toevoegen' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Organisaties' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/organisaties');
    await page.getByLabel('Zoek op naam').waitFor();
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: 'Organisatie toevoegen' }).waitFor();
    // Back and forward again before the list has loaded (its answer held back for a moment):
    // the list that arrives late must not end up inside the form page.
    await page.route(
      (url) => url.pathname === '/api/organisations',
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await route.continue();
      },
    );
    const listLoaded = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/organisations');
    await page.goBack();
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: 'Organisatie toevoegen' }).waitFor();
    await listLoaded;
    await page.waitForTimeout(100);
    await page.unroute((url) => url.pathname === '/api/organisations');
    await expect(page.getByLabel('Zoek op naam').count()).resolves.toBe(0);
    await expect(page.locator('main h1').allTextContents()).resolves.toEqual(['Organisatie toevoegen']);

    await page.getByLabel('Naam', { exact: true }).fill(name);
    await page.getByLabel('Sector').selectOption({ label: 'Zorg' });
    await page.getByLabel('Naam contactpersoon').fill('Anouk de Wit');
    await page.getByLabel('E-mailadres').fill('anouk.dewit@testhuis.example.org');
    await page.getByLabel('Telefoonnummer').fill('088-123 45 67');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    await page.waitForURL(/\/organisaties\/\d+$/);
    const orgId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await expect(page.getByText(`Organisatie ${name} is toegevoegd.`).isVisible()).resolves.toBe(true);
    await expect(
      page.getByText('Nog geen versnelling: er is nog geen quickscan vastgelegd.').isVisible(),
    ).resolves.toBe(true);

    // The overview now counts one member more, still without a quickscan this quarter.
    await menu(page, 'Overzicht').click();
    await page.getByRole('heading', { level: 1, name: 'Overzicht' }).waitFor();
    await page.getByRole('heading', { name: `Nog geen quickscan in ${q} (${before.waiting + 1})` }).waitFor();
    const added = await readOverview(page);
    expect(added.members).toBe(before.members + 1);
    expect(added.withoutGear).toBe(before.withoutGear + 1);
    expect(added.worklistNames).toContain(name);

    // The quickscan: pick the organisation by searching, open the form.
    await menu(page, 'Quickscan afnemen').click();
    await page.getByRole('heading', { level: 1, name: 'Quickscan afnemen' }).waitFor();
    await page.getByLabel('Zoek organisatie').fill('testhuis oever');
    await expect(page.getByLabel('Organisatie', { exact: true }).inputValue()).resolves.toBe(String(orgId));
    await page.getByRole('button', { name: 'Quickscan openen' }).click();
    await page.getByRole('heading', { level: 2, name: `${name} – ${q}` }).waitFor();
    expect(new URL(page.url()).search).toBe(`?organisatie=${orgId}&kwartaal=${currentQuarter()}`);
    await expect(page.getByText(`U legt een nieuwe quickscan vast voor ${name}`).isVisible()).resolves.toBe(
      true,
    );
    const gearLine = page.locator('.qs-gear-line');
    await expect(gearLine.textContent()).resolves.toMatch(/^1Versnelling 1 – /);

    // Model version 2: 2a offers no "N.v.t." and says why.
    const choices2a = page.locator('#qs-c-2a').getByRole('radio');
    await expect(
      choices2a.evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).value)),
    ).resolves.toEqual(['ja', 'deels', 'nee']);
    await expect(
      page.locator('#qs-c-2a').getByText('N.v.t. kan bij dit criterium niet worden gekozen').isVisible(),
    ).resolves.toBe(true);

    // Saving too early: the problems are listed and the first unanswered criterion gets focus.
    // Only gear 2 is demanded: the gears above the first gap may stay open.
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    await page.getByRole('alert').filter({ hasText: 'Nog niet opgeslagen: 4 criteria' }).waitFor();
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).name)).resolves.toBe(
      'qs-answer-2a',
    );
    await expect(page.locator('#qs-c-2a fieldset').getAttribute('aria-invalid')).resolves.toBe('true');

    // Answering: the gear changes while answering.
    for (const key of ['2a', '2b', '2c']) await answer(page, key, 'Ja');
    await expect(gearLine.textContent()).resolves.toContain('Versnelling 1 – ');
    await expect(gearLine.textContent()).resolves.toContain('nog 1 van 4 criteria voor versnelling 2');
    await answer(page, '2d', 'Ja');
    await expect(gearLine.textContent()).resolves.toContain('Versnelling 2 – ');
    for (const key of ['3a', '3b', '3c', '3d', '3e']) await answer(page, key, 'Ja');
    await expect(gearLine.textContent()).resolves.toContain('Versnelling 3 – ');
    await expect(page.locator('.qs-next summary').textContent()).resolves.toBe(
      'Volgende stappen naar versnelling 4 (5)',
    );
    await answer(page, '4a', 'Deels');
    for (const key of ['4b', '4c', '4d']) await answer(page, key, 'Nee');
    // Gear 4 is the first gap, so the criteria of gear 5 may stay open.
    await expect(page.locator('.qs-may-stay-open').textContent()).resolves.toBe(
      'De criteria van versnelling 5 mogen open blijven, omdat versnelling 4 nog niet gehaald is; onbeantwoord telt als niet voldaan.',
    );
    // N.v.t. needs a reason: saving without one points at the note.
    await answer(page, '4e', 'N.v.t.');
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    await page.getByRole('alert').filter({ hasText: 'Nog niet opgeslagen: één criterium' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('qs-c-4e-note');
    await page.getByLabel('Toelichting bij 4e').fill('Geen balie: alle contact is telefonisch.');
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    const saved = page.getByRole('status').filter({ hasText: 'Quickscan opgeslagen' });
    await saved.waitFor();
    await expect(saved.textContent()).resolves.toMatch(
      new RegExp(`^Quickscan opgeslagen: ${name} staat in ${q} in versnelling 3 – .+ \\(versie 1\\)\\.$`),
    );

    // The organisation's page shows the gear and the next steps.
    await menu(page, 'Organisaties').click();
    await page.getByLabel('Zoek op naam').fill('Testhuis');
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const stand = page.locator('section', { has: page.getByRole('heading', { name: `Stand in ${q}` }) });
    await expect(stand.locator('.kpi').textContent()).resolves.toMatch(/^Versnelling 3 – /);
    // 4e is n.v.t. and counts as met; 4a–4d are the next steps.
    await expect(
      stand.getByText('Op weg naar versnelling 4: 1 van 5 criteria voldaan.').isVisible(),
    ).resolves.toBe(true);
    await expect(stand.getByRole('listitem').count()).resolves.toBe(4);

    // And the overview changes: off the worklist, one more organisation in gear 3.
    await menu(page, 'Overzicht').click();
    await page.getByRole('heading', { name: `Nog geen quickscan in ${q} (${before.waiting})` }).waitFor();
    const after = await readOverview(page);
    expect(after.worklistNames).not.toContain(name);
    expect(after.members).toBe(before.members + 1);
    expect(after.withoutGear).toBe(before.withoutGear);
    expect(after.counts).toEqual(before.counts.map((n, i) => (i === 2 ? n + 1 : n)));

    expectClean();
  });

  it('works by keyboard alone, with the focus always visible', async () => {
    const { page, expectClean } = await openWatched(browser, server);
    await open(page, '/inloggen');

    /** Tabs until `isTarget` holds for the focused element; asserts the focus is visible. */
    const tabTo = async (describe: string, isTarget: () => Promise<boolean>, max = 40, key = 'Tab') => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press(key);
        if (await isTarget()) {
          await expectFocusVisible(page, describe);
          return;
        }
      }
      throw new Error(`${describe}: not reached in ${max} tabs`);
    };
    const focusedIs = (selector: string) =>
      page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

    // The page's heading has the focus; going back reaches the skip link, which then shows.
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    await tabTo('skip link', () => focusedIs('a.skip'), 10, 'Shift+Tab');
    await expect(page.getByRole('link', { name: 'Naar de inhoud' }).isVisible()).resolves.toBe(true);
    // Enter on the skip link moves to the content, without drawing the page again.
    await page.evaluate(() => {
      (document.querySelector('main h1') as HTMLElement).dataset.e2eMark = 'same';
    });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    await expect(
      page.evaluate(() => document.querySelector<HTMLElement>('main h1')?.dataset.e2eMark),
    ).resolves.toBe('same');

    // Signing in by keyboard: Tab to the fields, type, Enter submits.
    await tabTo('email field', () => focusedIs('input[type="email"]'));
    await page.keyboard.type('pl2@regio.example.org');
    await tabTo('password field', () => focusedIs('input[type="password"]'));
    await page.keyboard.type('correct paard batterij niet');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/overzicht');
    await ready(page);

    // A quickscan for an organisation on the worklist, by keyboard: the first worklist link.
    const link = page.getByRole('link', { name: /^Quickscan afnemen voor / }).first();
    const orgName = ((await link.textContent()) ?? '').replace('Quickscan afnemen voor ', '');
    await tabTo('worklist link', () => focusedIs('a[href^="/quickscan?organisatie="]'), 200);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: new RegExp(`^${escapeRegExp(orgName)} – `) }).waitFor();
    await ready(page);

    const gearLine = page.locator('.qs-gear-line');
    const radio = (key: string) => focusedIs(`input[type="radio"][name="qs-answer-${key}"]`);
    const checkedValue = (key: string) =>
      page.evaluate(
        (k) =>
          document.querySelector<HTMLInputElement>(`input[name="qs-answer-${k}"]:checked`)?.value ?? null,
        key,
      );
    // Tab into criterion 2a's radio group, Space picks "ja", the arrow keys move the choice.
    await tabTo('first radio of 2a', () => radio('2a'));
    await page.keyboard.press('Space');
    await expect(checkedValue('2a')).resolves.toBe('ja');
    await page.keyboard.press('ArrowRight');
    await expect(checkedValue('2a')).resolves.toBe('deels');
    await expectFocusVisible(page, 'radio deels');
    await page.keyboard.press('ArrowRight');
    await expect(checkedValue('2a')).resolves.toBe('nee');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(checkedValue('2a')).resolves.toBe('ja');
    // The guidance opens with Enter.
    await tabTo('guidance of 2a', () => focusedIs('#qs-c-2a summary'));
    await page.keyboard.press('Enter');
    await expect(page.locator('#qs-c-2a details').getAttribute('open')).resolves.toBe('');
    // 2b, 2c and 2d "ja" by keyboard: the gear line moves to gear 2.
    for (const key of ['2b', '2c', '2d']) {
      await tabTo(`radios of ${key}`, () => radio(key));
      await page.keyboard.press('Space');
      await expect(checkedValue(key)).resolves.toBe('ja');
    }
    await expect(gearLine.textContent()).resolves.toContain('Versnelling 2 – ');

    // Leaving with unsaved answers asks first; dismissing keeps the page.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await tabTo('menu link', () => focusedIs('nav a[href="/overzicht"]'), 80, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect(
      page.getByRole('heading', { level: 1, name: 'Quickscan afnemen' }).isVisible(),
    ).resolves.toBe(true);
    await expect(checkedValue('2d')).resolves.toBe('ja');

    expectClean();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The focused element draws a real outline (the :focus-visible style), not `outline: none`. */
async function expectFocusVisible(page: Page, what: string): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    return {
      tag: el.tagName,
      outlineStyle: s.outlineStyle,
      outlineWidth: Number.parseFloat(s.outlineWidth),
      focusVisible: el.matches(':focus-visible'),
    };
  });
  expect(style, `${what}: nothing focused`).not.toBeNull();
  expect(style?.focusVisible, `${what}: ${JSON.stringify(style)}`).toBe(true);
  expect(style?.outlineStyle, `${what}: ${JSON.stringify(style)}`).not.toBe('none');
  expect(style?.outlineWidth, `${what}: ${JSON.stringify(style)}`).toBeGreaterThanOrEqual(2);
}
