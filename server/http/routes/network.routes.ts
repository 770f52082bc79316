import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, idSchema, requiredPeriodQuery } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  actionListQuery,
  actionParams,
  actionSchema,
  activityListQuery,
  activityReportSchema,
  activitySchema,
  createActionBody,
  createActivityBody,
  updateActionBody,
  updateActivityBody,
} from '../../contracts/network.contract.ts';
import * as actions from '../../services/actions.service.ts';
import * as activities from '../../services/activities.service.ts';
import { contextOf } from '../context.ts';

/**
 * The network's work (issue 13): the actions agreed with an organisation (its own page: read by
 * the organisation, whose account may change their status and note), and the network's
 * activities (the projectleider's log; the bestuur reads them and their counts).
 */
export const networkRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['netwerk'];

  app.get(
    '/organisations/:id/actions',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'De afgesproken acties van een organisatie',
        params: idParams,
        response: { 200: z.array(actionSchema), ...readErrors },
      },
    },
    async (request) => actions.organisationActions(contextOf(request), request.params.id),
  );

  app.post(
    '/organisations/:id/actions',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een actie afspreken op een criterium',
        params: idParams,
        body: createActionBody,
        response: { 201: actionSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await actions.addAction(contextOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/organisations/:id/actions/:actionId',
    {
      config: { access: 'ownOrganisation' },
      schema: {
        tags,
        summary:
          'Een actie wijzigen (met expectedVersion); de organisatie zelf alleen de status en de notitie van haar eigen acties',
        params: actionParams,
        body: updateActionBody,
        response: { 200: actionSchema, ...errorResponses },
      },
    },
    async (request) =>
      actions.changeAction(contextOf(request), request.params.actionId, request.body, {
        organisationId: request.params.id,
      }),
  );

  app.delete(
    '/organisations/:id/actions/:actionId',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een actie verwijderen (blijft in de geschiedenis)',
        params: actionParams,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await actions.removeAction(contextOf(request), request.params.actionId, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/actions',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Acties in de regio (overdue=true: alleen die over hun termijn)',
        querystring: actionListQuery,
        response: { 200: z.array(actionSchema), ...readErrors },
      },
    },
    async (request) => actions.listActions(contextOf(request), request.query),
  );

  app.get(
    '/activities',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Activiteiten van het netwerk, nieuwste eerst (filters: organisatie, periode, soort)',
        querystring: activityListQuery,
        response: { 200: z.array(activitySchema), ...readErrors },
      },
    },
    async (request) => {
      activities.checkActivityPeriod(request.query.from, request.query.to);
      return activities.listActivities(contextOf(request), request.query);
    },
  );

  app.post(
    '/activities',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een activiteit vastleggen (huisbezoek, bijeenkomst, workshop, advies)',
        body: createActivityBody,
        response: { 201: activitySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await activities.addActivity(contextOf(request), request.body)),
  );

  app.patch(
    '/activities/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een activiteit wijzigen (met expectedVersion)',
        params: z.object({ id: idSchema }),
        body: updateActivityBody,
        response: { 200: activitySchema, ...errorResponses },
      },
    },
    async (request) => activities.changeActivity(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/activities/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een activiteit verwijderen (blijft in de geschiedenis)',
        params: idParams,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await activities.deleteActivity(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/reports/activities',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Activiteiten per soort per kwartaal, en het aandeel leden met een huisbezoek in de laatste twaalf maanden',
        querystring: requiredPeriodQuery,
        response: { 200: activityReportSchema, ...readErrors },
      },
    },
    async (request) => activities.reportActivities(contextOf(request), request.query.from, request.query.to),
  );
};
