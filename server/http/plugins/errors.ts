import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode, ErrorDetails, Problem } from '../../contracts/errors.contract.ts';
import { sqliteCodeOf } from '../../db/faults.ts';
import { AppError } from '../../errors.ts';

function body(code: ErrorCode, message: string, details?: ErrorDetails): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * zod's failures as problems: each names its field by path inside the body, query or params
 * (`memberFrom`, `answers.2a`; `body` for the whole body), so a page can put it next to the field.
 */
export function validationProblems(err: {
  validation: Array<{ instancePath: string; keyword: string; message?: string; params?: unknown }>;
  validationContext?: string;
}): Problem[] {
  return err.validation.flatMap((v): Problem[] => {
    const path = v.instancePath.split('/').filter(Boolean);
    const unknownKeys = (v.params as { keys?: unknown } | undefined)?.keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys) && unknownKeys.length > 0) {
      return unknownKeys.map((key) => ({
        code: 'unknown_field',
        path: [...path, String(key)].join('.'),
        message: `onbekend veld '${String(key)}'`,
      }));
    }
    if (path.length === 0) {
      // The whole body (or query) is of the wrong kind: no field to put it at, so say what to send.
      const context = err.validationContext ?? 'body';
      const message =
        v.keyword === 'invalid_type' && context === 'body'
          ? 'stuur de gegevens als JSON-object (Content-Type: application/json)'
          : (v.message ?? 'deze waarde klopt niet');
      return [{ code: 'invalid_field', path: context, message }];
    }
    return [{ code: 'invalid_field', path: path.join('.'), message: v.message ?? 'deze waarde klopt niet' }];
  });
}

/**
 * The one line a person reads above a refused form: the problem itself, or how many there are and
 * what they say (each once). The fields are named by `details.problems[].path`, never in here.
 */
export function problemsMessage(problems: readonly Problem[]): string {
  const messages = [...new Set(problems.map((p) => p.message))];
  if (problems.length <= 1) return messages[0] ?? 'de invoer klopt niet';
  return `er zijn ${problems.length} problemen: ${messages.join('; ')}`;
}

/** Fastify's own 4xx errors, in words a person can act on. */
function frameworkError(err: FastifyError, bodyLimit: number): [number, ErrorBody] | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [
        413,
        body('body_too_large', `het verzoek is te groot: maximaal ${Math.round(bodyLimit / 1024)} kB`),
      ];
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [
        415,
        body('unsupported_media_type', 'stuur de gegevens als JSON (Content-Type: application/json)'),
      ];
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [400, body('empty_body', 'het verzoek heeft Content-Type JSON maar geen inhoud')];
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return [400, body('invalid_json', 'de inhoud is geen geldige JSON')];
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return [400, body('invalid_content_length', 'de Content-Length klopt niet met de inhoud')];
    default:
      break;
  }
  if (err instanceof SyntaxError && err.statusCode === 400) {
    // Fastify's parser refuses prototype and constructor poisoning with a SyntaxError of its own.
    const poisoned = /forbidden prototype property|forbidden constructor property/.test(err.message);
    return [
      400,
      body(
        'invalid_json',
        poisoned
          ? 'de inhoud bevat een verboden sleutel (__proto__ of constructor.prototype)'
          : 'de inhoud is geen geldige JSON',
      ),
    ];
  }
  return null;
}

/**
 * Faults of the database itself, as what they are: a full disk is a 507 (nothing was saved), a
 * busy or locked database (every SQLITE_BUSY* and SQLITE_LOCKED* variant) a 503 to retry.
 */
export function databaseFault(err: unknown): [number, ErrorBody, Record<string, string>] | null {
  const code = sqliteCodeOf(err);
  if (code === undefined) return null;
  if (code === 'SQLITE_FULL') {
    return [507, body('disk_full', 'de schijf is vol; er is niets opgeslagen'), {}];
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return [
      503,
      body('database_busy', 'de database is even bezet; probeer het over een moment opnieuw'),
      { 'retry-after': '1' },
    ];
  }
  return null;
}

/**
 * One place that turns every error into `{ error: { code, message, details? } }`: our AppErrors,
 * zod validation failures and Fastify's own errors keep their 4xx; anything else is a 500 that
 * is logged and shown without internals.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance, opts: { bodyLimit: number; spaRoot?: string }) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof AppError) {
        // Our own errors are worded for the user; a 5xx of ours (the server stopping) is logged too.
        if (err.statusCode >= 500) request.log.warn({ code: err.code }, err.message);
        return reply.status(err.statusCode).send(body(err.code, err.message, err.details));
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const problems = validationProblems(err);
        return reply.status(400).send(body('validation_failed', problemsMessage(problems), { problems }));
      }
      if (isResponseSerializationError(err)) {
        request.log.error({ err, issues: err.cause.issues }, 'reply does not match its schema');
        return reply
          .status(500)
          .send(body('internal_error', 'er ging iets mis op de server; probeer het later opnieuw'));
      }
      const mapped = frameworkError(err, opts.bodyLimit);
      if (mapped) return reply.status(mapped[0]).send(mapped[1]);
      const database = databaseFault(err);
      if (database) {
        const [status, payload, headers] = database;
        request.log[status === 507 ? 'error' : 'warn'](
          { err, sqliteCode: sqliteCodeOf(err) },
          payload.error.message,
        );
        return reply.status(status).headers(headers).send(payload);
      }
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        return reply.status(err.statusCode).send(body('bad_request', err.message));
      }
      request.log.error({ err }, 'unhandled error');
      return reply
        .status(500)
        .send(body('internal_error', 'er ging iets mis op de server; probeer het later opnieuw'));
    });

    app.setNotFoundHandler((request, reply) => {
      // The web pages route on the client: any page address that is not an API call or an asset
      // gets the app's one HTML page, which shows the page (or says it does not exist).
      const path = request.url.split('?')[0] ?? '';
      const wantsPage =
        opts.spaRoot !== undefined &&
        (request.method === 'GET' || request.method === 'HEAD') &&
        !path.startsWith('/api/') &&
        !path.startsWith('/assets/') &&
        (request.headers.accept ?? '').includes('text/html');
      if (wantsPage) return reply.type('text/html').sendFile('index.html', opts.spaRoot!);
      return reply
        .status(404)
        .send(body('route_not_found', `${request.method} ${request.url.split('?')[0]} bestaat niet`));
    });
  },
  { name: 'errors' },
);
