import { join } from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { bootstrap } from './bootstrap.ts';
import type { Config } from './config.ts';
import { openDatabase, openReadDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { authPlugin } from './http/plugins/auth.ts';
import { backupsPlugin } from './http/plugins/backups.ts';
import { errorsPlugin } from './http/plugins/errors.ts';
import { housekeepingPlugin } from './http/plugins/housekeeping.ts';
import { jsonBodyPlugin } from './http/plugins/json-body.ts';
import { noStorePlugin } from './http/plugins/no-store.ts';
import { securityHeadersPlugin } from './http/plugins/security-headers.ts';
import { auditRoutes } from './http/routes/audit.routes.ts';
import { authRoutes } from './http/routes/auth.routes.ts';
import { gearDiffRoutes } from './http/routes/gear-diff.routes.ts';
import { importRoutes } from './http/routes/import.routes.ts';
import { incidentRoutes } from './http/routes/incidents.routes.ts';
import { incidentsImportRoutes } from './http/routes/incidents-import.routes.ts';
import { invitationRoutes } from './http/routes/invitations.routes.ts';
import { networkRoutes } from './http/routes/network.routes.ts';
import { organisationRoutes } from './http/routes/organisations.routes.ts';
import { outcomeRoutes } from './http/routes/outcomes.routes.ts';
import { pageRoutes, pagesDir, setAssetCaching } from './http/routes/pages.routes.ts';
import { quarterRoutes } from './http/routes/quarters.routes.ts';
import { quickscanRoutes } from './http/routes/quickscans.routes.ts';
import { reportRoutes } from './http/routes/reports.routes.ts';
import { resourceRoutes } from './http/routes/resources.routes.ts';
import { sectorRoutes } from './http/routes/sectors.routes.ts';
import { shareLinkRoutes } from './http/routes/share-links.routes.ts';
import { systemRoutes } from './http/routes/system.routes.ts';
import { userRoutes } from './http/routes/users.routes.ts';
import { randomToken } from './security/tokens.ts';
import { loadModelRegistry } from './services/model-registry.ts';
import { OPERATOR } from './services/principal.ts';
import { countUsers } from './services/users.service.ts';
import './http/context.ts';

/** The static frontend's folder. */
export const WEB_DIR = join(import.meta.dirname, '..', 'web');

export interface AppDependencies {
  /** An already opened database (tests pass one that counts queries); otherwise config.databasePath is opened. */
  db?: Kysely<Database>;
  /** The read-only connection for requests that only read; with `db` given, defaults to `db` itself. */
  readDb?: Kysely<Database>;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/** Builds the app: database migrated, model registered, routes declared. Never listens. */
export async function buildApp(config: Config, deps: AppDependencies = {}): Promise<FastifyInstance> {
  bootstrap();
  const app = Fastify({
    logger: { level: config.logLevel },
    // A hop count works at run time (proxy-addr) though Fastify's types list only boolean and string.
    trustProxy: config.trustProxy as boolean | string,
    bodyLimit: config.bodyLimit,
    // Keep the JSON body parser strict about prototype pollution.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A path Fastify cannot route (a broken %-escape, a parameter over 100 characters) is refused
    // in the error contract too, not with Fastify's own English body.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const [status, code, message] = tooLong
        ? [414, 'url_too_long', 'het adres is te lang']
        : [400, 'invalid_url', 'het adres bevat ongeldige tekens'];
      void (reply as unknown as FastifyReply).status(status).send({ error: { code, message } });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const db = deps.db ?? openDatabase(config.databasePath, { startChecks: true });
  const now = deps.now ?? (() => new Date());
  let models: Awaited<ReturnType<typeof loadModelRegistry>>;
  try {
    await migrateToLatest(db);
    models = await loadModelRegistry(db, config.model, now());
  } catch (err) {
    if (!deps.db) await db.destroy();
    throw err;
  }
  let readDb: Kysely<Database>;
  try {
    readDb = deps.readDb ?? (deps.db ? db : (openReadDatabase(config.databasePath) ?? db));
  } catch (err) {
    if (!deps.db) await db.destroy();
    throw err;
  }
  // A long write (an import) ends when the server stops, rolled back, instead of holding the stop.
  const stopping = new AbortController();
  app.addHook('preClose', async () => stopping.abort());
  app.decorate('stopping', stopping.signal);
  app.decorate('db', db);
  app.decorate('readDb', readDb);
  app.decorate('models', models);
  app.decorate('clock', now);
  app.decorate('config', config);
  // First run: while there are no accounts, a one-time token lets the first projectleider in.
  const noAccounts = (await countUsers({ db, models, now, actor: 'start', principal: OPERATOR })) === 0;
  app.decorate('setupToken', { value: noAccounts ? randomToken() : null });
  if (!deps.db) app.addHook('onClose', async () => db.destroy());
  if (readDb !== db && !deps.readDb) app.addHook('onClose', async () => readDb.destroy());

  await app.register(errorsPlugin, { bodyLimit: config.bodyLimit, spaRoot: pagesDir(WEB_DIR) });
  await app.register(jsonBodyPlugin);
  await app.register(noStorePlugin, { prefix: '/api' });
  await app.register(housekeepingPlugin);
  await app.register(backupsPlugin);
  await app.register(securityHeadersPlugin, {
    // Only our own origin: the pages load no script, style or font from anywhere else.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    // HSTS only makes sense behind https; the reverse proxy sets it (see README).
    strictTransportSecurity: false,
  });
  // Text above 1 kB goes out with brotli or gzip (the organisation list: 9× smaller on the demo
  // region, ~40× at 5,000 organisations); the Excel export is zipped already and is not in the
  // list. Bodies sent to us are never inflated.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // Brotli's default is its slowest, densest level (11): ~100 ms for the charts chunk on every
    // request. The built files go out precompressed at that level (scripts/build-web.ts); what is
    // compressed per request uses level 4, a few milliseconds, still denser than gzip.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    customTypes:
      /^(?:application\/json|text\/(?:html|css|javascript)|application\/javascript|image\/svg\+xml)\b/,
    globalDecompression: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(cookie);
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
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    // The documentation page, too, loads nothing from another origin.
    transformStaticCSP: (header) =>
      header
        .replace(/ https:/g, '')
        .replace(/ validator\.swagger\.io/g, '')
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace(/ ?upgrade-insecure-requests;?/, ''),
  });
  await app.register(fastifyStatic, {
    root: join(WEB_DIR, 'assets'),
    prefix: '/assets/',
    index: false,
    // Content-hashed files are cached for good; the pages and anything unhashed are revalidated.
    cacheControl: false,
    // The build writes each script and stylesheet compressed too (.br, .gz): sent as they are.
    preCompressed: true,
    setHeaders: setAssetCaching,
  });

  await app.register(
    async (api) => {
      await api.register(authPlugin);
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await api.register(systemRoutes);
      await api.register(authRoutes);
      await api.register(userRoutes);
      await api.register(invitationRoutes);
      await api.register(shareLinkRoutes);
      await api.register(auditRoutes);
      await api.register(sectorRoutes);
      await api.register(organisationRoutes);
      await api.register(incidentRoutes);
      await api.register(outcomeRoutes);
      await api.register(networkRoutes);
      await api.register(quarterRoutes);
      await api.register(gearDiffRoutes);
      await api.register(quickscanRoutes);
      await api.register(reportRoutes);
      await api.register(importRoutes);
      await api.register(incidentsImportRoutes);
      await api.register(resourceRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(pageRoutes, { webDir: pagesDir(WEB_DIR) });
  return app;
}
