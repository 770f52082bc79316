// Shared pieces of the end-to-end suite: the real server on a temporary SQLite file, Debian's
// Chromium through playwright-core, signing in, the console/CSP watch, axe and screenshots.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { launchChromium } from '../../scripts/chromium.ts';
import { buildApp } from '../../server/app.ts';
import { type Config, testConfig } from '../../server/config.ts';
import type { Role } from '../../server/db/schema.ts';
import { quarterOfDate } from '../../server/domain/quarter.ts';
import type { ServiceContext } from '../../server/services/context.ts';
import { OPERATOR } from '../../server/services/principal.ts';
import { insertTestUser, TEST_PASSWORD } from '../helpers.ts';

export const PASSWORD = TEST_PASSWORD;
export const DESKTOP = { width: 1366, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** The quarter the browser sees as "now": the server and the data use the real clock too. */
export function currentQuarter(): string {
  return quarterOfDate(new Date());
}

export interface Server {
  app: FastifyInstance;
  /** http://127.0.0.1:<port>, without a trailing slash. */
  url: string;
  /** For seeding through the services. */
  ctx: ServiceContext;
  close: () => Promise<void>;
}

/**
 * The real app (buildApp) listening on a free port, on a SQLite file of its own: a copy of the
 * demo region (made once by global-setup.ts) or an empty database (the first run). The clock is
 * the real one, so the pages' "current quarter" and the data agree.
 */
export async function startServer(options: {
  data: 'demo' | 'empty';
  /** Settings other than the test defaults, such as real sign-in limits. */
  config?: Partial<Config>;
}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'vpt-e2e-'));
  const databasePath = join(dir, 'vpt.sqlite');
  if (options.data === 'demo') copyFileSync(inject('demoDatabase'), databasePath);
  const config: Config = testConfig({
    databasePath,
    // Every test signs in several times from 127.0.0.1: keep the login limit out of the way.
    loginLimitPerIp: 10_000,
    loginLimitPerAccount: 10_000,
    ...options.config,
  });
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  // Share and setup links carry the public address; only now is the port known.
  (app.config as { publicUrl: string }).publicUrl = url;
  return {
    app,
    url,
    ctx: { db: app.db, models: app.models, now: app.clock, actor: 'e2e', principal: OPERATOR },
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An account with the test password, straight into the database. */
export function addAccount(server: Server, email: string, role: Role, organisationId: number | null = null) {
  return insertTestUser(server.app.db, email, role, organisationId);
}

/** Debian's Chromium, headless (scripts/chromium.ts: the bench launches it the same way). */
export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

// ---------------------------------------------------------------------------------------------
// Console, page errors and CSP violations
// ---------------------------------------------------------------------------------------------

const FAILED_4XX = /^Failed to load resource: the server responded with a status of (4\d\d)\b/;

export interface Watch {
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong in the browser so far, one line each. */
  problems: string[];
  /**
   * Allows exactly one "Failed to load resource: … <status>" console line for a request whose
   * address contains `path`: for a journey step that deliberately gets a 4xx (one of `status`
   * when a list: a refusal whose exact status is the server's choice, 400 or 422).
   */
  allowFailedRequest: (status: number | number[], path: string) => void;
  /** Asserts nothing went wrong, and that every allowed 4xx line really came. */
  expectClean: () => void;
}

/**
 * A fresh browser context (own cookies) with one page, watching: console errors, uncaught page
 * errors, `securitypolicyviolation` events (reported from an init script, so a violation is
 * caught even when Chromium would not log it), and server errors (5xx).
 */
export async function openWatched(
  browser: Browser,
  server: Server,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<Watch> {
  const context = await browser.newContext({ baseURL: server.url, viewport, acceptDownloads: true });
  const problems: string[] = [];
  const allowed: Array<{ status: number[]; path: string; seen: boolean }> = [];
  await context.exposeBinding('__e2eReportCsp', ({ page }, text: string) => {
    problems.push(`CSP-overtreding op ${new URL(page.url()).pathname}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __e2eReportCsp: (text: string) => void }).__e2eReportCsp;
      void report(
        `${event.effectiveDirective} blokkeerde ${event.blockedURI || '(inline)'} in ${event.sourceFile || '?'}:${event.lineNumber}`,
      );
    });
  });
  const watchPage = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const status = FAILED_4XX.exec(text);
      if (status) {
        const where = message.location().url;
        const permit = allowed.find(
          (a) => !a.seen && a.status.includes(Number(status[1])) && where.includes(a.path),
        );
        if (permit) {
          permit.seen = true;
          return;
        }
      }
      problems.push(`console.error op ${pathOf(page)}: ${text} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`paginafout op ${pathOf(page)}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${response.status()} voor ${response.url()}`);
    });
  };
  context.on('page', watchPage);
  const page = await context.newPage();
  return {
    context,
    page,
    problems,
    allowFailedRequest: (status, path) => {
      allowed.push({ status: Array.isArray(status) ? status : [status], path, seen: false });
    },
    expectClean: () => {
      expect(problems, problems.join('\n')).toEqual([]);
      const missing = allowed.filter((a) => !a.seen);
      expect(missing, 'expected 4xx console lines that never came').toEqual([]);
    },
  };
}

function pathOf(page: Page): string {
  try {
    const url = new URL(page.url());
    return url.pathname + url.search;
  } catch {
    return page.url();
  }
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/**
 * Waits until the app has rendered the page: the router focuses the page's <h1> (giving it
 * tabindex -1) once the page's data is in ("page not found" has a plain <h1>). After a full
 * load, also until no request has run for a moment.
 */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const heading = document.querySelector('main h1');
    return heading !== null && (heading.hasAttribute('tabindex') || document.title.startsWith('Pagina niet'));
  });
  await page.waitForLoadState('networkidle');
}

/** Opens a page of the app by its address and waits until it is rendered. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await ready(page);
}

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, email: string): Promise<void> {
  await open(page, '/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((url) => url.pathname !== '/inloggen');
  await ready(page);
}

/** The control is marked invalid, its description holds `message`, and it has the focus. */
export async function expectFieldError(page: Page, control: Locator, message: RegExp): Promise<void> {
  await expect(control.getAttribute('aria-invalid')).resolves.toBe('true');
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`#${id}`).textContent()));
  expect(texts.join(' | ')).toMatch(message);
  await expect(control.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Accessibility and screenshots
// ---------------------------------------------------------------------------------------------

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core (WCAG 2.1 A and AA) on the page as it is now. Serious and critical violations
 * fail the test; moderate and minor ones are printed so a person can look at them.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help}\n${v.nodes
      .slice(0, 5)
      .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
      .join('\n')}${v.nodes.length > 5 ? `\n    … en nog ${v.nodes.length - 5}` : ''}`;
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of results.violations.filter((x) => !blocking.includes(x))) {
    console.log(`[axe] ${name}: ${describe(v)}`);
  }
  expect(blocking.map(describe), `axe: ${name}\n${blocking.map(describe).join('\n')}`).toEqual([]);
}

/** A full-page screenshot in test-results/screenshots/<name>-<width>x<height>.png (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const size = page.viewportSize();
  const suffix = size ? `-${size.width}x${size.height}` : '';
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}${suffix}.png`), fullPage: true });
}

/**
 * The check every page gets: screenshots and an axe scan at laptop (1366×768) and phone
 * (390×844) size. Leaves the page at laptop size.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    await screenshot(page, name);
    // Nothing makes the whole page scroll sideways; wide tables scroll inside their own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} is wider than ${viewport.width}px`).toBeLessThanOrEqual(0);
    await expectAccessible(page, `${name} (${viewport.width}×${viewport.height})`);
  }
  await page.setViewportSize(DESKTOP);
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

/**
 * Prints the page as a person would (print media, A4 portrait) to a PDF in test-results/print/
 * and returns the PDF and its text, one string per page, read back by poppler's pdftotext
 * (Debian's poppler-utils; .ci/run installs it). The browser fires `beforeprint` for page.pdf()
 * only in some versions, so the print media is emulated and `beforeprint` dispatched first, as
 * a real print dialog would.
 */
export async function printToPdf(page: Page, name: string): Promise<{ file: string; pages: string[] }> {
  const dir = join(SCREENSHOT_DIR, '..', 'print');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  // Charts redraw at print size in the next frame.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.emulateMedia({ media: 'screen' });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return { file, pages: text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '') };
}
