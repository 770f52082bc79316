import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readErrors } from '../../contracts/errors.contract.ts';
import { auditQuery, auditSchema } from '../../contracts/revision.contract.ts';
import { auditTrail } from '../../services/revisions.service.ts';
import { contextOf } from '../context.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: 'projectleider' },
      schema: {
        tags: ['wijzigingen'],
        summary:
          'De wijzigingsgeschiedenis met voor en na: wie veranderde wat, wanneer; te filteren op organisatie en periode',
        querystring: auditQuery,
        response: { ...readErrors, 200: auditSchema },
      },
    },
    async (request) => ({ items: await auditTrail(contextOf(request), request.query) }),
  );
};
