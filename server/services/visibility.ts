import { NotFoundError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { isOrganisationView, ownOrganisationOf } from './principal.ts';

/**
 * What a caller may see, in one place. The route's access rule is the coarse gate (who may call at
 * all); these decide per organisation and per field. The organisatie role sees only its own
 * organisation (any other answers 404, as if it did not exist), never the projectleider's notes,
 * and only anonymous averages.
 */

/** Refuses another organisation than the caller's own, with the same answer as for one that does not exist. */
export function assertMaySee(ctx: ServiceContext, organisationId: number): void {
  const own = ownOrganisationOf(ctx.principal);
  if (own !== null && own !== organisationId) {
    throw new NotFoundError(`organisatie ${organisationId} bestaat niet`, 'organisation_not_found');
  }
}

/** True when the caller may see organisation `id` in a list. */
export function maySee(ctx: ServiceContext, organisationId: number): boolean {
  const own = ownOrganisationOf(ctx.principal);
  return own === null || own === organisationId;
}

/** The projectleider's notes are internal: an organisation does not see them about itself. */
export function visibleNotes<T extends { notes: string | null }>(ctx: ServiceContext, org: T): T {
  return isOrganisationView(ctx.principal) ? { ...org, notes: null } : org;
}

/** True when averages must be anonymised for the caller (small groups withheld). */
export function seesOnlyAnonymousFigures(ctx: ServiceContext): boolean {
  return isOrganisationView(ctx.principal);
}
