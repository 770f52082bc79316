import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '../../contracts/errors.contract.ts';
import { modelParams, modelSchema, modelVersionSchema } from '../../contracts/model.contract.ts';
import { databaseFileOf, databaseFileProblem } from '../../db/database.ts';
import { ping } from '../../db/repositories/health.repository.ts';
import { NotFoundError } from '../../errors.ts';

/** How long the health check waits for the write connection before calling it busy. */
const WRITE_PING_MS = 50;

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  // The file as it was when the app opened it: the health check notices when it is gone or replaced.
  const databaseFile = databaseFileOf(app.config.databasePath);
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
            writes: z.enum(['ok', 'busy']).meta({
              description:
                'busy: a long write (an import) holds the write connection; reads keep answering, writes wait for it',
            }),
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
      const fileProblem = databaseFile ? databaseFileProblem(databaseFile) : null;
      if (fileProblem) {
        app.log.error({ database: app.config.databasePath }, `health check: ${fileProblem}`);
        return reply.status(503).send({ error: { code: 'database_unavailable', message: fileProblem } });
      }
      let writes: 'ok' | 'busy';
      try {
        // Over the read connection: answered while a long write (an import) holds the write one.
        await ping(app.readDb);
        // The write connection, without waiting behind a long import: a closed one fails at once.
        writes = await Promise.race([
          ping(app.db).then(() => 'ok' as const),
          new Promise<'busy'>((resolve) => setTimeout(() => resolve('busy'), WRITE_PING_MS).unref()),
        ]);
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
        writes,
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
