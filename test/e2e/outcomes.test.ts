// Issue 12 end to end in a real browser: an organisation enters its incident figures on its own
// page, and the board sees the result against the 0-meting, with the region's targets; the
// projectleider sets the 0-meting and a target on the same page, and a wrong one is refused next
// to its field.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterStartDate } from '../../server/domain/quarter.ts';
import { addActivity } from '../../server/services/activities.service.ts';
import { recordEmployees, recordIncidentFigures } from '../../server/services/incidents.service.ts';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { addTarget, setBaseline } from '../../server/services/outcomes.service.ts';
import { resolveSector } from '../../server/services/sectors.service.ts';
import { formatQuarter } from '../../web/src/ui/format.ts';
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
let orgId: number;
const now = currentQuarter();
const year = Number(now.slice(0, 4));
const lastYear = year - 1;
/** The quarter the organisation fills in: the one before the current (the form's default). */
const previous = now.endsWith('Q1')
  ? (`${lastYear}-Q4` as const)
  : (`${year}-Q${Number(now.slice(-1)) - 1}` as const);

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'empty' }), launchBrowser()]);
  const ctx = server.ctx;
  const sector = await resolveSector(ctx, 'Openbaar Bestuur');
  const org = await createOrganisation(ctx, {
    name: 'Gemeente Uitkomstdorp',
    sectorId: sector.id,
    memberFrom: `${lastYear}-Q1`,
  });
  orgId = org.id;
  // The 0-meting: last year, 10 incidents a quarter with 200 employees (20 per 100 per year).
  await recordEmployees(ctx, orgId, lastYear, { employees: 200 });
  for (const n of [1, 2, 3, 4]) {
    await recordIncidentFigures(ctx, orgId, `${lastYear}-Q${n}` as `${number}-Q1`, { verbal: 10 });
  }
  await setBaseline(ctx, null, { from: `${lastYear}-Q1`, to: `${lastYear}-Q4`, targetPercent: -25 });
  await addTarget(ctx, { kind: 'members', value: 1, quarter: `${year + 1}-Q4`, sectorId: null });
  // The network's work: a huisbezoek in the quarter the board looks at.
  await addActivity(ctx, {
    date: quarterStartDate(previous),
    kind: 'huisbezoek',
    title: 'Kennismaking',
    organisationIds: [orgId],
    measures: [],
  });
  await addAccount(server, 'contact@uitkomstdorp.example.org', 'organisatie', orgId);
  await addAccount(server, 'bestuur@regio.example.org', 'bestuur');
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('outcomes', () => {
  it('the organisation enters its figures and the board sees the change against the 0-meting and the targets', async () => {
    // The organisation: 5 incidents in the previous quarter (with last year's 200 employees carried forward).
    const org = await openWatched(browser, server);
    await signIn(org.page, 'contact@uitkomstdorp.example.org');
    const section = org.page.locator('section', {
      has: org.page.getByRole('heading', { name: 'Incidentcijfers' }),
    });
    await section.waitFor();
    await section.getByLabel('Kwartaal', { exact: true }).selectOption(previous);
    await section.getByLabel('Verbale agressie').fill('3');
    await section.getByLabel('Bedreiging of intimidatie').fill('2');
    await section.getByRole('button', { name: 'Cijfers opslaan' }).click();
    await section.getByText(`De cijfers van ${formatQuarter(previous)} zijn opgeslagen.`).waitFor();
    // Its own trend: the chart's table has the quarter at 10 per 100 per year; the sector is withheld (n < 3).
    const trend = section.locator('.incident-trend');
    await trend.waitFor();
    await trend.getByText('Cijfers als tabel').click();
    await expect(
      trend.getByRole('row', { name: new RegExp(formatQuarter(previous)) }).textContent(),
    ).resolves.toMatch(/10,00–$/);
    org.expectClean();
    await org.context.close();

    // The board: the menu leads to the outcomes; the region fell by half against the 0-meting.
    const board = await openWatched(browser, server);
    await signIn(board.page, 'bestuur@regio.example.org');
    await board.page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Incidenten en doelen' })
      .click();
    await board.page.getByRole('heading', { level: 1, name: 'Incidenten, maatregelen en doelen' }).waitFor();
    await board.page.getByLabel('Van', { exact: true }).selectOption(previous);
    await board.page.getByLabel('Tot en met', { exact: true }).selectOption(previous);
    await board.page.getByRole('button', { name: 'Toon' }).click();
    await board.page.waitForURL((url) => url.search === `?van=${previous}&tot=${previous}`);
    const kpi = board.page.locator('#incidents-report-title + .kpi');
    await kpi.waitFor();
    await expect(kpi.textContent()).resolves.toBe(
      `Regio: -50,00% incidenten per 100 medewerkers in ${formatQuarter(previous)} t.o.v. de 0-meting (Q1 ${lastYear} – Q4 ${lastYear}); doel -25,00%: op koers.`,
    );
    const targets = board.page.getByRole('table', { name: /Elk doel/ });
    await expect(targets.getByRole('row').nth(1).textContent()).resolves.toContain('gehaald');
    // Read-only: no forms to set a 0-meting or add a target.
    await expect(board.page.getByRole('button', { name: 'Doel toevoegen' }).count()).resolves.toBe(0);
    await expect(board.page.getByRole('button', { name: '0-meting opslaan' }).count()).resolves.toBe(0);
    // The network's work: the house visits and the other activities, after the measures.
    await expect(
      board.page.getByRole('heading', { level: 2, name: 'Het werk van het netwerk' }).isVisible(),
    ).resolves.toBe(true);
    await checkPage(board.page, 'uitkomsten-bestuur');
    board.expectClean();
    await board.context.close();
  });

  it('the projectleider adds a target, and a wrong value is refused next to its field', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    await signIn(page, 'pl@regio.example.org');
    await open(page, '/uitkomsten');
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Doel toevoegen' }) });
    await form.getByLabel('Soort doel').selectOption('average');
    await form.getByLabel('Streefwaarde').fill('7');
    allowFailedRequest(400, '/api/targets');
    await form.getByRole('button', { name: 'Doel toevoegen' }).click();
    await form.getByRole('alert').filter({ hasText: 'Nog niet opgeslagen:' }).waitFor();
    await expectFieldError(
      page,
      form.getByLabel('Streefwaarde'),
      /Een gemiddelde versnelling ligt tussen 1 en 5/,
    );

    await form.getByLabel('Streefwaarde').fill('3,5');
    await form.getByRole('button', { name: 'Doel toevoegen' }).click();
    await page
      .getByRole('table', { name: /Elk doel/ })
      .getByRole('row', { name: /Gemiddelde versnelling ≥ 3,50/ })
      .waitFor();
    expectClean();
  });

  it('the projectleider reads incident figures from a file: a wrong file is refused with its row and column, a right one is checked and imported', async () => {
    const { page, expectClean, allowFailedRequest } = await openWatched(browser, server);
    await signIn(page, 'pl@regio.example.org');
    await open(page, '/import-export');
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: 'Incidentcijfers inlezen' }),
    });
    const input = section.getByLabel('Bestand met incidentcijfers (.xlsx of .csv)');
    const header =
      'Organisatie;Kwartaal;Verbale agressie;Bedreiging/intimidatie;Fysieke agressie;Overig;Aangiftes;Reacties binnen 48 uur;Schade verhaald';
    const file = (rows: string) => ({
      name: 'cijfers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${rows}\n`),
    });

    // A count that is not a number: nothing is stored, the table names row 2 and the column.
    allowFailedRequest(400, '/api/import/incidents');
    await input.setInputFiles(file(`Gemeente Uitkomstdorp;Q1 ${lastYear};veel;;;;;;`));
    await section.getByRole('button', { name: 'Controleren' }).click();
    const errors = section.getByRole('table', { name: /fout/ });
    await errors.waitFor();
    await expect(errors.getByRole('row').nth(1).textContent()).resolves.toMatch(/^2Verbale agressie/);

    // A right file: checked first (nothing stored), then imported.
    await input.setInputFiles(file(`Gemeente Uitkomstdorp;Q2 ${lastYear};12;1;0;;1;4;`));
    await section.getByRole('button', { name: 'Controleren' }).click();
    await section.getByRole('heading', { name: 'Voorbeeld: dit gebeurt er bij importeren' }).waitFor();
    await expect(section.textContent()).resolves.toContain(
      'Kwartalen met cijfers: 0 nieuw, 1 gewijzigd, 0 ongewijzigd.',
    );
    await section.getByRole('button', { name: 'Importeren' }).click();
    await section.getByRole('heading', { name: 'De incidentcijfers zijn ingelezen' }).waitFor();
    const stored = await (
      await page.request.get(`/api/organisations/${orgId}/incidents/${lastYear}-Q2`)
    ).json();
    expect(stored).toMatchObject({ verbal: 12, threat: 1, physical: 0, other: null, incidents: 13 });
    expectClean();
  });
});
