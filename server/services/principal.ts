import type { Role } from '../contracts/user.contract.ts';

/** Who is making a request: a signed-in account, or a share link's read-only organisation view. */
export type Principal =
  | {
      kind: 'user';
      sessionId: number;
      csrfToken: string;
      userId: number;
      email: string;
      role: Role;
      organisationId: number | null;
    }
  | {
      kind: 'share';
      sessionId: number;
      csrfToken: string;
      shareLinkId: number;
      email: null;
      role: 'organisatie';
      organisationId: number;
    };

/**
 * Whoever runs the server's own code outside a request (the CLI, the demo, the bench, start-up):
 * they have the server's files, so they act with its rights.
 */
export const OPERATOR = { kind: 'operator' } as const;
export type Operator = typeof OPERATOR;

/** Who a service acts for: a principal, the operator, or nobody signed in (public routes). */
export type Caller = Principal | Operator | null;

/** How a principal is named in the change history. */
export function actorName(p: Principal): string {
  return p.kind === 'user' ? p.email : `deellink ${p.shareLinkId}`;
}

/** The organisation a caller is limited to (the organisatie role, a share link); null when not limited. */
export function ownOrganisationOf(caller: Caller): number | null {
  if (caller === null || caller.kind === 'operator' || caller.role !== 'organisatie') return null;
  // An organisatie account always has its organisation (the users service refuses one without).
  return caller.organisationId ?? -1;
}

/** True for the organisatie role (also through a share link): it sees only itself, anonymous averages, no notes. */
export function isOrganisationView(caller: Caller): boolean {
  return ownOrganisationOf(caller) !== null;
}
