import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  closeBody,
  closedQuarterSchema,
  quarterParams,
  quartersOverviewSchema,
  reopenBody,
} from '../../contracts/closing.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import { closeQuarter, quartersOverview, reopenQuarter } from '../../services/closing.service.ts';
import { contextOf } from '../context.ts';

/** Closing quarters (vaststellen) and reopening them, and which are closed. */
export const quarterRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['kwartalen'];

  app.get(
    '/quarters',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Vastgestelde kwartalen, de geschiedenis van vaststellen en heropenen, en wat als volgende kan',
        response: { 200: quartersOverviewSchema, ...readErrors },
      },
    },
    async (request) => quartersOverview(contextOf(request)),
  );

  app.post(
    '/quarters/:quarter/close',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Kwartaal vaststellen: de cijfers worden bewaard zoals ze nu zijn. Op volgorde; met includeEarlier ook de open kwartalen ervóór',
        params: quarterParams,
        body: closeBody.nullish(),
        response: { 200: z.array(closedQuarterSchema), ...errorResponses },
      },
    },
    async (request) =>
      closeQuarter(contextOf(request), request.params.quarter, {
        includeEarlier: request.body?.includeEarlier,
      }),
  );

  app.post(
    '/quarters/:quarter/reopen',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Het laatst vastgestelde kwartaal heropenen, met een reden (blijft in de geschiedenis)',
        params: quarterParams,
        body: reopenBody,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await reopenQuarter(contextOf(request), request.params.quarter, request.body.reason);
      return reply.status(204).send();
    },
  );
};
