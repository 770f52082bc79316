import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { quarterOfDate } from '../../domain/quarter.ts';
import { anonymiseMatrix, anonymiseSummary } from '../../domain/report.ts';
import * as reports from '../../services/reports.service.ts';
import { contextOf } from '../context.ts';
import { readErrors } from '../schemas/common.schemas.ts';
import {
  distributionSchema,
  matrixSchema,
  requiredPeriodQuery,
  summarySchema,
  worklistQuery,
  worklistSchema,
} from '../schemas/reports.schemas.ts';

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
    async (request) => {
      const summary = await reports.reportSummary(contextOf(request), request.query.from, request.query.to);
      return request.principal?.role === 'organisatie' ? anonymiseSummary(summary) : summary;
    },
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
    async (request) => {
      const matrix = await reports.reportMatrix(contextOf(request), request.query.from, request.query.to);
      return request.principal?.role === 'organisatie' ? anonymiseMatrix(matrix) : matrix;
    },
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
        querystring: worklistQuery,
        response: { 200: worklistSchema, ...readErrors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      return reports.worklist(ctx, request.query.quarter ?? quarterOfDate(ctx.now()));
    },
  );
};
