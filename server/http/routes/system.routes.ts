import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '../../contracts/errors.contract.ts';
import { modelParams, modelSchema, modelVersionSchema } from '../../contracts/model.contract.ts';
import { ping } from '../../db/repositories/health.repository.ts';
import { NotFoundError } from '../../errors.ts';

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['systeem'],
        summary:
          'Antwoordt 200 wanneer de database bereikbaar is; met het tijdstip van de laatste geplande back-up',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.literal('ok'),
            backup: z
              .object({
                lastBackupAt: z.string().nullable(),
                failing: z.boolean().meta({ description: 'De laatste geplande back-up mislukte' }),
              })
              .nullable()
              .meta({ description: 'Geplande back-ups (BACKUP_DIR); null als die uit staan' }),
          }),
          503: errorSchema,
        },
      },
    },
    async (_request, reply) => {
      try {
        await ping(app.db);
      } catch (err) {
        app.log.error({ err }, 'health check: database unreachable');
        return reply
          .status(503)
          .send({ error: { code: 'database_unavailable', message: 'de database is niet bereikbaar' } });
      }
      const backup = app.backups?.status() ?? null;
      return {
        status: 'ok' as const,
        database: 'ok' as const,
        backup: backup && { lastBackupAt: backup.lastBackupAt, failing: backup.lastError !== null },
      };
    },
  );

  app.get(
    '/model',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: { tags: ['schakelmodel'], summary: 'Het actieve schakelmodel', response: { 200: modelSchema } },
    },
    async () => app.models.active,
  );

  app.get(
    '/models',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags: ['schakelmodel'],
        summary: 'Alle modelversies waartegen quickscans zijn afgenomen',
        response: { 200: z.array(modelVersionSchema) },
      },
    },
    async () =>
      app.models.all().map((m) => ({
        id: m.id,
        version: m.version,
        name: m.name,
        active: m.id === app.models.active.id && m.version === app.models.active.version,
      })),
  );

  app.get(
    '/models/:id/:version',
    {
      config: { access: 'read', orgScope: 'anonymous' },
      schema: {
        tags: ['schakelmodel'],
        summary: 'Eén modelversie, om een oude quickscan te lezen',
        params: modelParams,
        response: { 200: modelSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const m = app.models
        .all()
        .find((x) => x.id === request.params.id && x.version === request.params.version);
      if (!m)
        throw new NotFoundError(
          `schakelmodel '${request.params.id}' versie ${request.params.version} is niet bekend`,
          'model_not_found',
        );
      return m;
    },
  );
};
