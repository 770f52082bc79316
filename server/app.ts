import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { errorsPlugin } from './http/plugins/errors.ts';
import { jsonBodyPlugin } from './http/plugins/json-body.ts';
import { organisationRoutes } from './http/routes/organisations.routes.ts';
import { quickscanRoutes } from './http/routes/quickscans.routes.ts';
import { reportRoutes } from './http/routes/reports.routes.ts';
import { sectorRoutes } from './http/routes/sectors.routes.ts';
import { systemRoutes } from './http/routes/system.routes.ts';
import { loadModelRegistry } from './services/model-registry.ts';
import './http/context.ts';

// Validation messages of zod in Dutch, for the people who read them.
z.config(z.locales.nl());

export interface AppDependencies {
  /** An already opened database (tests pass one that counts queries); otherwise config.databasePath is opened. */
  db?: Kysely<Database>;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/** Builds the app: database migrated, model registered, routes declared. Never listens. */
export async function buildApp(config: Config, deps: AppDependencies = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    // Keep the JSON body parser strict about prototype pollution.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const db = deps.db ?? openDatabase(config.databasePath);
  const now = deps.now ?? (() => new Date());
  let models: Awaited<ReturnType<typeof loadModelRegistry>>;
  try {
    await migrateToLatest(db);
    models = await loadModelRegistry(db, config.model, now());
  } catch (err) {
    if (!deps.db) await db.destroy();
    throw err;
  }
  app.decorate('db', db);
  app.decorate('models', models);
  app.decorate('clock', now);
  if (!deps.db) app.addHook('onClose', async () => db.destroy());

  await app.register(errorsPlugin, { bodyLimit: config.bodyLimit });
  await app.register(jsonBodyPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'VPT-schakelmodel API',
        description: `Quickscans, versnellingen en de prestatielijst van ${config.regionName}.`,
        version: '1.0.0',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(systemRoutes);
      await api.register(sectorRoutes);
      await api.register(organisationRoutes);
      await api.register(quickscanRoutes);
      await api.register(reportRoutes);
    },
    { prefix: '/api' },
  );
  // Until the web pages exist, the API's own documentation is the page to land on.
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/api/docs'));
  return app;
}
