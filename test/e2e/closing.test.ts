// Closed quarters in a real browser (issue 10): the projectleider sees who still lacks a quickscan
// and closes two quarters at once; a late correction of a closed quarter asks for a reason in a
// dialog and becomes a restatement; the board sees the closed figure beside the restated one, with
// the reason, who and when; and the projectleider reopens the last closed quarter with a reason.
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../server/contracts/report.contract.ts';
import type { Quarter } from '../../server/domain/quarter.ts';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { recordGear } from '../../server/services/quickscans.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { formatDate, formatDateTime } from '../../web/src/ui/format.ts';
import {
  addAccount,
  checkPage,
  expectFieldError,
  launchBrowser,
  open,
  openWatched,
  SCREENSHOT_DIR,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

const LEADER = 'pl@regio.example.org';
const BOARD = 'bestuur@regio.example.org';
const REASON = 'Quickscan van april 2016 kwam pas na het vaststellen binnen';
const REOPEN_REASON = 'Het bestuur wil Q2 2016 opnieuw laten vaststellen na de correctie';

let server: Server;
let browser: Browser;

interface Member {
  id: number;
  name: string;
}
/** Its gear of Q2 2016 was recorded directly; the test corrects it after closing. */
let corrected: Member;
/** No gear in Q2 2016: on the list of who still lacks a quickscan. */
let late: Member;

/**
 * The small region, seeded through the services as the other e2e files do: two sectors, gears in
 * Q1 and Q2 2016. Q1: 2, 3, 1, 4 (regio 2,50). Q2: 3 (directly recorded), 3, 2 and the 4 carried
 * forward (regio 3,00, Zorg 3,00). The correction makes the first one 2: regio 2,75, Zorg 2,50.
 */
const REGION: ReadonlyArray<{ name: string; sector: string; gears: Partial<Record<Quarter, number>> }> = [
  { name: 'Zorggroep Vaststelling', sector: 'Zorg', gears: { '2016-Q1': 2, '2016-Q2': 3 } },
  { name: 'Thuiszorg Kwartaalstad', sector: 'Zorg', gears: { '2016-Q1': 3, '2016-Q2': 3 } },
  { name: 'College Vaststelling', sector: 'Onderwijs', gears: { '2016-Q1': 1, '2016-Q2': 2 } },
  { name: 'Basisschool De Late Scan', sector: 'Onderwijs', gears: { '2016-Q1': 4 } },
];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'empty' }), launchBrowser()]);
  const sectors = await listSectors(server.ctx);
  const made: Member[] = [];
  for (const s of REGION) {
    const sector = sectors.find((x) => x.name === s.sector);
    if (!sector) throw new Error(`no sector ${s.sector}`);
    const org = await createOrganisation(server.ctx, {
      name: s.name,
      sectorId: sector.id,
      memberFrom: '2016-Q1',
    });
    for (const [quarter, gear] of Object.entries(s.gears) as Array<[Quarter, number]>) {
      await recordGear(server.ctx, org.id, quarter, { gear }, 'create');
    }
    made.push({ id: org.id, name: org.name });
  }
  [corrected, late] = [made[0]!, made[3]!];
  await addAccount(server, LEADER, 'projectleider');
  await addAccount(server, BOARD, 'bestuur');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function section(page: Page, heading: string | RegExp): Locator {
  return page.locator('section', { has: page.getByRole('heading', { name: heading, exact: true }) });
}

/** Waits for the success message after a change; it has the focus. */
async function expectSaved(page: Page, text: string | RegExp): Promise<Locator> {
  const saved = page.getByRole('status').filter({ hasText: text });
  await saved.waitFor();
  await expect(saved.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  return saved;
}

async function answer(page: Page, key: string, choice: 'Ja' | 'Nee') {
  await page.locator(`#qs-c-${key}`).getByRole('radio', { name: choice, exact: true }).check();
}

/** Answers that give gear 2: all of gear 2 met, none of gear 3; gears 4 and 5 may stay open. */
async function answerForGear2(page: Page): Promise<void> {
  for (const key of ['2a', '2b', '2c', '2d']) await answer(page, key, 'Ja');
  for (const key of ['3a', '3b', '3c', '3d', '3e']) await answer(page, key, 'Nee');
  await expect.poll(() => page.locator('.qs-gear-line').textContent()).toContain('Versnelling 2 – ');
}

/** No ISO dates or times ("2026-11-30", "T00:20") in what a person reads. */
function expectNoIsoDate(text: string | null): void {
  expect(text ?? '').not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/);
}

describe('closing quarters and restatements', () => {
  it('shows who lacks a quickscan and closes Q1 and Q2 2016 at once', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, LEADER);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Kwartalen' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Kwartalen vaststellen' }).waitFor();

    // Nothing closed yet; the next quarter to close is the first with members, all of whom have a gear.
    const close = section(page, 'Vaststellen');
    await expect(section(page, 'Vastgestelde kwartalen').textContent()).resolves.toContain(
      'Nog geen kwartaal vastgesteld.',
    );
    await expect(close.textContent()).resolves.toContain('Het eerstvolgende is Q1 2016');
    const until = page.getByLabel('Vaststellen tot en met');
    await expect(until.inputValue()).resolves.toBe('2016-Q1');
    await page
      .getByRole('status')
      .filter({ hasText: 'Alle leden hebben een quickscan of versnelling in Q1 2016.' })
      .waitFor();
    await expect(close.getByRole('button').textContent()).resolves.toBe('Q1 2016 vaststellen');
    await checkPage(page, 'kwartalen-vaststellen');

    // Up to Q2 2016: both quarters, and the member without a quickscan in Q2 is listed with a link.
    await until.selectOption('2016-Q2');
    const action = close.getByRole('button', {
      name: 'Q1 2016 tot en met Q2 2016 vaststellen (2 kwartalen)',
    });
    await action.waitFor();
    await close.getByText('Nog geen quickscan in Q2 2016: 1 organisatie.').waitFor();
    const missing = close.getByRole('link', { name: late.name });
    await expect(missing.getAttribute('href')).resolves.toBe(
      `/quickscan?organisatie=${late.id}&kwartaal=2016-Q2`,
    );
    await expect(close.locator('li').allTextContents()).resolves.toEqual([`${late.name} (Onderwijs)`]);
    await checkPage(page, 'kwartalen-vaststellen-ontbrekend');

    // The confirm dialog names both quarters; accepting closes them.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await action.click();
    await expectSaved(page, 'Q1 2016, Q2 2016 vastgesteld.');
    expect(asked).toEqual([
      'Q1 2016 tot en met Q2 2016 vaststellen? De cijfers worden bewaard zoals ze nu zijn.',
    ]);
    const table = section(page, 'Vastgestelde kwartalen').locator('table');
    await expect(table.locator('tbody th').allTextContents()).resolves.toEqual(['Q2 2016', 'Q1 2016']);
    await expect(table.locator('td[data-label="Door"]').allTextContents()).resolves.toEqual([LEADER, LEADER]);
    await expect(table.locator('td[data-label="Herzieningen"]').allTextContents()).resolves.toEqual([
      'geen',
      'geen',
    ]);
    expectNoIsoDate(await table.textContent());
    // Only the last closed quarter can be reopened; the next to close is Q3 2016.
    await expect(table.getByRole('button').count()).resolves.toBe(1);
    await expect(table.getByRole('button', { name: 'Q2 2016 heropenen' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Vaststellen tot en met').inputValue()).resolves.toBe('2016-Q3');
    await expect(section(page, 'Geschiedenis').locator('li').allTextContents()).resolves.toHaveLength(2);
    await checkPage(page, 'kwartalen-vastgesteld');
    watch.expectClean();
  });

  it('a late correction of a closed quarter asks for a reason in a dialog before saving it', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, LEADER);
    await open(page, `/quickscan?organisatie=${corrected.id}&kwartaal=2016-Q2`);
    await page.getByRole('heading', { level: 2, name: `${corrected.name} – Q2 2016` }).waitFor();
    await expect(
      page.getByText('In Q2 2016 is versnelling 3 rechtstreeks vastgelegd', { exact: false }).isVisible(),
    ).resolves.toBe(true);
    await answerForGear2(page);

    // Saving meets the closed quarter: the dialog asks why. Cancelling saves nothing.
    const put = `/api/organisations/${corrected.id}/quickscans/2016-Q2`;
    watch.allowFailedRequest(409, put);
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Herziening van een vastgesteld kwartaal' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain(
      'Q2 2016 is vastgesteld; deze wijziging verandert de vastgestelde cijfers en is daarmee een herziening',
    );
    const reason = dialog.getByLabel('Reden van de herziening');
    await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Annuleren' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('alert')
      .filter({ hasText: /^Niet opgeslagen: Q2 2016 is vastgesteld/ })
      .waitFor();
    // The answers are still there.
    await expect(
      page.locator('#qs-c-2d').getByRole('radio', { name: 'Ja', exact: true }).isChecked(),
    ).resolves.toBe(true);

    // Again, and this time with a reason: an empty one is refused inside the dialog first.
    watch.allowFailedRequest(409, put);
    await page.getByRole('button', { name: 'Quickscan opslaan' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Opslaan met deze reden' }).click();
    await expectFieldError(page, reason, /reden van de herziening/i);
    await expect(dialog.isVisible()).resolves.toBe(true);
    await checkPage(page, 'herziening-reden-leeg');
    await reason.fill(REASON);
    await expect(reason.getAttribute('aria-invalid')).resolves.toBeNull();
    // The dialog itself, filled in: the full page is long and the dialog small in it.
    await dialog.screenshot({ path: join(SCREENSHOT_DIR, 'herziening-dialoog-ingevuld-1366x768.png') });

    const saved = page.waitForResponse((r) => new URL(r.url()).pathname === put && r.status() === 200);
    await dialog.getByRole('button', { name: 'Opslaan met deze reden' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(((await (await saved).request().postDataJSON()) as { reason?: string }).reason).toBe(REASON);
    const ok = await expectSaved(page, 'Wijziging opgeslagen');
    await expect(ok.textContent()).resolves.toMatch(
      new RegExp(
        `^Wijziging opgeslagen: ${corrected.name} staat in Q2 2016 in versnelling 2 – .+ \\(versie 2\\)\\.$`,
      ),
    );
    await checkPage(page, 'herziening-opgeslagen');

    // The quarters page counts the restatements of Q2 2016 (the region and Zorg).
    await open(page, '/kwartalen');
    const table = section(page, 'Vastgestelde kwartalen').locator('table');
    await expect(table.locator('td[data-label="Herzieningen"]').allTextContents()).resolves.toEqual([
      '2',
      'geen',
    ]);
    watch.expectClean();
  });

  it('the board sees the closed figure beside the restated one, with the reason, who and when', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, BOARD);
    const matrix = (await (
      await page.request.get('/api/reports/matrix?from=2016-Q1&to=2016-Q2')
    ).json()) as Matrix;
    const [q1, q2] = matrix.region.cells;
    expect(q1?.closed?.average).toBe(2.5);
    expect(q2?.closed?.average).toBe(3);
    expect(q2?.average).toBe(2.75);
    const restatements = matrix.restatements ?? [];
    expect(restatements.map((r) => r.scope).sort()).toEqual(['Zorg', 'regio']);
    const listed = restatements.map(
      (r) =>
        `Q2 2016, ${r.scope}: vastgesteld ${r.scope === 'regio' ? '3,00 (n = 4) · herzien 2,75 (n = 4)' : '3,00 (n = 2) · herzien 2,50 (n = 2)'}. ` +
        `Reden: ${REASON}. Door ${LEADER} op ${formatDateTime(r.at)}.`,
    );

    // The sector table: the restated cell is marked, the others say "vastgesteld".
    await open(page, '/bestuur/sectoren?van=2016-Q1&tot=2016-Q2');
    const table = page.locator('table.matrix');
    const row = (name: string) =>
      table.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
    await expect(row('Zorg').locator('.closed-mark').allTextContents()).resolves.toEqual([
      'vastgesteld',
      'herzien (vastgesteld 3,00)',
    ]);
    await expect(row('Onderwijs').locator('.closed-mark').allTextContents()).resolves.toEqual([
      'vastgesteld',
      'vastgesteld',
    ]);
    await expect(table.locator('tfoot .closed-mark').allTextContents()).resolves.toEqual([
      'vastgesteld',
      'herzien (vastgesteld 3,00)',
    ]);
    await expect(page.locator('ul.facts').textContent()).resolves.toContain(
      `Alle getoonde kwartalen zijn vastgesteld. Q2 2016: vastgesteld 3,00 · herzien 2,75 (reden: ${REASON}).`,
    );
    const restated = section(page, 'Herzieningen na vaststelling');
    await expect(restated.locator('li').allTextContents()).resolves.toEqual(listed);
    expectNoIsoDate(await restated.textContent());
    await checkPage(page, 'bestuur-sectoren-herzien');

    // The board's quarterly report for the same pair: in the status of the figures, and the same list.
    await open(page, '/bestuur?van=2016-Q1&tot=2016-Q2');
    const status = section(page, 'Status van de cijfers');
    const closedLines = status.locator('li');
    await expect(closedLines.allTextContents()).resolves.toEqual([
      `Q1 2016: vastgesteld op ${formatDate(q1!.closed!.closedAt)} door ${LEADER}.`,
      `Q2 2016: vastgesteld 3,00 · herzien 2,75 (reden: ${REASON}).`,
    ]);
    await expect(
      section(page, 'Herzieningen na vaststelling').locator('li').allTextContents(),
    ).resolves.toEqual(listed);
    expectNoIsoDate(await page.locator('main').textContent());
    await checkPage(page, 'bestuur-dashboard-herzien');
    watch.expectClean();
  });

  it('the projectleider reopens the last closed quarter with a reason, and the history says so', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, LEADER);
    await open(page, '/kwartalen');
    const opener = page.getByRole('button', { name: 'Q2 2016 heropenen' });
    await opener.click();
    const panel = page.locator('.panel');
    await panel.getByRole('heading', { name: 'Q2 2016 heropenen' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Q2 2016 heropenen');

    // Without a reason it is refused at the field.
    const reason = panel.getByLabel('Reden');
    await panel.getByRole('button', { name: 'Heropenen', exact: true }).click();
    await expectFieldError(page, reason, /reden om te heropenen/i);
    await reason.fill(REOPEN_REASON);
    await expect(reason.getAttribute('aria-invalid')).resolves.toBeNull();
    await checkPage(page, 'kwartaal-heropenen');

    await panel.getByRole('button', { name: 'Heropenen', exact: true }).click();
    await expectSaved(page, 'Q2 2016 is heropend.');
    await expect(page.locator('.panel').count()).resolves.toBe(0);
    const table = section(page, 'Vastgestelde kwartalen').locator('table');
    await expect(table.locator('tbody th').allTextContents()).resolves.toEqual(['Q1 2016']);
    await expect(table.getByRole('button', { name: 'Q1 2016 heropenen' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Vaststellen tot en met').inputValue()).resolves.toBe('2016-Q2');

    const history = section(page, 'Geschiedenis').locator('li');
    const reopened = (await history.allTextContents()).filter((t) => t.includes('heropend'));
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatch(
      new RegExp(
        `^Q2 2016 vastgesteld op .+ door ${LEADER}, daarna 2 herzieningen; heropend op .+ door ${LEADER} \\(reden: ${REOPEN_REASON}\\)$`,
      ),
    );
    expectNoIsoDate(reopened[0]!);
    await checkPage(page, 'kwartaal-heropend');
    watch.expectClean();
  });
});
