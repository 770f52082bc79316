import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const ASSETS = join(ROOT, 'web/assets');
/** Where the built pages go; the server serves them from here once they exist (pages.routes.ts). */
const PAGES_OUT = join(ROOT, 'web/dist');

/** A built file's name: `app-4KX2QH7B.js`, `chart-…js`, `base-…css` (esbuild's 8-character hash). */
export const HASHED_NAME = /-[A-Z0-9]{8}\.(?:js|css)(?:\.map|\.LEGAL\.txt|\.br|\.gz)?$/;
/** The unhashed bundle of earlier builds, removed so it is not served any more. */
const LEGACY = ['app.js', 'app.js.map', 'app.js.LEGAL.txt'];
/** Stylesheets kept as written in web/assets and copied under a content-hashed name. */
const STYLESHEETS = ['base.css', 'app.css'];

export interface WebBuild {
  /** The entry bundle, e.g. `app-4KX2QH7B.js`. */
  entry: string;
  /** Every file this build wrote in web/assets (bundles, chunks, maps, hashed stylesheets). */
  files: string[];
}

/**
 * Bundles the frontend (web/src, TypeScript) with esbuild, the bundler tsx already brings, into
 * content-hashed files in web/assets (`app-[hash].js` and its chunks: chart.js is imported
 * dynamically, so it is a chunk of its own that only pages with a chart load), copies base.css and
 * app.css under hashed names, and writes web/dist/index.html and setup.html from the pages in web/
 * with those names. Hashed files of earlier builds are removed afterwards, so a running server
 * never misses a file between the two. Nothing is loaded from another origin. Source maps only
 * outside production.
 */
export async function buildWeb(options: { minify?: boolean; sourcemap?: boolean } = {}): Promise<WebBuild> {
  const sourcemap = options.sourcemap ?? process.env.NODE_ENV !== 'production';
  const result = await build({
    entryPoints: { app: join(ROOT, 'web/src/main.ts') },
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    sourcemap,
    minify: options.minify ?? true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const { entry, preload, files } = bundleOutputs(result.metafile);
  const names = new Map<string, string>([['app.js', entry]]);
  for (const sheet of STYLESHEETS) {
    const hashed = hashedCopy(sheet);
    names.set(sheet, hashed);
    files.push(hashed);
  }
  // The setup page's script keeps its name (it is plain JavaScript, not built); a content hash in
  // the query still makes a changed script a new address.
  names.set('setup.js', `setup.js?v=${contentHash(readFileSync(join(ASSETS, 'setup.js')))}`);
  mkdirSync(PAGES_OUT, { recursive: true });
  writePage('index.html', names, preload);
  writePage('setup.html', names, []);
  files.push(...precompress(files));
  removeStale(new Set(files));
  return { entry, files };
}

/** The entry bundle's name, the chunks it imports at once (preloaded), and every file written. */
function bundleOutputs(metafile: Metafile): { entry: string; preload: string[]; files: string[] } {
  const outputs = Object.entries(metafile.outputs);
  const entryOutput = outputs.find(
    ([, o]) => o.entryPoint !== undefined && basename(o.entryPoint) === 'main.ts',
  );
  if (!entryOutput) throw new Error('esbuild wrote no entry bundle for web/src/main.ts');
  const preload = entryOutput[1].imports
    .filter((i) => i.kind === 'import-statement' && !i.external)
    .map((i) => basename(i.path));
  return {
    entry: basename(entryOutput[0]),
    preload,
    files: outputs.map(([path]) => relative(ASSETS, join(ROOT, path))),
  };
}

function contentHash(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 8).toUpperCase();
}

function hashedCopy(name: string): string {
  const content = readFileSync(join(ASSETS, name));
  const hashed = name.replace(/\.(\w+)$/, `-${contentHash(content)}.$1`);
  writeFileSync(join(ASSETS, hashed), content);
  return hashed;
}

/** The page in web/ with each `/assets/<name>` it uses replaced by the built name. */
function writePage(page: string, names: Map<string, string>, preload: string[]): void {
  let html = readFileSync(join(ROOT, 'web', page), 'utf8').replace(
    /(["'])\/assets\/([^"'?#]+)\1/g,
    (match, quote: string, name: string) => {
      if (name === 'favicon.svg') return match;
      const built = names.get(name);
      if (!built) throw new Error(`web/${page} refers to /assets/${name}, which the build does not make`);
      return `${quote}/assets/${built}${quote}`;
    },
  );
  if (preload.length > 0) {
    const links = preload.map((file) => `<link rel="modulepreload" href="/assets/${file}" />`).join('\n    ');
    html = html.replace('</head>', `  ${links}\n  </head>`);
  }
  // Replaced in one step: a server running alongside never sends half a page.
  const target = join(PAGES_OUT, page);
  writeFileSync(`${target}.tmp`, html);
  renameSync(`${target}.tmp`, target);
}

/**
 * Writes `name.br` (brotli at its densest level) and `name.gz` beside each built script and
 * stylesheet: the server sends those as they are (@fastify/static's preCompressed) instead of
 * compressing the same file on every request. Returns the names written.
 */
function precompress(files: readonly string[]): string[] {
  const written: string[] = [];
  for (const name of files.filter((f) => /\.(?:js|css)$/.test(f))) {
    const content = readFileSync(join(ASSETS, name));
    writeFileSync(
      join(ASSETS, `${name}.br`),
      brotliCompressSync(content, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    writeFileSync(join(ASSETS, `${name}.gz`), gzipSync(content, { level: 9 }));
    written.push(`${name}.br`, `${name}.gz`);
  }
  return written;
}

function removeStale(keep: Set<string>): void {
  for (const name of readdirSync(ASSETS)) {
    if ((HASHED_NAME.test(name) && !keep.has(name)) || LEGACY.includes(name)) {
      rmSync(join(ASSETS, name), { force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb();
}
