import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../contracts/common.contract.ts';
import { errorResponses, readErrors } from '../../contracts/errors.contract.ts';
import { renameSectorBody, sectorBody, sectorSchema } from '../../contracts/sector.contract.ts';
import * as sectors from '../../services/sectors.service.ts';
import { contextOf } from '../context.ts';

export const sectorRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['sectoren'];

  app.get(
    '/sectors',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags,
        summary: 'Alle sectoren met hun aantal actieve organisaties',
        response: { 200: z.array(sectorSchema) },
      },
    },
    async (request) => sectors.listSectors(contextOf(request)),
  );

  app.post(
    '/sectors',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Sector toevoegen',
        body: sectorBody,
        response: { 201: sectorSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sectors.createSector(contextOf(request), request.body.name)),
  );

  app.get(
    '/sectors/:id',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags,
        summary: 'Eén sector',
        params: idParams,
        response: { 200: sectorSchema, ...readErrors },
      },
    },
    async (request) => sectors.getSector(contextOf(request), request.params.id),
  );

  app.patch(
    '/sectors/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Sector hernoemen',
        params: idParams,
        body: renameSectorBody,
        response: { 200: sectorSchema, ...errorResponses },
      },
    },
    async (request) =>
      sectors.renameSector(
        contextOf(request),
        request.params.id,
        request.body.name,
        request.body.expectedVersion,
      ),
  );

  app.delete(
    '/sectors/:id',
    {
      config: { access: 'projectleider' },
      schema: {
        tags,
        summary: 'Lege sector verwijderen (een sector met organisaties kan niet verdwijnen)',
        params: idParams,
        response: { 204: z.undefined(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await sectors.deleteSector(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
