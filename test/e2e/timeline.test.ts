// Time in a real browser (issue 9): the projectleider ends a membership, rejoins and moves an
// organisation to another sector from a chosen quarter; refusals stand at their field; a
// carried-forward gear shows its age everywhere; the averages say how many gears are old; and the
// import lists sector moves and asks before creating a sector that looks like an existing one.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../server/contracts/report.contract.ts';
import {
  createOrganisation,
  joinNetwork,
  leaveNetwork,
  listOrganisations,
  type OrganisationListItem,
} from '../../server/services/organisations.service.ts';
import { recordGear } from '../../server/services/quickscans.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { gearHistory } from '../../server/services/status.service.ts';
import { formatQuarter as formatQ } from '../../web/src/ui/format.ts';
import type { Quarter } from '../../web/src/ui/quarter-select.ts';
import {
  addAccount,
  checkPage,
  currentQuarter,
  expectFieldError,
  launchBrowser,
  open,
  openWatched,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;
/** A fresh organisation in Zorg, member since Q4 2015, with one gear in Q1 2016. */
let org: { id: number; name: string };
/** The demo's members now, with their gear and its age. */
let members: OrganisationListItem[];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const zorg = (await listSectors(server.ctx)).find((s) => s.name === 'Zorg');
  if (!zorg) throw new Error('the demo region has no sector Zorg');
  org = await createOrganisation(server.ctx, {
    name: 'Stichting Tijdlijn Testwaard',
    sectorId: zorg.id,
    memberFrom: '2015-Q4',
  });
  await recordGear(server.ctx, org.id, '2016-Q1', { gear: 2 }, 'create');
  members = (await listOrganisations(server.ctx, {})).items.filter((o) => o.member && o.id !== org.id);
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  await addAccount(server, 'bestuur@regio.example.org', 'bestuur');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** "Q4 2016" for a quarter in the API's form. */
function formatQuarter(q: string): string {
  return formatQ(q as Quarter);
}

/** "uit Q1 2024, 11 kwartalen geleden", as the pages say it. */
function ageText(recordedIn: string, age: number): string {
  return `uit ${formatQuarter(recordedIn)}, ${age} ${age === 1 ? 'kwartaal' : 'kwartalen'} geleden`;
}

function timelineSection(page: Page): Locator {
  return page.locator('section', {
    has: page.getByRole('heading', { name: 'Lidmaatschap en sector', exact: true }),
  });
}

async function listed(section: Locator, className: string): Promise<string[]> {
  const list = section.locator(`.${className}`);
  const items = list.locator('li');
  return (await items.count()) > 0 ? items.allTextContents() : [(await list.textContent()) ?? ''];
}

/** Waits for the success message after a change; it has the focus. */
async function expectSaved(page: Page, text: string): Promise<void> {
  const saved = page.getByRole('status').filter({ hasText: text });
  await saved.waitFor();
  await expect(saved.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
}

describe('membership periods and sector history', () => {
  it('ends a membership, rejoins and moves the organisation to another sector from a chosen quarter', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'pl@regio.example.org');
    await open(page, `/organisaties/${org.id}`);
    const section = timelineSection(page);
    await expect(listed(section, 'timeline-periods')).resolves.toEqual(['Q4 2015 tot nu']);
    await expect(listed(section, 'timeline-sectors')).resolves.toEqual(['Zorg vanaf Q4 2015']);
    await expect(section.getByRole('button', { name: 'Opnieuw lid' }).count()).resolves.toBe(0);
    // The edit form's membership fields are about the latest period.
    await expect(page.getByLabel('Lid sinds (laatste periode)').inputValue()).resolves.toBe('2015-Q4');

    // Ending it before the gear of Q1 2016: refused, the message at "Lid tot en met".
    await section.getByRole('button', { name: 'Lidmaatschap beëindigen' }).click();
    const panel = section.locator('.panel');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Lidmaatschap beëindigen',
    );
    const until = panel.getByLabel('Lid tot en met');
    await expect(until.inputValue()).resolves.toBe(currentQuarter());
    await until.selectOption('2015-Q4');
    watch.allowFailedRequest(422, `/api/organisations/${org.id}/leave`);
    await panel.getByRole('button', { name: 'Lidmaatschap beëindigen' }).click();
    await panel.locator('[aria-invalid="true"]').waitFor();
    await expectFieldError(page, until, /versnelling in Q1 2016/);
    await checkPage(page, 'lidmaatschap-beeindigen-geweigerd');

    // Ending it after Q2 2016.
    await until.selectOption('2016-Q2');
    await panel.getByRole('button', { name: 'Lidmaatschap beëindigen' }).click();
    await expectSaved(page, 'is beëindigd: lid tot en met Q2 2016');
    await expect(listed(section, 'timeline-periods')).resolves.toEqual(['Q4 2015 tot en met Q2 2016']);
    await expect(section.getByRole('button', { name: 'Lidmaatschap beëindigen' }).count()).resolves.toBe(0);
    await expect(
      page.getByText(`${org.name} is in ${formatQuarter(currentQuarter())} geen lid`).isVisible(),
    ).resolves.toBe(true);

    // Joining again from Q1 2017: a second period.
    await section.getByRole('button', { name: 'Opnieuw lid' }).click();
    await panel.getByLabel('Lid vanaf').selectOption('2017-Q1');
    await panel.getByRole('button', { name: 'Opnieuw lid maken' }).click();
    await expectSaved(page, `${org.name} is weer lid vanaf Q1 2017.`);
    await expect(listed(section, 'timeline-periods')).resolves.toEqual([
      'Q4 2015 tot en met Q2 2016',
      'Q1 2017 tot nu',
    ]);

    // Moving to Onderwijs from Q3 2017: without a sector chosen it asks for one first.
    await section.getByRole('button', { name: 'Naar een andere sector' }).click();
    const from = panel.getByLabel('Vanaf kwartaal');
    await expect(from.inputValue()).resolves.toBe(currentQuarter());
    await panel.getByRole('button', { name: 'Sector wijzigen' }).click();
    await expectFieldError(page, panel.getByLabel('Nieuwe sector'), /Kies de nieuwe sector/);
    await panel.getByLabel('Nieuwe sector').selectOption({ label: 'Onderwijs' });
    await from.selectOption('2017-Q3');
    await panel.getByRole('button', { name: 'Sector wijzigen' }).click();
    await expectSaved(page, `${org.name} hoort vanaf Q3 2017 bij Onderwijs.`);
    await expect(listed(section, 'timeline-sectors')).resolves.toEqual([
      'Zorg vanaf Q4 2015',
      'Onderwijs vanaf Q3 2017',
    ]);

    // The history per quarter: the gap, and the sector each quarter had.
    const history = page.locator('.org-history');
    const row = (q: string) => history.locator('tr', { has: page.getByRole('rowheader', { name: q }) });
    await expect(row('Q3 2016').textContent()).resolves.toContain('geen lid');
    await expect(row('Q2 2017').locator('td').allTextContents()).resolves.toContain('Zorg');
    await expect(row('Q3 2017').locator('td').allTextContents()).resolves.toContain('Onderwijs');
    await checkPage(page, 'lidmaatschap-en-sector');

    // The list of a quarter shows the sector of that quarter.
    await open(page, '/organisaties?zoek=Tijdlijn&kwartaal=2017-Q2');
    await expect(page.locator('.org-table tbody td[data-label="Sector"]').textContent()).resolves.toBe(
      'Zorg',
    );
    await open(page, '/organisaties?zoek=Tijdlijn&kwartaal=2017-Q3');
    await expect(page.locator('.org-table tbody td[data-label="Sector"]').textContent()).resolves.toBe(
      'Onderwijs',
    );
    watch.expectClean();
  });

  it('a leave or join that someone else made first is refused at its field', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'pl@regio.example.org');
    await open(page, `/organisaties/${org.id}`);
    const section = timelineSection(page);
    const panel = section.locator('.panel');

    // Ending the membership while a colleague already ended it: no period is open any more.
    await section.getByRole('button', { name: 'Lidmaatschap beëindigen' }).click();
    await leaveNetwork(server.ctx, org.id, { until: '2018-Q1' });
    const until = panel.getByLabel('Lid tot en met');
    await until.selectOption('2019-Q1');
    watch.allowFailedRequest(409, `/api/organisations/${org.id}/leave`);
    await panel.getByRole('button', { name: 'Lidmaatschap beëindigen' }).click();
    await panel.locator('[aria-invalid="true"]').waitFor();
    await expectFieldError(page, until, /geen lid meer/);
    await expect(panel.getByRole('alert').textContent()).resolves.toMatch(/^Niet opgeslagen/);

    // Joining again while a colleague already made it a member again.
    await open(page, `/organisaties/${org.id}`);
    await expect(listed(section, 'timeline-periods')).resolves.toEqual([
      'Q4 2015 tot en met Q2 2016',
      'Q1 2017 tot en met Q1 2018',
    ]);
    await section.getByRole('button', { name: 'Opnieuw lid' }).click();
    await joinNetwork(server.ctx, org.id, { from: '2019-Q1' });
    const from = panel.getByLabel('Lid vanaf');
    await from.selectOption('2020-Q1');
    watch.allowFailedRequest(409, `/api/organisations/${org.id}/join`);
    await panel.getByRole('button', { name: 'Opnieuw lid maken' }).click();
    await panel.locator('[aria-invalid="true"]').waitFor();
    await expectFieldError(page, from, /al lid \(Q1 2019 tot nu\)/);
    await checkPage(page, 'opnieuw-lid-geweigerd');
    watch.expectClean();
  });
});

describe('old gears are visible as old', () => {
  it('shows the age of a carried gear in the list, the worklist, the organisation page and Mijn versnelling', async () => {
    const carried = members.filter((o) => (o.ageQuarters ?? 0) > 0);
    const oldest = carried.reduce((a, b) => ((b.ageQuarters ?? 0) > (a.ageQuarters ?? 0) ? b : a));
    expect(oldest.ageQuarters).toBeGreaterThan(4);
    const fresh = members.find((o) => o.ageQuarters === 0)!;
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'pl@regio.example.org');

    // The organisations list: "4 (uit Q3 2024, 9 kwartalen geleden)"; a fresh gear says nothing.
    const gearCell = (name: string) =>
      page
        .locator('.org-table tbody tr', { has: page.getByRole('link', { name, exact: true }) })
        .locator('td[data-label="Versnelling"]');
    await open(page, '/organisaties');
    await expect(gearCell(oldest.name).textContent()).resolves.toBe(
      `${oldest.gear} (${ageText(oldest.gearRecordedIn!, oldest.ageQuarters!)})`,
    );
    await expect(gearCell(oldest.name).locator('.gear-age-old').count()).resolves.toBe(1);
    await expect(gearCell(fresh.name).textContent()).resolves.toBe(String(fresh.gear));
    const one = carried.find((o) => o.ageQuarters === 1);
    if (one) {
      await expect(gearCell(one.name).textContent()).resolves.toContain('1 kwartaal geleden');
    }

    // The worklist on the overview: the oldest gear first (where the members without any gear
    // go is the server's choice), each with its age.
    await open(page, '/overzicht');
    const worklist = page.locator('section', {
      has: page.getByRole('heading', { name: /^Nog geen quickscan/ }),
    });
    const gears = (await worklist.locator('tbody tr td:nth-child(3)').allTextContents()).filter(
      (t) => t !== 'nog geen',
    );
    const ages = gears.map((t) => Number(/(\d+) kwarta(?:al|len) geleden/.exec(t)?.[1]));
    expect(gears[0]).toContain(ageText(oldest.gearRecordedIn!, oldest.ageQuarters!));
    expect(ages).toEqual([...ages].sort((a, b) => b - a));

    // The organisation page.
    await open(page, `/organisaties/${oldest.id}`);
    const stand = page.locator('section', { has: page.getByRole('heading', { name: /^Stand in / }) });
    await expect(stand.textContent()).resolves.toContain(
      `Doorgeschoven ${ageText(oldest.gearRecordedIn!, oldest.ageQuarters!)}`,
    );
    await expect(stand.textContent()).resolves.toContain('ouder dan een jaar');

    // Mijn versnelling, for the organisation itself, with its membership read-only.
    await addAccount(server, 'oud@lid.example.org', 'organisatie', oldest.id);
    const own = await openWatched(browser, server);
    await signIn(own.page, 'oud@lid.example.org');
    await expect(own.page.locator('main').textContent()).resolves.toContain(
      `De versnelling komt van uw laatste quickscan: ${ageText(oldest.gearRecordedIn!, oldest.ageQuarters!)}.`,
    );
    const membership = own.page.locator('section', {
      has: own.page.getByRole('heading', { name: 'Uw lidmaatschap' }),
    });
    await expect(membership.locator('.timeline-periods').textContent()).resolves.toMatch(/^Q[1-4] \d{4} tot/);
    await expect(membership.getByRole('button').count()).resolves.toBe(0);
    await checkPage(own.page, 'mijn-versnelling-doorgeschoven');
    own.expectClean();
    watch.expectClean();
  });

  it('says how many counted gears are older than a year, on the overview and the board table', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'bestuur@regio.example.org');
    const now = currentQuarter();
    const from = '2025-Q1';
    const matrix = (await (
      await page.request.get(`/api/reports/matrix?from=${from}&to=${now}`)
    ).json()) as Matrix;
    const last = matrix.region.cells[matrix.region.cells.length - 1]!;
    expect(last.staleCount).toBeGreaterThan(0);

    await open(page, '/bestuur');
    await expect(page.locator('table.analysis').textContent()).resolves.toContain(
      `(n = ${last.n}, waarvan ${last.staleCount} ouder dan een jaar)`,
    );
    await open(page, `/bestuur/sectoren?van=${from}&tot=${now}`);
    const regionCells = await page.locator('table.matrix tfoot .matrix-n').allTextContents();
    expect(regionCells).toEqual(
      matrix.region.cells.map((c) => `n = ${c.n}${c.staleCount ? `, ${c.staleCount} oud` : ''}`),
    );
    await expect(page.getByText('"Oud": zoveel van de getelde versnellingen').isVisible()).resolves.toBe(
      true,
    );

    // A period reaching past the current quarter is not asked for: it ends at the current one.
    await open(page, `/bestuur/sectoren?van=${from}&tot=2099-Q4`);
    await expect(page.locator('table.matrix caption').textContent()).resolves.toContain(
      `${formatQuarter(from)} – ${formatQuarter(now)}`,
    );
    watch.expectClean();
  });
});

describe('import without surprises', () => {
  it('asks before creating a sector that looks like an existing one, and lists the sector moves', async () => {
    const target = members.find(
      (o) => o.sector === 'Zorg' && o.memberships[0]!.from <= '2016-Q1' && o.memberships.length === 1,
    );
    if (!target) throw new Error('the demo region has no Zorg member since 2016-Q1');
    // Its own gear of Q1 2016 (or none): the list changes only the sector.
    const [q1] = (await gearHistory(server.ctx, target.id, { from: '2016-Q1', to: '2016-Q1' })).quarters;
    const csv = `Organisatie;Sector;Q1 2016\n${target.name};Zorgg;${q1?.gear ?? ''}\n`;
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'pl@regio.example.org');
    await open(page, '/import-export');
    // The prestatielijst's import (the page also reads incident figures, with buttons of the same names).
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: 'Bestaande lijst inlezen' }),
    });
    await section
      .getByLabel('Bestand (.xlsx of .csv)')
      .setInputFiles({ name: 'lijst.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

    // The look-alike is refused, naming the existing sector, with a checkbox to confirm it.
    watch.allowFailedRequest([400, 422], '/api/import/prestatielijst');
    await section.getByRole('button', { name: 'Controleren' }).click();
    const confirm = page.getByLabel(`'Zorgg' is echt een nieuwe sector (niet 'Zorg')`);
    await confirm.waitFor();
    await expect(confirm.isChecked()).resolves.toBe(false);
    await expect(section.locator('table').textContent()).resolves.toContain('Zorg');
    await checkPage(page, 'import-sector-lijkt-op-bestaande');

    // Confirmed, the name goes along and the check passes: the move and the new sector on top.
    await confirm.check();
    const checked = page.waitForRequest((r) => r.url().includes('/api/import/prestatielijst'));
    await section.getByRole('button', { name: 'Controleren' }).click();
    const checkUrl = new URL((await checked).url());
    expect(checkUrl.searchParams.get('dryRun')).toBe('true');
    expect(checkUrl.searchParams.getAll('newSector')).toEqual(['Zorgg']);
    await page.getByRole('status').filter({ hasText: 'is gecontroleerd en bevat geen fouten' }).waitFor();
    const report = section.locator('.card');
    await expect(report.locator('.import-moves li').allTextContents()).resolves.toEqual([
      `${target.name}: Zorg → Zorgg vanaf Q1 2016`,
    ]);
    await expect(report.locator('.import-new-sectors li').allTextContents()).resolves.toEqual([
      "Zorgg (bevestigd als nieuwe sector, niet 'Zorg')",
    ]);
    // Above the counts.
    await expect(
      report.evaluate((card) => {
        const moves = card.querySelector('.import-moves');
        const counts = card.querySelector('ul.report');
        return (
          !!moves && !!counts && !!(moves.compareDocumentPosition(counts) & Node.DOCUMENT_POSITION_FOLLOWING)
        );
      }),
    ).resolves.toBe(true);
    await checkPage(page, 'import-voorbeeld-sectorwissel');

    // The import itself sends the confirmed name too.
    const imported = page.waitForRequest((r) => r.url().includes('/api/import/prestatielijst'));
    await section.getByRole('button', { name: 'Importeren' }).click();
    const importUrl = new URL((await imported).url());
    expect(importUrl.searchParams.get('dryRun')).toBe('false');
    expect(importUrl.searchParams.getAll('newSector')).toEqual(['Zorgg']);
    await page.getByRole('status').filter({ hasText: 'is ingelezen en opgeslagen' }).waitFor();
    const sectors = await listSectors(server.ctx);
    expect(sectors.map((s) => s.name)).toContain('Zorgg');
    watch.expectClean();
  });
});
