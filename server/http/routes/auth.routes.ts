import type {} from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  disableTwoFactorBody,
  loginBody,
  loginCodeBody,
  loginCodeReplySchema,
  loginReplySchema,
  recoveryCodesSchema,
  sessionSchema,
  setupBody,
  setupStatusSchema,
  shareOpenBody,
  twoFactorCodeBody,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
} from '../../contracts/auth.contract.ts';
import { errorResponses, errorSchema, readErrors } from '../../contracts/errors.contract.ts';
import { AppError, NotFoundError } from '../../errors.ts';
import { safeEqual } from '../../security/tokens.ts';
import type { Principal } from '../../services/principal.ts';
import { endSession, startSession } from '../../services/sessions.service.ts';
import { findUsableShareLink } from '../../services/share-links.service.ts';
import {
  beginLogin,
  completeLogin,
  confirmTwoFactor,
  countUsers,
  createUser,
  disableTwoFactor,
  emailKey,
  loginChallengeOwner,
  renewOwnRecoveryCodes,
  startTwoFactorSetup,
  twoFactorStatus,
} from '../../services/users.service.ts';
import { contextOf } from '../context.ts';
import { clearSessionCookie, setSessionCookie } from '../plugins/auth.ts';

function sessionReply(
  principal: Pick<Principal, 'email' | 'role' | 'organisationId' | 'kind'>,
  csrfToken: string,
) {
  return {
    user: { email: principal.email, role: principal.role, organisationId: principal.organisationId },
    csrfToken,
    via: principal.kind === 'user' ? ('account' as const) : ('deellink' as const),
  };
}

/** Opens a read-only organisation session for a share-link token; revoked or expired: 404. */
export async function openShareLink(request: FastifyRequest, reply: FastifyReply, token: string) {
  const ctx = contextOf(request);
  const link = await findUsableShareLink(ctx, token);
  const session = await startSession(ctx, { shareLinkId: link.id }, request.server.config.sessionIdleMs);
  setSessionCookie(request, reply, session.token);
  return { link, csrfToken: session.csrfToken };
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['inloggen'];
  // Two independent counters (per IP address and per account). createRateLimit gives the result
  // of each check, where two `rateLimit()` pre-handlers would let the first one mark the request
  // as checked and the second would never count.
  const limiter = (max: number, keyOf: (request: FastifyRequest) => string | Promise<string>) => {
    const check = app.createRateLimit({
      max,
      timeWindow: app.config.loginLimitWindowMs,
      keyGenerator: keyOf,
    });
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      reply.header('retry-after', String(result.ttlInSeconds));
      const minutes = Math.max(1, Math.ceil(result.ttlInSeconds / 60));
      throw new AppError(
        'too_many_requests',
        429,
        `te veel inlogpogingen; probeer het over ${minutes} minu${minutes === 1 ? 'ut' : 'ten'} opnieuw`,
      );
    };
  };
  const perIp = limiter(app.config.loginLimitPerIp, (request) => `ip:${request.ip}`);
  // The code step counts on its own, so one sign-in with two-factor counts once per step.
  const perIpCode = limiter(app.config.loginLimitPerIp, (request) => `code-ip:${request.ip}`);
  const perAccount = limiter(app.config.loginLimitPerAccount, (request) => {
    const email = (request.body as { email?: unknown } | undefined)?.email;
    return `account:${typeof email === 'string' ? emailKey(email) : ''}`;
  });
  // Second-step codes count per account as passwords do: at sign-in the account is the owner of
  // the challenge, on the account page the signed-in account. A counter of its own, so that a
  // sign-in with a code does not use up two of the password attempts.
  const perAccountCode = limiter(app.config.loginLimitPerAccount, async (request) => {
    const p = request.principal;
    if (p?.kind === 'user') return `code:${p.userId}`;
    const challenge = (request.body as { challenge?: unknown } | undefined)?.challenge;
    const owner =
      typeof challenge === 'string' && challenge.length <= 200
        ? await loginChallengeOwner(contextOf(request), challenge)
        : null;
    return owner === null ? 'code:unknown' : `code:${owner}`;
  });
  const issuer = `VPT-schakelmodel (${app.config.regionName})`;

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      preHandler: [perIp, perAccount],
      schema: {
        tags,
        summary:
          'Inloggen met e-mailadres en wachtwoord; zet een sessiecookie en geeft het CSRF-token. ' +
          'Met twee-staps-inloggen (of als REQUIRE_2FA het eist) komt er nog geen sessie maar een ' +
          "challenge ({ twoFactor: 'required' } of { twoFactor: 'enrol', secret, uri }) voor POST /api/auth/login/code",
        body: loginBody,
        response: { ...errorResponses, 200: loginReplySchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const step = await beginLogin(ctx, request.body.email, request.body.password, {
        require: app.config.requireTwoFactor,
        issuer,
      });
      if (step.kind === 'verify') {
        return { twoFactor: 'required' as const, challenge: step.challenge, expiresAt: step.expiresAt };
      }
      if (step.kind === 'enrol') {
        const { challenge, expiresAt, secret, uri } = step;
        return { twoFactor: 'enrol' as const, challenge, expiresAt, secret, uri };
      }
      const session = await startSession(ctx, { userId: step.user.id }, app.config.sessionIdleMs);
      setSessionCookie(request, reply, session.token);
      return sessionReply({ ...step.user, kind: 'user' }, session.csrfToken);
    },
  );

  app.post(
    '/auth/login/code',
    {
      config: { access: 'public' },
      preHandler: [perIpCode, perAccountCode],
      schema: {
        tags,
        summary:
          'Inloggen afronden met de challenge van het wachtwoord en een code uit de authenticator-app of een herstelcode; ' +
          'zet de sessiecookie. Na het instellen bij het inloggen komen de herstelcodes één keer mee',
        body: loginCodeBody,
        response: { ...errorResponses, 200: loginCodeReplySchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { user, session, recoveryCodes } = await completeLogin(
        ctx,
        request.body.challenge,
        request.body.code,
        app.config.sessionIdleMs,
      );
      setSessionCookie(request, reply, session.token);
      const body = sessionReply({ ...user, kind: 'user' }, session.csrfToken);
      return recoveryCodes ? { ...body, recoveryCodes } : body;
    },
  );

  app.get(
    '/auth/two-factor',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary:
          'Of twee-staps-inloggen aanstaat voor het eigen account, en hoeveel herstelcodes er nog zijn',
        response: { ...readErrors, 200: twoFactorStatusSchema },
      },
    },
    async (request) => twoFactorStatus(contextOf(request), app.config.requireTwoFactor),
  );

  app.post(
    '/auth/two-factor/setup',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary:
          'Twee-staps-inloggen instellen, stap 1: een nieuw geheim voor de authenticator-app (nog niet actief)',
        response: { ...errorResponses, 200: twoFactorSetupSchema },
      },
    },
    async (request) => startTwoFactorSetup(contextOf(request), issuer),
  );

  app.post(
    '/auth/two-factor/confirm',
    {
      config: { access: 'signedIn' },
      preHandler: [perAccountCode],
      schema: {
        tags,
        summary:
          'Twee-staps-inloggen instellen, stap 2: bevestigen met de code uit de app; geeft de herstelcodes één keer',
        body: twoFactorCodeBody,
        response: { ...errorResponses, 200: recoveryCodesSchema, 429: errorSchema },
      },
    },
    async (request) => confirmTwoFactor(contextOf(request), request.body.code),
  );

  app.post(
    '/auth/two-factor/disable',
    {
      config: { access: 'signedIn' },
      preHandler: [perAccountCode],
      schema: {
        tags,
        summary: 'Twee-staps-inloggen uitzetten voor het eigen account, met wachtwoord en code',
        body: disableTwoFactorBody,
        response: { ...errorResponses, 204: z.undefined(), 429: errorSchema },
      },
    },
    async (request, reply) => {
      await disableTwoFactor(contextOf(request), request.body, app.config.requireTwoFactor);
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/two-factor/recovery-codes',
    {
      config: { access: 'signedIn' },
      preHandler: [perAccountCode],
      schema: {
        tags,
        summary: 'Nieuwe herstelcodes (de oude vervallen), na een code uit de app of een herstelcode',
        body: twoFactorCodeBody,
        response: { ...errorResponses, 200: recoveryCodesSchema, 429: errorSchema },
      },
    },
    async (request) => renewOwnRecoveryCodes(contextOf(request), request.body.code),
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'Wie is ingelogd', response: { 200: sessionSchema, 401: errorSchema } },
    },
    async (request) => {
      const p = request.principal!;
      return sessionReply(p, p.csrfToken);
    },
  );

  app.get(
    '/auth/session',
    {
      config: { access: 'optional' },
      schema: {
        tags,
        summary:
          "De huidige sessie, of null als er niemand is ingelogd (voor de webpagina's: geen 401 bij het openen)",
        response: { 200: z.object({ session: sessionSchema.nullable() }) },
      },
    },
    async (request) => {
      const p = request.principal;
      return { session: p ? sessionReply(p, p.csrfToken) : null };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Uitloggen: de sessie eindigt direct',
        response: { 204: z.undefined(), 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      await endSession(contextOf(request), request.principal!.sessionId);
      clearSessionCookie(reply);
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/setup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Of de eerste installatie nog moet gebeuren (er zijn nog geen accounts)',
        response: { 200: setupStatusSchema },
      },
    },
    async (request) => ({
      needed: app.setupToken.value !== null && (await countUsers(contextOf(request))) === 0,
    }),
  );

  app.post(
    '/auth/setup',
    {
      config: { access: 'public' },
      preHandler: [perIp],
      schema: {
        tags,
        summary:
          'Eerste projectleidersaccount aanmaken met de eenmalige installatietoken uit de serverconsole',
        body: setupBody,
        response: { ...errorResponses, 201: sessionSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const expected = app.setupToken.value;
      if (expected === null || !safeEqual(request.body.token, expected)) {
        throw new NotFoundError('deze installatielink is ongeldig of al gebruikt', 'setup_token_invalid');
      }
      const ctx = { ...contextOf(request), actor: `installatie (${request.body.email.trim()})` };
      const user = await createUser(
        ctx,
        { email: request.body.email, role: 'projectleider', password: request.body.password },
        { onlyIfFirst: true },
      );
      app.setupToken.value = null;
      const session = await startSession(ctx, { userId: user.id }, app.config.sessionIdleMs);
      setSessionCookie(request, reply, session.token);
      return reply.status(201).send(sessionReply({ ...user, kind: 'user' }, session.csrfToken));
    },
  );

  app.post(
    '/auth/share',
    {
      config: { access: 'public' },
      preHandler: [perIp],
      schema: {
        tags,
        summary:
          'Een deellink openen: een alleen-lezen sessie voor die ene organisatie (ingetrokken of verlopen: 404)',
        body: shareOpenBody,
        response: { ...errorResponses, 200: sessionSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const { link, csrfToken } = await openShareLink(request, reply, request.body.token);
      return sessionReply(
        { kind: 'share', email: null, role: 'organisatie', organisationId: link.organisation_id },
        csrfToken,
      );
    },
  );
};
