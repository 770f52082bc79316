import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, type WebBuild } from '../../scripts/build-web.ts';
import { WEB_DIR } from '../../server/app.ts';
import { buildDataset, DATASET_B } from '../excel/datasets.ts';
import { buildTestApp, operatorContext, type TestApp } from '../helpers.ts';

const ASSETS = join(WEB_DIR, 'assets');
const IMMUTABLE = 'public, max-age=31536000, immutable';
const HASHED = /^[a-z]+-[A-Z0-9]{8}\.(?:js|css)$/;
/** A message only chart.js has (it survives minifying). */
const CHART_JS_MARKER = "Failed to create chart: can't acquire context from the given item";

let web: WebBuild;
let t: TestApp;

beforeAll(async () => {
  // The app chooses web/dist when it is built, so the web is built before the app.
  web = await buildWeb();
  t = await buildTestApp();
  await buildDataset(operatorContext(t.app), DATASET_B);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

function get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers });
}

/** The `/assets/…` addresses a page refers to (src and href), without a query. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/assets\/([^"?]+)(?:\?[^"]*)?"/g)].map((m) => m[1]!);
}

function decoded(res: LightMyRequestResponse): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload);
  if (encoding === 'gzip') return gunzipSync(res.rawPayload);
  throw new Error(`not compressed: ${String(encoding)}`);
}

describe('the built pages and their assets', () => {
  it('when the app page is opened, then it refers only to hashed assets (and the favicon) that are served', async () => {
    // Act
    const page = await get('/', { accept: 'text/html' });

    // Assert
    expect(page.statusCode).toBe(200);
    const assets = assetsOf(page.body);
    expect(assets).toContain(web.entry);
    expect(
      assets.filter((a) => a !== 'favicon.svg').every((a) => HASHED.test(a)),
      assets.join(' '),
    ).toBe(true);
    expect(assets).toEqual(
      expect.arrayContaining([expect.stringMatching(/^base-/), expect.stringMatching(/^app-.*\.css$/)]),
    );
    for (const asset of assets) {
      const res = await get(`/assets/${asset}`);
      expect(res.statusCode, asset).toBe(200);
      expect(res.rawPayload.equals(readFileSync(join(ASSETS, asset))), asset).toBe(true);
    }
  });

  it('when a page address is opened directly, then it gets the same built page', async () => {
    // Act
    const page = await get('/organisaties', { accept: 'text/html' });

    // Assert
    expect(page.statusCode).toBe(200);
    expect(assetsOf(page.body)).toContain(web.entry);
  });

  it('when the setup page is opened, then its stylesheet is hashed and its script carries a content hash', async () => {
    // Act
    const page = await get('/setup');

    // Assert
    const base = assetsOf(page.body).find((a) => a.startsWith('base-'));
    expect(base).toMatch(HASHED);
    expect(page.body).toMatch(/\/assets\/setup\.js\?v=[A-F0-9]{8}"/);
  });

  it('when a hashed asset is served, then it may be cached for a year; the pages and the favicon are revalidated', async () => {
    // Act
    const bundle = await get(`/assets/${web.entry}`);
    const page = await get('/', { accept: 'text/html' });
    const favicon = await get('/assets/favicon.svg');

    // Assert
    expect(bundle.headers['cache-control']).toBe(IMMUTABLE);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(favicon.headers['cache-control']).toBe('no-cache');
    expect(page.headers.etag).toBeTruthy();
  });

  it('when the web is built, then the hashed files in web/assets are only those of this build', () => {
    // Assert: every hashed file in web/assets is one this build wrote.
    const hashed = readdirSync(ASSETS).filter((name) => /-[A-Z0-9]{8}\./.test(name));
    expect(hashed.sort()).toEqual([...web.files].sort());
  });
});

describe('compression', () => {
  it.each(['br', 'gzip'])(
    'when the organisation list is asked for with %s, then it comes compressed',
    async (encoding) => {
      // Arrange
      const plain = await get('/api/organisations');
      expect(plain.rawPayload.length).toBeGreaterThan(1024);

      // Act
      const res = await get('/api/organisations', { 'accept-encoding': encoding });

      // Assert
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
      expect(decoded(res).equals(plain.rawPayload)).toBe(true);
    },
  );

  it.each(['br', 'gzip'])(
    'when the entry bundle is asked for with %s, then the file compressed at build time is sent, as a script cached for good',
    async (encoding) => {
      // Act
      const res = await get(`/assets/${web.entry}`, { 'accept-encoding': encoding });

      // Assert
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(decoded(res).equals(readFileSync(join(ASSETS, web.entry)))).toBe(true);
      const built = `${web.entry}.${encoding === 'br' ? 'br' : 'gz'}`;
      expect(web.files).toContain(built);
      expect(res.rawPayload.equals(readFileSync(join(ASSETS, built)))).toBe(true);
    },
  );

  it('when a JSON reply is under 1 kB, then it is sent as is', async () => {
    // Act
    const res = await get('/api/health', { 'accept-encoding': 'br, gzip' });

    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('when the Excel export is asked for with br and gzip, then it is not compressed again', async () => {
    // Act
    const res = await get('/api/reports/prestatielijst.xlsx?from=2015-Q4&to=2016-Q4', {
      'accept-encoding': 'br, gzip',
    });

    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});

describe('chart.js in a chunk of its own', () => {
  it('when the web is built, then the entry bundle has no chart.js and the charts chunk has it', () => {
    // Arrange
    const charts = web.files.find((f) => /^charts-[A-Z0-9]{8}\.js$/.test(f));
    const entry = readFileSync(join(ASSETS, web.entry), 'utf8');
    const page = readFileSync(join(WEB_DIR, 'dist', 'index.html'), 'utf8');

    // Assert
    expect(charts).toBeDefined();
    const chunk = readFileSync(join(ASSETS, charts!), 'utf8');
    expect(chunk).toContain(CHART_JS_MARKER);
    expect(entry).not.toContain(CHART_JS_MARKER);
    expect(entry.length).toBeLessThan(chunk.length);
    // The page does not load or preload it: only a page that draws a chart imports it.
    expect(page).not.toContain(charts!);
  });
});

describe('no zod in the pages', () => {
  it('when the web is built, then no script carries zod (its eval probe is a CSP violation in the browser)', () => {
    // Arrange: the scripts this build wrote.
    const scripts = web.files.filter((f) => f.endsWith('.js'));

    // Assert: zod's error class name survives minifying; the pages import types and zod-free modules only.
    expect(scripts.length).toBeGreaterThan(1);
    for (const name of scripts) {
      expect(readFileSync(join(ASSETS, name), 'utf8'), name).not.toContain('$ZodError');
    }
  });
});
