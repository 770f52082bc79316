import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../errors.ts';
import { safeEqual } from '../../security/tokens.ts';
import { resolveSession, type SessionActivity } from '../../services/sessions.service.ts';
import { contextOf } from '../context.ts';

export const SESSION_COOKIE = 'vpt_sessie';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure per configuration. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  const { cookieSecure } = request.server.config;
  // No Max-Age: the cookie lives as long as the browser session, and the server ends the session
  // after the idle time (a fixed Max-Age would sign an active user out after that time).
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieSecure === 'always' || (cookieSecure === 'auto' && request.protocol === 'https'),
    path: '/',
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Drops the activity of sessions idle longer than the timeout: they end at their next request. */
function forgetIdle(activity: SessionActivity, before: number): void {
  for (const [id, { seen }] of activity) if (seen < before) activity.delete(id);
}

/**
 * Who is calling, and may they: one onRequest hook for every route in its scope, driven by the
 * route's `config.access` (and `config.orgScope` for the organisatie role). A route without an
 * access rule is refused, so a new route cannot be open by accident. State-changing requests of a
 * session must carry its CSRF token in `X-CSRF-Token`.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('principal', null);
    const activity: SessionActivity = new Map();

    app.addHook('onRequest', async (request, reply) => {
      const { access, orgScope } = request.routeOptions.config;
      // Public routes (health, login, setup, share links) do not need to know who is calling.
      if (access === 'public') return;
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        request.principal = await resolveSession(
          contextOf(request),
          token,
          app.config.sessionIdleMs,
          activity,
        );
        if (activity.size > 10_000) forgetIdle(activity, app.clock().getTime() - app.config.sessionIdleMs);
        if (!request.principal) clearSessionCookie(reply);
      }
      if (access === 'optional') return;
      if (access === undefined) {
        // No rule means no entry (a 404 for unknown routes is left to the not-found handler).
        if (!request.routeOptions.url) return;
        throw new AppError(
          'no_access_rule',
          403,
          'deze functie heeft geen toegangsregel en is daarom afgesloten',
        );
      }
      const p = request.principal;
      if (!p) throw new UnauthorizedError();
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !safeEqual(sent, p.csrfToken)) {
          throw new ForbiddenError(
            'uw sessie is vervangen of verlopen, bijvoorbeeld doordat u ergens anders opnieuw bent ingelogd; log opnieuw in om op te slaan',
            'csrf_failed',
          );
        }
      }
      if (access === 'signedIn') return;
      if (p.role === 'projectleider') return;
      if (access === 'projectleider') throw new ForbiddenError('alleen de projectleider mag dit');
      if (access === 'ownOrganisation') {
        if (p.role !== 'organisatie')
          throw new ForbiddenError('het bestuur kan gegevens inzien, niet wijzigen');
        if (p.kind === 'share') {
          throw new ForbiddenError(
            'via een deellink kunt u alleen lezen; log in met een account om cijfers vast te leggen',
          );
        }
        const raw = (request.params as Record<string, string | undefined>).id;
        if (raw === undefined || String(p.organisationId) !== raw.trim()) {
          // The same answer as for an organisation that does not exist: no names or ids leak.
          throw new NotFoundError(`organisatie ${raw ?? ''} bestaat niet`.trim(), 'organisation_not_found');
        }
        return;
      }
      // access === 'read' from here on
      if (p.role === 'bestuur') {
        if (!SAFE_METHODS.has(request.method))
          throw new ForbiddenError('het bestuur kan gegevens inzien, niet wijzigen');
        return;
      }
      if (orgScope === undefined)
        throw new ForbiddenError('deze gegevens zijn niet beschikbaar voor een organisatie');
      if (orgScope === 'own') {
        const raw = (request.params as Record<string, string | undefined>).id;
        if (raw === undefined || String(p.organisationId) !== raw.trim()) {
          // The same answer as for an organisation that does not exist: no names or ids leak.
          throw new NotFoundError(`organisatie ${raw ?? ''} bestaat niet`.trim(), 'organisation_not_found');
        }
      }
    });
  },
  { name: 'auth', dependencies: ['errors', '@fastify/cookie'] },
);
