/**
 * The bench's browser measurement: the overview page's first render with a cold cache, on the
 * demo region, in Debian's Chromium (playwright-core, as the e2e tests use it). The server runs in
 * this process on an ephemeral port; every run is a fresh browser context (no cache) holding only
 * the session cookie of one sign-in through the API, and opens /overzicht. Measured from the start of the
 * navigation, in the page itself: the first contentful paint (the page's frame), the region's
 * figures on screen (the first `.kpi`) and the first chart; and the bytes the page transferred.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import { OPERATOR } from '../server/services/principal.ts';
import { createUser } from '../server/services/users.service.ts';
import { launchChromium } from './chromium.ts';
import { fillDemo } from './demo.ts';

const EMAIL = 'bench-projectleider@example.org';
const PASSWORD = 'Bench wachtwoord voor het overzicht 2026';
const AIM_MS = 500;

export interface RenderResult {
  organisations: number;
  firstPaint: number[];
  figures: number[];
  charts: number[];
  transferredKb: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Fills the demo region, then opens the overview `runs` times, each with a cold cache. */
export async function measureRender(runs: number): Promise<RenderResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vpt-bench-render-'));
  const app = await buildApp(testConfig({ databasePath: join(dir, 'demo.sqlite'), cookieSecure: 'never' }));
  const browser = await launchChromium();
  try {
    const ctx = { db: app.db, models: app.models, now: app.clock, actor: 'bench', principal: OPERATOR };
    const demo = await fillDemo(ctx);
    await createUser(ctx, { email: EMAIL, password: PASSWORD, role: 'projectleider', organisationId: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('geen poort');
    const base = `http://127.0.0.1:${address.port}`;
    // Signed in once; each run's fresh context gets the session cookie and nothing else.
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`inloggen gaf ${login.status}`);
    const [name, value] = login.headers.getSetCookie()[0]!.split(';')[0]!.split('=') as [string, string];
    const session = { name, value };
    const result: RenderResult = {
      organisations: demo.organisations,
      firstPaint: [],
      figures: [],
      charts: [],
      transferredKb: 0,
    };
    // One warm-up visit (the server's first requests load modules and prepare statements).
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      try {
        await context.addCookies([{ ...session, url: base }]);
        // In the page, from the start of the navigation: when the first figure and the first chart appear.
        await context.addInitScript(`(() => {
          const seen = (window.__seen = {});
          new MutationObserver(() => {
            if (seen.kpi === undefined && document.querySelector('.kpi')) seen.kpi = performance.now();
            if (seen.canvas === undefined && document.querySelector('canvas')) seen.canvas = performance.now();
          }).observe(document, { childList: true, subtree: true });
        })()`);
        const page = await context.newPage();
        await page.goto(`${base}/overzicht`, { waitUntil: 'commit' });
        // Browser-side code as text where it reads the DOM: the scripts are type-checked without its types.
        await page.waitForFunction(
          () => (globalThis as { __seen?: { canvas?: number } }).__seen?.canvas !== undefined,
        );
        await page.waitForLoadState('networkidle');
        const timing = (await page.evaluate(`(() => {
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
          return {
            paint: paint ? paint.startTime : NaN,
            figures: window.__seen.kpi,
            charts: window.__seen.canvas,
            bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
          };
        })()`)) as { paint: number; figures: number; charts: number; bytes: number };
        if (run === 0) continue;
        result.firstPaint.push(timing.paint);
        result.figures.push(timing.figures);
        result.charts.push(timing.charts);
        result.transferredKb = timing.bytes / 1024;
      } finally {
        await context.close();
      }
    }
    return result;
  } finally {
    await browser.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printRender(r: RenderResult): void {
  const ms = (values: readonly number[]) => `${median(values).toFixed(0)} ms`.padStart(8);
  console.log(
    `\nFirst render of the overview (/overzicht, default 8 quarters) with a cold cache: demo region of ` +
      `${r.organisations} organisations,\nChromium headless at 1366×768, a fresh browser context per run ` +
      `(no cache), median of ${r.figures.length}, from the start of the navigation:`,
  );
  console.log(`  first contentful paint (the page's frame)       ${ms(r.firstPaint)}`);
  console.log(
    `  the region's figures on screen                 ${ms(r.figures)}   aim < ${AIM_MS} ms: ` +
      (median(r.figures) < AIM_MS ? 'met' : 'MISSED'),
  );
  console.log(`  the first chart on screen                      ${ms(r.charts)}`);
  console.log(
    `  transferred (compressed), all requests         ${r.transferredKb.toFixed(0).padStart(5)} kB`,
  );
}
