import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the frontend (web/src, TypeScript) into web/assets/app.js with esbuild, the bundler tsx
 * already brings. chart.js and the pure domain modules (quarters, gear engine, formats) come in
 * from node_modules and server/domain: nothing is loaded from another origin.
 */
export async function buildWeb(options: { minify?: boolean } = {}): Promise<void> {
  const root = join(import.meta.dirname, '..');
  await build({
    entryPoints: [join(root, 'web/src/main.ts')],
    outfile: join(root, 'web/assets/app.js'),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    sourcemap: true,
    minify: options.minify ?? true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb();
}
