import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The API speaks JSON only. Without the text/plain parser a text body gets 415 instead of a
 * confusing validation error; an empty body sent with a JSON content type (as some fetch
 * wrappers do on every request) counts as no body instead of a parse error. Prototype and
 * constructor poisoning are still refused by Fastify's own parser.
 */
export const jsonBodyPlugin = fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser('text/plain');
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, text, done);
    });
  },
  { name: 'json-body' },
);
