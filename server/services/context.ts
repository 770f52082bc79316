import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ModelRegistry } from './model-registry.ts';
import type { Caller } from './principal.ts';

/** What every service call needs: the database, the models, the clock and who is acting. */
export interface ServiceContext {
  db: Kysely<Database>;
  /**
   * The write connection, when `db` is the read-only one (a request that only reads): for the
   * rare write such a request makes (ending an expired session).
   */
  writeDb?: Kysely<Database>;
  models: ModelRegistry;
  now: () => Date;
  /** Recorded with every write, so each change is attributable. */
  actor: string;
  /** Who the call is for: the services decide from it what may be seen and done. */
  principal: Caller;
}
