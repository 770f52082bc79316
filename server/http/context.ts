import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ModelRegistry } from '../services/model-registry.ts';
import { actorName, type Principal } from '../services/principal.ts';

/**
 * Who may call a route. `public`: anyone (the session is not even looked up); `optional`: anyone,
 * with the session when there is one; `signedIn`: any session; `read`: projectleider and
 * bestuur, and the organisatie role only where `orgScope` says how it is limited;
 * `projectleider`: only the projectleider (every write, the history, accounts).
 */
export type Access = 'public' | 'optional' | 'signedIn' | 'read' | 'projectleider';

/**
 * How a `read` route is limited for the organisatie role: `own` routes carry the organisation
 * id in `:id` and answer 404 for any other; `filtered` and `anonymous` routes let the organisatie
 * role in and limit the data in the handler (own organisation only; averages of small sectors hidden).
 */
export type OrgScope = 'own' | 'filtered' | 'anonymous';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    models: ModelRegistry;
    clock: () => Date;
    config: Config;
    /** The one-time setup token while there are no accounts; null once one exists. */
    setupToken: { value: string | null };
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    orgScope?: OrgScope;
  }
}

/** The service context for one request: the write is attributed to the signed-in person. */
export function contextOf(request: FastifyRequest): ServiceContext {
  const app = request.server;
  const principal = request.principal;
  const actor = principal ? actorName(principal) : `anoniem (${request.ip})`;
  return { db: app.db, models: app.models, now: app.clock, actor, principal };
}
