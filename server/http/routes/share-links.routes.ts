import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  createdShareLinkSchema,
  createShareLinkBody,
  shareLinkSchema,
} from '../../contracts/share-link.contract.ts';
import * as links from '../../services/share-links.service.ts';
import { contextOf } from '../context.ts';

export const shareLinkRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['deellinks'];
  const config = { access: 'projectleider' as const };

  app.get(
    '/organisations/:id/share-links',
    {
      config,
      schema: {
        tags,
        summary: 'Deellinks van een organisatie',
        params: idParams,
        response: { ...readErrors, 200: z.array(shareLinkSchema) },
      },
    },
    async (request) => links.listShareLinks(contextOf(request), request.params.id),
  );

  app.post(
    '/organisations/:id/share-links',
    {
      config,
      schema: {
        tags,
        summary:
          'Alleen-lezen deellink maken voor één organisatie (standaard 30 dagen geldig); de link wordt één keer getoond',
        params: idParams,
        body: createShareLinkBody,
        response: { ...errorResponses, 201: createdShareLinkSchema },
      },
    },
    async (request, reply) => {
      const { link, token } = await links.createShareLink(
        contextOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ ...link, token, url: `${app.config.publicUrl}/s/${token}` });
    },
  );

  app.delete(
    '/share-links/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Deellink intrekken; wie hem open heeft, verliest direct toegang',
        params: idParams,
        response: { ...errorResponses, 200: shareLinkSchema },
      },
    },
    async (request) => links.revokeShareLink(contextOf(request), request.params.id),
  );
};
