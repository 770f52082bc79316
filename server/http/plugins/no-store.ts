import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Every API reply carries `Cache-Control: no-store`, errors included: replies hold personal and
 * per-session data that no browser or proxy cache should keep. The hook sits on the root (not in
 * the `/api` block) because the not-found handler, which answers unknown `/api` addresses, runs
 * there. Pages and assets keep their own caching.
 */
export const noStorePlugin = fp(
  async (app: FastifyInstance, opts: { prefix: string }) => {
    app.addHook('onSend', async (request, reply, payload) => {
      const path = request.url.split('?')[0] ?? '';
      if (path === opts.prefix || path.startsWith(`${opts.prefix}/`))
        reply.header('cache-control', 'no-store');
      return payload;
    });
  },
  { name: 'no-store' },
);
