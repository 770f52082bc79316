import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { quarterQuery, requiredPeriodQuery } from '../../contracts/common.contract.ts';
import { readErrors } from '../../contracts/errors.contract.ts';
import {
  distributionSchema,
  matrixSchema,
  measuresQuery,
  measuresSchema,
  summarySchema,
  worklistSchema,
} from '../../contracts/report.contract.ts';
import { reportMeasures } from '../../services/measures.service.ts';
import { prepareExport } from '../../services/prestatielijst.service.ts';
import * as reports from '../../services/reports.service.ts';
import { contextOf } from '../context.ts';

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['rapportage'];

  app.get(
    '/reports/summary',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags,
        summary: 'Kwantitatieve analyse van de prestatielijst voor twee kwartalen (onafgeronde getallen)',
        querystring: requiredPeriodQuery,
        response: { 200: summarySchema, ...readErrors },
      },
    },
    async (request) => reports.reportSummary(contextOf(request), request.query.from, request.query.to),
  );

  app.get(
    '/reports/matrix',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags,
        summary: 'Gemiddelde versnelling en n per sector en kwartaal, met de regio',
        querystring: requiredPeriodQuery,
        response: { 200: matrixSchema, ...readErrors },
      },
    },
    async (request) => reports.reportMatrix(contextOf(request), request.query.from, request.query.to),
  );

  app.get(
    '/reports/measures',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Per VPT-maatregel het aandeel leden dat aan de criteria voldoet, per sector en voor de regio (met from: de verandering)',
        querystring: measuresQuery,
        response: { 200: measuresSchema, ...readErrors },
      },
    },
    async (request) => reportMeasures(contextOf(request), request.query.quarter, request.query.from),
  );

  app.get(
    '/reports/distribution',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Aantal organisaties per versnelling, per kwartaal',
        querystring: requiredPeriodQuery,
        response: { 200: distributionSchema, ...readErrors },
      },
    },
    async (request) => reports.reportDistribution(contextOf(request), request.query.from, request.query.to),
  );

  app.get(
    '/reports/worklist',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Leden zonder quickscan in een kwartaal (standaard het huidige): nog te bezoeken',
        querystring: quarterQuery,
        response: { 200: worklistSchema, ...readErrors },
      },
    },
    async (request) => reports.worklist(contextOf(request), request.query.quarter),
  );

  app.get(
    '/reports/prestatielijst.xlsx',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'De prestatielijst als Excel-werkmap (Prestatielijst, Analyse, Sectoren, Incidenten, Maatregelen, Activiteiten, Schakelmodel) voor een periode',
        querystring: requiredPeriodQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: {
          ...readErrors,
          200: z.any().meta({ description: 'Excel-werkmap (.xlsx)', format: 'binary' }),
        },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      const workbook = await prepareExport(contextOf(request), app.config.regionName, from, to);
      const out = new PassThrough();
      workbook.write(out).catch((err: unknown) => {
        request.log.error({ err }, 'prestatielijst export failed while streaming');
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${workbook.fileName}"`)
        .header('cache-control', 'no-store')
        .send(out);
    },
  );
};
