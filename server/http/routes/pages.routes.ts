import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../errors.ts';
import { openShareLink } from './auth.routes.ts';

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
