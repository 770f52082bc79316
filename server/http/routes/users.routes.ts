import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConflictError } from '../../errors.ts';
import * as users from '../../services/users.service.ts';
import { contextOf } from '../context.ts';
import { createUserBody, passwordBody, updateUserBody, userSchema } from '../schemas/auth.schemas.ts';
import { errorResponses, idParams, readErrors } from '../schemas/common.schemas.ts';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['accounts'];
  const config = { access: 'projectleider' as const };

  app.get(
    '/users',
    {
      config,
      schema: { tags, summary: 'Alle accounts', response: { ...readErrors, 200: z.array(userSchema) } },
    },
    async (request) => users.listUsers(contextOf(request)),
  );

  app.post(
    '/users',
    {
      config,
      schema: {
        tags,
        summary:
          'Account toevoegen (wachtwoord minstens 12 tekens; rol organisatie hoort bij één organisatie)',
        body: createUserBody,
        response: { ...errorResponses, 201: userSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await users.createUser(contextOf(request), request.body)),
  );

  app.patch(
    '/users/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Rol, organisatie of uitgeschakeld wijzigen; uitschakelen beëindigt de sessies direct',
        params: idParams,
        body: updateUserBody,
        response: { ...errorResponses, 200: userSchema },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind === 'user' && p.userId === request.params.id && request.body.disabled === true) {
        throw new ConflictError('u kunt uw eigen account niet uitschakelen', 'cannot_disable_self');
      }
      return users.updateUser(contextOf(request), request.params.id, request.body);
    },
  );

  app.post(
    '/users/:id/password',
    {
      config,
      schema: {
        tags,
        summary: 'Nieuw wachtwoord instellen; de sessies van het account eindigen',
        params: idParams,
        body: passwordBody,
        response: { ...errorResponses, 200: userSchema },
      },
    },
    async (request) => users.resetPassword(contextOf(request), request.params.id, request.body.password),
  );

  app.delete(
    '/users/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Account verwijderen; de sessies eindigen direct',
        params: idParams,
        response: { ...errorResponses, 204: z.undefined() },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      if (p.kind === 'user' && p.userId === request.params.id) {
        throw new ConflictError('u kunt uw eigen account niet verwijderen', 'cannot_remove_self');
      }
      await users.removeUser(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
