import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
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
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import { type IpBucket, LoginThrottle } from '../../security/login-throttle.ts';
import { checkPasswordPolicy } from '../../security/passwords.ts';
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
import { problemsMessage, validationProblems } from '../plugins/errors.ts';

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

// The words of a refused attempt, kept together; `wait` is "8 seconden" or "3 minuten".
const THROTTLED = {
  account: (wait: string) =>
    `te veel foute inlogpogingen voor dit account; wacht ${wait} en probeer het dan opnieuw`,
  login: (wait: string) =>
    `te veel foute inlogpogingen vanaf dit netwerkadres; probeer het over ${wait} opnieuw`,
  share: (wait: string) => `te veel deellinks geopend die niet werken; probeer het over ${wait} opnieuw`,
};

function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} seconde${seconds === 1 ? '' : 'n'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minu${minutes === 1 ? 'ut' : 'ten'}`;
}

/** The refusals that count as a failed guess (a right password of a disabled account does not). */
const FAILED_GUESSES = new Set<string>([
  'invalid_credentials',
  'invalid_two_factor_code',
  'two_factor_challenge_invalid',
  'wrong_password',
  'setup_token_invalid',
  'share_link_not_found',
]);

/**
 * A refused setup form with all its problems at once: the schema's, and what the password policy
 * says of the password (the schema leaves that to the policy, which otherwise would speak only
 * after the e-mail address was right).
 */
function setupRefusal(err: Error, body: unknown): ValidationError {
  const problems = hasZodFastifySchemaValidationErrors(err) ? validationProblems(err) : [];
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof input.password === 'string' && !problems.some((p) => p.path === 'password')) {
    try {
      checkPasswordPolicy(input.password, {
        ...(typeof input.email === 'string' ? { email: input.email } : {}),
      });
    } catch (policy) {
      if (!(policy instanceof ValidationError)) throw policy;
      problems.push(...(policy.details?.problems ?? []));
    }
  }
  return new ValidationError(problemsMessage(problems), { problems });
}

// One throttle per app (its config object), shared by the sign-in routes and the share-link page.
const throttles = new WeakMap<Config, LoginThrottle>();

function throttleOf(app: FastifyInstance): LoginThrottle {
  let throttle = throttles.get(app.config);
  if (!throttle) {
    throttle = new LoginThrottle(
      {
        windowMs: app.config.loginLimitWindowMs,
        freeFailuresPerAccount: app.config.loginLimitPerAccount,
        failuresPerIp: app.config.loginLimitPerIp,
        shareFailuresPerIp: app.config.loginLimitSharePerIp,
      },
      app.clock,
    );
    throttles.set(app.config, throttle);
  }
  return throttle;
}

/**
 * Runs one sign-in attempt under the throttle: refused with 429 and Retry-After while the address
 * or the account must wait; a failed guess is counted, a success clears the account's failures.
 */
async function attempt<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  limit: { bucket: IpBucket; account?: string },
  work: () => Promise<T>,
): Promise<T> {
  const throttle = throttleOf(request.server);
  const refuse = (ms: number, message: (wait: string) => string) => {
    reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
    return new AppError('too_many_requests', 429, message(waitText(ms)));
  };
  const ipWait = throttle.ipWaitMs(limit.bucket, request.ip);
  if (ipWait > 0) throw refuse(ipWait, THROTTLED[limit.bucket]);
  const accountWait = limit.account === undefined ? 0 : throttle.accountWaitMs(limit.account);
  if (accountWait > 0) throw refuse(accountWait, THROTTLED.account);
  try {
    const result = await work();
    if (limit.account !== undefined) throttle.recordSuccess(limit.account);
    return result;
  } catch (err) {
    if (err instanceof AppError && FAILED_GUESSES.has(err.code)) {
      throttle.recordFailure(limit.bucket, request.ip, limit.account);
    }
    throw err;
  }
}

/**
 * Opens a read-only organisation session for a share-link token; revoked or expired: 404. Failed
 * opens are limited per IP address in a bucket of their own, apart from signing in.
 */
export async function openShareLink(request: FastifyRequest, reply: FastifyReply, token: string) {
  const ctx = contextOf(request);
  const link = await attempt(request, reply, { bucket: 'share' }, () => findUsableShareLink(ctx, token));
  const session = await startSession(ctx, { shareLinkId: link.id }, request.server.config.sessionIdleMs);
  setSessionCookie(request, reply, session.token);
  return { link, csrfToken: session.csrfToken };
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['inloggen'];
  // Second-step codes count per account as passwords do, apart from them: at sign-in the account
  // is the owner of the challenge, on the account page the signed-in account.
  const codeAccount = async (request: FastifyRequest, challenge?: string): Promise<string | undefined> => {
    const p = request.principal;
    if (p?.kind === 'user') return `code:${p.userId}`;
    const owner =
      challenge !== undefined && challenge.length <= 200
        ? await loginChallengeOwner(contextOf(request), challenge)
        : null;
    return owner === null ? undefined : `code:${owner}`;
  };
  const issuer = `VPT-schakelmodel (${app.config.regionName})`;

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
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
      const account = `password:${emailKey(request.body.email)}`;
      const step = await attempt(request, reply, { bucket: 'login', account }, () =>
        beginLogin(ctx, request.body.email, request.body.password, {
          require: app.config.requireTwoFactor,
          issuer,
        }),
      );
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
      const account = await codeAccount(request, request.body.challenge);
      const { user, session, recoveryCodes } = await attempt(
        request,
        reply,
        { bucket: 'login', account },
        () => completeLogin(ctx, request.body.challenge, request.body.code, app.config.sessionIdleMs),
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
      schema: {
        tags,
        summary:
          'Twee-staps-inloggen instellen, stap 2: bevestigen met de code uit de app; geeft de herstelcodes één keer',
        body: twoFactorCodeBody,
        response: { ...errorResponses, 200: recoveryCodesSchema, 429: errorSchema },
      },
    },
    async (request, reply) =>
      attempt(request, reply, { bucket: 'login', account: await codeAccount(request) }, () =>
        confirmTwoFactor(contextOf(request), request.body.code),
      ),
  );

  app.post(
    '/auth/two-factor/disable',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Twee-staps-inloggen uitzetten voor het eigen account, met wachtwoord en code',
        body: disableTwoFactorBody,
        response: { ...errorResponses, 204: z.undefined(), 429: errorSchema },
      },
    },
    async (request, reply) => {
      await attempt(request, reply, { bucket: 'login', account: await codeAccount(request) }, () =>
        disableTwoFactor(contextOf(request), request.body, app.config.requireTwoFactor),
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/two-factor/recovery-codes',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Nieuwe herstelcodes (de oude vervallen), na een code uit de app of een herstelcode',
        body: twoFactorCodeBody,
        response: { ...errorResponses, 200: recoveryCodesSchema, 429: errorSchema },
      },
    },
    async (request, reply) =>
      attempt(request, reply, { bucket: 'login', account: await codeAccount(request) }, () =>
        renewOwnRecoveryCodes(contextOf(request), request.body.code),
      ),
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
      // The handler answers a refused form itself, so that it says everything at once.
      attachValidation: true,
      schema: {
        tags,
        summary:
          'Eerste projectleidersaccount aanmaken met de eenmalige installatietoken uit de serverconsole',
        body: setupBody,
        response: { ...errorResponses, 201: sessionSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      if (request.validationError) throw setupRefusal(request.validationError, request.body);
      const expected = app.setupToken.value;
      await attempt(request, reply, { bucket: 'login' }, async () => {
        if (expected === null || !safeEqual(request.body.token, expected)) {
          throw new NotFoundError('deze installatielink is ongeldig of al gebruikt', 'setup_token_invalid');
        }
      });
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
