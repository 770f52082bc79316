import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, periodQuery, requiredPeriodQuery } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  baselineBody,
  baselineListSchema,
  baselineSchema,
  incidentReportSchema,
  incidentTrendSchema,
  sectorIdParams,
  targetBody,
  targetListSchema,
  targetSchema,
} from '../../contracts/outcome.contract.ts';
import * as outcomes from '../../services/outcomes.service.ts';
import { contextOf } from '../context.ts';

/**
 * The outcomes beyond the gear (issue 12): the 0-meting and its target, the incident report
 * against it, an organisation's incident trend beside its sector's, and the region's targets.
 * Set by the projectleider; read by the projectleider and the bestuur (an organisation sees its
 * own trend only).
 */
export const outcomeRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['uitkomsten'];

  app.get(
    '/baselines',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'De 0-meting van de regio en van sectoren met een eigen',
        response: { 200: baselineListSchema, ...readErrors },
      },
    },
    async (request) => outcomes.baselines(contextOf(request)),
  );

  app.put(
    '/baselines/region',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'De 0-meting van de regio vastleggen of wijzigen: periode en doel',
        body: baselineBody,
        response: { 200: baselineSchema, 201: baselineSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { baseline, created } = await outcomes.setBaseline(contextOf(request), null, request.body);
      return reply.status(created ? 201 : 200).send(baseline);
    },
  );

  app.put(
    '/baselines/sectors/:sectorId',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een eigen 0-meting voor een sector vastleggen of wijzigen',
        params: sectorIdParams,
        body: baselineBody,
        response: { 200: baselineSchema, 201: baselineSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { baseline, created } = await outcomes.setBaseline(
        contextOf(request),
        request.params.sectorId,
        request.body,
      );
      return reply.status(created ? 201 : 200).send(baseline);
    },
  );

  app.delete(
    '/baselines/sectors/:sectorId',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'De eigen 0-meting van een sector weghalen (de sector volgt weer die van de regio)',
        params: sectorIdParams,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await outcomes.removeSectorBaseline(contextOf(request), request.params.sectorId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/reports/incidents',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Incidenten per 100 medewerkers per jaar in de 0-meting en in een periode, voor de regio en per sector (alleen organisaties met cijfers in beide)',
        querystring: requiredPeriodQuery,
        response: { 200: incidentReportSchema, ...readErrors },
      },
    },
    async (request) => outcomes.reportIncidents(contextOf(request), request.query.from, request.query.to),
  );

  app.get(
    '/organisations/:id/incident-trend',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'Eigen incidenten per 100 medewerkers per kwartaal naast die van de sector (anoniem, n ≥ 3)',
        params: idParams,
        querystring: periodQuery,
        response: { 200: incidentTrendSchema, ...readErrors },
      },
    },
    async (request) => outcomes.incidentTrend(contextOf(request), request.params.id, request.query),
  );

  app.get(
    '/targets',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'De doelen van de regio met de huidige waarde en of ze op koers liggen',
        response: { 200: targetListSchema, ...readErrors },
      },
    },
    async (request) => outcomes.listTargets(contextOf(request)),
  );

  app.post(
    '/targets',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een doel toevoegen',
        body: targetBody,
        response: { 201: targetSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await outcomes.addTarget(contextOf(request), request.body)),
  );

  app.delete(
    '/targets/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Een doel laten vervallen (het blijft in de geschiedenis)',
        params: idParams,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await outcomes.deleteTarget(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
