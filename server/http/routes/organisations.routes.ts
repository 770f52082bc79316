import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, pageQuery, periodQuery, quarterQuery } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  archiveBody,
  createOrganisationBody,
  historySchema,
  joinBody,
  leaveBody,
  moveBody,
  organisationListQuery,
  organisationListSchema,
  organisationSchema,
  periodsSchema,
  restoreBody,
  statusSchema,
  updateOrganisationBody,
} from '../../contracts/organisation.contract.ts';
import { revisionSchema } from '../../contracts/revision.contract.ts';
import * as orgs from '../../services/organisations.service.ts';
import { organisationRevisions } from '../../services/revisions.service.ts';
import { gearHistory, statusAt } from '../../services/status.service.ts';
import { organisationPeriods } from '../../services/timeline.service.ts';
import { contextOf } from '../context.ts';

export const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['organisaties'];

  app.get(
    '/organisations',
    {
      config: { access: 'read', orgScope: 'filtered' },
      schema: {
        tags,
        summary: 'Organisaties met hun versnelling in een kwartaal (standaard het huidige)',
        querystring: organisationListQuery,
        response: { 200: organisationListSchema, ...readErrors },
      },
    },
    async (request) => orgs.listOrganisations(contextOf(request), request.query),
  );

  app.post(
    '/organisations',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Organisatie toevoegen (lid sinds: standaard het huidige kwartaal)',
        body: createOrganisationBody,
        response: { 201: organisationSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await orgs.createOrganisation(contextOf(request), request.body)),
  );

  app.get(
    '/organisations/:id',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'Eén organisatie',
        params: idParams,
        response: { 200: organisationSchema, ...readErrors },
      },
    },
    async (request) => orgs.getOrganisation(contextOf(request), request.params.id),
  );

  app.patch(
    '/organisations/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Organisatie wijzigen',
        params: idParams,
        body: updateOrganisationBody,
        response: { 200: organisationSchema, ...errorResponses },
      },
    },
    async (request) => orgs.updateOrganisation(contextOf(request), request.params.id, request.body),
  );

  app.post(
    '/organisations/:id/archive',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Organisatie archiveren: uit de actieve lijsten, lidmaatschap beëindigd; de geschiedenis blijft',
        params: idParams,
        body: archiveBody,
        response: { 200: organisationSchema, ...errorResponses },
      },
    },
    async (request) => orgs.archiveOrganisation(contextOf(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/organisations/:id/restore',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Gearchiveerde organisatie terugzetten',
        params: idParams,
        body: restoreBody,
        response: { 200: organisationSchema, ...errorResponses },
      },
    },
    async (request) => orgs.restoreOrganisation(contextOf(request), request.params.id, request.body ?? {}),
  );

  app.get(
    '/organisations/:id/status',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary:
          'Versnelling in een kwartaal: doorgeschoven of niet, wat er staat, volgende stappen en voortgang',
        params: idParams,
        querystring: quarterQuery,
        response: { 200: statusSchema, ...readErrors },
      },
    },
    async (request) => statusAt(contextOf(request), request.params.id, request.query.quarter),
  );

  app.get(
    '/organisations/:id/history',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'Versnelling per kwartaal over een periode (standaard het hele lidmaatschap)',
        params: idParams,
        querystring: periodQuery,
        response: { 200: historySchema, ...readErrors },
      },
    },
    async (request) => gearHistory(contextOf(request), request.params.id, request.query),
  );

  app.get(
    '/organisations/:id/revisions',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Alle wijzigingen van deze organisatie en haar quickscans, nieuwste eerst',
        params: idParams,
        querystring: pageQuery,
        response: { 200: z.array(revisionSchema), ...readErrors },
      },
    },
    async (request) => organisationRevisions(contextOf(request), request.params.id, request.query),
  );

  app.get(
    '/organisations/:id/periods',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'Lidmaatschapsperiodes en sectorgeschiedenis van een organisatie',
        params: idParams,
        response: { 200: periodsSchema, ...readErrors },
      },
    },
    async (request) => organisationPeriods(contextOf(request), request.params.id),
  );

  app.post(
    '/organisations/:id/join',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Opnieuw lid: een nieuwe lidmaatschapsperiode vanaf een kwartaal (er loopt er geen)',
        params: idParams,
        body: joinBody,
        response: { 200: organisationSchema, ...errorResponses },
      },
    },
    async (request) => orgs.joinNetwork(contextOf(request), request.params.id, request.body),
  );

  app.post(
    '/organisations/:id/leave',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Lidmaatschap beëindigen: de lopende periode eindigt in een kwartaal',
        params: idParams,
        body: leaveBody,
        response: { 200: organisationSchema, ...errorResponses },
      },
    },
    async (request) => orgs.leaveNetwork(contextOf(request), request.params.id, request.body),
  );

  app.post(
    '/organisations/:id/move',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Naar een andere sector vanaf een kwartaal (standaard het huidige); eerdere kwartalen houden hun sector',
        params: idParams,
        body: moveBody,
        response: { 200: organisationSchema, ...errorResponses },
      },
    },
    async (request) => orgs.moveOrganisation(contextOf(request), request.params.id, request.body),
  );
};
