import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the frontend (web/src, TypeScript) into web/assets/app.js with esbuild, the bundler tsx
 * already brings. chart.js and the pure domain modules (quarters, gear engine, formats) come in
 * from node_modules and server/domain: nothing is loaded from another origin. Source maps only
 * outside production: there a stale map from an earlier build is removed, so the static plugin
 * has no `/assets/app.js.map` to serve.
 */
export async function buildWeb(options: { minify?: boolean; sourcemap?: boolean } = {}): Promise<void> {
  const root = join(import.meta.dirname, '..');
  const sourcemap = options.sourcemap ?? process.env.NODE_ENV !== 'production';
  if (!sourcemap) rmSync(join(root, 'web/assets/app.js.map'), { force: true });
  await build({
    entryPoints: [join(root, 'web/src/main.ts')],
    outfile: join(root, 'web/assets/app.js'),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    sourcemap,
    minify: options.minify ?? true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb();
}
