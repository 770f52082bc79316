import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers `helmet` sets for these options, worked out once. Our options hold no per-request
 * parts (no CSP nonces), so every response gets the same headers; @fastify/helmet built helmet's
 * middleware anew for every request (it parsed the whole CSP each time), a tenth of a point read.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  let failed: unknown = null;
  // helmet's middleware is synchronous when no directive is a function.
  helmet(options)({} as never, response as never, (error?: unknown) => {
    finished = true;
    failed = error ?? null;
  });
  if (failed) throw failed;
  if (!finished) throw new Error('helmet did not finish at once: a per-request option needs @fastify/helmet');
  return headers;
}

/** Sets helmet's security headers on every response (pages, API, files, errors). */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, options: HelmetOptions) => {
    const headers = helmetHeaders(options);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);
