import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SetHeadersResponse } from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../errors.ts';
import { openShareLink } from './auth.routes.ts';

/** A built file's name, `app-4KX2QH7B.js`: the same pattern as HASHED_NAME in scripts/build-web.ts. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(?:js|css)(?:\.map|\.LEGAL\.txt|\.br|\.gz)?$/;

/**
 * The folder of the pages to serve: web/dist, where `scripts/build-web.ts` writes them with the
 * content-hashed asset names, once it exists; before the first build the pages as written in web/.
 */
export function pagesDir(webDir: string): string {
  const built = join(webDir, 'dist');
  return existsSync(join(built, 'index.html')) ? built : webDir;
}

/**
 * Cache-Control of a file sent by @fastify/static (assets and pages alike): a content-hashed name
 * never changes its content, so it is kept for a year; the pages and unhashed files (favicon, the
 * setup script) are revalidated with their ETag on every use.
 */
export function setAssetCaching(res: SetHeadersResponse, path: string): void {
  res.setHeader(
    'cache-control',
    HASHED_ASSET.test(basename(path)) ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
}

/**
 * The addresses a browser opens: the app's one page, the first-run setup page, and a share link
 * (which starts the read-only session and then shows the organisation). Other page addresses are
 * answered by the not-found handler with the same page (the pages route on the client).
 */
export const pageRoutes: FastifyPluginAsync<{ webDir: string }> = async (app, { webDir }) => {
  app.get('/', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html').sendFile('index.html', webDir),
  );
  app.get('/setup', { schema: { hide: true } }, (_request, reply) => reply.sendFile('setup.html', webDir));
  app.get<{ Params: { token: string } }>(
    '/s/:token',
    // Opening a share link starts a session: a GET that writes.
    { schema: { hide: true }, config: { writes: true } },
    async (request, reply) => {
      try {
        await openShareLink(request, reply, request.params.token);
      } catch (err) {
        // In a browser, a link that no longer works gets the app's page, which says so (still a 404).
        if (err instanceof NotFoundError && (request.headers.accept ?? '').includes('text/html')) {
          return reply.status(404).type('text/html').sendFile('index.html', webDir);
        }
        throw err;
      }
      return reply.redirect('/mijn-versnelling');
    },
  );
};
