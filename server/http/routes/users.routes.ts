import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  createUserBody,
  passwordBody,
  updateUserBody,
  userListItemSchema,
  userSchema,
} from '../../contracts/user.contract.ts';
import * as users from '../../services/users.service.ts';
import { contextOf } from '../context.ts';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['accounts'];
  const config = { access: 'projectleider' as const };

  app.get(
    '/users',
    {
      config,
      schema: {
        tags,
        summary: 'Alle accounts',
        response: { ...readErrors, 200: z.array(userListItemSchema) },
      },
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
    async (request) => users.updateUser(contextOf(request), request.params.id, request.body),
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
    '/users/:id/two-factor',
    {
      config,
      schema: {
        tags,
        summary:
          'Twee-staps-inloggen van een ander account herstellen (verloren telefoon): geheim en herstelcodes vervallen, de sessies eindigen',
        params: idParams,
        response: { ...errorResponses, 200: userSchema },
      },
    },
    async (request) => users.resetTwoFactor(contextOf(request), request.params.id),
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
      await users.removeUser(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
