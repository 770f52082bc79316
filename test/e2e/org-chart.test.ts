// The organisation's chart in a real browser: a period to choose (the last two years by default),
// the gap to the sector in words, the last quickscan and whom to ask, whole gears as "3", and a
// print on A4 that holds the chart at the page's width and its numbers up to the current quarter.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GearHistory } from '../../server/contracts/organisation.contract.ts';
import type { Quickscan } from '../../server/contracts/quickscan.contract.ts';
import type { Matrix } from '../../server/contracts/report.contract.ts';
import { roundHalfAway } from '../../server/domain/rounding.ts';
import { listOrganisations, type OrganisationListItem } from '../../server/services/organisations.service.ts';
import { gearHistory } from '../../server/services/status.service.ts';
import { formatAverage, formatDate, formatQuarter } from '../../web/src/ui/format.ts';
import {
  addAccount,
  checkPage,
  currentQuarter,
  DESKTOP,
  launchBrowser,
  open,
  openWatched,
  printToPdf,
  type Server,
  signIn,
  startServer,
} from './harness.ts';

/** The width of A4 inside the print margins (app.css: @page margin 12mm), in CSS pixels. */
const A4_CONTENT = Math.floor(((210 - 2 * 12) * 96) / 25.4);

/** Two page checks (axe at two sizes) of long pages and a print: more than the default 90 s on a busy machine. */
const SLOW = 240_000;

let server: Server;
let browser: Browser;
/** A member since long ago (more than five years of history) with a gear of 2–4 now. */
let org: OrganisationListItem;
let history: GearHistory;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ data: 'demo' }), launchBrowser()]);
  const { items } = await listOrganisations(server.ctx, {});
  for (const item of items.filter((o) => o.gear !== null && o.gear >= 2 && o.gear <= 4)) {
    const h = await gearHistory(server.ctx, item.id, {});
    if (h.quarters.length > 20) {
      org = item;
      history = h;
      break;
    }
  }
  expect(org, 'the demo region has a member with more than five years of history').toBeDefined();
  await addAccount(server, 'pl@regio.example.org', 'projectleider');
  await addAccount(server, 'grafiek@lid.example.org', 'organisatie', org.id);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The sector average of the current quarter as this browser's account may see it (through the API). */
async function sectorAverageNow(page: Page): Promise<{ sector: string; average: number | null }> {
  const q = currentQuarter();
  const matrix: Matrix = await (await page.request.get(`/api/reports/matrix?from=${q}&to=${q}`)).json();
  const last = history.quarters[history.quarters.length - 1]!;
  expect(last.quarter).toBe(q);
  const row = matrix.sectors.find((s) => s.id === last.sectorId)!;
  return { sector: last.sector, average: row.cells[0]?.average ?? null };
}

/** "0,40 lager dan de sector", as the page says the gap. */
function gapText(gear: number, average: number): string {
  const diff = roundHalfAway(gear - roundHalfAway(average, 2), 2);
  if (diff === 0) return 'even hoog als de sector';
  return `${formatAverage(Math.abs(diff))} ${diff > 0 ? 'hoger' : 'lager'} dan de sector`;
}

/** The chart's section: its period choice and the rows of the table that goes with the chart. */
function chartParts(page: Page, heading: string) {
  const section = page.locator('section', { has: page.getByRole('heading', { name: heading }) });
  const table = section.locator('figure.chart table');
  return {
    section,
    period: section.getByRole('group', { name: 'Periode' }),
    table,
    quarters: () => table.locator('tbody th').allTextContents(),
    ownColumn: () => table.locator('tbody tr td:nth-of-type(1)').allTextContents(),
    sectorColumn: () => table.locator('tbody tr td:nth-of-type(2)').allTextContents(),
  };
}

const labels = (rows: GearHistory['quarters']) => rows.map((r) => formatQuarter(r.quarter));

describe('de grafiek van de organisatie', () => {
  it(
    'given an organisation account, when it opens Mijn versnelling, then it sees the last two years with the gap to its sector, chooses everything, and prints the chart up to the current quarter on A4',
    async () => {
      const { page, expectClean } = await openWatched(browser, server);
      await signIn(page, 'grafiek@lid.example.org');
      expect(new URL(page.url()).pathname).toBe('/mijn-versnelling');
      const chart = chartParts(page, 'Uw versnelling door de tijd');
      await chart.table.waitFor({ state: 'attached' });

      // By default the last two years: eight quarters, up to the current one.
      await expect(chart.period.getByRole('radio', { name: 'Laatste 2 jaar' }).isChecked()).resolves.toBe(
        true,
      );
      await expect(chart.quarters()).resolves.toEqual(labels(history.quarters.slice(-8)));
      await expect(chart.section.locator('figcaption').textContent()).resolves.toContain(
        `${formatQuarter(history.quarters.at(-8)!.quarter)} – ${formatQuarter(currentQuarter())}`,
      );
      // Own gears are whole numbers, averages keep two decimals.
      for (const cell of await chart.ownColumn()) expect(cell).toMatch(/^([1-5]|–)$/);
      expect(await chart.ownColumn()).toContain(String(org.gear));
      for (const cell of await chart.sectorColumn()) expect(cell).toMatch(/^(\d,\d\d|–)$/);

      // Everything: every quarter since the first membership.
      await chart.period.getByRole('radio', { name: /^Alles/ }).check();
      await expect(chart.quarters()).resolves.toEqual(labels(history.quarters));
      await chart.period.getByRole('radio', { name: 'Laatste 5 jaar' }).check();
      await expect(chart.quarters()).resolves.toEqual(labels(history.quarters.slice(-20)));
      await chart.period.getByRole('radio', { name: 'Laatste 2 jaar' }).check();
      await expect(chart.quarters()).resolves.toHaveLength(8);

      // The gap to the sector in words, with the anonymous average the organisation may see.
      const { sector, average } = await sectorAverageNow(page);
      const gap = (await chart.section.locator('.org-gap').textContent()) ?? '';
      if (average === null) {
        expect(gap).toMatch(/minstens 3 organisaties/);
      } else {
        expect(gap).toBe(
          `Uw versnelling is ${org.gear}; het gemiddelde van uw sector ${sector} is ${formatAverage(average)}: ${gapText(org.gear!, average)}.`,
        );
      }
      // When the last quickscan was, and whom to ask.
      const scans: Quickscan[] = await (
        await page.request.get(`/api/organisations/${org.id}/quickscans`)
      ).json();
      const last = scans.filter((s) => s.quarter <= currentQuarter()).at(-1)!;
      const lastLine = (await chart.section.locator('.org-last-quickscan').textContent()) ?? '';
      expect(lastLine).toMatch(/^Laatste quickscan: /);
      expect(lastLine).toContain(formatQuarter(last.quarter));
      if (last.conductedOn) expect(lastLine).toContain(formatDate(last.conductedOn));
      // Whom to ask: the person who took the latest quickscan, by name, or the projectleider.
      const by = scans.filter((s) => s.conductedBy).at(-1)?.conductedBy;
      await expect(chart.section.locator('.org-contact').textContent()).resolves.toBe(
        by
          ? `Vragen over uw versnelling, of tijd voor een nieuwe quickscan? Neem contact op met ${by}, die uw laatste quickscan afnam, of met de projectleider van uw VPT-regio.`
          : 'Vragen over uw versnelling, of tijd voor een nieuwe quickscan? Neem contact op met de projectleider van uw VPT-regio.',
      );
      expect(by, 'the demo region names who took its quickscans').toBeTruthy();
      await checkPage(page, 'grafiek-mijn-versnelling');

      // On paper (the width of A4 inside its margins, 186 mm): the chart is drawn again at the
      // width of the page instead of keeping the screen's width, nothing makes the page wider than
      // the paper (the browser would shrink the whole print), and the menu, the buttons and the
      // period choice are left out while the chart's numbers are printed with it.
      const canvasWidth = () =>
        chart.section.locator('canvas').evaluate((c) => Number.parseFloat((c as HTMLElement).style.width));
      const screenWidth = await canvasWidth();
      expect(screenWidth).toBeGreaterThan(A4_CONTENT);
      // The print starts: the chart is drawn at the width of the paper, not of the screen.
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await canvasWidth()).toBeLessThanOrEqual(A4_CONTENT);
      // Laid out on the paper's width: the chart fills its box and nothing is wider than the page.
      await page.setViewportSize({ width: A4_CONTENT, height: 1000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const sizes = await chart.section.locator('figure.chart').evaluate((figure) => {
        const canvas = figure.querySelector('canvas')!;
        return {
          drawn: Number.parseFloat(canvas.style.width),
          shown: canvas.getBoundingClientRect().width,
          box: figure.querySelector('.canvas-box')!.clientWidth,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
        };
      });
      expect(sizes.drawn).toBeGreaterThan(sizes.box * 0.9);
      expect(sizes.shown).toBeLessThanOrEqual(sizes.box);
      expect(sizes.overflow, 'the print is wider than A4').toBeLessThanOrEqual(0);
      await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).isVisible()).resolves.toBe(false);
      await expect(page.getByRole('button', { name: 'Afdrukken (A4)' }).isVisible()).resolves.toBe(false);
      await expect(chart.period.isVisible()).resolves.toBe(false);
      await expect(chart.table.isVisible()).resolves.toBe(true);
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize(DESKTOP);
      // Back on screen the table is closed again, as it was, and the chart has the screen's width.
      await expect(chart.table.isVisible()).resolves.toBe(false);
      await expect.poll(canvasWidth).toBe(screenWidth);

      const pdf = await printToPdf(page, 'mijn-versnelling');
      const text = pdf.pages.join('\n');
      // The chart's axis reaches the current quarter (Chromium prints a chart's text as text), and
      // so does its table: the row with the organisation's own gear.
      const now = formatQuarter(currentQuarter());
      const axis = labels(history.quarters.slice(-8)).join('\\s+');
      expect(text).toMatch(new RegExp(`^\\s*${axis}\\s*$`, 'm'));
      expect(text).toMatch(new RegExp(`${now}\\s+${org.gear}\\s+(\\d,\\d\\d|–)\\s+(\\d,\\d\\d|–)`));
      expect(text).toContain(`Versnelling van ${org.name} per kwartaal`);
      expect(text).not.toMatch(/Afdrukken \(A4\)|Uitloggen|Cijfers opslaan|Cijfers als tabel/);
      expect(text).not.toContain('Laatste 5 jaar');
      expectClean();
      await page.context().close();
    },
    SLOW,
  );

  it(
    "given the projectleider, when they open the organisation's page, then the same period choice and the gap to the sector are there",
    async () => {
      const { page, expectClean } = await openWatched(browser, server);
      await signIn(page, 'pl@regio.example.org');
      await open(page, `/organisaties/${org.id}`);
      const chart = chartParts(page, 'Versnelling naast sector en regio');
      await chart.table.waitFor({ state: 'attached' });
      await expect(chart.period.getByRole('radio', { name: 'Laatste 2 jaar' }).isChecked()).resolves.toBe(
        true,
      );
      await expect(chart.quarters()).resolves.toEqual(labels(history.quarters.slice(-8)));
      await chart.period.getByRole('radio', { name: /^Alles/ }).check();
      await expect(chart.quarters()).resolves.toEqual(labels(history.quarters));
      for (const cell of await chart.ownColumn()) expect(cell).toMatch(/^([1-5]|–)$/);

      // The projectleider sees every average (not only those of three organisations or more).
      const { sector, average } = await sectorAverageNow(page);
      expect(average).not.toBeNull();
      await expect(chart.section.locator('.org-gap').textContent()).resolves.toBe(
        `De versnelling van ${org.name} is ${org.gear}; het gemiddelde van de sector ${sector} is ${formatAverage(average)}: ${gapText(org.gear!, average!)}.`,
      );
      await expect(chart.section.locator('.org-last-quickscan').textContent()).resolves.toMatch(
        /^Laatste quickscan: /,
      );
      // The table of every quarter further down keeps all quarters.
      await expect(page.locator('.org-history tbody tr').count()).resolves.toBe(history.quarters.length);
      await checkPage(page, 'grafiek-organisatie-projectleider');
      expectClean();
      await page.context().close();
    },
    SLOW,
  );
});
