import type {} from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginReplySchema } from '../../contracts/auth.contract.ts';
import { idParams } from '../../contracts/common.contract.ts';
import { errorResponses, errorSchema, readErrors } from '../../contracts/errors.contract.ts';
import {
  acceptInvitationBody,
  createdInvitationSchema,
  createInvitationBody,
  invitationInfoSchema,
  invitationSchema,
  invitationTokenBody,
  resetLinkSchema,
} from '../../contracts/invitation.contract.ts';
import { AppError } from '../../errors.ts';
import { createMailer } from '../../mail/mailer.ts';
import * as invitations from '../../services/invitations.service.ts';
import { startSession } from '../../services/sessions.service.ts';
import { beginLogin } from '../../services/users.service.ts';
import { contextOf } from '../context.ts';
import { setSessionCookie } from '../plugins/auth.ts';

/**
 * Accounts by invitation: the projectleider makes one-time links (a new account, or a new password
 * for an existing one); the person opens the link and chooses a password. The token travels in
 * request bodies only, never in an address, so it stays out of access logs.
 */
export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['accounts'];
  const config = { access: 'projectleider' as const };
  const mailer = createMailer(app.config.mail);
  if (mailer) app.addHook('onClose', async () => mailer.close());
  const issuer = `VPT-schakelmodel (${app.config.regionName})`;

  const delivery = (request: FastifyRequest): invitations.LinkDelivery => ({
    publicUrl: app.config.publicUrl,
    regionName: app.config.regionName,
    mailer,
    invitedBy: request.principal?.email ?? null,
    // The error only: the message of a refused mail never holds the link.
    onMailError: (err) =>
      request.log.warn({ mailError: (err as Error).message }, 'invitation mail could not be sent'),
  });

  // The public routes are limited per IP address like signing in: a token cannot be guessed, but
  // trying costs the server a password hash each time.
  const check = app.createRateLimit({
    max: app.config.loginLimitPerIp,
    timeWindow: app.config.loginLimitWindowMs,
    keyGenerator: (request) => `invitation-ip:${request.ip}`,
  });
  const perIp = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    const minutes = Math.max(1, Math.ceil(result.ttlInSeconds / 60));
    throw new AppError(
      'too_many_requests',
      429,
      `te veel pogingen; probeer het over ${minutes} minu${minutes === 1 ? 'ut' : 'ten'} opnieuw`,
    );
  };

  app.get(
    '/invitations',
    {
      config,
      schema: {
        tags,
        summary:
          'De openstaande uitnodigingen en resetlinks (niet gebruikt, niet ingetrokken, niet verlopen), zonder token',
        response: { ...readErrors, 200: z.array(invitationSchema) },
      },
    },
    async (request) => invitations.listOpenInvitations(contextOf(request)),
  );

  app.post(
    '/invitations',
    {
      config,
      schema: {
        tags,
        summary:
          'Iemand uitnodigen: een eenmalige link (7 dagen geldig) om zelf een wachtwoord te kiezen; ' +
          'per mail als SMTP_URL is ingesteld, anders om te kopiëren. Een open uitnodiging voor hetzelfde adres vervalt',
        body: createInvitationBody,
        response: { ...errorResponses, 201: createdInvitationSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await invitations.createInvitation(contextOf(request), request.body, delivery(request))),
  );

  app.delete(
    '/invitations/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Een uitnodiging of resetlink intrekken: de link werkt direct niet meer',
        params: idParams,
        response: { ...errorResponses, 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await invitations.revokeInvitation(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/users/:id/reset-link',
    {
      config,
      schema: {
        tags,
        summary:
          'Een resetlink voor een vergeten wachtwoord (7 dagen geldig, eenmalig); gebruiken beëindigt de sessies van het account',
        params: idParams,
        response: { ...errorResponses, 201: resetLinkSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await invitations.createResetLink(contextOf(request), request.params.id, delivery(request))),
  );

  app.post(
    '/invitations/by-token',
    {
      config: { access: 'public' },
      preHandler: [perIp],
      schema: {
        tags,
        summary:
          'Voor wie een link is (de token in de body, niet in het adres); gebruikt, ingetrokken, verlopen of onbekend: 404',
        body: invitationTokenBody,
        response: { ...errorResponses, 200: invitationInfoSchema, 429: errorSchema },
      },
    },
    async (request) => invitations.describeInvitation(contextOf(request), request.body.token),
  );

  app.post(
    '/invitations/accept',
    {
      config: { access: 'public' },
      preHandler: [perIp],
      schema: {
        tags,
        summary:
          'Een link gebruiken: het account aanmaken (201) of het nieuwe wachtwoord instellen (200), en inloggen. ' +
          'Met twee-staps-inloggen komt er een challenge voor POST /api/auth/login/code in plaats van een sessie',
        body: acceptInvitationBody,
        response: { ...errorResponses, 200: loginReplySchema, 201: loginReplySchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { purpose, user } = await invitations.acceptInvitation(
        ctx,
        request.body.token,
        request.body.password,
      );
      // Signing in goes the ordinary way, so an account with two-factor sign-in (or required to
      // have it) still needs its second step.
      const step = await beginLogin({ ...ctx, actor: user.email }, user.email, request.body.password, {
        require: app.config.requireTwoFactor,
        issuer,
      });
      const status = purpose === 'invite' ? 201 : 200;
      if (step.kind === 'verify') {
        return reply
          .status(status)
          .send({ twoFactor: 'required' as const, challenge: step.challenge, expiresAt: step.expiresAt });
      }
      if (step.kind === 'enrol') {
        const { challenge, expiresAt, secret, uri } = step;
        return reply.status(status).send({ twoFactor: 'enrol' as const, challenge, expiresAt, secret, uri });
      }
      const session = await startSession(ctx, { userId: user.id }, app.config.sessionIdleMs);
      setSessionCookie(request, reply, session.token);
      return reply.status(status).send({
        user: { email: user.email, role: user.role, organisationId: user.organisationId },
        csrfToken: session.csrfToken,
        via: 'account' as const,
      });
    },
  );
};
