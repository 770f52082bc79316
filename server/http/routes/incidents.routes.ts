import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, periodQuery } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  employeesBody,
  employeesSchema,
  employeesYearParams,
  incidentFiguresBody,
  incidentFiguresSchema,
  incidentQuarterParams,
  organisationIncidentsSchema,
} from '../../contracts/incident.contract.ts';
import * as incidents from '../../services/incidents.service.ts';
import { contextOf } from '../context.ts';

/**
 * An organisation's incident figures per quarter and its employees with a public task per year.
 * Read by whoever may see the organisation; written by the projectleider and by the organisation
 * itself (the organisatie role's only write: its own organisation, only these figures).
 */
export const incidentRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['incidenten'];

  app.get(
    '/organisations/:id/incidents',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'Incidentcijfers per kwartaal en medewerkers met een publieke taak per jaar',
        params: idParams,
        querystring: periodQuery,
        response: { 200: organisationIncidentsSchema, ...readErrors },
      },
    },
    async (request) => incidents.organisationIncidents(contextOf(request), request.params.id, request.query),
  );

  app.get(
    '/organisations/:id/incidents/:quarter',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'Incidentcijfers van één kwartaal (versie 0: nooit iets vastgelegd)',
        params: incidentQuarterParams,
        response: { 200: incidentFiguresSchema, ...readErrors },
      },
    },
    async (request) =>
      incidents.incidentFiguresAt(contextOf(request), request.params.id, request.params.quarter),
  );

  app.put(
    '/organisations/:id/incidents/:quarter',
    {
      config: { access: 'ownOrganisation' },
      schema: {
        tags,
        summary:
          'Incidentcijfers van een kwartaal vastleggen of corrigeren (een weggelaten cijfer: niet geregistreerd; alles leeg: niets meer geregistreerd)',
        params: incidentQuarterParams,
        body: incidentFiguresBody,
        response: { 200: incidentFiguresSchema, 201: incidentFiguresSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { figures, created } = await incidents.recordIncidentFigures(
        contextOf(request),
        request.params.id,
        request.params.quarter,
        request.body,
      );
      return reply.status(created ? 201 : 200).send(figures);
    },
  );

  app.put(
    '/organisations/:id/employees/:year',
    {
      config: { access: 'ownOrganisation' },
      schema: {
        tags,
        summary: 'Aantal medewerkers met een publieke taak in een jaar vastleggen of corrigeren',
        params: employeesYearParams,
        body: employeesBody,
        response: { 200: employeesSchema, 201: employeesSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { employees, created } = await incidents.recordEmployees(
        contextOf(request),
        request.params.id,
        request.params.year,
        request.body,
      );
      return reply.status(created ? 201 : 200).send(employees);
    },
  );
};
