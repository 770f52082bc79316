import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ModelRegistry } from '../services/model-registry.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    models: ModelRegistry;
    clock: () => Date;
  }
}

/**
 * The service context for one request. Until accounts exist, a write is attributed to the API
 * and the client's address; the accounts issue replaces this with the signed-in person.
 */
export function contextOf(request: FastifyRequest): ServiceContext {
  const app = request.server;
  return { db: app.db, models: app.models, now: app.clock, actor: `api (${request.ip})` };
}
