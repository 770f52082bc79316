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
 * `projectleider`: only the projectleider (every write, the history, accounts);
 * `ownOrganisation`: the projectleider, and an organisatie account for its own organisation (`:id`;
 * any other answers 404): the organisation's own figures. Not the bestuur, not a share link.
 */
export type Access = 'public' | 'optional' | 'signedIn' | 'read' | 'projectleider' | 'ownOrganisation';

/**
 * How a `read` route is limited for the organisatie role: `own` routes carry the organisation
 * id in `:id` and answer 404 for any other; `filtered` and `anonymous` routes let the organisatie
 * role in and limit the data in the handler (own organisation only; averages of small sectors hidden).
 */
export type OrgScope = 'own' | 'filtered' | 'anonymous';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    /** A read-only connection to the same file for requests that only read (the same as `db` in memory). */
    readDb: Kysely<Database>;
    models: ModelRegistry;
    clock: () => Date;
    config: Config;
    /** Aborted when the server starts to stop: long writes (an import) end, rolled back. */
    stopping: AbortSignal;
    /** The one-time setup token while there are no accounts; null once one exists. */
    setupToken: { value: string | null };
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    orgScope?: OrgScope;
    /** A GET that writes (opening a share link starts a session): it gets the write connection. */
    writes?: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The service context for one request: the write is attributed to the signed-in person. A GET
 * or HEAD reads over the read-only connection, so it is answered while a long write (an import)
 * holds the write connection; every other method uses the write connection.
 */
export function contextOf(request: FastifyRequest): ServiceContext {
  const app = request.server;
  const principal = request.principal;
  const actor = principal ? actorName(principal) : `anoniem (${request.ip})`;
  const base = { models: app.models, now: app.clock, actor, principal };
  if (READ_METHODS.has(request.method) && !request.routeOptions.config.writes && app.readDb !== app.db) {
    return { ...base, db: app.readDb, writeDb: app.db };
  }
  return { ...base, db: app.db };
}
