import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, requiredPeriodQuery } from '../../contracts/common.contract.ts';
import { errorResponses } from '../../contracts/errors.contract.ts';
import { gearDiffSchema } from '../../contracts/gear-diff.contract.ts';
import { gearDiff } from '../../services/gear-diff.service.ts';
import { contextOf } from '../context.ts';

export const gearDiffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/organisations/:id/diff',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags: ['organisaties'],
        summary:
          'Waarom veranderde de versnelling: de criteria met een ander antwoord tussen de quickscans achter de versnellingen van twee kwartalen',
        params: idParams,
        querystring: requiredPeriodQuery,
        response: { 200: gearDiffSchema, ...errorResponses },
      },
    },
    async (request) => gearDiff(contextOf(request), request.params.id, request.query.from, request.query.to),
  );
};
