// Why did the gear move (issue 10, item 4) in a real browser: the projectleider opens an
// organisation and sees, for its last two quickscans, which criteria changed answer and whether
// they are met now; a quarter with an imported gear says there are no answers; the change history
// shows the criteria an edit changed, with met or not met.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/services/organisations.service.ts';
import { getQuickscan, recordGear, recordQuickscan } from '../../server/services/quickscans.service.ts';
import { listSectors } from '../../server/services/sectors.service.ts';
import { answersForGear } from '../support.ts';
import {
  addAccount,
  checkPage,
  launchBrowser,
  open,
  openWatched,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

let server: Server;
let browser: Browser;
/** Gear 2 imported in Q4 2015, a quickscan in Q2 2016 (gear 1) and one in Q4 2016 (gear 3, edited once). */
let org: { id: number; name: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const zorg = (await listSectors(server.ctx)).find((s) => s.name === 'Zorg');
  if (!zorg) throw new Error('the demo region has no sector Zorg');
  org = await createOrganisation(server.ctx, {
    name: 'Zorggroep Waaromwaard',
    sectorId: zorg.id,
    memberFrom: '2015-Q4',
  });
  await recordGear(server.ctx, org.id, '2015-Q4', { gear: 2, source: 'import' }, 'create');
  await recordQuickscan(
    server.ctx,
    org.id,
    '2016-Q2',
    { answers: answersForGear(3, { '2c': 'deels', '3b': 'nee', '3d': 'deels' }) },
    'create',
  );
  // Gear 1 first (2c still "deels"), then edited: 2c is met after all, and so is everything of gear 3.
  await recordQuickscan(
    server.ctx,
    org.id,
    '2016-Q4',
    { answers: answersForGear(3, { '2c': 'deels' }) },
    'create',
  );
  const first = await getQuickscan(server.ctx, org.id, '2016-Q4');
  await recordQuickscan(
    server.ctx,
    org.id,
    '2016-Q4',
    { answers: answersForGear(3), expectedVersion: first.version },
    'edit',
  );
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function diffSection(page: Page): Locator {
  return page.locator('section', {
    has: page.getByRole('heading', { name: 'Waarom veranderde de versnelling?', exact: true }),
  });
}

/** The rows of the changed criteria: [criterion cell, before, after, met]. */
async function changedRows(section: Locator): Promise<string[][]> {
  const rows = section.locator('table tbody tr');
  const result: string[][] = [];
  for (const row of await rows.all()) {
    result.push((await row.locator('th, td').allTextContents()).map((t) => t.trim()));
  }
  return result;
}

describe('why did the gear move', () => {
  it('shows on the organisation page which criteria changed between the last two quickscans, and says when a gear has no answers', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'pl@regio.example.org');
    await open(page, `/organisaties/${org.id}`);
    const section = diffSection(page);
    await section.locator('table').waitFor();

    // The last two quickscans are the starting point.
    await expect(section.getByLabel('Van kwartaal').inputValue()).resolves.toBe('2016-Q2');
    await expect(section.getByLabel('Naar kwartaal').inputValue()).resolves.toBe('2016-Q4');
    const text = await section.textContent();
    expect(text).toContain('Q2 2016: versnelling 1');
    expect(text).toContain('Q4 2016: versnelling 3');
    expect(text).toContain(
      'Tussen de quickscan van Q2 2016 en die van Q4 2016 veranderden 3 antwoorden: 3 nu voldaan.',
    );
    const rows = await changedRows(section);
    expect(rows.map((r) => [r[0]!.slice(0, 2), r[1], r[2], r[3]])).toEqual([
      ['2c', 'deels', 'ja', 'nu voldaan'],
      ['3b', 'nee', 'ja', 'nu voldaan'],
      ['3d', 'deels', 'ja', 'nu voldaan'],
    ]);
    expect(rows[1]![0]).toContain('Medewerkers met publiekscontact zijn getraind.');
    await checkPage(page, 'waarom-veranderde-de-versnelling');

    // From the imported gear: no answers, said in plain Dutch.
    await section.getByLabel('Van kwartaal').selectOption('2016-Q1');
    await section.getByRole('button', { name: 'Vergelijken' }).click();
    await section
      .getByText(
        'Geen antwoorden: de versnelling in Q1 2016 is in Q4 2015 rechtstreeks vastgelegd (import) en doorgeschoven.',
      )
      .waitFor();
    await expect(section.textContent()).resolves.toContain(
      'Q1 2016: versnelling 2 (rechtstreeks vastgelegd, import uit Q4 2015)',
    );
    await checkPage(page, 'waarom-veranderde-de-versnelling-geen-antwoorden');

    // A reversed choice is refused before asking the server.
    await section.getByLabel('Van kwartaal').selectOption('2017-Q1');
    await section.getByRole('button', { name: 'Vergelijken' }).click();
    await section.getByText('Het eindkwartaal ligt vóór het beginkwartaal.').waitFor();
    await expect(section.getByLabel('Naar kwartaal').getAttribute('aria-invalid')).resolves.toBe('true');
    watch.expectClean();
  });

  it('shows in the change history which criteria an edit of a quickscan changed, and whether they are met now', async () => {
    const watch = await openWatched(browser, server);
    const { page } = watch;
    await signIn(page, 'pl@regio.example.org');
    await open(page, `/wijzigingen?organisatie=${org.id}&soort=quickscan`);
    const edit = page.locator('table.changes tbody tr').first();
    await expect(edit.textContent()).resolves.toContain('Quickscan gewijzigd');
    const answers = edit.locator('.change-sublist li');
    await expect(answers.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^2c \(.*\): deels → +wordt ja \(nu voldaan\)$/),
    ]);
    await checkPage(page, 'wijzigingen-quickscan-criteria');
    watch.expectClean();
  });
});
