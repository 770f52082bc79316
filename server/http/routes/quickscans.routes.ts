import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import {
  createQuickscanBody,
  deleteQuery,
  gearBody,
  orgQuarterParams,
  putQuickscanBody,
  quickscanSchema,
} from '../../contracts/quickscan.contract.ts';
import { revisionSchema } from '../../contracts/revision.contract.ts';
import * as qs from '../../services/quickscans.service.ts';
import { contextOf } from '../context.ts';

export const quickscanRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['quickscans'];

  app.get(
    '/organisations/:id/quickscans',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary:
          'Alle quickscans en rechtstreeks vastgelegde versnellingen van een organisatie, oudste eerst',
        params: idParams,
        response: { 200: z.array(quickscanSchema), ...readErrors },
      },
    },
    async (request) => qs.listQuickscans(contextOf(request), request.params.id),
  );

  app.post(
    '/organisations/:id/quickscans',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Nieuwe quickscan vastleggen; de versnelling volgt uit de antwoorden (409 als het kwartaal er al een heeft)',
        params: idParams,
        body: createQuickscanBody,
        response: { 201: quickscanSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { quarter, ...input } = request.body;
      const { quickscan } = await qs.recordQuickscan(
        contextOf(request),
        request.params.id,
        quarter,
        input,
        'create',
      );
      return reply.status(201).send(quickscan);
    },
  );

  app.get(
    '/organisations/:id/quickscans/:quarter',
    {
      config: { access: 'read', orgScope: 'own' },
      schema: {
        tags,
        summary: 'De quickscan (of vastgelegde versnelling) van één kwartaal',
        params: orgQuarterParams,
        response: { 200: quickscanSchema, ...readErrors },
      },
    },
    async (request) => qs.getQuickscan(contextOf(request), request.params.id, request.params.quarter),
  );

  app.put(
    '/organisations/:id/quickscans/:quarter',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Quickscan van een kwartaal vastleggen of wijzigen. Wijzigen vraagt expectedVersion; is die verouderd, dan 409 en blijft de nieuwere versie staan',
        params: orgQuarterParams,
        body: putQuickscanBody,
        response: { 200: quickscanSchema, 201: quickscanSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { quickscan, created } = await qs.recordQuickscan(
        contextOf(request),
        request.params.id,
        request.params.quarter,
        request.body,
        'edit',
      );
      return reply.status(created ? 201 : 200).send(quickscan);
    },
  );

  app.delete(
    '/organisations/:id/quickscans/:quarter',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Quickscan of vastgelegde versnelling verwijderen; de verwijderde versie blijft in de geschiedenis',
        params: orgQuarterParams,
        querystring: deleteQuery,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await qs.removeQuickscan(
        contextOf(request),
        request.params.id,
        request.params.quarter,
        request.query.expectedVersion,
        request.query.reason,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/organisations/:id/quickscans/:quarter/revisions',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Alle eerdere versies van de quickscan van één kwartaal, nieuwste eerst',
        params: orgQuarterParams,
        response: { 200: z.array(revisionSchema), ...readErrors },
      },
    },
    async (request) => qs.quickscanRevisions(contextOf(request), request.params.id, request.params.quarter),
  );

  app.put(
    '/organisations/:id/gears/:quarter',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary:
          'Versnelling rechtstreeks vastleggen (zonder antwoorden, bron manual of import). Wijzigen vraagt expectedVersion',
        params: orgQuarterParams,
        body: gearBody,
        response: { 200: quickscanSchema, 201: quickscanSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { quickscan, created } = await qs.recordGear(
        contextOf(request),
        request.params.id,
        request.params.quarter,
        request.body,
        'edit',
      );
      return reply.status(created ? 201 : 200).send(quickscan);
    },
  );
};
